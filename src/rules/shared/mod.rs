//! Rules that read only the normalized model, so they apply to every format.

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
}
