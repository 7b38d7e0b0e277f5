//! Rules for Flocker application and deployment configs.

super::register! {
    undefined_flocker_application::UndefinedFlockerApplication,
    multiple_flocker_volumes::MultipleFlockerVolumes,
}
