//! `advice/ephemeral-data-store`: a data store whose data lives on storage that does
//! not outlive its container or pod, or is copied into replicas that cannot share it.

use super::with_advice;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct EphemeralDataStore;

static META: RuleMeta = RuleMeta {
    name: "ephemeral-data-store",
    family: Family::Advice,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Marathon,
        Format::Flocker,
        Format::Brooklyn,
    ],
    summary: "a data store keeps its data where a restart or reschedule loses it",
    what: "Finds workloads running a known data store (the images listed in `rules/data-stores.toml`: PostgreSQL, MySQL, MariaDB, MongoDB, Elasticsearch, Kafka, etcd, Redis, ...; and vendor builds named after one, such as `docker-elasticsearch-kubernetes`, whose data directory is taken to be any mount whose path says it holds data, `/data`) and reports three cases. Its data directory is on ephemeral storage: an `emptyDir`, an anonymous Compose volume, `tmpfs`, a Marathon sandbox path. It has no volume at all, so the data sits in the container's writable layer or in an anonymous volume the image declares (caches such as Redis are meant to be able to lose data and are reported only when their data directory is explicitly mounted from ephemeral storage). Or several copies run in a Deployment or a replicated Compose service, where they either share one volume or each keep a private, diverging copy. The finding points at the mount, the image or the replica count that decides it. A store with some other persistent mount may have moved its data directory there and is left alone; batch jobs and init containers using a store's image as a client are not data stores, and neither is a container of a store's image that runs a client (`redis-cli`, `psql`, `kafka-topics`, ...), a shell script that starts no server, or `sleep`, nor a MongoDB arbiter, which holds no data. A cache whose command, arguments or environment turn on persistence or replication (`appendonly yes`, `noeviction`, `replicaof`) is a store and reported as one.",
    why: "An emptyDir is deleted with its pod, an anonymous volume is orphaned by `docker compose down` (the next `up` creates a new, empty one), and a container's writable layer goes with the container: a restart, a node drain or an image update then starts the database empty. Replicas of a database behind one Service either corrupt a shared volume or answer from different data.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata:
"#,
    },
};

impl Rule for EphemeralDataStore {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        with_advice(cx, |cx, a| {
            for r in &a.state.risks {
                cx.report(r.evidence.file, r.evidence.span, r.evidence.message.clone())
                    .help = Some(r.help.clone());
            }
        });
    }
}
