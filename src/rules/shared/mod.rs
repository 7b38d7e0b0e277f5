//! Rules that read only the normalized model, so they apply to every format.

mod docker_socket_mount;
mod duplicate_env_var;
mod host_network;
mod image_ref;
mod latest_image_tag;
mod missing_resource_limits;
mod privileged_container;
mod secret_in_env;

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &docker_socket_mount::DockerSocketMount,
        &duplicate_env_var::DuplicateEnvVar,
        &host_network::HostNetwork,
        &latest_image_tag::LatestImageTag,
        &missing_resource_limits::MissingResourceLimits,
        &privileged_container::PrivilegedContainer,
        &secret_in_env::SecretInEnv,
    ]
}
