//! `correctness/undefined-service-reference`: a service names a service the project
//! does not define.

use super::{NameRef, Seen, report_undefined, whole_view};
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::compose::view::RefKind;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedServiceReference;

static META: RuleMeta = RuleMeta {
    name: "undefined-service-reference",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service refers to a service the project does not define",
    what: "Reports a service name in `depends_on`, `links`, `volumes_from` (`x`, `x:ro`, `service:x`) or `network_mode: service:x` that no service of the project defines. The project is the file with its override files, included files and what `extends` brings in; an alternative file (`docker-compose.prod.yml`, given after its base with `-f`) may also name the services of the base file beside it; `container:x` references name containers outside the project and are not checked, nor are `depends_on` entries with `required: false`. The finding points at the name. A project that includes a file orchlint did not scan, or that is only an override file (a snippet meant for a main file elsewhere), is skipped: the name may be defined there.",
    why: "Compose refuses to start a project whose services refer to a missing service; a typo in a dependency name only shows up at deploy time.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    depends_on: [databse]
  database:
    image: postgres:16
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    depends_on: [database]
  database:
    image: postgres:16
"#,
    },
};

impl Rule for UndefinedServiceReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = whole_view(cx) else { return };
        let beside = view.beside.iter().flat_map(|c| &c.services);
        let names: Vec<&str> = view
            .services
            .iter()
            .map(|s| s.name.as_str())
            .chain(beside.map(|s| s.name.value.as_str()))
            .collect();
        let mut seen = Seen::default();
        for s in &view.services {
            for r in view.service_refs(s) {
                if !r.required {
                    continue;
                }
                let file = view.file(&r.layer);
                // In format 1, `volumes_from` may also name a container.
                if r.kind == RefKind::VolumesFrom && file.compose.legacy_v1 {
                    continue;
                }
                // Named after the definition that holds the reference (a template
                // brought in by `extends` names itself).
                let owner = &r.layer.svc.name.value;
                let target = &r.name.value;
                report_undefined(
                    cx,
                    &mut seen,
                    &names,
                    NameRef {
                        file: file.id(),
                        span: r.name.span,
                        name: target,
                    },
                    || match r.kind {
                        RefKind::DependsOn => {
                            format!("service \"{owner}\" depends on undefined service \"{target}\"")
                        }
                        RefKind::Link => {
                            format!("service \"{owner}\" links to undefined service \"{target}\"")
                        }
                        RefKind::VolumesFrom => format!(
                            "service \"{owner}\" mounts the volumes of undefined service \"{target}\""
                        ),
                        RefKind::NetworkMode => format!(
                            "service \"{owner}\" shares the network of undefined service \"{target}\""
                        ),
                    },
                    || match r.kind {
                        RefKind::Link => format!(
                            "define service \"{target}\", or list a container started outside the project under `external_links`"
                        ),
                        RefKind::VolumesFrom | RefKind::NetworkMode => format!(
                            "define service \"{target}\", or write `container:{target}` for a container started outside the project"
                        ),
                        RefKind::DependsOn => {
                            format!("define service \"{target}\", or remove it from `depends_on`")
                        }
                    },
                );
            }
        }
    }
}
