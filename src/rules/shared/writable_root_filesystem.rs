//! `security/writable-root-filesystem`: a container may write to its image's
//! filesystem.

use super::hardening::asks_for_settings;
use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct WritableRootFilesystem;

static META: RuleMeta = RuleMeta {
    name: "writable-root-filesystem",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("a hardening baseline that most real specs do not follow: many images write to their own filesystem (caches, pid files, temporary files) and need volumes for those paths first"),
    peers: &[
        Peer::KubeLinter("no-read-only-root-fs"),
        Peer::KubeScore("container-security-context-readonlyrootfilesystem"),
        Peer::Checkov("CKV_K8S_22"),
        Peer::Trivy("KSV014"),
        Peer::Polaris("notReadOnlyRootFilesystem"),
        Peer::ComposeLint("CL-0007"),
    ],
    formats: &[Format::Compose, Format::Kubernetes],
    summary: "a container's root filesystem is writable",
    what: "Reports a Kubernetes container whose `securityContext` does not set `readOnlyRootFilesystem: true`, and a Compose service without `read_only: true`. An explicit `false` is pointed at; otherwise the finding points at the container's name. Privileged containers are left to `security/privileged-container`.",
    why: "A writable root filesystem lets an attacker who runs code in the container replace its binaries and libraries, drop tools, and persist until the container is recreated. With a read-only root the paths the process must write are declared (an `emptyDir`, a `tmpfs`, a volume), and everything else stays as the image shipped it.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.3
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.3
    read_only: true
    tmpfs: [/tmp]
"#,
    },
};

impl Rule for WritableRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                if !asks_for_settings(w, c) {
                    continue;
                }
                let help = match w.format {
                    Format::Kubernetes => "set `readOnlyRootFilesystem: true` in the container's `securityContext` and mount an `emptyDir` where the process must write",
                    _ => "set `read_only: true` and mount a `tmpfs` or a volume where the process must write",
                };
                let (loc, message) = match &c.hardening.read_only_root {
                    Some(r) if r.value => continue,
                    Some(r) => (
                        r.loc,
                        format!(
                            "{} has a writable root filesystem: the spec turns read-only off",
                            w.describe_container(c)
                        ),
                    ),
                    None => (
                        c.name.loc,
                        format!(
                            "{} has a writable root filesystem",
                            w.describe_container(c)
                        ),
                    ),
                };
                cx.report_at(loc, message).help = Some(help.into());
            }
        }
    }
}
