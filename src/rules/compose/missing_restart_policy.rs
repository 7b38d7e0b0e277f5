//! `reliability/missing-restart-policy`: a long-running service is not restarted
//! when it stops.

use super::{is_swarm, one_off_services, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingRestartPolicy;

static META: RuleMeta = RuleMeta {
    name: "missing-restart-policy",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::OptIn(
        "development files are started by hand and stopped containers are what a developer wants to see; it matters for files that run on a server",
    ),
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service sets no restart policy",
    what: "Reports a service that sets neither `restart` nor `deploy.restart_policy` in any of the project's files. One-off services are skipped: those another service waits for with `condition: service_completed_successfully`, and those only a profile enables (tools run by hand). Swarm stacks are skipped: `docker stack deploy` restarts tasks by default. The finding points at the service's name.",
    why: "Compose's default is `restart: \"no\"`: a container that crashes, runs out of memory or is stopped by a host reboot stays down until someone runs `docker compose up` again.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    restart: unless-stopped
  migrate:
    image: example/web:1.4
    command: ["migrate"]
  api:
    image: example/api:1.4
    restart: unless-stopped
    depends_on:
      migrate:
        condition: service_completed_successfully
"#,
    },
};

impl Rule for MissingRestartPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if is_swarm(cx) {
            return;
        }
        let Some(view) = view(cx) else { return };
        if view.is_fragment() {
            return;
        }
        let jobs = one_off_services(&view);
        for s in &view.services {
            if s.incomplete || jobs.contains(s.name.as_str()) || !s.profiles().is_empty() {
                continue;
            }
            let restart = s.last(|x| x.restart.as_ref()).is_some()
                || s.last(|x| x.deploy.as_ref()?.restart_policy.as_ref())
                    .is_some();
            if restart {
                continue;
            }
            let Some(home) = view.files.get(s.home) else {
                continue;
            };
            let d = cx.report(
                home.id(),
                s.at,
                format!(
                    "service \"{}\" sets no restart policy: a container that stops stays down",
                    s.name
                ),
            );
            d.help = Some(
                "add `restart: unless-stopped` (or `on-failure` for a service that may finish)"
                    .into(),
            );
        }
    }
}
