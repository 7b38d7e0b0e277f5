//! Rules that read only the normalized model, so they apply to every format.

mod privileged_container;

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&privileged_container::PrivilegedContainer]
}
