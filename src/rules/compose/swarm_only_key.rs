//! `reliability/swarm-only-key`: a file that `docker compose up` loads uses
//! `deploy` keys only Swarm acts on.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::formats::compose::swarm::is_stack_name;
use crate::project::compose::group::{DEFAULT_STEMS, stem};
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::source::Span;

pub(crate) struct SwarmOnlyKey;

static META: RuleMeta = RuleMeta {
    name: "swarm-only-key",
    family: Family::Reliability,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a Compose file that `docker compose up` loads uses `deploy` keys only Swarm acts on",
    what: "Reports `deploy.placement`, `deploy.update_config`, `deploy.rollback_config`, `deploy.endpoint_mode` and `deploy.mode: global` (or a job mode) in a file Compose loads by default (`compose.yaml`, `docker-compose.yml` and their overrides), unless the file is named as a stack file. The finding points at the key.",
    why: "`docker compose up` runs every container on the one engine it talks to: placement constraints, rolling-update and rollback settings, the endpoint mode and global mode only take effect under `docker stack deploy`. A reader of the file, or a developer running it locally, may believe they apply. The Compose file v3 reference says the `deploy` section \"only takes effect when deploying to a swarm with docker stack deploy\" (Compose later adopted `replicas`, `resources` and `restart_policy`, not these).",
    bad: Example {
        file_name: "docker-compose.yml",
        text: r#"services:
  api:
    image: example/api:1.4
    deploy:
      placement:
        constraints: [node.role == worker]
"#,
    },
    good: Example {
        file_name: "docker-stack.yml",
        text: r#"# deployed with `docker stack deploy -c docker-stack.yml shop`
services:
  api:
    image: example/api:1.4
    deploy:
      placement:
        constraints: [node.role == worker]
"#,
    },
};

/// A file Compose finds on its own: `compose.yaml`, `docker-compose.yml` and their
/// `*.override.*` files.
fn loaded_by_compose(path: &std::path::Path) -> bool {
    stem(path).is_some_and(|s| {
        DEFAULT_STEMS
            .iter()
            .any(|d| s == *d || s == format!("{d}.override"))
    })
}

impl Rule for SwarmOnlyKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        // Even in a stack project: Compose would load these files on `up` as well.
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            if !loaded_by_compose(&f.path) || is_stack_name(&f.path) {
                continue;
            }
            let Some(c) = f.compose() else { continue };
            for s in &c.services {
                let Some(d) = &s.deploy else { continue };
                let mut found: Vec<(Span, String)> = Vec::new();
                if let Some(m) = &d.mode
                    && matches!(
                        m.value.value.as_str(),
                        "global" | "global-job" | "replicated-job"
                    )
                {
                    found.push((m.span(), format!("deploy.mode: {}", m.value.value)));
                }
                for (span, key) in [
                    (d.placement_span, "deploy.placement"),
                    (d.update_config, "deploy.update_config"),
                    (d.rollback_config, "deploy.rollback_config"),
                    (d.endpoint_mode_span, "deploy.endpoint_mode"),
                ] {
                    if let Some(span) = span {
                        found.push((span, key.to_string()));
                    }
                }
                for (span, key) in found {
                    let diag = cx.report(
                        f.id,
                        span,
                        format!(
                            "`{key}` of service \"{}\" takes effect only with `docker stack deploy`; `docker compose up` ignores it",
                            s.name.value
                        ),
                    );
                    diag.help = Some("keep Swarm settings in a stack file (`docker-stack.yml`) deployed with `docker stack deploy -c`, or drop them if the app runs on one host".into());
                }
            }
        }
    }
}
