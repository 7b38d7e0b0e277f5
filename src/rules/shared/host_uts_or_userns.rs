//! `security/host-uts-or-userns`: a container shares the host's UTS namespace or
//! opts out of the daemon's user namespace.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct HostUtsOrUserns;

static META: RuleMeta = RuleMeta {
    name: "host-uts-or-userns",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose, Format::Marathon],
    summary: "a container shares the host's UTS or user namespace",
    what: "Reports Compose `uts: host` and `userns_mode: host`, and the Marathon Docker parameters `uts=host` and `userns=host`, each pointing at the entry. Kubernetes has no UTS setting, and its `hostUsers: true` is the default, so Kubernetes is not asked.",
    why: "With the host's UTS namespace a process in the container can change the host's hostname and domain name. `userns_mode: host` turns off the user namespace that a daemon running with `userns-remap` gives every container: root in the container is then root on the host again, which is exactly what the remapping was set up to prevent.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  agent:
    image: example/agent:2.1
    uts: host
    userns_mode: host
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  agent:
    image: example/agent:2.1
    hostname: agent
"#,
    },
};

impl Rule for HostUtsOrUserns {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            let shared = [
                (
                    w.hardening.host_uts,
                    "shares the host's UTS namespace: it can change the host's hostname",
                    "remove the setting; set the container's own `hostname` if that is what it needs",
                ),
                (
                    w.hardening.host_userns,
                    "opts out of the daemon's user namespace: its root is the host's root",
                    "remove the setting; if the container needs host files, give it those paths with the right ownership instead",
                ),
            ];
            for (loc, what, help) in shared {
                let Some(loc) = loc else { continue };
                cx.report_at(loc, format!("{} {what}", w.describe())).help = Some(help.into());
            }
        }
    }
}
