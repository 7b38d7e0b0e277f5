//! The ground floor: the files a scan reads and the places in them. Paths, the
//! walk that finds candidate files, byte spans and the locations (file + span)
//! every finding and model field carries, the spec formats by name, and the
//! small text helpers every layer above shares.

pub mod atomic;
pub mod changed;
pub mod discover;
mod file;
mod format;
mod locate;
mod span;
mod suggest;

pub use discover::{PROCFILE, display_path, is_candidate_name};
pub use file::{Evidence, FileId, Loc, Located};
pub use format::Format;
pub use locate::{Locator, SourceText};
pub use span::{LineCol, LineIndex, Span, Spanned};
pub use suggest::{closest, closest_by};
