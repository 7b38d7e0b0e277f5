//! `reliability/missing-health-check`: a Marathon app or pod without a health check.
//!
//! Marathon relaunches every task that ends, so every app is a long-running service
//! here (one-off jobs belong to Metronome or Chronos) and the rule applies to all of
//! them, with two exceptions: apps and pods scaled to 0 instances (nothing runs; the
//! benchmark dumps of suspended apps would otherwise drown the output), and app
//! bodies that name nothing to run, which are partial updates (see `App::is_partial`).

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingHealthCheck;

static META: RuleMeta = RuleMeta {
    name: "missing-health-check",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "an app or pod has no health check",
    what: "Reports a Marathon app without `healthChecks`, and a pod none of whose containers has a `healthCheck`. The finding points at the `id`. Apps and pods with 0 instances are left alone (nothing runs), and so are app bodies that name nothing to run (no `cmd`, `args` or `container`): those are partial updates for `PUT`/`PATCH`, which keep the checks the app already has.",
    why: "Without a health check Marathon only notices a task whose process exits. A server that hangs or stops answering keeps its place and keeps receiving traffic through Marathon-LB and service discovery, and a rolling upgrade counts new instances as healthy as soon as they run, so a broken version replaces a working one.",
    bad: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "instances": 2,
  "container": {
    "type": "DOCKER",
    "docker": { "image": "example/web:1.4" },
    "portMappings": [{ "containerPort": 8080 }]
  },
  "networks": [{ "mode": "container/bridge" }]
}
"#,
    },
    good: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "instances": 2,
  "container": {
    "type": "DOCKER",
    "docker": { "image": "example/web:1.4" },
    "portMappings": [{ "containerPort": 8080 }]
  },
  "networks": [{ "mode": "container/bridge" }],
  "healthChecks": [{ "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0 }]
}
"#,
    },
};

impl Rule for MissingHealthCheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            for a in &m.apps {
                let app = &a.app;
                let Some(id) = &app.id else {
                    continue;
                };
                let scaled_to_zero = app.instances.as_ref().is_some_and(|i| i.value == 0);
                if app.is_partial() || scaled_to_zero || !app.health_checks.is_empty() {
                    continue;
                }
                let name = a.path.as_deref().unwrap_or(&id.value);
                cx.report(file.id, id.span, format!("app \"{name}\" has no health check"))
                    .help = Some(
                    "add a `healthChecks` entry (`MESOS_HTTP` or `MESOS_TCP` on a port, or `COMMAND`) so Marathon replaces instances that stop answering".into(),
                );
            }
            for p in &m.pods {
                let pod = &p.pod;
                let Some(id) = &pod.id else {
                    continue;
                };
                let scaled_to_zero = pod.instances().is_some_and(|i| i.value == 0);
                let checked = pod
                    .containers
                    .iter()
                    .any(|c| c.value.health_check.is_some());
                if pod.containers.is_empty() || scaled_to_zero || checked {
                    continue;
                }
                let name = p.path.as_deref().unwrap_or(&id.value);
                cx.report(
                    file.id,
                    id.span,
                    format!("pod \"{name}\" has no health check on any of its containers"),
                )
                .help = Some(
                    "add a `healthCheck` (`http` or `tcp` on an endpoint, or `exec`) to the container that serves".into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{at, run, scan};

    fn findings(text: &str) -> Vec<(String, String)> {
        let (files, diags) = scan(&[("app.json", text)]);
        assert!(diags.is_empty());
        run(&MissingHealthCheck, &files)
            .iter()
            .map(|d| (at(&files, d.file, d.span).to_string(), d.message.clone()))
            .collect()
    }

    #[test]
    fn reports_apps_and_pods_without_checks_at_their_id() {
        let text = r#"{
  "id": "/shop",
  "apps": [
    { "id": "web", "cmd": "python3 -m http.server $PORT0", "instances": 2 },
    { "id": "api", "container": { "docker": { "image": "example/api:2" } },
      "healthChecks": [{ "protocol": "TCP", "portIndex": 0 }] },
    { "id": "idle", "cmd": "sleep 100", "instances": 0 },
    { "id": "/shop/scale", "instances": 5 },
    { "id": "old", "cmd": "run", "healthChecks": [] }
  ],
  "pods": [
    { "id": "cache", "containers": [{ "name": "redis", "resources": { "cpus": 0.1, "mem": 64 } }] },
    { "id": "checked", "containers": [
      { "name": "a" },
      { "name": "b", "healthCheck": { "tcp": { "endpoint": "b" } } } ] }
  ]
}"#;
        assert_eq!(
            findings(text),
            vec![
                (
                    "\"web\"".into(),
                    "app \"/shop/web\" has no health check".into()
                ),
                (
                    "\"old\"".into(),
                    "app \"/shop/old\" has no health check".into()
                ),
                (
                    "\"cache\"".into(),
                    "pod \"/shop/cache\" has no health check on any of its containers".into()
                ),
            ]
        );
    }
}
