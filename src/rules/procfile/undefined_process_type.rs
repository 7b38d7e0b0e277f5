//! `correctness/undefined-process-type`: `app.json` scales a process type the
//! Procfile does not declare.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::procfile::parts;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedProcessType;

static META: RuleMeta = RuleMeta {
    name: "undefined-process-type",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Procfile],
    summary: "an `app.json` formation names a process type the Procfile does not declare",
    what: "In a directory with both a Procfile and an `app.json`, reports each `formation` key that is not a process type of the Procfile. The finding points at the key and suggests a close type.",
    why: "Scaling a process type that does not exist fails when the app is created from the manifest (review apps, the Heroku button, `dokku` app.json handling), or leaves the intended process at its default of zero: the worker the manifest meant to run never starts. A buildpack may declare default types of its own (such as `web`), which orchlint cannot see.",
    bad: Example {
        file_name: "app.json",
        text: r#"{
  "name": "shop",
  "formation": {
    "web": {"quantity": 2},
    "workers": {"quantity": 1}
  }
}
"#,
    },
    good: Example {
        file_name: "app.json",
        text: r#"{
  "name": "shop",
  "formation": {
    "web": {"quantity": 2},
    "worker": {"quantity": 1}
  }
}
"#,
    },
};

impl Rule for UndefinedProcessType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (Some((_, p)), Some((mf, m))) = parts(cx.project, cx.files) else {
            return;
        };
        let types: Vec<&str> = p.entries.iter().map(|e| e.name.value.as_str()).collect();
        for fm in &m.formation {
            if types.contains(&fm.name.value.as_str()) {
                continue;
            }
            let hint = crate::source::closest(&fm.name.value, types.iter().copied())
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            let d = cx.report(
                mf.id,
                fm.name.span,
                format!(
                    "formation scales process type `{}`, which the Procfile does not declare{hint}",
                    fm.name.value
                ),
            );
            d.help =
                Some("use a process type of the Procfile, or add the type to the Procfile".into());
        }
    }
}
