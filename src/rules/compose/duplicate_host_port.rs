//! `correctness/duplicate-host-port`: two port entries publish the same host port.

use std::collections::{HashMap, HashSet};

use super::{exclusive_profiles, view};
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::formats::compose::syntax::{PortMapping, PortRange};
use crate::project::compose::view::{PortInfo, Role};
use crate::rules::{Context, Rule};
use crate::source::{FileId, Format};

pub(crate) struct DuplicateHostPort;

static META: RuleMeta = RuleMeta {
    name: "duplicate-host-port",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[
        Peer::Dclint("no-duplicate-exported-ports"),
    ],
    formats: &[Format::Compose],
    summary: "two port entries publish the same host port",
    what: "Reports a port entry that publishes a host port (or a range overlapping one) already published for the same protocol on a clashing host address (the same address, or either one on all interfaces: no address, `0.0.0.0` or `::` of the same family), by another service or by the same service. Entries Compose merges (the same mapping in the base and an override file) are one entry; services whose `profiles` never run together, and entries from two alternative override files (`compose.dev.yaml` and `compose.prod.yaml`), are not compared. Ports Compose picks from a range (`8000-8010:80`) are not fixed, and services on the host's or another container's network publish nothing: neither is checked. The finding points at the second entry and names the first.",
    why: "Only one container can bind a host port: the second one fails to start with \"port is already allocated\", after the first is already running.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    ports: ["8080:80"]
  admin:
    image: example/admin:1.0
    ports: ["8080:3000"]
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    ports: ["8080:80"]
  admin:
    image: example/admin:1.0
    ports: ["8081:3000"]
"#,
    },
};

struct Published<'v> {
    service: usize,
    file: FileId,
    role: Role,
    range: PortRange,
    info: PortInfo,
    profiles: &'v [String],
}

fn describe(p: &Published<'_>, port: u32) -> String {
    let m = &p.info.mapping;
    match m.host_ip.as_deref() {
        Some(ip) if p.info.mapping.host_ip_key() != "0.0.0.0" && ip.contains(':') => {
            format!("[{ip}]:{port}/{}", m.protocol)
        }
        Some(ip) if p.info.mapping.host_ip_key() != "0.0.0.0" => {
            format!("{ip}:{port}/{}", m.protocol)
        }
        _ => format!("{port}/{}", m.protocol),
    }
}

impl Rule for DuplicateHostPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        let profiles: Vec<Vec<String>> = view.services.iter().map(|s| s.profiles()).collect();
        let mut published: Vec<Published<'_>> = Vec::new();
        let mut seen: HashSet<(usize, PortMapping)> = HashSet::new();
        for (i, s) in view.services.iter().enumerate() {
            // Docker discards published ports on the host's network, and refuses them
            // when the network stack is another container's.
            if let Some((layer, mode)) = s.last(|x| x.network_mode.as_ref()) {
                let mode = view.interp(&layer, &mode.value.value).value;
                if mode == "host" || mode.starts_with("service:") || mode.starts_with("container:")
                {
                    continue;
                }
            }
            for (layer, entry) in s.each(|x| &x.ports) {
                let Some(info) = view.port(&layer, entry) else {
                    continue;
                };
                let Some(range) = info.mapping.published.filter(|_| info.mapping.is_fixed()) else {
                    continue;
                };
                // Compose merges identical entries of one service.
                if !seen.insert((i, info.mapping.clone())) {
                    continue;
                }
                let file = view.file(&layer);
                published.push(Published {
                    service: i,
                    file: file.id(),
                    role: file.role,
                    range,
                    info,
                    profiles: &profiles[i],
                });
            }
        }
        let mut index = PortIndex::default();
        for (j, second) in published.iter().enumerate() {
            let clash = index.candidates(second).find(|&f| {
                let first = &published[f];
                let (a, b) = (&first.info.mapping, &second.info.mapping);
                a.protocol == b.protocol
                    && addresses_clash(a.host_ip.as_deref(), b.host_ip.as_deref())
                    && first.range.overlaps(&second.range)
                    && !alternatives(first, second)
                    && !exclusive_profiles(first.profiles, second.profiles)
            });
            index.add(j, second);
            let Some(first) = clash.map(|f| &published[f]) else {
                continue;
            };
            let port = first.range.start.max(second.range.start);
            let what = describe(second, port);
            let name = &view.services[second.service].name;
            let message = if first.service == second.service {
                format!("service \"{name}\" publishes host port {what} twice")
            } else {
                format!(
                    "service \"{name}\" publishes host port {what}, already published by service \"{}\"",
                    view.services[first.service].name
                )
            };
            let d = cx.report(second.file, second.info.span, message);
            d.help = Some(
                "publish another host port, or leave the host port out and let Docker pick one"
                    .into(),
            );
            d.related.push(crate::diagnostic::Related {
                file: first.file,
                span: first.info.span,
                message: format!("host port {} first published here", describe(first, port)),
            });
        }
    }
}

/// Two entries from two different non-standard override files: those files are
/// usually alternatives (`-f compose.yaml -f compose.prod.yaml` or `... dev.yaml`).
/// Ranges wider than this are compared with every entry rather than indexed
/// port by port.
const WIDE: u32 = 1024;

/// The entries seen so far, by published host port, so each entry is compared
/// only with those that share one of its ports: a service with tens of thousands
/// of ports costs linear time, not quadratic.
#[derive(Default)]
struct PortIndex {
    by_port: HashMap<u32, Vec<usize>>,
    wide: Vec<usize>,
}

impl PortIndex {
    fn add(&mut self, at: usize, p: &Published<'_>) {
        if p.range.len() > WIDE {
            self.wide.push(at);
            return;
        }
        for port in p.range.start..=p.range.end {
            self.by_port.entry(port).or_default().push(at);
        }
    }

    /// Earlier entries that may overlap `p`, in the order they were added.
    fn candidates(&self, p: &Published<'_>) -> impl Iterator<Item = usize> + use<> {
        let mut found: Vec<usize> = self.wide.clone();
        if p.range.len() > WIDE {
            found.extend(self.by_port.values().flatten().copied());
        } else {
            for port in p.range.start..=p.range.end {
                found.extend(self.by_port.get(&port).into_iter().flatten().copied());
            }
        }
        found.sort_unstable();
        found.dedup();
        found.into_iter()
    }
}

/// Whether two host addresses can both be bound on one port: no address (or
/// `0.0.0.0`, `::`) binds every address of its family, so it clashes with any
/// address of that family; with no address at all Docker binds both families.
fn addresses_clash(a: Option<&str>, b: Option<&str>) -> bool {
    fn norm(ip: Option<&str>) -> Option<&str> {
        ip.map(str::trim).filter(|ip| !ip.is_empty())
    }
    let (a, b) = (norm(a), norm(b));
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if a == b {
        return true;
    }
    let v6 = |ip: &str| ip.contains(':');
    let any = |ip: &str| ip == "0.0.0.0" || ip == "::";
    v6(a) == v6(b) && (any(a) || any(b))
}

fn alternatives(a: &Published<'_>, b: &Published<'_>) -> bool {
    let named = |p: &Published<'_>| matches!(p.role, Role::Override { standard: false });
    named(a) && named(b) && a.file != b.file
}


