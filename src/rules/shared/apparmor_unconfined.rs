//! `security/apparmor-unconfined`: a container turns AppArmor off.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::model::Profile;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ApparmorUnconfined;

static META: RuleMeta = RuleMeta {
    name: "apparmor-unconfined",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[Peer::Trivy("KSV002"), Peer::ComposeLint("CL-0009")],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a container runs with AppArmor turned off",
    what: "Reports a container whose AppArmor profile is `Unconfined`: Kubernetes `appArmorProfile.type: Unconfined` in the container's or the pod's `securityContext`, or the annotation `container.apparmor.security.beta.kubernetes.io/<container>: unconfined`; Compose `security_opt: [\"apparmor:unconfined\"]` (or `apparmor=unconfined`); the Marathon Docker parameter `security-opt` with the same value. The finding points at the entry that turns it off.",
    why: "On hosts with AppArmor the runtime's default profile denies a container writes to `/proc` and `/sys` files that reach the host's kernel, mounting, and raw access to kernel interfaces; several container escapes were blocked by it alone. Turning it off removes that layer. The Pod Security Standards' baseline profile forbids it.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  fuse-mounter:
    image: example/fuse-mounter:1.2
    security_opt:
      - apparmor:unconfined
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  fuse-mounter:
    image: example/fuse-mounter:1.2
    security_opt:
      - apparmor:fuse-mounter
"#,
    },
};

impl Rule for ApparmorUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            let mut reported = Vec::new();
            for c in &w.containers {
                let Some(p) = &c.hardening.apparmor else {
                    continue;
                };
                if p.value != Profile::Unconfined || reported.contains(&p.loc) {
                    continue;
                }
                reported.push(p.loc);
                let shared = w
                    .containers
                    .iter()
                    .filter(|o| o.hardening.apparmor.as_ref().is_some_and(|q| q.loc == p.loc))
                    .count();
                let who = if shared > 1 {
                    format!("the pod of {}", w.describe())
                } else {
                    w.describe_container(c)
                };
                cx.report_at(p.loc, format!("{who} runs with AppArmor turned off (`Unconfined`)"))
                    .help = Some(
                    "remove the setting so the runtime's default profile applies, or load a profile made for the process and name it".into(),
                );
            }
        }
    }
}
