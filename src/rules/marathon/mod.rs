//! Rules for marathon specs.

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![]
}
