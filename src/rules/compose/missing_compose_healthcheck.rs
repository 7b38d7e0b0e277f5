//! `reliability/missing-compose-healthcheck`: a long-running service has no healthcheck.

use super::local::{Folders, folders, local_path};
use super::{one_off_services, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::project::compose::ProjectView;
use crate::project::compose::view::ResolvedService;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingComposeHealthcheck;

static META: RuleMeta = RuleMeta {
    name: "missing-compose-healthcheck",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::OptIn(
        "many images define their own HEALTHCHECK, which the file does not show",
    ),
    peers: &[],
    formats: &[Format::Compose],
    summary: "a Compose service has no `healthcheck`",
    what: "Reports a Compose service with no `healthcheck` in any of the project's files (after `extends` and override files are merged). A `healthcheck` with `disable: true` is a choice and not reported. A service built from a Dockerfile orchlint can read (`build.dockerfile_inline`, or the Dockerfile in its context) that has a `HEALTHCHECK` instruction is not reported; an image's own `HEALTHCHECK` cannot be seen, which is why the rule is opt-in. One-off services (waited for with `condition: service_completed_successfully`) and services only a profile enables are skipped. The finding points at the service's name. (Marathon apps have their own rule, `missing-health-check`.)",
    why: "Without a healthcheck Docker calls a container healthy as soon as its process runs: `depends_on` with `condition: service_healthy` cannot be used, a hung server is never noticed, and Swarm rolls out a broken version as if it worked.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://localhost:8080/health"]
      interval: 30s
"#,
    },
};

/// Whether a Dockerfile text holds a `HEALTHCHECK` instruction (other than
/// `HEALTHCHECK NONE`).
fn declares_healthcheck(dockerfile: &str) -> bool {
    dockerfile.lines().any(|l| {
        let mut words = l.split_whitespace();
        words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("HEALTHCHECK"))
            && words.next().is_some_and(|w| !w.eq_ignore_ascii_case("NONE"))
    })
}

/// Whether the service's build defines a healthcheck in a Dockerfile that can be read.
fn built_with_healthcheck(
    folders: &Folders,
    view: &ProjectView<'_>,
    s: &ResolvedService<'_>,
) -> bool {
    if let Some((_, inline)) = s.last(|x| x.build.as_ref()?.dockerfile_inline.as_ref()) {
        return declares_healthcheck(&inline.value);
    }
    let Some((layer, _)) = s.last(|x| x.build.as_ref()) else {
        return false;
    };
    let context = s
        .last(|x| x.build.as_ref()?.context.as_ref())
        .and_then(|(l, c)| local_path(folders, view, &l, &c.value))
        .or_else(|| local_path(folders, view, &layer, "."));
    let Some(dir) = context else { return false };
    let name = s
        .last(|x| x.build.as_ref()?.dockerfile.as_ref())
        .map(|(l, d)| view.interp(&l, &d.value).value);
    let path = match name {
        Some(n) => dir.join(n.trim()),
        None => dir.join("Dockerfile"),
    };
    std::fs::read_to_string(path).is_ok_and(|t| declares_healthcheck(&t))
}

impl Rule for MissingComposeHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        if view.is_fragment() {
            return;
        }
        let jobs = one_off_services(&view);
        let folders = folders(cx);
        for s in &view.services {
            if s.incomplete || jobs.contains(s.name.as_str()) || !s.profiles().is_empty() {
                continue;
            }
            if s.healthcheck().is_some() || built_with_healthcheck(&folders, &view, s) {
                continue;
            }
            let Some(home) = view.files.get(s.home) else {
                continue;
            };
            let d = cx.report(
                home.id(),
                s.at,
                format!("service \"{}\" has no healthcheck", s.name),
            );
            d.help = Some(
                "add a `healthcheck` whose `test` checks the service answers (or `disable: true` to say none is wanted)"
                    .into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::declares_healthcheck;

    #[test]
    fn healthcheck_instructions() {
        assert!(declares_healthcheck(
            "FROM nginx\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/\n"
        ));
        assert!(declares_healthcheck("from x\n  healthcheck cmd true\n"));
        assert!(!declares_healthcheck("FROM nginx\nHEALTHCHECK NONE\n"));
        assert!(!declares_healthcheck("FROM nginx\n# HEALTHCHECK later\n"));
    }
}
