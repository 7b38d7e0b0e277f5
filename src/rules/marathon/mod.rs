//! Rules for marathon specs.

super::register! {
    missing_health_check::MissingHealthCheck,
    fixed_host_port_without_unique_hostname::FixedHostPortWithoutUniqueHostname,
    persistent_volume_upgrade_strategy::PersistentVolumeUpgradeStrategy,
}
