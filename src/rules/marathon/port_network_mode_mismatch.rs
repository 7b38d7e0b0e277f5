//! `correctness/port-network-mode-mismatch`: an app's ports or networks that its
//! networking mode does not allow.
//!
//! Facts (Marathon's app validation, `AppValidation`, and `network-api-migration.md`
//! for the 1.5 networking API): "portMappings are not allowed with
//! host-networking"; "portDefinitions are only allowed with host-networking" (the
//! deprecated `ports` become `portDefinitions`); "cannot specify both an IP address
//! and port"; "must not specify both container.docker.network and networks"; an
//! app cannot mix networking modes (one `host` network, one `container/bridge`
//! network, or container networks only); and "may only specify a single container
//! network when using the Docker container engine". Marathon refuses each.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::{Format, Span};

pub(crate) struct PortNetworkModeMismatch;

static META: RuleMeta = RuleMeta {
    name: "port-network-mode-mismatch",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "a Marathon app's ports or networks do not fit its networking mode",
    what: "Reports the combinations of ports and networks Marathon's app validation refuses: `container.portMappings` in an app whose `networks` use `host` mode; `portDefinitions` (or the deprecated `ports`) in an app whose `networks` use `container` or `container/bridge` mode; ports together with the deprecated IP-per-task `ipAddress`; both `container.docker.network` (before 1.5) and `networks` (1.5 and later); `networks` that mix modes (more than one `host` or `container/bridge` network, or either with another mode); and more than one container network for the Docker containerizer. The finding points at the first port, or at the network or setting that does not fit, and says which mode it conflicts with.",
    why: "Marathon refuses the app with a validation error, so the deployment fails. It usually comes from a half-done migration between the 1.4 and 1.5 networking APIs, or from ports copied from an app with another networking mode: in bridge and container networking the ports are the port mappings, in host networking the port definitions.",
    bad: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "networks": [{ "mode": "container/bridge" }],
  "portDefinitions": [{ "port": 0, "name": "http" }],
  "container": {
    "type": "DOCKER",
    "docker": { "image": "nginx:1.27" }
  }
}
"#,
    },
    good: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "networks": [{ "mode": "container/bridge" }],
  "container": {
    "type": "DOCKER",
    "docker": { "image": "nginx:1.27" },
    "portMappings": [{ "containerPort": 80, "hostPort": 0, "name": "http" }]
  }
}
"#,
    },
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Host,
    Bridge,
    Container,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Host => "`host`",
            Mode::Bridge => "`container/bridge`",
            Mode::Container => "`container`",
        }
    }
}

