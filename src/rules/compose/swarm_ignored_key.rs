//! `reliability/swarm-ignored-key`: a service of a Swarm stack sets a key that
//! `docker stack deploy` drops.

use super::report_swarm_keys;
use crate::diagnostic::{Applicability, Severity};
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::formats::compose::swarm::IGNORED_BY_SWARM;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct SwarmIgnoredKey;

static META: RuleMeta = RuleMeta {
    name: "swarm-ignored-key",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service of a Swarm stack sets a key that `docker stack deploy` ignores",
    what: "In a Compose project meant for `docker stack deploy` (a stack file: its name says `stack`, or it uses keys only Swarm acts on such as `deploy.placement`, `deploy.mode: global`, `update_config` or overlay networks), reports the service keys Swarm does not apply: `build`, `cgroup_parent`, `container_name`, `depends_on`, `devices`, `domainname`, `external_links`, `ipc`, `links`, `mac_address`, `network_mode`, `privileged`, `restart`, `security_opt`, `shm_size`, `userns_mode`. The finding points at the key and says what to use instead. The fix (unsafe: `docker compose` may read the same file) deletes the key, when it stands on lines of its own and is not the service's only key.",
    why: "The stack deploys without them: the Docker CLI prints \"Ignoring unsupported options\" for most (easy to miss in a deploy log) and says nothing for `depends_on` and `container_name`. A service that relied on start order, a restart policy, a privileged mode or a link then behaves differently on the cluster than under `docker compose up`. Sources: the Compose file v3 reference (\"Not supported for docker stack deploy\", and the notes on `depends_on` and `container_name`) and `UnsupportedProperties` in docker/cli's `cli/compose/types/types.go`.",
    bad: Example {
        file_name: "docker-stack.yml",
        text: r#"version: "3.8"
services:
  api:
    image: example/api:1.4
    restart: always
    depends_on:
      - db
  db:
    image: postgres:16
"#,
    },
    good: Example {
        file_name: "docker-stack.yml",
        text: r#"version: "3.8"
services:
  api:
    image: example/api:1.4
    deploy:
      restart_policy:
        condition: any
  db:
    image: postgres:16
"#,
    },
};

impl Rule for SwarmIgnoredKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_swarm_keys(cx, IGNORED_BY_SWARM, "ignores", Some(Applicability::Unsafe));
    }

    /// Deleting the key is unsafe: `docker compose` (builds, local runs) may still
    /// read the same file and rely on it.
    fn fix(&self) -> Option<Applicability> {
        Some(Applicability::Unsafe)
    }
}
