//! `best-practice/legacy-service-link`: `links`, `external_links` or
//! `volumes_from`, the container-linking options that predate Compose networks and
//! named volumes.

use super::{is_swarm, report_service_keys};
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct LegacyServiceLink;

const LEGACY: &[(&str, &str, &str)] = &[
    (
        "links",
        "every service on a Compose network is reachable by its name, so links are not needed",
        "remove `links`; keep `depends_on` for start order and add a network alias where the link gave another name",
    ),
    (
        "external_links",
        "it reaches containers started outside the project through Docker's legacy link mechanism",
        "put the outside containers on an `external: true` network and join it",
    ),
    (
        "volumes_from",
        "it mounts every volume of another container, whatever their names",
        "declare a named volume at the top level and mount it in each service that shares it",
    ),
];

static META: RuleMeta = RuleMeta {
    name: "legacy-service-link",
    family: Family::BestPractice,
    severity: Severity::Info,
    formats: &[Format::Compose],
    summary: "a service uses `links`, `external_links` or `volumes_from`, legacy options with modern replacements",
    what: "Reports `links`, `external_links` and `volumes_from` on a service (outside Swarm stacks, where `swarm-ignored-key` and `swarm-rejected-key` report them), with the replacement. The finding points at the key.",
    why: "Docker documents `--link` as a legacy feature that may be removed; on the project network Compose has created since format 2 every service already resolves every other by name. `volumes_from` ties services to each other's anonymous volumes, which no other orchestrator can express (kompose cannot convert `links`, `external_links` or `volumes_from`), and Swarm refuses it.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.0
    links:
      - db
  db:
    image: postgres:16
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.0
    depends_on:
      - db
  db:
    image: postgres:16
"#,
    },
};

impl Rule for LegacyServiceLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if is_swarm(cx) {
            return;
        }
        report_service_keys(cx, |service, key| {
            let (_, why, help) = LEGACY.iter().find(|(k, _, _)| *k == key)?;
            Some((
                format!("service \"{service}\" uses legacy `{key}`: {why}"),
                (*help).to_string(),
            ))
        });
    }
}
