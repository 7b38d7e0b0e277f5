//! `correctness/undefined-network`: a service joins a network the project does not
//! declare.

use super::{NameRef, Seen, report_undefined, whole_view};
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedNetwork;

static META: RuleMeta = RuleMeta {
    name: "undefined-network",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service joins a network the project does not declare",
    what: "Reports a network in a service's `networks` (list or mapping form) that no top-level `networks:` of the project declares. `default` always exists, and Docker's own `bridge` and `host` networks are accepted as Compose accepts them. Format 1 files, which had no networks, are skipped. The finding points at the network's name. A project that includes a file orchlint did not scan, or that is only an override file (a snippet meant for a main file elsewhere), is skipped: the name may be defined there.",
    why: "Compose refuses the project (\"service refers to undefined network\"); a network declared under another name leaves the service cut off from its peers.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    networks: [frontend]
networks:
  front: {}
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    networks: [front]
networks:
  front: {}
"#,
    },
};

impl Rule for UndefinedNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = whole_view(cx) else { return };
        let declared: Vec<&str> = view
            .declaring_files()
            .flat_map(|(_, f)| &f.compose.networks)
            .chain(view.beside.iter().flat_map(|c| &c.networks))
            .map(|d| d.name.value.as_str())
            .collect();
        let mut seen = Seen::default();
        for s in &view.services {
            for (layer, net) in s.each(|x| &x.networks) {
                let file = view.file(&layer);
                let Some(net) = view.name(&layer, net) else {
                    continue;
                };
                let name = net.value.as_str();
                if file.compose.legacy_v1 || matches!(name, "default" | "bridge" | "host") {
                    continue;
                }
                let owner = &layer.svc.name.value;
                report_undefined(
                    cx,
                    &mut seen,
                    &declared,
                    NameRef {
                        file: file.id(),
                        span: net.span,
                        name,
                    },
                    || format!("service \"{owner}\" joins undefined network \"{name}\""),
                    || {
                        format!(
                            "declare it under the top-level `networks:` key (`{name}: {{}}`, or `external: true` for a network created outside the project)"
                        )
                    },
                );
            }
        }
    }
}
