//! `correctness/profile-dependency`: a service that always runs depends on a service
//! only a profile enables.

use std::collections::HashMap;

use super::{Seen, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Related, RuleMeta, Severity};
use crate::project::compose::view::{RefKind, ResolvedService};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ProfileDependency;

static META: RuleMeta = RuleMeta {
    name: "profile-dependency",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service without profiles depends on a service only a profile enables",
    what: "Reports a reference (`depends_on`, `links`, `volumes_from`, `network_mode: service:x`) from a service without `profiles`, which every `docker compose up` starts, to a service that has `profiles`, none of them enabled by `COMPOSE_PROFILES` in the project's `.env`. `depends_on` entries with `required: false` are optional and not reported. Profiles come from the merged project (an override may add or remove them). The finding points at the referenced name.",
    why: "Profiles do not enable what a started service needs: Compose refuses the project (\"service ... is required by ... but is disabled\", or \"depends on undefined service\") unless the profile is enabled by hand every time, and a plain `docker compose up` fails.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    depends_on: [mailhog]
  mailhog:
    image: mailhog/mailhog:v1.0.1
    profiles: [dev]
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    depends_on:
      mailhog:
        condition: service_started
        required: false
  mailhog:
    image: mailhog/mailhog:v1.0.1
    profiles: [dev]
"#,
    },
};

impl Rule for ProfileDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        let active: Vec<String> = view
            .files
            .first()
            .and_then(|f| f.env.get("COMPOSE_PROFILES"))
            .map(|v| v.split(',').map(|p| p.trim().to_string()).collect())
            .unwrap_or_default();
        if active.iter().any(|p| p == "*") {
            return;
        }
        let by_name: HashMap<&str, &ResolvedService<'_>> =
            view.services.iter().map(|s| (s.name.as_str(), s)).collect();
        let mut seen = Seen::default();
        for s in &view.services {
            if !s.profiles().is_empty() {
                continue;
            }
            for r in view.service_refs(s) {
                if !r.required {
                    continue;
                }
                let Some(target) = by_name.get(r.name.value.as_str()) else {
                    continue;
                };
                let profiles = target.profiles();
                if profiles.is_empty() || profiles.iter().any(|p| active.contains(p)) {
                    continue;
                }
                let file = view.file_id(&r.layer);
                if !seen.first(file, r.name.span) {
                    continue;
                }
                let how = match r.kind {
                    RefKind::DependsOn => "depends on",
                    RefKind::Link => "links to",
                    RefKind::VolumesFrom => "mounts the volumes of",
                    RefKind::NetworkMode => "joins the network stack of",
                };
                let (noun, verb) = if profiles.len() == 1 {
                    ("profile", "enables")
                } else {
                    ("profiles", "enable")
                };
                let list = profiles
                    .iter()
                    .map(|p| format!("\"{p}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let d = cx.report(
                    file,
                    r.name.span,
                    format!(
                        "service \"{}\" runs without a profile but {how} service \"{}\", which only the {noun} {list} {verb}",
                        s.name, target.name
                    ),
                );
                d.help = Some(if r.kind == RefKind::DependsOn {
                    format!(
                        "make the dependency optional (`required: false` in the long form of `depends_on`), put \"{}\" under the same profile, or remove the profiles of \"{}\"",
                        s.name, target.name
                    )
                } else {
                    format!(
                        "put \"{}\" under the same profile, or remove the profiles of \"{}\"",
                        s.name, target.name
                    )
                });
                if let Some((l, p)) = target
                    .layers
                    .iter()
                    .rev()
                    .find(|l| !l.svc.profiles.is_empty())
                    .and_then(|l| l.svc.profiles.first().map(|p| (*l, p)))
                {
                    d.related.push(Related {
                        file: view.file_id(&l),
                        span: p.span,
                        message: format!("\"{}\" gets its profiles here", target.name),
                    });
                }
            }
        }
    }
}
