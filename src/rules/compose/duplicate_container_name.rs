//! `correctness/duplicate-container-name`: two services of a project set the same
//! `container_name`.

use std::collections::HashMap;

use super::{is_swarm, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, Related, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DuplicateContainerName;

static META: RuleMeta = RuleMeta {
    name: "duplicate-container-name",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[Peer::Dclint("no-duplicate-container-names")],
    formats: &[Format::Compose],
    summary: "two services set the same `container_name`",
    what: "Reports a service's `container_name` that an earlier service of the same project already uses, after interpolation and with override files merged (a service renamed in an override is judged by its final name). Names using an unset variable, services whose `profiles` never run together, and Swarm stacks (`docker stack deploy` ignores `container_name`) are not checked. The finding points at the second `container_name` and names the first.",
    why: "Container names are unique on a Docker host: the second container fails to be created (\"Conflict. The container name ... is already in use\") and `docker compose up` stops half way. Usually a service was copied and its name left as it was.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    container_name: app
  worker:
    image: example/worker:2.0
    container_name: app
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    container_name: app-api
  worker:
    image: example/worker:2.0
    container_name: app-worker
"#,
    },
};

impl Rule for DuplicateContainerName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if is_swarm(cx) {
            return;
        }
        let Some(view) = view(cx) else { return };
        // Each name with the services (and profiles) that took it so far.
        let mut taken: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
        for (i, s) in view.services.iter().enumerate() {
            let Some((layer, entry)) = s.last(|x| x.container_name.as_ref()) else {
                continue;
            };
            let name = view.interp(&layer, &entry.value.value);
            let value = name.value.trim().to_string();
            if name.unset || value.is_empty() {
                continue;
            }
            let profiles = s.profiles();
            let users = taken.entry(value.clone()).or_default();
            let first = users
                .iter()
                .find(|(_, p)| !super::exclusive_profiles(p, &profiles))
                .map(|(j, _)| *j);
            users.push((i, profiles));
            let Some(j) = first else { continue };
            let other = &view.services[j];
            let d = cx.report(
                view.file_id(&layer),
                entry.span(),
                format!(
                    "service \"{}\" sets container_name \"{value}\", already used by service \"{}\"",
                    s.name, other.name
                ),
            );
            d.help = Some(
                "give each service its own container name, or remove `container_name` and let Compose name the container"
                    .into(),
            );
            if let Some((l, e)) = other.last(|x| x.container_name.as_ref()) {
                d.related.push(Related {
                    file: view.file_id(&l),
                    span: e.span(),
                    message: format!("\"{value}\" first used here"),
                });
            }
        }
    }
}
