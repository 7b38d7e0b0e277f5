//! `correctness/duplicate-process-type`: a Procfile declares a process type twice.

use crate::diagnostic::{Example, RuleMeta};
use crate::diagnostic::Tier;
use crate::diagnostic::{Family, Related, Severity};
use crate::project::procfile::parts;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DuplicateProcessType;

static META: RuleMeta = RuleMeta {
    name: "duplicate-process-type",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Procfile],
    summary: "a Procfile declares the same process type twice",
    what: "Reports the second and later lines of a Procfile that declare a process type already declared above. The finding points at the repeated type and links the first.",
    why: "Platforms disagree on what it means: Dokku's `procfile-util` refuses the file (\"process types must be unique\"), others keep the first or the last command silently, so the same repository starts a different command depending on where it is pushed.",
    bad: Example {
        file_name: "Procfile",
        text: r#"web: bundle exec puma -C config/puma.rb
worker: bundle exec sidekiq
web: bundle exec rails server -p $PORT
"#,
    },
    good: Example {
        file_name: "Procfile",
        text: r#"web: bundle exec puma -C config/puma.rb
worker: bundle exec sidekiq
"#,
    },
};

impl Rule for DuplicateProcessType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (Some((f, p)), _) = parts(cx.project, cx.files) else {
            return;
        };
        for (i, e) in p.entries.iter().enumerate() {
            let Some(first) = p.entries[..i].iter().find(|x| x.name.value == e.name.value) else {
                continue;
            };
            let d = cx.report(
                f.id,
                e.name.span,
                format!("process type `{}` is declared twice", e.name.value),
            );
            d.help = Some(
                "keep one line per process type; give the other command a type of its own".into(),
            );
            d.related.push(Related {
                file: f.id,
                span: first.name.span,
                message: "first declared here".into(),
            });
        }
    }
}
