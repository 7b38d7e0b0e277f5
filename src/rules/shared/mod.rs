//! Rules that read only the normalized model, so they apply to every format.

mod dangerous_capability;
mod docker_socket_mount;
mod duplicate_env_var;
mod host_network;
mod host_pid_or_ipc;
mod image_ref;
mod latest_image_tag;
mod missing_resource_limits;
mod privileged_container;
mod secret_in_env;
mod sensitive_host_mount;

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &dangerous_capability::DangerousCapability,
        &docker_socket_mount::DockerSocketMount,
        &duplicate_env_var::DuplicateEnvVar,
        &host_network::HostNetwork,
        &host_pid_or_ipc::HostPidOrIpc,
        &latest_image_tag::LatestImageTag,
        &missing_resource_limits::MissingResourceLimits,
        &privileged_container::PrivilegedContainer,
        &secret_in_env::SecretInEnv,
        &sensitive_host_mount::SensitiveHostMount,
    ]
}
