//! `correctness/undefined-secret`: a service uses a secret or config the project does
//! not declare.

use super::{NameRef, Seen, report_undefined, whole_view};
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedSecret;

static META: RuleMeta = RuleMeta {
    name: "undefined-secret",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service uses a secret or config the project does not declare",
    what: "Reports a name in a service's `secrets` or `configs` (short or long syntax, the `source`) that no top-level `secrets:` or `configs:` of the project declares. The finding points at the name. A project that includes a file orchlint did not scan, or that is only an override file (a snippet meant for a main file elsewhere), is skipped: the name may be defined there.",
    why: "Compose and `docker stack deploy` refuse the project (\"service refers to undefined secret\"), so the service never gets its credentials or configuration.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    secrets: [db_password]
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    secrets: [db_password]
secrets:
  db_password:
    file: ./db_password.txt
"#,
    },
};

impl Rule for UndefinedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = whole_view(cx) else { return };
        let secrets: Vec<&str> = view
            .declaring_files()
            .flat_map(|(_, f)| &f.compose.secrets)
            .chain(view.beside.iter().flat_map(|c| &c.secrets))
            .map(|d| d.name.value.as_str())
            .collect();
        let configs: Vec<&str> = view
            .declaring_files()
            .flat_map(|(_, f)| &f.compose.configs)
            .chain(view.beside.iter().flat_map(|c| &c.configs))
            .map(|d| d.name.value.as_str())
            .collect();
        let mut seen = Seen::default();
        for s in &view.services {
            let uses = [
                ("secret", "secrets", &secrets, s.all(|x| &x.secrets)),
                ("config", "configs", &configs, s.all(|x| &x.configs)),
            ];
            for (noun, key, declared, refs) in uses {
                for (layer, r) in refs {
                    let Some(source) = view.name(&layer, &r.source) else {
                        continue;
                    };
                    let name = source.value.as_str();
                    let owner = &layer.svc.name.value;
                    report_undefined(
                        cx,
                        &mut seen,
                        declared,
                        NameRef {
                            file: view.file_id(&layer),
                            span: source.span,
                            name,
                        },
                        || format!("service \"{owner}\" uses undefined {noun} \"{name}\""),
                        || {
                            format!(
                                "declare it under the top-level `{key}:` key, with `file:`, `environment:` or `external: true`"
                            )
                        },
                    );
                }
            }
        }
    }
}
