//! `reliability/missing-update-config`: a replicated Swarm service has no rollout
//! strategy.

use super::{is_swarm, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingUpdateConfig;

static META: RuleMeta = RuleMeta {
    name: "missing-update-config",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::OptIn(
        "Swarm's default rollout (one task at a time, pause on failure) suits many services",
    ),
    peers: &[],
    formats: &[Format::Compose],
    summary: "a replicated Swarm service sets no `deploy.update_config`",
    what: "In a Swarm stack (a project meant for `docker stack deploy`), reports a service whose `deploy.replicas` is more than 1 (after interpolation, with override files merged) and that sets no `deploy.update_config` in any of the project's files. The finding points at `replicas`.",
    why: "Without `update_config` Swarm replaces tasks one at a time, stopping the old task before its replacement starts, and does not watch the new tasks: a version that crashes a minute after starting is rolled out to every replica, and a failure only pauses the rollout half way. Setting `order: start-first`, a `monitor` period and `failure_action: rollback` makes the rollout safe.",
    bad: Example {
        file_name: "docker-stack.yml",
        text: r#"version: "3.8"
services:
  api:
    image: example/api:2.0
    deploy:
      replicas: 3
"#,
    },
    good: Example {
        file_name: "docker-stack.yml",
        text: r#"version: "3.8"
services:
  api:
    image: example/api:2.0
    deploy:
      replicas: 3
      update_config:
        parallelism: 1
        order: start-first
        monitor: 30s
        failure_action: rollback
"#,
    },
};

impl Rule for MissingUpdateConfig {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if !is_swarm(cx) {
            return;
        }
        let Some(view) = view(cx) else { return };
        for s in &view.services {
            let Some((layer, replicas)) = s.last(|x| x.deploy.as_ref()?.replicas.as_ref()) else {
                continue;
            };
            let text = view.interp(&layer, &replicas.value.value.0).value;
            let Ok(n) = text.trim().parse::<u32>() else {
                continue;
            };
            if n <= 1 || s.last(|x| x.deploy.as_ref()?.update_config.as_ref()).is_some() {
                continue;
            }
            let d = cx.report(
                view.file_id(&layer),
                replicas.span(),
                format!(
                    "service \"{}\" runs {n} replicas but sets no `deploy.update_config`",
                    s.name
                ),
            );
            d.help = Some(
                "add `deploy.update_config` with `order: start-first`, a `monitor` period and `failure_action: rollback`"
                    .into(),
            );
        }
    }
}
