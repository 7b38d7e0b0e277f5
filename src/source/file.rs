//! Which file of the scan, and where in it.

use serde::Serialize;

use super::span::{Span, Spanned};

/// Index of a spec file in the scan (its position in the sorted list of files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FileId(pub u32);

/// A place in one file of the scan: the file and the byte span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

impl Loc {
    pub(crate) fn new(file: FileId, span: Span) -> Self {
        Loc { file, span }
    }
}

/// A value together with the place it was read from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Located<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Located<T> {
    pub(crate) fn new(value: T, loc: Loc) -> Self {
        Located { value, loc }
    }
}

impl<T> Spanned<T> {
    /// The value and its span, placed in a file.
    pub(crate) fn in_file(self, file: FileId) -> Located<T> {
        Located::new(self.value, Loc::new(file, self.span))
    }
}

impl<T: Clone> Spanned<T> {
    /// The value and its span, placed in a file.
    pub(crate) fn located(&self, file: FileId) -> Located<T> {
        Located::new(self.value.clone(), Loc::new(file, self.span))
    }
}

/// One piece of evidence: what was found, and where.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub loc: Loc,
    /// What it shows, in words (`deploy.placement`, `file name contains "stack"`).
    pub what: String,
}
