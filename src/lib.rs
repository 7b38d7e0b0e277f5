//! orchlint: lints container deployment specs and advises which orchestrator fits.

pub mod detect;
pub mod diagnostic;
pub mod formats;
pub mod model;
pub mod project;
pub mod rules;
pub mod span;
pub mod yaml;
