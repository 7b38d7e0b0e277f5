//! Rules for marathon specs.

super::register! {
    missing_health_check::MissingHealthCheck,
    fixed_host_port_without_unique_hostname::FixedHostPortWithoutUniqueHostname,
    persistent_volume_upgrade_strategy::PersistentVolumeUpgradeStrategy,
    duplicate_marathon_id::DuplicateMarathonId,
    undefined_marathon_dependency::UndefinedMarathonDependency,
    health_check_port_index_out_of_range::HealthCheckPortIndexOutOfRange,
    invalid_marathon_constraint::InvalidMarathonConstraint,
    isolation_removing_parameter::IsolationRemovingParameter,
    port_network_mode_mismatch::PortNetworkModeMismatch,
    readiness_check_port_missing::ReadinessCheckPortMissing,
    multiple_mesos_health_checks::MultipleMesosHealthChecks,
}
