//! `best-practice/build-and-image`: a service both builds an image and names one.

use super::view;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, Related, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct BuildAndImage;

static META: RuleMeta = RuleMeta {
    name: "build-and-image",
    family: Family::BestPractice,
    severity: Severity::Info,
    tier: Tier::OptIn(
        "naming the built image is how a project tags what it builds and pushes it to a registry",
    ),
    peers: &[Peer::Dclint("no-build-and-image")],
    formats: &[Format::Compose],
    summary: "a service sets both `build` and `image`",
    what: "Reports a service that sets both `build` and `image` (in any of the project's files, `extends` and override files merged), unless it sets `pull_policy: build`. The finding points at `image` and names where `build` is. When it is intended (the image names the tag to build and push, as with `docker compose build && docker compose push`), leave the rule off or suppress the finding.",
    why: "With both, Compose treats the name as an image it may already have: `docker compose up` runs a local or pulled image of that name and does not rebuild, so the container may not match the sources next to the file, and `docker compose pull` may replace the local build with a registry's image.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    build: ./api
    image: example/api:latest
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    build: ./api
"#,
    },
};

impl Rule for BuildAndImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        for s in &view.services {
            let (Some((image_layer, image)), Some((build_layer, build))) = (
                s.last(|x| x.image.as_ref()),
                s.last(|x| x.build.as_ref()),
            ) else {
                continue;
            };
            let pull_build = s.layers.iter().any(|l| {
                l.svc.keys.iter().any(|k| k.value == "pull_policy")
                    && view.file(l).spec.docs.iter().any(|d| {
                        d.get("services")
                            .and_then(|x| x.get(&l.svc.name.value))
                            .and_then(|x| x.get("pull_policy"))
                            .and_then(|v| v.as_str())
                            .is_some_and(|v| v.trim() == "build")
                    })
            });
            if pull_build {
                continue;
            }
            let d = cx.report(
                view.file_id(&image_layer),
                image.span,
                format!(
                    "service \"{}\" sets both `build` and `image` \"{}\"",
                    s.name, image.value
                ),
            );
            d.help = Some(
                "remove `image` to always run what is built, or set `pull_policy: build` if the name is the tag to build and push"
                    .into(),
            );
            d.related.push(Related {
                file: view.file_id(&build_layer),
                span: build.span,
                message: "`build` set here".into(),
            });
        }
    }
}
