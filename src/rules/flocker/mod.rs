//! Rules for Flocker application and deployment configs.

mod multiple_flocker_volumes;
mod undefined_flocker_application;

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &undefined_flocker_application::UndefinedFlockerApplication,
        &multiple_flocker_volumes::MultipleFlockerVolumes,
    ]
}
