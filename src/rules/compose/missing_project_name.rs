//! `best-practice/missing-project-name`: a Compose project does not name itself.

use super::{is_swarm, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity};
use crate::project::compose::view::Role;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingProjectName;

static META: RuleMeta = RuleMeta {
    name: "missing-project-name",
    family: Family::BestPractice,
    severity: Severity::Info,
    tier: Tier::OptIn(
        "the folder's name is a fine project name for most checkouts; naming it matters when the same files run from several folders or hosts",
    ),
    peers: &[Peer::Dclint("require-project-name-field")],
    formats: &[Format::Compose],
    summary: "a Compose project has no top-level `name`",
    what: "Reports a project whose base file and override files set no top-level `name`, and whose `.env` sets no `COMPOSE_PROJECT_NAME`. Swarm stacks (named by `docker stack deploy`), Compose format 1 files and override snippets alone are skipped. The finding points at the base file's `services` key.",
    why: "Without a name Compose takes the folder's name, so the same files checked out as `app` and `app-2`, or renamed, make separate projects: containers, networks and volumes (the data) are created anew under another prefix, and `docker compose down` in one folder does not see the other.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"name: shop
services:
  web:
    image: example/web:1.4
"#,
    },
};

impl Rule for MissingProjectName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if is_swarm(cx) {
            return;
        }
        let Some(view) = view(cx) else { return };
        let Some(base) = view.files.first() else {
            return;
        };
        if view.is_fragment() || base.compose.legacy_v1 || base.role != Role::Base {
            return;
        }
        let named = view
            .files
            .iter()
            .filter(|f| matches!(f.role, Role::Base | Role::Override { .. }))
            .any(|f| f.compose.name.is_some());
        if named || base.env.get("COMPOSE_PROJECT_NAME").is_some() {
            return;
        }
        let Some(key) = base
            .spec
            .docs
            .iter()
            .find_map(|d| d.entry("services").map(|(k, _)| k.span))
        else {
            return;
        };
        let d = cx.report(
            base.id(),
            key,
            "the project has no top-level `name`: Compose names it after its folder",
        );
        d.help = Some(
            "add `name: <project>` at the top of the file (Compose v2), or set `COMPOSE_PROJECT_NAME` in `.env`"
                .into(),
        );
    }
}
