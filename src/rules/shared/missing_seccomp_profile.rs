//! `security/missing-seccomp-profile`: a Kubernetes pod runs without a seccomp
//! profile.

use super::hardening::asks_for_settings;
use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingSeccompProfile;

static META: RuleMeta = RuleMeta {
    name: "missing-seccomp-profile",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("a hardening baseline that most real manifests do not set yet, and clusters that turn on the kubelet's `SeccompDefault` apply the runtime's profile without it"),
    peers: &[
        Peer::KubeScore("container-seccomp-profile"),
        Peer::Checkov("CKV_K8S_31"),
        Peer::Trivy("KSV030"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a Kubernetes container runs without a seccomp profile",
    what: "Reports a Kubernetes container for which neither its own `securityContext.seccompProfile` nor its pod's sets a profile (nor the older `seccomp.security.alpha.kubernetes.io` annotations). When no container of the pod has one, one finding points at the workload's name; otherwise each container without one is pointed at by its name. `Unconfined` is left to `security/seccomp-unconfined`; privileged containers (seccomp does not apply) to `security/privileged-container`. Docker and Compose apply their default profile unless told not to, so Compose is not asked.",
    why: "Unlike Docker, the kubelet runs containers `Unconfined` unless the pod asks for a profile (or the node turns on `SeccompDefault`): every system call of the kernel is open to the container, including the rarely used ones where most kernel escapes are found. `seccompProfile: {type: RuntimeDefault}` blocks them at almost no cost; the Pod Security Standards' restricted profile requires it.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:2.3
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: api
          image: example/api:2.3
"#,
    },
};

const HELP: &str = "set `seccompProfile: {type: RuntimeDefault}` in the pod's `securityContext` (or a `Localhost` profile made for the process)";

impl Rule for MissingSeccompProfile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if w.format != Format::Kubernetes {
                continue;
            }
            let missing: Vec<_> = w
                .containers
                .iter()
                .filter(|c| asks_for_settings(w, c) && c.hardening.seccomp.is_none())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let none_has_one = w.containers.iter().all(|c| c.hardening.seccomp.is_none());
            if none_has_one {
                cx.report_at(
                    w.at,
                    format!("{} sets no seccomp profile for its pod", w.describe()),
                )
                .help = Some(HELP.into());
                continue;
            }
            for c in missing {
                cx.report_at(
                    c.name.loc,
                    format!(
                        "{} has no seccomp profile of its own or of its pod",
                        w.describe_container(c)
                    ),
                )
                .help = Some(HELP.into());
            }
        }
    }
}
