//! `reliability/latest-image-tag`: an image without a tag, or tagged `latest`.

use super::image_ref;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct LatestImageTag;

static META: RuleMeta = RuleMeta {
    name: "latest-image-tag",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("latest-tag"),
        Peer::KubeScore("container-image-tag"),
        Peer::Checkov("CKV_K8S_14"),
        Peer::Trivy("KSV013"),
        Peer::Polaris("tagNotSpecified"),
        Peer::Dclint("service-image-require-explicit-tag"),
        Peer::ComposeLint("CL-0004"),
    ],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Marathon,
        Format::Flocker,
        Format::Brooklyn,
    ],
    summary: "an image has no tag or uses the `latest` tag",
    what: "Reports a container image written without a tag (which means `latest`) or with the `latest` tag, unless it is pinned by digest. Images a Compose service builds itself (`build:`) are not reported.",
    why: "`latest` moves: two hosts, or the same host a week apart, pull different code under the same spec, so rollbacks and reproductions stop meaning anything.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  cache:
    image: redis
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  cache:
    image: redis:7.4
"#,
    },
};

impl Rule for LatestImageTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                let Some(image) = &c.image else { continue };
                if c.build.is_some()
                    || image.value.is_empty()
                    || image_ref::is_templated(&image.value)
                {
                    continue;
                }
                let r = image_ref::parse(&image.value);
                if r.digest.is_some() {
                    continue;
                }
                let message = match r.tag {
                    None => format!(
                        "image \"{}\" has no tag, so it means \"latest\"",
                        image.value
                    ),
                    Some("latest") => format!("image \"{}\" uses the \"latest\" tag", image.value),
                    Some(_) => continue,
                };
                cx.report_at(image.loc, message).help = Some(format!(
                    "pin a version tag (`{}:<version>`) or a digest (`{}@sha256:...`)",
                    r.repository, r.repository
                ));
            }
        }
    }
}
