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
    what: "Reports a `ports` entry that publishes a host port without a host address, or on `0.0.0.0` or `::` (short syntax `8080:80`, long syntax `published` without `host_ip`), after interpolation and with override files merged. Entries without a host port (Docker picks one), services on the host's or another container's network (they publish nothing), and Swarm stacks (the routing mesh ignores the address) are not reported. The finding points at the entry.",
    why: "Docker publishes ports with its own iptables rules, ahead of host firewalls such as ufw or firewalld: a port published on all interfaces is reachable from every network the host is on. A database or admin interface meant for the host itself belongs on `127.0.0.1`.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    ports: ["5432:5432"]
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    ports: ["127.0.0.1:5432:5432"]
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

impl Rule for PortOnAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if is_swarm(cx) {
            return;
        }
        let Some(view) = view(cx) else { return };
        for s in &view.services {
            if let Some((layer, mode)) = s.last(|x| x.network_mode.as_ref()) {
                let mode = view.interp(&layer, &mode.value.value).value;
                if mode == "host" || mode.starts_with("service:") || mode.starts_with("container:")
                {
                    continue;
                }
            }
            let mut seen = HashSet::new();
            for (layer, entry) in s.all(|x| &x.ports) {
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
                if !seen.insert(info.mapping.clone()) {
                    continue;
                }
                let port = show(published);
                let d = cx.report(
                    view.file_id(&layer),
                    info.span,
                    format!(
                        "service \"{}\" publishes host port {port}/{} on all interfaces",
                        s.name, info.mapping.protocol
                    ),
                );
                d.help = Some(format!(
                    "bind it to the address it is meant for (`127.0.0.1:{port}:{}` for this host only); Docker's published ports bypass host firewalls",
                    show(info.mapping.target)
                ));
            }
        }
    }
}
