//! `reliability/fixed-host-port-without-unique-hostname`: several instances need the
//! same fixed host port, but nothing places them on different agents.
//!
//! Reads the normalized model: a port has `host` only when the file fixes it (a
//! non-zero `hostPort` in bridge or container networking, a non-zero pod endpoint
//! `hostPort`, or a non-zero `ports`/`portDefinitions` number with `requirePorts`
//! in host networking; see `formats::marathon::lower`). `hostname:UNIQUE` and
//! `hostname:MAX_PER:1` satisfy the rule. `hostname:CLUSTER:<host>` does not: it
//! pins every instance to one agent, where only one of them can hold the port, so
//! that case is reported with its own message.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::model::{Port, WorkloadKind};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct FixedHostPortWithoutUniqueHostname;

static META: RuleMeta = RuleMeta {
    name: "fixed-host-port-without-unique-hostname",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "several instances need one fixed host port but may share an agent",
    what: "Reports a Marathon app or pod with more than one instance that fixes a host port (a non-zero `hostPort`, or a non-zero `ports`/`portDefinitions` number with `requirePorts: true` in host networking) without a `hostname:UNIQUE` (or `hostname:MAX_PER:1`) constraint, and one whose `hostname:CLUSTER` constraint pins all instances to a single agent. The finding points at the port number.",
    why: "Only one task per agent can hold a fixed host port. Without a placement rule that says so, Marathon learns it only from resource offers: instances wait for agents that still offer the port, a rolling upgrade that starts new instances beside the old ones waits for spare agents, and the deployment stalls when the cluster runs out of them. `hostname:UNIQUE` states the one-per-agent requirement in the definition, where whoever scales the app sees it. A process that binds a port Marathon does not know about collides outright when two instances share an agent.",
    bad: Example {
        file_name: "edge.json",
        text: r#"{
  "id": "/edge",
  "instances": 3,
  "container": {
    "type": "DOCKER",
    "docker": { "image": "example/edge:3.2", "network": "BRIDGE",
      "portMappings": [{ "containerPort": 80, "hostPort": 80 }] }
  }
}
"#,
    },
    good: Example {
        file_name: "edge.json",
        text: r#"{
  "id": "/edge",
  "instances": 3,
  "constraints": [["hostname", "UNIQUE"]],
  "container": {
    "type": "DOCKER",
    "docker": { "image": "example/edge:3.2", "network": "BRIDGE",
      "portMappings": [{ "containerPort": 80, "hostPort": 80 }] }
  }
}
"#,
    },
};

