//! `correctness/process-type-not-dns-label`: a process type that platforms naming
//! Kubernetes objects after it cannot use.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::procfile::parts;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ProcessTypeNotDnsLabel;

static META: RuleMeta = RuleMeta {
    name: "process-type-not-dns-label",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Procfile],
    summary: "a Procfile process type is not a DNS label (lowercase letters, digits and `-`)",
    what: "Reports a process type with an uppercase letter or `_`, that starts or ends with `-`, or that is longer than 63 characters. The finding points at the type.",
    why: "Heroku accepts such names, but platforms that turn process types into Kubernetes object names or host names (Deis Workflow and its forks, Dokku's Kubernetes schedulers, `procfile-util check --strict`) require a DNS label, so the app fails to deploy there, or the process is renamed behind the user's back. Keeping to DNS labels keeps the app portable.",
    bad: Example {
        file_name: "Procfile",
        text: r#"web: bin/server
mail_worker: bin/mailer
"#,
    },
    good: Example {
        file_name: "Procfile",
        text: r#"web: bin/server
mail-worker: bin/mailer
"#,
    },
};

/// Why a process type is not a DNS label, if it is not.
fn problem(name: &str) -> Option<&'static str> {
    if name.len() > 63 {
        Some("is longer than 63 characters")
    } else if name.chars().any(|c| c.is_ascii_uppercase()) {
        Some("has uppercase letters")
    } else if name.contains('_') {
        Some("has `_`")
    } else if name.starts_with('-') || name.ends_with('-') {
        Some("starts or ends with `-`")
    } else {
        None
    }
}

impl Rule for ProcessTypeNotDnsLabel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (Some((f, p)), _) = parts(cx.project, cx.files) else {
            return;
        };
        for e in &p.entries {
            let Some(why) = problem(&e.name.value) else {
                continue;
            };
            let d = cx.report(
                f.id,
                e.name.span,
                format!(
                    "process type `{}` {why}, which Kubernetes-based platforms refuse in a name",
                    e.name.value
                ),
            );
            let fixed: String = e
                .name
                .value
                .to_ascii_lowercase()
                .replace('_', "-")
                .trim_matches('-')
                .chars()
                .take(63)
                .collect();
            d.help = Some(format!(
                "rename it `{fixed}` (and its `formation` entry and scale commands)"
            ));
        }
    }
}
