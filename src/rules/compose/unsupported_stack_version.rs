//! `correctness/unsupported-stack-version`: a Swarm stack file declares a Compose
//! file format older than 3.

use super::is_swarm;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnsupportedStackVersion;

static META: RuleMeta = RuleMeta {
    name: "unsupported-stack-version",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a Swarm stack file declares a Compose file format older than 3.0",
    what: "In a Compose project meant for `docker stack deploy`, reports a file whose `version` is 1 or 2.x. The finding points at the `version` value.",
    why: "`docker stack deploy` reads the version 3 format only (\"The deploy command supports Compose file version 3.0 and above\", `docker stack deploy` reference) and stops with \"unsupported Compose file version\" otherwise; the `deploy` keys that make the file a stack file did not exist before 3.0.",
    bad: Example {
        file_name: "docker-stack.yml",
        text: r#"version: "2.4"
services:
  web:
    image: nginx:1.27
"#,
    },
    good: Example {
        file_name: "docker-stack.yml",
        text: r#"version: "3.8"
services:
  web:
    image: nginx:1.27
"#,
    },
};

/// The major version a `version` value names, when it is a number.
fn major(v: &str) -> Option<u32> {
    v.trim().split('.').next()?.trim().parse().ok()
}

impl Rule for UnsupportedStackVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if !is_swarm(cx) {
            return;
        }
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(v) = f.compose().and_then(|c| c.version.as_deref()) else {
                continue;
            };
            let Some(m) = major(&v.value) else { continue };
            if m >= 3 {
                continue;
            }
            let d = cx.report(
                f.id,
                v.span,
                format!(
                    "stack file declares Compose format `{}`; `docker stack deploy` reads 3.0 and later",
                    v.value.trim()
                ),
            );
            d.help = Some("set `version: \"3.8\"` and move resource keys under `deploy.resources` (the version 3 format dropped `mem_limit`, `cpu_shares` and `volumes_from`)".into());
        }
    }
}
