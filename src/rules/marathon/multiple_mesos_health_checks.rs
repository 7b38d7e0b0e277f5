//! `correctness/multiple-mesos-health-checks`: an app with more than one health
//! check that the Mesos agent runs.
//!
//! Facts (Marathon `health-checks.md` and the app validation, "AppDefinition can
//! contain at most one Mesos health check"): Mesos runs one health check per task,
//! so an app may have one `MESOS_HTTP`, `MESOS_HTTPS` or `MESOS_TCP` check; command
//! checks are not counted (older releases accepted several and Marathon still
//! does), and Marathon's own `HTTP`, `HTTPS` and `TCP` checks are not limited.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Related, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MultipleMesosHealthChecks;

static META: RuleMeta = RuleMeta {
    name: "multiple-mesos-health-checks",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "a Marathon app has more than one Mesos health check",
    what: "Reports the second and later `MESOS_HTTP`, `MESOS_HTTPS` and `MESOS_TCP` health checks of a Marathon app (checks with a `command` are not counted, as Marathon does not count them). The finding points at the check and names the first one.",
    why: "The Mesos agent runs a single health check per task, so Marathon refuses the app (\"AppDefinition can contain at most one Mesos health check\") and the deployment fails.",
    bad: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "cmd": "./serve --port $PORT0 --admin $PORT1",
  "portDefinitions": [{ "port": 0 }, { "port": 0 }],
  "healthChecks": [
    { "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0 },
    { "protocol": "MESOS_TCP", "portIndex": 1 }
  ]
}
"#,
    },
    good: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "cmd": "./serve --port $PORT0 --admin $PORT1",
  "portDefinitions": [{ "port": 0 }, { "port": 0 }],
  "healthChecks": [
    { "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0 },
    { "protocol": "TCP", "portIndex": 1 }
  ]
}
"#,
    },
};

impl Rule for MultipleMesosHealthChecks {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            for entry in &m.apps {
                let mesos: Vec<_> = entry
                    .app
                    .health_checks
                    .iter()
                    .filter(|hc| {
                        hc.value.command.is_none()
                            && hc.value.protocol.as_deref().is_some_and(|p| {
                                ["MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP"]
                                    .iter()
                                    .any(|m| p.eq_ignore_ascii_case(m))
                            })
                    })
                    .collect();
                let Some(first) = mesos.first() else {
                    continue;
                };
                let name = format!("app \"{}\"", entry.path.as_deref().unwrap_or("?"));
                for hc in &mesos[1..] {
                    let protocol = hc.value.protocol.as_deref().unwrap_or_default();
                    let d = cx.report(
                        file.id,
                        hc.span,
                        format!(
                            "{name} has a second Mesos health check (`{protocol}`); Marathon allows one per app"
                        ),
                    );
                    d.help = Some(
                        "keep one Mesos health check; make the others Marathon checks (`HTTP`, `HTTPS`, `TCP`) or remove them".into(),
                    );
                    d.related.push(Related {
                        file: file.id,
                        span: first.span,
                        message: "the first Mesos health check".into(),
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
        messages(&files, &run(&MultipleMesosHealthChecks, &files))
    }

    #[test]
    fn reports_every_mesos_check_after_the_first() {
        let text = r#"{ "id": "/a", "cmd": "a", "healthChecks": [
  { "protocol": "MESOS_HTTP" }, { "protocol": "HTTP" }, { "protocol": "mesos_tcp" },
  { "protocol": "COMMAND", "command": { "value": "true" } }, { "protocol": "MESOS_HTTPS" }
] }"#;
        assert_eq!(
            findings(text),
            [
                "app.json:2:57: app \"/a\" has a second Mesos health check (`mesos_tcp`); Marathon allows one per app",
                "app.json:3:62: app \"/a\" has a second Mesos health check (`MESOS_HTTPS`); Marathon allows one per app",
            ]
        );
    }

    #[test]
    fn leaves_one_mesos_check_and_commands_alone() {
        let text = r#"{ "id": "/a", "cmd": "a", "healthChecks": [
  { "protocol": "MESOS_TCP" }, { "protocol": "TCP" }, { "protocol": "HTTP" },
  { "protocol": "COMMAND", "command": { "value": "true" } },
  { "protocol": "COMMAND", "command": { "value": "false" } }
] }"#;
        assert!(findings(text).is_empty());
    }
}
