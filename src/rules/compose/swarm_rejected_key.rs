//! `correctness/swarm-rejected-key`: a service of a Swarm stack sets a key that
//! makes `docker stack deploy` refuse the file.

use super::report_swarm_keys;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::formats::compose::swarm::REJECTED_BY_SWARM;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct SwarmRejectedKey;

static META: RuleMeta = RuleMeta {
    name: "swarm-rejected-key",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service of a Swarm stack sets a key that `docker stack deploy` refuses",
    what: "In a Compose project meant for `docker stack deploy`, reports the service keys the Docker CLI rejects in a stack file: `extends`, `volume_driver`, `volumes_from`, and the version 2 resource keys `cpu_quota`, `cpu_shares`, `cpuset`, `mem_limit`, `memswap_limit`. The finding points at the key and names the replacement.",
    why: "The whole stack fails to deploy: the CLI stops with an error naming the key before creating any service. The resource keys have moved to `deploy.resources`; shared volumes must be named volumes. Source: `ForbiddenProperties` in docker/cli's `cli/compose/types/types.go`.",
    bad: Example {
        file_name: "docker-stack.yml",
        text: r#"version: "3.8"
services:
  api:
    image: example/api:1.4
    mem_limit: 512m
"#,
    },
    good: Example {
        file_name: "docker-stack.yml",
        text: r#"version: "3.8"
services:
  api:
    image: example/api:1.4
    deploy:
      resources:
        limits:
          memory: 512M
"#,
    },
};

impl Rule for SwarmRejectedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_swarm_keys(cx, REJECTED_BY_SWARM, "refuses", None);
    }
}
