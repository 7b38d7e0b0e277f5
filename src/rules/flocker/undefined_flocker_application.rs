//! `correctness/undefined-flocker-application`: a deployment config places an
//! application the application config does not define.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::formats::flocker::FlockerFile;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedFlockerApplication;

static META: RuleMeta = RuleMeta {
    name: "undefined-flocker-application",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Flocker],
    summary: "a Flocker deployment config places an application the application config does not define",
    what: "In a project of a Flocker application config and the deployment configs paired with it (by the applications they place, or by name: `x-application.yml` with `x-deployment*.yml`), reports each application name under `nodes` that the application config does not define. The finding points at the name and suggests a close one.",
    why: "`flocker-deploy` takes both files together and refuses a deployment that names an unknown application, so nothing moves; a typo in the deployment config looks like an application that vanished from its node.",
    bad: Example {
        file_name: "deployment.yml",
        text: r#"version: 1
nodes:
  "10.0.0.1": [postgres-db]
"#,
    },
    good: Example {
        file_name: "deployment.yml",
        text: r#"version: 1
nodes:
  "10.0.0.1": [postgres]
"#,
    },
};

impl Rule for UndefinedFlockerApplication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        let defined: Vec<&str> = files
            .iter()
            .filter_map(|f| match f.flocker()? {
                FlockerFile::Applications(a) => Some(a),
                FlockerFile::Deployment(_) => None,
            })
            .flat_map(|a| a.applications.iter().map(|x| x.name.value.as_str()))
            .collect();
        let has_app_config = files
            .iter()
            .any(|f| matches!(f.flocker(), Some(FlockerFile::Applications(_))));
        if !has_app_config {
            // The application config is elsewhere: nothing to compare with.
            return;
        }
        for f in &files {
            let Some(FlockerFile::Deployment(d)) = f.flocker() else {
                continue;
            };
            for node in &d.nodes {
                for app in &node.applications {
                    if defined.contains(&app.value.as_str()) {
                        continue;
                    }
                    let hint = crate::source::closest(&app.value, defined.iter().copied())
                        .map(|c| format!("; did you mean `{c}`?"))
                        .unwrap_or_default();
                    let diag = cx.report(
                        f.id,
                        app.span,
                        format!(
                            "node \"{}\" runs application \"{}\", which the application config does not define{hint}",
                            node.host.value, app.value
                        ),
                    );
                    diag.help = Some(
                        "name an application of the application config, or define it there".into(),
                    );
                }
            }
        }
    }
}
