//! `security/compose-user-unset`: a Compose service that runs as its image's user
//! (root for most images) or as root explicitly.

use super::hardening::asks_for_settings;
use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ComposeUserUnset;

static META: RuleMeta = RuleMeta {
    name: "compose-user-unset",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("most Compose files leave the user to the image, and many official images (databases, web servers) start as root only to drop to their own user; the spec cannot tell those apart"),
    peers: &[],
    formats: &[Format::Compose],
    summary: "a Compose service runs as its image's user, or as root",
    what: "Reports a Compose service (merged with its override files) that sets no `user:`, pointing at the service's name, and one whose `user:` is root (`root`, `0`, `0:0`, `root:root`), pointing at the entry. Privileged services are left to `security/privileged-container`. Kubernetes containers are `security/run-as-root`'s.",
    why: "Without `user:` the container runs as the user its image names, which is root for most images unless the image's entrypoint drops privileges itself. A process running as root that escapes its container, through a kernel or runtime flaw or a mounted host path, is root on the host (unless the daemon remaps users).",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  worker:
    image: example/worker:3.2
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  worker:
    image: example/worker:3.2
    user: "10001:10001"
"#,
    },
};

/// Whether a `user:` value names root.
fn is_root(user: &str) -> bool {
    let name = user.trim().split(':').next().unwrap_or_default();
    name == "root" || name == "0"
}

impl Rule for ComposeUserUnset {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if w.format != Format::Compose {
                continue;
            }
            for c in &w.containers {
                if !asks_for_settings(w, c) {
                    continue;
                }
                let (loc, message) = match &c.user {
                    Some(u) if is_root(&u.value) => (
                        u.loc,
                        format!("{} runs as root: `user: {}`", w.describe(), u.value.trim()),
                    ),
                    Some(_) => continue,
                    None => (
                        c.name.loc,
                        format!(
                            "{} sets no `user:`: it runs as the user its image names, root for most images",
                            w.describe()
                        ),
                    ),
                };
                cx.report_at(loc, message).help = Some(
                    "set `user:` to a non-root user id (`user: \"10001:10001\"`); if the image drops privileges itself, suppress the finding with the reason".into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_root;

    #[test]
    fn root_by_name_or_id() {
        assert!(is_root("root"));
        assert!(is_root("0:0"));
        assert!(is_root(" 0 "));
        assert!(!is_root("1000"));
        assert!(!is_root("node"));
        assert!(!is_root("10001:0"));
    }
}
