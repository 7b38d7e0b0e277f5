//! `security/privilege-escalation-allowed`: a container's processes may gain more
//! privileges than they started with.

use super::hardening::asks_for_settings;
use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct PrivilegeEscalationAllowed;

static META: RuleMeta = RuleMeta {
    name: "privilege-escalation-allowed",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("a hardening baseline that most real specs do not set: the runtimes allow escalation unless told otherwise, and images whose entrypoint switches users with setuid tools need it"),
    peers: &[
        Peer::KubeLinter("privilege-escalation-container"),
        Peer::Checkov("CKV_K8S_20"),
        Peer::Trivy("KSV001"),
        Peer::Polaris("privilegeEscalationAllowed"),
        Peer::ComposeLint("CL-0003"),
    ],
    formats: &[Format::Compose, Format::Kubernetes],
    summary: "a container's processes may gain privileges through setuid binaries",
    what: "Reports a Kubernetes container whose `securityContext` does not set `allowPrivilegeEscalation: false`, and a Compose service without `no-new-privileges` (`security_opt: [\"no-new-privileges:true\"]`). An explicit `allowPrivilegeEscalation: true` or `no-new-privileges:false` is pointed at; otherwise the finding points at the container's name. Privileged containers and containers that add `SYS_ADMIN` (or `ALL`) are left to `security/privileged-container` and `security/dangerous-capability`: they always allow escalation, and Kubernetes refuses `allowPrivilegeEscalation: false` beside them.",
    why: "Without the kernel's `no_new_privs` flag a process can become root again through a setuid binary or a file with capabilities in the image (`su`, `sudo`, `ping` in older images), undoing `runAsNonRoot` or a non-root `user:`. The Pod Security Standards' restricted profile requires `allowPrivilegeEscalation: false`.",
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
          securityContext:
            runAsNonRoot: true
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
      containers:
        - name: api
          image: example/api:2.3
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
"#,
    },
};

impl Rule for PrivilegeEscalationAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                // `CAP_SYS_ADMIN` (or every capability) always allows escalation, and
                // Kubernetes refuses `allowPrivilegeEscalation: false` beside it:
                // `security/dangerous-capability` reports the capability.
                let sys_admin = c.cap_add.iter().any(|cap| {
                    let name = cap.value.trim().to_ascii_uppercase();
                    matches!(
                        name.strip_prefix("CAP_").unwrap_or(&name),
                        "SYS_ADMIN" | "ALL"
                    )
                });
                if !asks_for_settings(w, c) || sys_admin {
                    continue;
                }
                let (help, setting) = match w.format {
                    Format::Kubernetes => (
                        "set `allowPrivilegeEscalation: false` in the container's `securityContext`",
                        "`allowPrivilegeEscalation: true`",
                    ),
                    _ => (
                        "add `security_opt: [\"no-new-privileges:true\"]` to the service",
                        "`no-new-privileges:false`",
                    ),
                };
                let (loc, message) = match &c.hardening.privilege_escalation {
                    Some(p) if !p.value => continue,
                    Some(p) => (
                        p.loc,
                        format!(
                            "{} allows privilege escalation: it sets {setting}",
                            w.describe_container(c)
                        ),
                    ),
                    None => (
                        c.name.loc,
                        format!(
                            "{} does not forbid privilege escalation: its processes may gain privileges through setuid binaries",
                            w.describe_container(c)
                        ),
                    ),
                };
                cx.report_at(loc, message).help = Some(help.into());
            }
        }
    }
}
