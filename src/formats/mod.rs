//! One module per spec format: its typed model, read from the span tree, and what
//! the format itself knows (names, keys, constants); `detect` decides which format
//! a file is. Grouping files into projects is `project`'s, lowering is `model`'s.

pub(crate) mod brooklyn;
pub(crate) mod compose;
pub(crate) mod detect;
pub(crate) mod flocker;
pub(crate) mod helm;
pub(crate) mod kubernetes;
pub(crate) mod marathon;
pub(crate) mod procfile;
pub(crate) mod util;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::builtin::WRONG_TYPE;
use crate::source::FileId;
use crate::yaml::Node;
use crate::yaml::de::DeError;

/// Turns a deserialization error into a `syntax/wrong-type` finding at its value.
pub(crate) fn wrong_type(file: FileId, fallback: &Node, err: DeError, what: &str) -> Diagnostic {
    let span = err.span.unwrap_or(fallback.span);
    Diagnostic::new(&WRONG_TYPE, file, span, format!("{what}: {}", err.message))
}