impl Rule for FixedHostPortWithoutUniqueHostname {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if w.format != Format::Marathon {
                continue;
            }
            let instances = w.replica_count();
            let placement = &w.placement;
            let one_per_host = placement.one_per_host.is_some()
                || placement
                    .max_per_host
                    .as_ref()
                    .is_some_and(|m| m.value <= 1);
            if instances <= 1 || one_per_host {
                continue;
            }
            let Some((port, host)) = w
                .containers
                .iter()
                .flat_map(|c| c.ports.iter())
                .find_map(|p: &Port| p.host.map(|h| (p, h)))
            else {
                continue;
            };
            let pinned = placement.constraints.iter().find(|c| {
                let t = c.value.to_ascii_uppercase();
                t.starts_with("HOSTNAME:CLUSTER:")
                    || t.starts_with("@HOSTNAME:CLUSTER:")
                    || t.starts_with("HOSTNAME:IS:")
                    || t.starts_with("@HOSTNAME:IS:")
            });
            let constraint = if w.kind == WorkloadKind::MarathonPod {
                "`{\"fieldName\": \"hostname\", \"operator\": \"UNIQUE\"}` to `scheduling.placement.constraints`"
            } else {
                "`[\"hostname\", \"UNIQUE\"]` to `constraints`"
            };
            match pinned {
                Some(c) => {
                    let d = cx.report_at(
                        port.loc,
                        format!(
                            "{} pins its {instances} instances to one agent with `{}` but each needs fixed host port {host}; only one can run",
                            w.describe(),
                            c.value
                        ),
                    );
                    d.help = Some(format!(
                        "replace the constraint with {constraint}, or set the host port to 0 so Marathon picks one per instance"
                    ));
                    d.related.push(crate::diagnostic::Related {
                        file: c.loc.file,
                        span: c.loc.span,
                        message: "all instances pinned here".into(),
                    });
                }
                None => {
                    cx.report_at(
                        port.loc,
                        format!(
                            "{} runs {instances} instances on fixed host port {host} without a `hostname:UNIQUE` constraint",
                            w.describe()
                        ),
                    )
                    .help = Some(format!(
                        "add {constraint}, or set the host port to 0 so Marathon picks one per instance"
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{at, messages, run, scan};

    fn findings(text: &str) -> Vec<(String, String)> {
        let (files, diags) = scan(&[("app.json", text)]);
        assert!(diags.is_empty());
        run(&FixedHostPortWithoutUniqueHostname, &files)
            .iter()
            .map(|d| (at(&files, d.file, d.span).to_string(), d.message.clone()))
            .collect()
    }

    #[test]
    fn reports_fixed_host_ports_of_every_layout() {
        let text = r#"[
  { "id": "/old-bridge", "instances": 2, "container": { "type": "DOCKER",
    "docker": { "image": "a:1", "network": "BRIDGE",
      "portMappings": [{ "containerPort": 80, "hostPort": 0 }, { "containerPort": 443, "hostPort": 8443 }] } } },
  { "id": "/new-bridge", "instances": 3, "networks": [{ "mode": "container/bridge" }],
    "container": { "docker": { "image": "a:1" }, "portMappings": [{ "containerPort": 80, "hostPort": 8080 }] } },
  { "id": "/host-ports", "instances": 2, "cmd": "serve", "ports": [9000], "requirePorts": true },
  { "id": "/host-defs", "instances": 2, "cmd": "serve", "requirePorts": true,
    "portDefinitions": [{ "port": 9100, "name": "http" }], "constraints": [["hostname", "MAX_PER", "2"]] },
  { "id": "/pinned", "instances": 2, "cmd": "serve", "requirePorts": true,
    "portDefinitions": [{ "port": 9200 }], "constraints": [["hostname", "CLUSTER", "a.example.com"]] }
]"#;
        assert_eq!(
            findings(text),
            vec![
                ("8443".into(), "app \"/old-bridge\" runs 2 instances on fixed host port 8443 without a `hostname:UNIQUE` constraint".into()),
                ("8080".into(), "app \"/new-bridge\" runs 3 instances on fixed host port 8080 without a `hostname:UNIQUE` constraint".into()),
                ("9000".into(), "app \"/host-ports\" runs 2 instances on fixed host port 9000 without a `hostname:UNIQUE` constraint".into()),
                ("9100".into(), "app \"/host-defs\" runs 2 instances on fixed host port 9100 without a `hostname:UNIQUE` constraint".into()),
                ("9200".into(), "app \"/pinned\" pins its 2 instances to one agent with `hostname:CLUSTER:a.example.com` but each needs fixed host port 9200; only one can run".into()),
            ]
        );
    }

    #[test]
    fn leaves_random_service_and_unique_ports_alone() {
        let text = r#"{ "id": "/ok", "groups": [], "apps": [
  { "id": "service-port", "instances": 4, "cmd": "serve", "portDefinitions": [{ "port": 10003 }] },
  { "id": "service-port-old", "instances": 4, "cmd": "serve", "ports": [10004], "requirePorts": false },
  { "id": "random", "instances": 4, "container": { "docker": { "image": "a:1", "network": "BRIDGE",
      "portMappings": [{ "containerPort": 80, "hostPort": 0 }] } } },
  { "id": "unique", "instances": 4, "constraints": [["@hostname", "UNIQUE"]],
    "container": { "docker": { "image": "a:1", "network": "BRIDGE", "portMappings": [{ "containerPort": 80, "hostPort": 80 }] } } },
  { "id": "max-one", "instances": 4, "constraints": ["hostname:MAX_PER:1"],
    "container": { "docker": { "image": "a:1", "network": "BRIDGE", "portMappings": [{ "containerPort": 80, "hostPort": 80 }] } } },
  { "id": "single", "instances": 1, "cmd": "serve", "ports": [80], "requirePorts": true },
  { "id": "default-count", "cmd": "serve", "ports": [80], "requirePorts": true },
  { "id": "host-mode-mappings", "instances": 3, "container": { "docker": { "image": "a:1", "network": "HOST",
      "portMappings": [{ "containerPort": 80, "hostPort": 80 }] } } }
]}"#;
        assert_eq!(findings(text), vec![]);
    }

    #[test]
    fn reports_pod_endpoints() {
        let text = r#"{ "id": "/mqtt", "scaling": { "kind": "fixed", "instances": 2 },
  "containers": [{ "name": "broker", "endpoints": [{ "name": "mqtt", "containerPort": 1883, "hostPort": 1883 }] }],
  "networks": [{ "mode": "container", "name": "dcos" }] }"#;
        let (files, _) = scan(&[("pod.json", text)]);
        assert_eq!(
            messages(&files, &run(&FixedHostPortWithoutUniqueHostname, &files)),
            [
                "pod.json:2:105: pod \"/mqtt\" runs 2 instances on fixed host port 1883 without a `hostname:UNIQUE` constraint"
            ]
        );
    }
}
