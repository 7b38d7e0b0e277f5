//! `best-practice/legacy-service-link`: `links`, `external_links` or
//! `volumes_from`, the container-linking options that predate Compose networks and
//! named volumes.

use super::{FixEdits, is_swarm, report_service_keys};
use crate::diagnostic::{Applicability, Severity};
use crate::formats::compose::model::{Name, Service};
use crate::project::SpecFile;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
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
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service uses `links`, `external_links` or `volumes_from`, legacy options with modern replacements",
    what: "Reports `links`, `external_links` and `volumes_from` on a service (outside Swarm stacks, where `swarm-ignored-key` and `swarm-rejected-key` report them), with the replacement. The finding points at the key. The fix (safe) renames `links` to `depends_on` when no link gives an alias (`db:database`) and the service has no `depends_on`: on the project network the names resolve anyway, and the start order is kept.",
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
        report_service_keys(
            cx,
            |service, key| {
                let (_, why, help) = LEGACY.iter().find(|(k, _, _)| *k == key)?;
                Some((
                    format!("service \"{service}\" uses legacy `{key}`: {why}"),
                    (*help).to_string(),
                ))
            },
            links_to_depends_on,
        );
    }

    fn fix(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }
}

/// `links: [db]` → `depends_on: [db]`, the key renamed in place: on the project
/// network every service resolves `db` by name already, so what a link without
/// an alias adds is the start order, which `depends_on` keeps. Only when no link
/// gives an alias (`db:database`, a name the network would not resolve) and the
/// service has no `depends_on` (two keys would have to be merged).
fn links_to_depends_on(f: &SpecFile, s: &Service, key: &Name) -> Option<FixEdits> {
    let start = key.span.start as usize;
    let end = key.span.end as usize;
    if key.value != "links"
        || f.text.get(start..end) != Some("links")
        || s.links.is_empty()
        || s.links.iter().any(|l| l.text.contains(':'))
        || s.keys.iter().any(|k| k.value == "depends_on")
    {
        return None;
    }
    Some((
        "Replace `links` with `depends_on`".to_string(),
        Applicability::Safe,
        vec![(key.span, "depends_on".to_string())],
    ))
}
