//! The integration tests, in one binary (one link instead of one per file).
//!
//! Each module was once its own `tests/*.rs` binary; they run from the crate root,
//! so paths such as `fixtures/...` print relative. Snapshots live in
//! `tests/it/snapshots/<module>/`. `cargo test latest_image_tag` runs that rule's
//! fixture cases (see `fixtures`).

mod advise;
mod cache;
mod ci;
mod cli;
mod compose_scan;
mod conventions;
mod corpus;
mod example;
mod fix;
mod fixtures;
mod formats;
mod install;
mod migrate;
mod migrate_nomad;
mod rule_docs;
mod spec_formats;
mod suppressions;
mod walk_cache;
