//! Helpers for unit tests across the floors: spec files from texts, grouped,
//! lowered and linted as the engine would. Test-only, so it may reach every floor.

pub(crate) mod compose;
pub(crate) mod kubernetes;
pub(crate) mod marathon;
