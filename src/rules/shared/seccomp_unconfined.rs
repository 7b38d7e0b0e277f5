//! `security/seccomp-unconfined`: a container turns seccomp off.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::model::Profile;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct SeccompUnconfined;

static META: RuleMeta = RuleMeta {
    name: "seccomp-unconfined",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[Peer::ComposeLint("CL-0009")],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a container runs with seccomp turned off",
    what: "Reports a container whose seccomp profile is `Unconfined`: Kubernetes `seccompProfile.type: Unconfined` in the container's or the pod's `securityContext` (or the older `seccomp.security.alpha.kubernetes.io` annotations set to `unconfined`), Compose `security_opt: [\"seccomp:unconfined\"]` (or `seccomp=unconfined`), and the Marathon Docker parameter `security-opt` with the same value. The finding points at the entry that turns it off.",
    why: "The runtime's default seccomp profile blocks some forty system calls that containers do not need (`keyctl`, `add_key`, `bpf`, `unshare`, `mount`, kernel module calls, ...), several of which kernel escapes have used. Turning it off opens every system call of the host's kernel to the container. The Pod Security Standards' baseline profile forbids it.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  browser:
    image: example/headless-browser:5.0
    security_opt:
      - seccomp:unconfined
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  browser:
    image: example/headless-browser:5.0
    security_opt:
      - seccomp:./browser-seccomp.json
"#,
    },
};

impl Rule for SeccompUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            // A pod-level setting is one entry for all the pod's containers: one finding.
            let mut reported = Vec::new();
            for c in &w.containers {
                let Some(p) = &c.hardening.seccomp else {
                    continue;
                };
                if p.value != Profile::Unconfined || reported.contains(&p.loc) {
                    continue;
                }
                reported.push(p.loc);
                let shared = w
                    .containers
                    .iter()
                    .filter(|o| o.hardening.seccomp.as_ref().is_some_and(|q| q.loc == p.loc))
                    .count();
                let who = if shared > 1 {
                    format!("the pod of {}", w.describe())
                } else {
                    w.describe_container(c)
                };
                cx.report_at(
                    p.loc,
                    format!("{who} runs with seccomp turned off (`Unconfined`): every system call of the host's kernel is open to it"),
                )
                .help = Some(
                    "remove the setting so the runtime's default profile applies, or write a profile that allows only the extra calls the process needs".into(),
                );
            }
        }
    }
}