impl Rule for PortNetworkModeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut found: Vec<(crate::source::FileId, Span, String, String)> = Vec::new();
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            for entry in &m.apps {
                let app = &entry.app;
                let name = format!("app \"{}\"", entry.path.as_deref().unwrap_or("?"));
                let mut report = |span: Span, message: String, help: &str| {
                    found.push((file.id, span, format!("{name} {message}"), help.to_string()));
                };
                // The mode of each network, with the span to point at.
                let modes: Vec<(Mode, Span)> = app
                    .networks
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        let mode = match n.value.mode.as_deref().map(str::to_ascii_lowercase) {
                            Some(m) if m == "host" => Mode::Host,
                            Some(m) if m == "container/bridge" => Mode::Bridge,
                            _ => Mode::Container,
                        };
                        let span = entry
                            .entries
                            .network_modes
                            .get(i)
                            .copied()
                            .flatten()
                            .unwrap_or(n.span);
                        (mode, span)
                    })
                    .collect();
                let docker_network = app.docker().and_then(|d| d.network.as_ref());
                if let (Some(net), false) = (docker_network, modes.is_empty()) {
                    report(
                        entry.entries.docker_network.unwrap_or(net.span),
                        "sets both `container.docker.network` and `networks`; Marathon refuses the app".into(),
                        "keep `networks` (the 1.5 API) and remove `container.docker.network`",
                    );
                }
                if let Some(&(first, _)) = modes.first() {
                    let clash = modes.iter().skip(1).find(|(m, _)| {
                        *m != first || matches!(m, Mode::Host | Mode::Bridge)
                    });
                    if let Some(&(mode, span)) = clash {
                        report(
                            span,
                            format!(
                                "joins a {} network after a {} one; Marathon takes one `host` network, one `container/bridge` network, or container networks only",
                                mode.word(),
                                first.word()
                            ),
                            "keep the networks of one mode",
                        );
                    }
                    let docker_engine = app.container.as_ref().is_some_and(|c| {
                        c.kind
                            .as_deref()
                            .is_none_or(|k| k.eq_ignore_ascii_case("DOCKER"))
                    });
                    let containers: Vec<Span> = modes
                        .iter()
                        .filter(|(m, _)| *m == Mode::Container)
                        .map(|(_, s)| *s)
                        .collect();
                    if clash.is_none() && docker_engine && containers.len() > 1 {
                        report(
                            containers[1],
                            "joins more than one container network with the Docker containerizer, which supports only one".into(),
                            "keep one container network, or run the app with the Mesos containerizer (`\"type\": \"MESOS\"`)",
                        );
                    }
                }
                let host_mode = modes.iter().any(|(m, _)| *m == Mode::Host);
                let other_mode = modes.iter().find(|(m, _)| *m != Mode::Host);
                let mappings = app
                    .container
                    .as_ref()
                    .and_then(|c| c.port_mappings.as_deref())
                    .unwrap_or_default();
                if host_mode && let Some(first) = mappings.first() {
                    report(
                        first.span,
                        "has `container.portMappings` but uses `host` networking; Marathon refuses port mappings there".into(),
                        "in host networking write the ports as `portDefinitions`, or switch the network to `container/bridge`",
                    );
                }
                let first_port = app
                    .port_definitions
                    .first()
                    .map(|d| (d.span, "portDefinitions"))
                    .or_else(|| app.ports.first().map(|p| (p.span, "ports")));
                if let (Some((span, key)), Some((mode, _))) = (first_port, other_mode) {
                    report(
                        span,
                        format!(
                            "has `{key}` but uses {} networking; Marathon allows them only with `host` networking",
                            mode.word()
                        ),
                        "write the ports as `container.portMappings`, or remove them",
                    );
                } else if let (Some((span, key)), true, true) =
                    (first_port, app.ip_address.is_some(), modes.is_empty())
                {
                    report(
                        span,
                        format!(
                            "has `{key}` and an `ipAddress` (IP-per-task networking); Marathon refuses ports with an IP address"
                        ),
                        "write the ports as port mappings of the container, or remove them",
                    );
                }
            }
        }
        for (file, span, message, help) in found {
            cx.report(file, span, message).help = Some(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{messages, run, scan};

    fn findings(text: &str) -> Vec<String> {
        let (files, _) = scan(&[("app.json", text)]);
        messages(&files, &run(&PortNetworkModeMismatch, &files))
    }

    #[test]
    fn reports_what_marathon_refuses() {
        let text = r#"[
  { "id": "/host-mappings", "networks": [{ "mode": "host" }],
    "container": { "docker": { "image": "a:1" }, "portMappings": [{ "containerPort": 80 }] } },
  { "id": "/bridge-defs", "networks": [{ "mode": "container/bridge" }], "portDefinitions": [{ "port": 0 }],
    "container": { "docker": { "image": "a:1" } } },
  { "id": "/user-ports", "networks": [{ "name": "dcos" }], "ports": [0], "container": { "docker": { "image": "a:1" } } },
  { "id": "/both", "networks": [{ "mode": "host" }],
    "container": { "docker": { "image": "a:1", "network": "HOST" } } },
  { "id": "/mixed", "networks": [{ "mode": "host" }, { "mode": "container/bridge" }], "cmd": "a" },
  { "id": "/multi", "networks": [{ "name": "a" }, { "name": "b" }], "container": { "docker": { "image": "a:1" } } },
  { "id": "/ip", "cmd": "a", "ipAddress": { "networkName": "dcos" }, "portDefinitions": [{ "port": 0 }] }
]"#;
        let got = findings(text);
        let tails: Vec<&str> = got
            .iter()
            .map(|m| m.split_once("\" ").map_or(m.as_str(), |(_, t)| t))
            .collect();
        assert_eq!(
            tails,
            [
                "has `container.portMappings` but uses `host` networking; Marathon refuses port mappings there",
                "has `portDefinitions` but uses `container/bridge` networking; Marathon allows them only with `host` networking",
                "has `ports` but uses `container` networking; Marathon allows them only with `host` networking",
                "sets both `container.docker.network` and `networks`; Marathon refuses the app",
                "joins a `container/bridge` network after a `host` one; Marathon takes one `host` network, one `container/bridge` network, or container networks only",
                "joins more than one container network with the Docker containerizer, which supports only one",
                "has `portDefinitions` and an `ipAddress` (IP-per-task networking); Marathon refuses ports with an IP address",
            ]
        );
        assert!(got[0].starts_with("app.json:3:67: app \"/host-mappings\""), "{}", got[0]);
    }

    #[test]
    fn leaves_matching_ports_and_old_layouts_alone() {
        let text = r#"[
  { "id": "/host", "networks": [{ "mode": "host" }], "portDefinitions": [{ "port": 0 }], "cmd": "a" },
  { "id": "/bridge", "networks": [{ "mode": "container/bridge" }], "portDefinitions": [],
    "container": { "docker": { "image": "a:1" }, "portMappings": [{ "containerPort": 80 }] } },
  { "id": "/old-bridge", "ports": [0], "container": { "docker": { "image": "a:1", "network": "BRIDGE",
      "portMappings": [{ "containerPort": 80 }] } } },
  { "id": "/multi-mesos", "networks": [{ "name": "a" }, { "name": "b" }],
    "container": { "type": "MESOS", "docker": { "image": "a:1" } } },
  { "id": "/ip", "cmd": "a", "ipAddress": { "networkName": "dcos" }, "portDefinitions": [] },
  { "id": "/default", "cmd": "a", "portDefinitions": [{ "port": 0 }] }
]"#;
        assert!(findings(text).is_empty(), "{:#?}", findings(text));
    }
}
