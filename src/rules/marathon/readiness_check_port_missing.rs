//! `correctness/readiness-check-port-missing`: a readiness check names a port the
//! app does not have.
//!
//! Facts (Marathon `readiness-checks.md` and the app validation,
//! `AppValidation.readinessCheckValidator`: "No port definition reference for
//! portName ..."): a readiness check finds its port by `portName` among the names
//! of the app's port mappings, or of its port definitions when it has no mappings;
//! an app whose check names no such port is refused. The rule looks the name up in
//! both lists, so it reports only names that are in neither.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ReadinessCheckPortMissing;

static META: RuleMeta = RuleMeta {
    name: "readiness-check-port-missing",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "a Marathon readiness check names a port the app does not have",
    what: "Reports a Marathon app readiness check whose `portName` is the `name` of none of the app's port mappings (`container.portMappings`, or `container.docker.portMappings` before 1.5) and port definitions (`portDefinitions`). The finding points at the `portName` value and, when one is close, suggests the app's port name. Names with template placeholders are left alone.",
    why: "Marathon refuses the app (\"No port definition reference for portName\"), so the deployment fails; it usually means a port was renamed and the readiness check kept the old name.",
    bad: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "cmd": "./serve --port $PORT0",
  "portDefinitions": [{ "port": 0, "name": "http" }],
  "readinessChecks": [{ "name": "ready", "protocol": "HTTP", "path": "/ready", "portName": "http-api" }]
}
"#,
    },
    good: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "cmd": "./serve --port $PORT0",
  "portDefinitions": [{ "port": 0, "name": "http" }],
  "readinessChecks": [{ "name": "ready", "protocol": "HTTP", "path": "/ready", "portName": "http" }]
}
"#,
    },
};

impl Rule for ReadinessCheckPortMissing {
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
                let names: Vec<&str> = app
                    .port_mappings()
                    .iter()
                    .filter_map(|p| p.value.name.as_deref())
                    .chain(
                        app.port_definitions
                            .iter()
                            .filter_map(|d| d.value.name.as_deref()),
                    )
                    .collect();
                let app_name = format!("app \"{}\"", entry.path.as_deref().unwrap_or("?"));
                for rc in &app.readiness_checks {
                    let Some(port) = &rc.value.port_name else {
                        continue;
                    };
                    let wanted = port.value.as_str();
                    if names.contains(&wanted)
                        || ["{{", "${", "%{", "<%"].iter().any(|t| wanted.contains(t))
                    {
                        continue;
                    }
                    let near = crate::source::closest(wanted, names.iter().copied());
                    let d = cx.report(
                        file.id,
                        port.span,
                        format!(
                            "{app_name} has a readiness check on port `{wanted}`, but no port mapping or port definition has that name; Marathon refuses the app"
                        ),
                    );
                    d.help = Some(match near {
                        Some(n) => format!("did you mean `{n}`?"),
                        None if names.is_empty() => {
                            "give the port the check is meant for a `name`".into()
                        }
                        None => format!("name one of the app's ports: {}", names.join(", ")),
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
        messages(&files, &run(&ReadinessCheckPortMissing, &files))
    }

    #[test]
    fn reports_names_of_no_port() {
        let text = r#"[
  { "id": "/a", "cmd": "a", "portDefinitions": [{ "port": 0, "name": "http" }],
    "readinessChecks": [{ "portName": "http-api" }] },
  { "id": "/b", "container": { "docker": { "image": "a:1", "network": "BRIDGE",
      "portMappings": [{ "containerPort": 80 }] } }, "readinessChecks": [{ "portName": "web" }] }
]"#;
        assert_eq!(
            findings(text),
            [
                "app.json:3:39: app \"/a\" has a readiness check on port `http-api`, but no port mapping or port definition has that name; Marathon refuses the app",
                "app.json:5:88: app \"/b\" has a readiness check on port `web`, but no port mapping or port definition has that name; Marathon refuses the app",
            ]
        );
    }

    #[test]
    fn finds_names_in_either_list() {
        let text = r#"[
  { "id": "/a", "cmd": "a", "portDefinitions": [{ "port": 0, "name": "http" }],
    "readinessChecks": [{ "portName": "http" }] },
  { "id": "/b", "networks": [{ "mode": "container/bridge" }],
    "container": { "docker": { "image": "a:1" }, "portMappings": [{ "containerPort": 80, "name": "web" }] },
    "readinessChecks": [{ "portName": "web" }] },
  { "id": "/c", "cmd": "a", "readinessChecks": [{ "portName": "{{PORT_NAME}}" }] },
  { "id": "/d", "cmd": "a", "readinessChecks": [{ "path": "/" }] }
]"#;
        assert!(findings(text).is_empty(), "{:#?}", findings(text));
    }
}
