//! `correctness/legacy-compose-format`: a Compose file in format 1 (Fig): its
//! services sit at the top level.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct LegacyComposeFormat;

static META: RuleMeta = RuleMeta {
    name: "legacy-compose-format",
    family: Family::Correctness,
    severity: Severity::Error,
    formats: &[Format::Compose],
    summary: "a Compose file uses file format 1 (Fig): services at the top level, no `services:` key",
    what: "Reports a Compose file (or `fig.yml`) whose top-level keys are service names: the format of Fig and of Compose before 1.6. The finding points at the first service. orchlint still reads and lints the services.",
    why: "Compose v2 reads only files with a `services:` key; Docker's Compose history page says format 1 files \"don't run with Compose v2\", and Compose v1, which did, stopped receiving updates in July 2023. The format also predates networks and named volumes, so such files usually rely on `links`, `volumes_from`, `net` and `log_driver`, which need converting too.",
    bad: Example {
        file_name: "fig.yml",
        text: r#"web:
  image: example/web:1.0
  links:
    - db
db:
  image: postgres:16
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.0
    depends_on:
      - db
  db:
    image: postgres:16
"#,
    },
};

impl Rule for LegacyComposeFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(c) = f.compose() else { continue };
            if !c.legacy_v1 {
                continue;
            }
            let Some(first) = c.services.first() else {
                continue;
            };
            let d = cx.report(
                f.id,
                first.name.span,
                format!(
                    "file uses Compose file format 1 (Fig): its {} service{} sit at the top level, which Compose v2 does not read",
                    c.services.len(),
                    if c.services.len() == 1 { "" } else { "s" }
                ),
            );
            d.help = Some("indent the services under a top-level `services:` key; then replace `links` with the default network (and `depends_on` for start order), `net` with `network_mode`, `log_driver`/`log_opt` with `logging`, `dockerfile` with `build.dockerfile`, and `volumes_from` with named volumes; name the file `compose.yaml`".into());
        }
    }
}
