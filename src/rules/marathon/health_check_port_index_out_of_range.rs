//! `reliability/health-check-port-index-out-of-range`: a health check's `portIndex`
//! points past the app's ports.
//!
//! Facts (Marathon `health-checks.md`, `ports.md` and the app validation "Health
//! check port indices must address an element of the ports array or container port
//! mappings"): `portIndex` counts the app's port mappings in bridge and container
//! networking and its `portDefinitions` (or the deprecated `ports`) in host
//! networking. Only Marathon's own checks (`HTTP`, the default, `HTTPS` and `TCP`)
//! are validated that way; a check with a `command`, and the `MESOS_*` and
//! `COMMAND` checks, are not.
//! An app that writes no port list at all gets Marathon's defaults (one random port
//! in host networking), so only apps that write their ports are checked.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::model::lower::marathon::{Net, app_network};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct HealthCheckPortIndexOutOfRange;

static META: RuleMeta = RuleMeta {
    name: "health-check-port-index-out-of-range",
    family: Family::Reliability,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "a Marathon health check's `portIndex` is beyond the app's ports",
    what: "Reports a Marathon app health check whose `portIndex` is not below the number of ports the app writes: its port mappings (`container.portMappings`, or `container.docker.portMappings` before 1.5) in bridge and container networking, its `portDefinitions` (or `ports`) in host networking. Only the checks Marathon validates this way are read: `HTTP` (the default), `HTTPS` and `TCP` checks without a `command`; checks that name a `port` of their own are left out too, and so are apps that write no port list (Marathon gives them its default ports). The finding points at the `portIndex` value and says how many ports the app has.",
    why: "Marathon refuses the app (\"Health check port indices must address an element of the ports array or container port mappings\"), so the deployment fails; in files that are posted by hand it usually means a port was removed and the health check kept pointing at it.",
    bad: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "cmd": "./serve --port $PORT0",
  "portDefinitions": [{ "port": 0, "name": "http" }],
  "healthChecks": [{ "protocol": "HTTP", "path": "/health", "portIndex": 1 }]
}
"#,
    },
    good: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "cmd": "./serve --port $PORT0",
  "portDefinitions": [{ "port": 0, "name": "http" }],
  "healthChecks": [{ "protocol": "HTTP", "path": "/health", "portIndex": 0 }]
}
"#,
    },
};

impl Rule for HealthCheckPortIndexOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            for entry in &m.apps {
                let app = &entry.app;
                // The number of ports the app writes and what they are called.
                let (count, what) = match app_network(entry) {
                    Net::Bridge | Net::Container => {
                        let written = app
                            .container
                            .as_ref()
                            .is_some_and(|c| {
                                c.port_mappings.is_some()
                                    || c.docker
                                        .as_ref()
                                        .is_some_and(|d| d.port_mappings.is_some())
                            });
                        if !written {
                            continue;
                        }
                        (app.port_mappings().len(), "port mapping")
                    }
                    Net::Host(_) => {
                        if !app.port_definitions.is_empty() {
                            (app.port_definitions.len(), "port definition")
                        } else if !app.ports.is_empty() {
                            (app.ports.len(), "port")
                        } else {
                            continue;
                        }
                    }
                    Net::None => continue,
                };
                let name = format!(
                    "app \"{}\"",
                    entry
                        .path
                        .as_deref()
                        .or(app.id.as_ref().map(|i| i.value.as_str()))
                        .unwrap_or("?")
                );
                for hc in &app.health_checks {
                    let hc = &hc.value;
                    let validated = hc.protocol.as_deref().is_none_or(|p| {
                        ["HTTP", "HTTPS", "TCP"]
                            .iter()
                            .any(|m| p.eq_ignore_ascii_case(m))
                    });
                    if hc.port.is_some() || hc.command.is_some() || !validated {
                        continue;
                    }
                    let Some(index) = &hc.port_index else {
                        continue;
                    };
                    if (index.value as usize) < count {
                        continue;
                    }
                    let plural = if count == 1 { "" } else { "s" };
                    cx.report(
                        file.id,
                        index.span,
                        format!(
                            "{name} has a health check on `portIndex` {}, but only {count} {what}{plural}; Marathon refuses the app",
                            index.value
                        ),
                    )
                    .help = Some(if count == 0 {
                        format!("add the {what} the health check is meant for, or give the check its own `port`")
                    } else {
                        format!(
                            "use an index from 0 to {} (the {what}s in written order), or add the missing {what}",
                            count - 1
                        )
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{messages, run, scan};

    fn findings(text: &str) -> Vec<String> {
        let (files, _) = scan(&[("app.json", text)]);
        messages(&files, &run(&HealthCheckPortIndexOutOfRange, &files))
    }

    #[test]
    fn counts_the_ports_of_each_networking_mode() {
        let text = r#"[
  { "id": "/bridge", "container": { "docker": { "image": "a:1", "network": "BRIDGE",
      "portMappings": [{ "containerPort": 80 }] } },
    "healthChecks": [{ "protocol": "HTTP", "portIndex": 0 }, { "protocol": "TCP", "portIndex": 1 }] },
  { "id": "/user", "networks": [{ "mode": "container", "name": "dcos" }],
    "container": { "docker": { "image": "a:1" }, "portMappings": [] },
    "healthChecks": [{ "protocol": "HTTPS", "portIndex": 0 }, { "protocol": "MESOS_HTTP", "portIndex": 5 }] },
  { "id": "/host", "cmd": "serve", "ports": [0, 0], "healthChecks": [{ "portIndex": 2 }] }
]"#;
        assert_eq!(
            findings(text),
            [
                "app.json:4:96: app \"/bridge\" has a health check on `portIndex` 1, but only 1 port mapping; Marathon refuses the app",
                "app.json:7:58: app \"/user\" has a health check on `portIndex` 0, but only 0 port mappings; Marathon refuses the app",
                "app.json:8:85: app \"/host\" has a health check on `portIndex` 2, but only 2 ports; Marathon refuses the app",
            ]
        );
    }

    #[test]
    fn leaves_defaults_own_ports_and_commands_alone() {
        let text = r#"[
  { "id": "/default-ports", "cmd": "serve", "healthChecks": [{ "portIndex": 0 }] },
  { "id": "/own-port", "cmd": "serve", "portDefinitions": [{ "port": 0 }],
    "healthChecks": [{ "protocol": "TCP", "port": 8080, "portIndex": 3 }] },
  { "id": "/command", "cmd": "serve", "portDefinitions": [],
    "healthChecks": [{ "protocol": "COMMAND", "command": { "value": "true" }, "portIndex": 1 }] },
  { "id": "/bridge-default", "container": { "docker": { "image": "a:1", "network": "BRIDGE" } },
    "healthChecks": [{ "portIndex": 0 }] },
  { "id": "/fine", "cmd": "serve", "portDefinitions": [{ "port": 0 }, { "port": 0 }],
    "healthChecks": [{ "portIndex": 1 }] }
]"#;
        assert!(findings(text).is_empty());
    }
}
