//! orchlint: lints container deployment specs and advises which orchestrator fits.

pub mod advise;
pub mod baseline;
pub(crate) mod cache;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod engine;
pub mod fix;
pub mod formats;
pub mod keypath;
#[cfg(test)]
mod layers;
pub(crate) mod migrate;
pub mod model;
pub mod project;
pub mod report;
pub mod rules;
pub mod server;
pub mod source;
pub mod suppress;
#[cfg(test)]
mod testing;
pub mod yaml;
