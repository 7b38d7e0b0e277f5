//! `security/image-not-pinned-by-digest`: an image named by tag, not by digest.

use super::image_ref;
use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ImageNotPinnedByDigest;

static META: RuleMeta = RuleMeta {
    name: "image-not-pinned-by-digest",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("an opinion: pinning by digest makes every update a change to the spec, which teams that follow release tags on purpose do not want"),
    peers: &[Peer::Checkov("CKV_K8S_43"), Peer::ComposeLint("CL-0019")],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "an image is named by tag rather than pinned by digest",
    what: "Reports an image reference without a digest (`@sha256:...`), pointing at it. Images the spec builds itself (Compose `build`) and references still holding template or variable syntax are left out; an image without a tag or tagged `latest` is reported here too, and by `reliability/latest-image-tag`.",
    why: "A tag is a name the registry's owner can move: `postgres:16.3` today and after a re-push are different bytes, so a redeploy can run code nobody reviewed, and a compromised registry account can replace it. A digest names exactly one image; tools such as Renovate keep digests current.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16.3
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16.3@sha256:0a6b8ea9b47a3bf4ff0d2d8df5dbb2d77fb4a5c25db4c26b04f4c3eb5a8f6c1e
"#,
    },
};

impl Rule for ImageNotPinnedByDigest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if !matches!(
                w.format,
                Format::Compose | Format::Kubernetes | Format::Marathon
            ) {
                continue;
            }
            for c in &w.containers {
                let Some(image) = &c.image else { continue };
                if c.build.is_some()
                    || image.value.trim().is_empty()
                    || image_ref::is_templated(&image.value)
                {
                    continue;
                }
                let r = image_ref::parse(image.value.trim());
                // `redis:${TAG}` with the variable unset reads `redis:`: the tag, and
                // whether a digest follows it, are decided at deploy time.
                let unresolved = r.tag == Some("")
                    || r.repository.is_empty()
                    || r.repository.ends_with('/');
                if r.digest.is_some() || unresolved {
                    continue;
                }
                cx.report_at(
                    image.loc,
                    format!("image \"{}\" is not pinned by digest", image.value.trim()),
                )
                .help = Some(format!(
                    "pin the digest the tag stands for (`{}@sha256:...`, keeping the tag before it for readers) and let a bot such as Renovate update it",
                    r.repository
                ));
            }
        }
    }
}
