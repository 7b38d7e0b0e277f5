//! `security/data-store-port-on-all-interfaces`: a database's or cache's port is
//! published on every address of the host.

use super::port_on_all_interfaces::report_unbound_ports;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DataStorePortOnAllInterfaces;

static META: RuleMeta = RuleMeta {
    name: "data-store-port-on-all-interfaces",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::Dclint("no-unbound-port-interfaces"),
        Peer::ComposeLint("CL-0005"),
    ],
    formats: &[Format::Compose],
    summary: "a database's or cache's port is published on all host interfaces",
    what: "Reports a `ports` entry whose container port is a well-known database or cache port (PostgreSQL 5432, MySQL/MariaDB 3306, SQL Server 1433, Oracle 1521, MongoDB 27017, Redis 6379, Memcached 11211, Elasticsearch/OpenSearch 9200 and 9300, Cassandra 9042, CouchDB 5984, InfluxDB 8086, etcd 2379, ZooKeeper 2181, Neo4j 7474 and 7687, ArangoDB 8529, CockroachDB 26257, ClickHouse 8123, RethinkDB 28015) and that publishes it without a host address, or on `0.0.0.0` or `::`, after interpolation and with override files merged. Entries without a host port, services on the host's or another container's network, and Swarm stacks (the routing mesh ignores the address) are not reported; other ports are the opt-in rule `port-on-all-interfaces`. The finding points at the entry.",
    why: "Docker publishes ports with its own iptables rules, ahead of host firewalls such as ufw or firewalld, so the database is reachable from every network the host is on, a laptop's café Wi-Fi included, usually with the development password of the same file. Other containers reach it over the Compose network without any published port; tools on the host reach it on `127.0.0.1`.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: postgres
    ports: ["5432:5432"]
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: postgres
    ports: ["127.0.0.1:5432:5432"]
"#,
    },
};

impl Rule for DataStorePortOnAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_unbound_ports(cx, true);
    }
}
