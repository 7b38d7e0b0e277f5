//! Rules for marathon specs.

mod fixed_host_port_without_unique_hostname;
mod missing_health_check;
mod persistent_volume_upgrade_strategy;

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &missing_health_check::MissingHealthCheck,
        &fixed_host_port_without_unique_hostname::FixedHostPortWithoutUniqueHostname,
        &persistent_volume_upgrade_strategy::PersistentVolumeUpgradeStrategy,
    ]
}
