//! The Linux hardening settings of containers and workloads, as the specs write
//! them: capabilities dropped, privilege escalation, read-only root filesystem,
//! seccomp and AppArmor profiles, `/proc` masking, devices, kernel parameters and
//! the UTS and user namespaces. Each setting keeps the entry that sets it, so a rule
//! can point at it; a setting the spec leaves out is `None` (or empty).

use crate::source::{Loc, Located};

/// A seccomp or AppArmor profile a spec asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Profile {
    /// The container runtime's default profile (`RuntimeDefault`, `runtime/default`,
    /// `docker/default`).
    RuntimeDefault,
    /// No profile: the confinement is off (`Unconfined`, `seccomp:unconfined`).
    Unconfined,
    /// A profile of the node's or the project's own (`Localhost`, a profile file).
    Custom,
}

impl Profile {
    /// Reads a profile as Kubernetes annotations and Docker's `--security-opt`
    /// write it (`runtime/default`, `docker/default`, `unconfined`,
    /// `localhost/<name>`, a path to a JSON profile), in any case.
    pub(crate) fn from_text(text: &str) -> Option<Profile> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let lower = t.to_ascii_lowercase();
        Some(match lower.as_str() {
            "unconfined" => Profile::Unconfined,
            "runtime/default" | "docker/default" | "runtimedefault" | "default" => {
                Profile::RuntimeDefault
            }
            _ => Profile::Custom,
        })
    }
}

/// A container's hardening settings (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Hardening {
    /// Capabilities removed from the default set, as written (`ALL`, `NET_RAW`,
    /// `CAP_NET_RAW`), each with the span of its item: Kubernetes
    /// `securityContext.capabilities.drop`, Compose `cap_drop`, Marathon docker
    /// parameter `cap-drop`.
    pub(crate) cap_drop: Vec<Located<String>>,
    /// Whether the process may gain privileges through setuid binaries or file
    /// capabilities, when the spec says: `false` for Kubernetes
    /// `allowPrivilegeEscalation: false` and Docker's `no-new-privileges`, `true`
    /// for `allowPrivilegeEscalation: true` and `no-new-privileges:false`.
    pub(crate) privilege_escalation: Option<Located<bool>>,
    /// Kubernetes `readOnlyRootFilesystem`, Compose `read_only`, Marathon docker
    /// parameter `read-only`.
    pub(crate) read_only_root: Option<Located<bool>>,
    /// The seccomp profile: the container's own, else its pod's (Kubernetes
    /// `seccompProfile.type` or the older annotations), Docker's
    /// `--security-opt seccomp=...`.
    pub(crate) seccomp: Option<Located<Profile>>,
    /// The AppArmor profile, found the same way (`appArmorProfile.type`, the
    /// `container.apparmor.security.beta.kubernetes.io/<name>` annotation,
    /// `--security-opt apparmor=...`).
    pub(crate) apparmor: Option<Located<Profile>>,
    /// Kubernetes `securityContext.procMount`, as written (`Default`, `Unmasked`).
    pub(crate) proc_mount: Option<Located<String>>,
    /// Host devices handed to the container, as written (Compose `devices`,
    /// Marathon docker parameter `device`).
    pub(crate) devices: Vec<Located<String>>,
    /// Some hardening setting is written with a value the scan cannot know (a
    /// Compose `${VARIABLE}` without a default), or the service may get its settings
    /// from a file the project does not merge: rules about a missing setting stay
    /// silent.
    pub(crate) unresolved: bool,
}

/// A workload's settings that hold for all of its containers.
#[derive(Clone, Debug, Default)]
pub struct WorkloadHardening {
    /// The entry that shares the host's UTS namespace (hostname and domain name):
    /// Compose `uts: host`, Marathon docker parameter `uts=host`.
    pub(crate) host_uts: Option<Loc>,
    /// The entry that turns the user namespace off where the daemon would give the
    /// container one: Compose `userns_mode: host`, Marathon docker parameter
    /// `userns=host`.
    pub(crate) host_userns: Option<Loc>,
    /// Kernel parameters set for the workload's namespaces (Kubernetes pod
    /// `securityContext.sysctls`, Compose `sysctls`, Marathon docker parameter
    /// `sysctl`).
    pub(crate) sysctls: Vec<Sysctl>,
    /// A Windows pod (`spec.os.name: windows`): Linux hardening does not apply.
    pub(crate) windows: bool,
    /// A Kubernetes pod in a user namespace of its own (`hostUsers: false`).
    pub(crate) own_user_namespace: bool,
}

/// One kernel parameter a spec sets.
#[derive(Clone, Debug)]
pub struct Sysctl {
    /// The name, with slashes read as dots (`net.ipv4.ip_forward`).
    pub(crate) name: String,
    /// The entry that sets it.
    pub(crate) loc: Loc,
}

#[cfg(test)]
mod tests {
    use super::Profile;

    #[test]
    fn profiles_read_in_any_spelling() {
        assert_eq!(Profile::from_text("Unconfined"), Some(Profile::Unconfined));
        assert_eq!(
            Profile::from_text("runtime/default"),
            Some(Profile::RuntimeDefault)
        );
        assert_eq!(
            Profile::from_text("docker/default"),
            Some(Profile::RuntimeDefault)
        );
        assert_eq!(
            Profile::from_text("localhost/my-profile"),
            Some(Profile::Custom)
        );
        assert_eq!(
            Profile::from_text("/etc/seccomp.json"),
            Some(Profile::Custom)
        );
        assert_eq!(Profile::from_text(" "), None);
    }
}
