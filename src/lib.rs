//! orchlint: lints container deployment specs and advises which orchestrator fits.

pub mod advise;
pub mod atomic;
pub mod baseline;
pub mod changed;
pub mod cli;
pub mod config;
pub mod detect;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod engine;
pub mod formats;
pub mod keypath;
pub mod model;
pub mod project;
pub mod report;
pub mod rules;
pub mod span;
pub mod suppress;
pub mod yaml;
