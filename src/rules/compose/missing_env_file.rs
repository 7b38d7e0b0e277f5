//! `correctness/missing-env-file`: a service's `env_file` names a file that does not
//! exist.

use super::local::{checkout, folders, git_ignored, has_template, local_path};
use super::{Seen, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingEnvFile;

static META: RuleMeta = RuleMeta {
    name: "missing-env-file",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service's `env_file` names a file that does not exist",
    what: "Reports an `env_file` entry (a path, or the long form's `path`) whose file does not exist. A relative path is resolved as Compose resolves it: against the folder of the project's first file, or of the included or extended file that writes it. Entries marked `required: false`, paths using a variable that neither the project's `.env` nor a default sets, absolute paths and `~` paths (they name the deploying host) are not checked. A file that git ignores, or whose folder holds a template for it (`.env.example`, `app.env.sample`), is created by each developer as the setup says, and not reported. Files read from standard input or outside a git checkout (copied specs, whose other files did not come along) are not checked. The finding points at the path.",
    why: "Compose stops before creating anything (\"env file ... not found\"). Usually the file is meant to be created from a template (`.env.example`) and the setup step is missing from the README, or the path is wrong after a file moved.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    env_file: ./web.env
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    env_file:
      - path: ./web.env
        required: false
"#,
    },
};

impl Rule for MissingEnvFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        let folders = folders(cx);
        // Found at the first required `env_file`: most projects name none.
        let repo = std::cell::OnceCell::new();
        let mut seen = Seen::default();
        for s in &view.services {
            for (layer, entry) in s.each(|x| &x.env_file) {
                if !entry.is_required() {
                    continue;
                }
                let Some(repo) = repo.get_or_init(|| checkout(&folders, &view)) else {
                    return;
                };
                let Some(path) = local_path(&folders, &view, &layer, &entry.path.value) else {
                    continue;
                };
                if path.exists() || git_ignored(&folders, repo, &path, false) || has_template(&path) {
                    continue;
                }
                let file = view.file_id(&layer);
                if !seen.first(file, entry.path.span) {
                    continue;
                }
                let written = &entry.path.value;
                let resolved = view.interp(&layer, written).value;
                let resolved = if resolved == *written {
                    String::new()
                } else {
                    format!(" (\"{resolved}\")")
                };
                let d = cx.report(
                    file,
                    entry.path.span,
                    format!(
                        "service \"{}\" reads env_file \"{written}\"{resolved}, which does not exist",
                        layer.svc.name.value
                    ),
                );
                d.help = Some(format!(
                    "create the file (or fix the path); if it is optional, write it as `- path: {written}` with `required: false` (Compose 2.24 and later)"
                ));
            }
        }
    }
}
