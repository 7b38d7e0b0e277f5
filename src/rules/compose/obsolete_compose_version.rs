//! `best-practice/obsolete-compose-version`: a Compose file declares `version`,
//! which today's Compose ignores.

use super::is_swarm;
use crate::diagnostic::{Applicability, Severity};
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ObsoleteComposeVersion;

static META: RuleMeta = RuleMeta {
    name: "obsolete-compose-version",
    family: Family::BestPractice,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[
        Peer::Dclint("no-version-field"),
    ],
    formats: &[Format::Compose],
    summary: "a Compose file declares the obsolete `version` key",
    what: "Reports the top-level `version` key of a Compose file, except in a Swarm stack project (`docker stack deploy` still reads it to pick the version 3 format). The finding points at the key and its value. The fix (safe) deletes the line, its comment and newline included.",
    why: "The Compose Specification marks `version` obsolete and Compose v2 ignores it, warning on every run; it no longer selects a feature set, so `version: \"2.4\"` or `\"3.8\"` suggests limits (and Swarm-only semantics for `deploy`) that do not apply.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"version: "3.8"
services:
  web:
    image: nginx:1.27
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
"#,
    },
};

impl Rule for ObsoleteComposeVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if is_swarm(cx) {
            return;
        }
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(c) = f.compose() else { continue };
            let Some(v) = c.version.as_deref() else {
                continue;
            };
            let key = f
                .docs
                .iter()
                .find_map(|d| d.entry("version").map(|(k, _)| k.span))
                .unwrap_or(v.span);
            let d = cx.report(
                f.id,
                key.cover(v.span),
                format!(
                    "`version: {}` is obsolete: Compose v2 ignores it",
                    v.value.trim()
                ),
            );
            d.help = Some(
                "delete the line; keep it only in a stack file for `docker stack deploy`".into(),
            );
            if let Some(lines) = crate::yaml::edit::removal(&f.text, &f.docs, key) {
                d.fix_with(
                    "Remove the obsolete `version` line",
                    Applicability::Safe,
                    [(lines, String::new())],
                );
            }
        }
    }

    fn fix(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }
}
