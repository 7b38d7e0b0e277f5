//! `security/capabilities-not-dropped`: a container keeps the runtime's default
//! capabilities.

use super::hardening::asks_for_settings;
use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct CapabilitiesNotDropped;

static META: RuleMeta = RuleMeta {
    name: "capabilities-not-dropped",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("a hardening baseline that most real specs do not follow yet: the runtime's default capabilities are what nearly every image is tested with"),
    peers: &[
        Peer::Checkov("CKV_K8S_37"),
        Peer::Trivy("KSV003"),
        Peer::ComposeLint("CL-0006"),
    ],
    formats: &[Format::Compose, Format::Kubernetes],
    summary: "a container keeps the default capabilities instead of dropping them all",
    what: "Reports a container that does not drop `ALL` capabilities: Kubernetes `securityContext.capabilities.drop` without `ALL`, Compose `cap_drop` without `ALL`. A drop list that names some capabilities is pointed at; otherwise the finding points at the container's name, and says whether `NET_RAW` (the one kube-linter and Checkov single out) is still kept. Privileged containers are left to `security/privileged-container`.",
    why: "Container runtimes give every container a default set of about fourteen capabilities (`NET_RAW`, `CHOWN`, `SETUID`, `DAC_OVERRIDE`, `MKNOD`, ...), most of which a service never uses. `NET_RAW` alone lets a process forge packets and spoof other pods' traffic on the node's network. Dropping `ALL` and adding back only what the process needs (`cap_add`, `capabilities.add`) shrinks what an attacker inside the container can do.",
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
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
"#,
    },
};

/// The capability's name without case or `CAP_` prefix.
fn normalize(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or(upper.clone(), str::to_string)
}

impl Rule for CapabilitiesNotDropped {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                if !asks_for_settings(w, c) {
                    continue;
                }
                let dropped: Vec<String> =
                    c.hardening.cap_drop.iter().map(|d| normalize(&d.value)).collect();
                if dropped.iter().any(|d| d == "ALL") {
                    continue;
                }
                let net_raw = if dropped.iter().any(|d| d == "NET_RAW") {
                    ""
                } else {
                    ", NET_RAW included"
                };
                let (loc, message) = match c.hardening.cap_drop.first() {
                    Some(first) => (
                        first.loc,
                        format!(
                            "{} drops only some capabilities and keeps the rest of the runtime's default set{net_raw}",
                            w.describe_container(c)
                        ),
                    ),
                    None => (
                        c.name.loc,
                        format!(
                            "{} drops no capabilities: it keeps the runtime's default set{net_raw}",
                            w.describe_container(c)
                        ),
                    ),
                };
                let help = match w.format {
                    Format::Kubernetes => "set `securityContext.capabilities.drop: [ALL]` and add back only the capabilities the process needs",
                    _ => "set `cap_drop: [ALL]` and add back only the capabilities the process needs with `cap_add`",
                };
                cx.report_at(loc, message).help = Some(help.into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn capability_names_in_any_spelling() {
        assert_eq!(normalize("cap_net_raw"), "NET_RAW");
        assert_eq!(normalize(" all "), "ALL");
    }
}
