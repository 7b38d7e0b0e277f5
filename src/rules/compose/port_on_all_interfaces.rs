//! `security/port-on-all-interfaces`: a service publishes a port on every address
//! of the host.

use std::collections::HashSet;

use super::{is_swarm, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity};
use crate::formats::compose::syntax::PortRange;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct PortOnAllInterfaces;

static META: RuleMeta = RuleMeta {
    name: "port-on-all-interfaces",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn(
        "a web server published to the network is the design; which ports are meant for other hosts the file does not say",
    ),
    peers: &[
        Peer::Dclint("no-unbound-port-interfaces"),
        Peer::ComposeLint("CL-0005"),
    ],
    formats: &[Format::Compose],
    summary: "a port is published on all host interfaces",
    what: "Reports a `ports` entry that publishes a host port without a host address, or on `0.0.0.0` or `::` (short syntax `8080:80`, long syntax `published` without `host_ip`), after interpolation and with override files merged. Entries without a host port (Docker picks one), services on the host's or another container's network (they publish nothing), and Swarm stacks (the routing mesh ignores the address) are not reported. The container ports of well-known databases and caches are left to `data-store-port-on-all-interfaces`, which is on by default. The finding points at the entry.",
    why: "Docker publishes ports with its own iptables rules, ahead of host firewalls such as ufw or firewalld: a port published on all interfaces is reachable from every network the host is on. An admin interface or a development server meant for the host itself belongs on `127.0.0.1`.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  admin:
    image: example/admin:3.1
    ports: ["8080:80"]
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  admin:
    image: example/admin:3.1
    ports: ["127.0.0.1:8080:80"]
"#,
    },
};

fn show(r: PortRange) -> String {
    if r.start == r.end {
        r.start.to_string()
    } else {
        format!("{}-{}", r.start, r.end)
    }
}

/// Well-known container ports of databases and caches: PostgreSQL, MySQL/MariaDB,
/// SQL Server, Oracle, MongoDB, Redis, Memcached, Elasticsearch/OpenSearch (HTTP and
/// transport), Cassandra, CouchDB, InfluxDB, etcd, ZooKeeper, Neo4j (HTTP and Bolt),
/// ArangoDB, CockroachDB, ClickHouse (HTTP), RethinkDB.
pub(super) const DATA_STORE_PORTS: &[u32] = &[
    5432, 3306, 1433, 1521, 27017, 6379, 11211, 9200, 9300, 9042, 5984, 8086, 2379, 2181, 7474,
    7687, 8529, 26257, 8123, 28015,
];

/// Whether a container port range holds a data store's port.
pub(super) fn is_data_store(target: PortRange) -> bool {
    DATA_STORE_PORTS
        .iter()
        .any(|p| (target.start..=target.end).contains(p))
}

/// Reports the `ports` entries that publish a host port on all interfaces and whose
/// container port is (`data_stores`) or is not a data store's.
pub(super) fn report_unbound_ports(cx: &mut Context<'_>, data_stores: bool) {
    if is_swarm(cx) {
        return;
    }
    let Some(view) = view(cx) else { return };
    for s in &view.services {
        if let Some((layer, mode)) = s.last(|x| x.network_mode.as_ref()) {
            let mode = view.interp(&layer, &mode.value.value).value;
            if mode == "host" || mode.starts_with("service:") || mode.starts_with("container:") {
                continue;
            }
        }
        let mut seen = HashSet::new();
        for (layer, entry) in s.each(|x| &x.ports) {
            let Some(info) = view.port(&layer, entry) else {
                continue;
            };
            let Some(published) = info.mapping.published.filter(|p| p.start != 0) else {
                continue;
            };
            let ip = info.mapping.host_ip.as_deref().map(str::trim);
            if !matches!(ip, None | Some("" | "0.0.0.0" | "::")) {
                continue;
            }
            if is_data_store(info.mapping.target) != data_stores {
                continue;
            }
            if !seen.insert(info.mapping.clone()) {
                continue;
            }
            let port = show(published);
            let target = show(info.mapping.target);
            let message = if data_stores {
                format!(
                    "service \"{}\" publishes data-store port {target} on all host interfaces (host port {port}/{})",
                    s.name, info.mapping.protocol
                )
            } else {
                format!(
                    "service \"{}\" publishes host port {port}/{} on all interfaces",
                    s.name, info.mapping.protocol
                )
            };
            let d = cx.report(view.file_id(&layer), info.span, message);
            d.help = Some(format!(
                "bind it to the address it is meant for (`127.0.0.1:{port}:{target}` for this host only); Docker's published ports bypass host firewalls"
            ));
        }
    }
}

impl Rule for PortOnAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_unbound_ports(cx, false);
    }
}
