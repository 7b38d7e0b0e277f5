//! Rules that read only the normalized model, so they apply to every format.

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![]
}
