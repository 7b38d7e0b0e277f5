//! `correctness/healthcheck-condition-without-healthcheck`: a service waits for
//! another to be healthy, and that one has no healthcheck in the project.

use std::collections::HashMap;

use super::view;
use crate::diagnostic::{Example, RuleMeta};
use crate::diagnostic::Tier;
use crate::diagnostic::{Family, Related, Severity};
use crate::project::compose::ProjectView;
use crate::project::compose::view::{Layer, ResolvedService};
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::source::Spanned;

pub(crate) struct HealthcheckConditionWithoutHealthcheck;

static META: RuleMeta = RuleMeta {
    name: "healthcheck-condition-without-healthcheck",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service waits for another to be healthy, but that service has no healthcheck here",
    what: "Reports `depends_on: {db: {condition: service_healthy}}` when the service waited for disables its healthcheck (`disable: true`, `test: [\"NONE\"]`), or defines none in the project (override files and `extends` included) and runs a Docker Official Image (`postgres`, `redis`, `mysql`, ...), which by policy ship without a `HEALTHCHECK`. Other images and services built here may bring their own `HEALTHCHECK` from their Dockerfile, which orchlint cannot see, so they are not reported. The finding points at the condition.",
    why: "A container without a healthcheck never becomes \"healthy\": Compose stops with an error (\"has no healthcheck configured\", or \"is missing a healthcheck configuration\" in Compose 1) and the waiting service never starts.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:16
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:16
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "postgres"]
      interval: 10s
"#,
    },
};

impl Rule for HealthcheckConditionWithoutHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        for s in &view.services {
            // The condition that counts for each dependency is the last one written.
            let mut conditions: HashMap<&str, (Layer<'_>, &Spanned<String>)> = HashMap::new();
            let mut order = Vec::new();
            for (layer, d) in s.each(|x| &x.depends_on) {
                let name = d.name.value.as_str();
                if !order.contains(&name) {
                    order.push(name);
                }
                match &d.condition {
                    Some(c) => {
                        conditions.insert(name, (layer, c));
                    }
                    None => {
                        conditions.remove(name);
                    }
                }
            }
            for name in order {
                let Some((layer, condition)) = conditions.get(name) else {
                    continue;
                };
                if view.interp(layer, &condition.value).value != "service_healthy" {
                    continue;
                }
                let Some(target) = view.service(name) else {
                    continue;
                };
                if target.incomplete {
                    continue;
                }
                let (message, help) = match target.healthcheck() {
                    Some(h) if !h.disabled => continue,
                    Some(_) => (
                        format!(
                            "service \"{}\" waits for service \"{name}\" to be healthy, but \"{name}\" disables its healthcheck",
                            s.name
                        ),
                        format!(
                            "enable the healthcheck of \"{name}\", or wait with `condition: service_started`"
                        ),
                    ),
                    None => {
                        let Some(image) = official_image(&view, target) else {
                            continue;
                        };
                        (
                            format!(
                                "service \"{}\" waits for service \"{name}\" to be healthy, but \"{name}\" defines no healthcheck and its image `{image}` has none",
                                s.name
                            ),
                            format!(
                                "add a `healthcheck` to \"{name}\", or wait with `condition: service_started`"
                            ),
                        )
                    }
                };
                let file = view.file_id(layer);
                let d = cx.report(file, condition.span, message);
                d.help = Some(help);
                d.related.push(Related {
                    file: view.files[target.home].id(),
                    span: target.at,
                    message: format!("service \"{name}\" is defined here"),
                });
            }
        }
    }
}

/// The image of a service when it is a Docker Official Image (which ship without a
/// `HEALTHCHECK`) and the service is not built here.
fn official_image(view: &ProjectView<'_>, s: &ResolvedService<'_>) -> Option<String> {
    if s.last(|x| x.build.as_ref()).is_some() {
        return None;
    }
    let (layer, image) = s.last(|x| x.image.as_ref())?;
    let i = view.interp(&layer, &image.value);
    (!i.unset && is_official(&i.value)).then_some(i.value)
}

/// `postgres:16`, `library/redis`, `docker.io/library/mysql@sha256:...`.
fn is_official(image: &str) -> bool {
    let name = image.split('@').next().unwrap_or_default();
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 {
        let first = parts[0];
        if matches!(
            first,
            "docker.io" | "index.docker.io" | "registry-1.docker.io"
        ) {
            parts.remove(0);
        } else if first.contains('.') || first.contains(':') || first == "localhost" {
            return false;
        }
    }
    if parts.first() == Some(&"library") {
        parts.remove(0);
    }
    parts.len() == 1 && !parts[0].is_empty()
}

#[cfg(test)]
mod tests {
    use super::is_official;

    #[test]
    fn official_images() {
        for yes in [
            "postgres",
            "postgres:16",
            "library/redis:7",
            "docker.io/mysql",
            "docker.io/library/mongo@sha256:00",
        ] {
            assert!(is_official(yes), "{yes}");
        }
        for no in [
            "bitnami/postgresql",
            "ghcr.io/mailcow/unbound:1",
            "localhost:5000/db",
            "quay.io/x",
            "",
        ] {
            assert!(!is_official(no), "{no}");
        }
    }
}
