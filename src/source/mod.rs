//! The ground floor: the files a scan reads and the places in them. Paths, the
//! walk that finds candidate files, byte spans and the locations (file + span)
//! every finding and model field carries, the spec formats by name, and the
//! small text helpers every layer above shares.

pub(crate) mod atomic;
pub(crate) mod changed;
pub(crate) mod discover;
mod file;
mod format;
mod locate;
mod path;
mod span;
mod suggest;
mod walk_types;
pub(crate) mod walked;

pub(crate) use discover::PROCFILE;
pub use file::{Evidence, FileId, Loc, Located};
pub use format::Format;
pub(crate) use locate::{Locator, SourceText};
pub(crate) use path::{display_path, normalize};
pub use span::{LineCol, LineIndex, Span, Spanned};
pub(crate) use suggest::{closest, closest_by};
