//! Rules for Apache Brooklyn blueprints (Clocker's included).

mod undefined_brooklyn_component;

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&undefined_brooklyn_component::UndefinedBrooklynComponent]
}
