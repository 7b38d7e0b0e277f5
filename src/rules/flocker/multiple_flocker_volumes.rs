//! `correctness/multiple-flocker-volumes`: an application of a Fig-compatible
//! Flocker config mounts more than one volume.

use crate::diagnostic::{Example, RuleMeta};
use crate::diagnostic::Tier;
use crate::diagnostic::{Family, Related, Severity};
use crate::formats::flocker::FlockerFile;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MultipleFlockerVolumes;

static META: RuleMeta = RuleMeta {
    name: "multiple-flocker-volumes",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Flocker],
    summary: "a Flocker application mounts more than one volume",
    what: "Reports an application of a Flocker application config with more than one volume: in practice the Fig-compatible variant, whose `volumes` is a list (a Fig file is read as Flocker's when a deployment config beside it places its services). The finding points at the second volume.",
    why: "Flocker 1.0 moves one dataset per application (the native format has a single `volume`, and the Fig-compatible format accepts one path in `volumes`), so `flocker-deploy` refuses the configuration.",
    bad: Example {
        file_name: "fig.yml",
        text: r#"db:
  image: postgres:9.4
  volumes:
    - /var/lib/postgresql/data
    - /var/log/postgresql
"#,
    },
    good: Example {
        file_name: "fig.yml",
        text: r#"db:
  image: postgres:9.4
  volumes:
    - /var/lib/postgresql/data
"#,
    },
};

impl Rule for MultipleFlockerVolumes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(FlockerFile::Applications(a)) = f.flocker() else {
                continue;
            };
            for app in &a.applications {
                let [first, second, ..] = app.volumes.as_slice() else {
                    continue;
                };
                let d = cx.report(
                    f.id,
                    second.span,
                    format!(
                        "application \"{}\" mounts {} volumes; Flocker moves one dataset per application",
                        app.name.value,
                        app.volumes.len()
                    ),
                );
                d.help = Some("keep the one volume that holds the data; split the rest into another application or into the image".into());
                d.related.push(Related {
                    file: f.id,
                    span: first.span,
                    message: "first volume".into(),
                });
            }
        }
    }
}
