//! `correctness/missing-build-context`: a service builds from a folder that does not
//! exist, or from a Dockerfile its context does not hold.

use super::local::{checkout, folders, git_ignored, local_path};
use super::{Seen, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingBuildContext;

static META: RuleMeta = RuleMeta {
    name: "missing-build-context",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service builds from a folder that does not exist, or a Dockerfile its context lacks",
    what: "Reports a service's `build` (or `build.context`) naming a local folder that does not exist, and a `build.dockerfile` that the existing context does not hold (with no `dockerfile`, neither `Dockerfile` nor `dockerfile`). Paths resolve as Compose resolves them: the context against the folder of the project's first file (or of the included or extended file that writes it), the Dockerfile against the context. Override files are merged first, so an override that moves the context is judged by where it points. Remote contexts (URLs, `git@` addresses), paths using an unset variable, absolute paths, services with `dockerfile_inline`, and folders git ignores (made by a build step) are not checked, and neither are files read from standard input or outside a git checkout (copied specs, whose sources did not come along). The finding points at the context, or at the Dockerfile's name.",
    why: "`docker compose build` and `up --build` stop with \"unable to prepare context: path ... not found\" or \"failed to read dockerfile\". Usually a folder was renamed, or the compose file moved and its relative paths were not updated.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    build:
      context: ./services/api
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    build:
      context: .
      dockerfile_inline: |
        FROM alpine:3.20
        CMD ["echo", "hello"]
"#,
    },
};

/// A context Docker fetches rather than reads from disk.
fn is_remote(context: &str) -> bool {
    let c = context.trim();
    c.contains("://") || c.starts_with("git@") || c.starts_with("github.com/")
}

impl Rule for MissingBuildContext {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        let folders = folders(cx);
        // Found when the first service builds: most projects build nothing.
        let repo = std::cell::OnceCell::new();
        let mut seen = Seen::default();
        for s in &view.services {
            let Some((build_layer, build)) = s.last(|x| x.build.as_ref()) else {
                continue;
            };
            let Some(repo) = repo.get_or_init(|| checkout(&folders, &view)) else {
                return;
            };
            if s.last(|x| x.build.as_ref()?.dockerfile_inline.as_ref())
                .is_some()
            {
                continue;
            }
            let context = s.last(|x| x.build.as_ref()?.context.as_ref());
            let (dir, context_text) = match context {
                Some((layer, text)) => {
                    let value = view.interp(&layer, &text.value).value;
                    if is_remote(&value) {
                        continue;
                    }
                    let Some(dir) = local_path(&folders, &view, &layer, &text.value) else {
                        continue;
                    };
                    if git_ignored(&folders, repo, &dir, true) {
                        continue;
                    }
                    if !dir.is_dir() {
                        let file = view.file_id(&layer);
                        if seen.first(file, text.span) {
                            let d = cx.report(
                                file,
                                text.span,
                                format!(
                                    "service \"{}\" builds from \"{}\", a folder that does not exist",
                                    s.name, text.value
                                ),
                            );
                            d.help = Some(
                                "point the build context at the folder that holds the Dockerfile"
                                    .into(),
                            );
                        }
                        continue;
                    }
                    (dir, text.value.as_str())
                }
                None => match local_path(&folders, &view, &build_layer, ".") {
                    Some(dir) => (dir, "."),
                    None => continue,
                },
            };
            match s.last(|x| x.build.as_ref()?.dockerfile.as_ref()) {
                Some((layer, name)) => {
                    let i = view.interp(&layer, &name.value);
                    let written = i.value.trim();
                    if i.unset || written.is_empty() || std::path::Path::new(written).is_absolute()
                    {
                        continue;
                    }
                    if dir.join(written).is_file() {
                        continue;
                    }
                    let file = view.file_id(&layer);
                    if !seen.first(file, name.span) {
                        continue;
                    }
                    let d = cx.report(
                        file,
                        name.span,
                        format!(
                            "service \"{}\" builds with Dockerfile \"{written}\", which its context \"{context_text}\" does not hold",
                            s.name
                        ),
                    );
                    d.help = Some(
                        "the Dockerfile's path is relative to the build context: fix the path, or move the context"
                            .into(),
                    );
                }
                None => {
                    if dir.join("Dockerfile").is_file() || dir.join("dockerfile").is_file() {
                        continue;
                    }
                    let (file, span) = match context {
                        Some((layer, text)) => (view.file_id(&layer), text.span),
                        None => (view.file_id(&build_layer), build.span),
                    };
                    if !seen.first(file, span) {
                        continue;
                    }
                    let d = cx.report(
                        file,
                        span,
                        format!(
                            "service \"{}\" builds from \"{context_text}\", which holds no Dockerfile",
                            s.name
                        ),
                    );
                    d.help = Some(
                        "add a Dockerfile to the context, or name the one to use with `build.dockerfile`"
                            .into(),
                    );
                }
            }
        }
    }
}
