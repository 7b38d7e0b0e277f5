//! Rules that read only the normalized model, so they apply to every format.

mod hardening;
mod image_ref;

super::register! {
    dangerous_capability::DangerousCapability,
    docker_socket_mount::DockerSocketMount,
    duplicate_env_var::DuplicateEnvVar,
    host_network::HostNetwork,
    host_pid_or_ipc::HostPidOrIpc,
    latest_image_tag::LatestImageTag,
    missing_resource_limits::MissingResourceLimits,
    privileged_container::PrivilegedContainer,
    secret_in_env::SecretInEnv,
    sensitive_host_mount::SensitiveHostMount,
    ssh_port_exposed::SshPortExposed,
    capabilities_not_dropped::CapabilitiesNotDropped,
    privilege_escalation_allowed::PrivilegeEscalationAllowed,
    writable_root_filesystem::WritableRootFilesystem,
    missing_seccomp_profile::MissingSeccompProfile,
    seccomp_unconfined::SeccompUnconfined,
    apparmor_unconfined::ApparmorUnconfined,
    image_not_pinned_by_digest::ImageNotPinnedByDigest,
    unsafe_sysctls::UnsafeSysctls,
    unmasked_proc_mount::UnmaskedProcMount,
    host_port::HostPort,
    writable_host_mount::WritableHostMount,
    host_uts_or_userns::HostUtsOrUserns,
    device_mount::DeviceMount,
    compose_user_unset::ComposeUserUnset,
}

/// The spans of the literal secrets in a project's environment (see
/// `security/secret-in-env`), found whether or not that rule runs.
pub(crate) fn secret_spans(
    model: &crate::model::DeploymentModel,
    files: &[crate::project::SpecFile],
) -> Vec<crate::source::Loc> {
    secret_in_env::literal_secrets(model, files)
        .into_iter()
        .map(|(_, _, value, _)| value.loc)
        .collect()
}
