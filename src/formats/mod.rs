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

/// The Kubernetes release a scan judges API versions against.
pub use kubernetes::release::Release as KubernetesRelease;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::builtin::{UNKNOWN_KEY, WRONG_TYPE};
use crate::source::{FileId, closest};
use crate::yaml::Node;
use crate::yaml::de::{DeError, UnknownKey};

/// Turns a deserialization error into a `syntax/wrong-type` finding at its value:
/// `<what>: <key path>: <error>` (the key path when the read kept it).
pub(crate) fn wrong_type(file: FileId, fallback: &Node, err: DeError, what: &str) -> Diagnostic {
    let span = err.span.unwrap_or(fallback.span);
    let message = match err.path.as_deref().filter(|p| !p.is_empty()) {
        Some(path) => format!("{what}: {path}: {}", err.message),
        None => format!("{what}: {}", err.message),
    };
    Diagnostic::new(&WRONG_TYPE, file, span, message)
}

/// Turns a key its struct does not know into a `schema/unknown-key` finding at the
/// key, with the closest known key when one is close.
pub(crate) fn unknown_key(file: FileId, key: &UnknownKey, what: &str) -> Diagnostic {
    let mut message = format!("{what}: unknown key `{}`", key.path);
    if let Some(known) = closest(&key.key, key.fields.iter().copied()) {
        message.push_str(&format!("; did you mean `{known}`?"));
    }
    Diagnostic::new(&UNKNOWN_KEY, file, key.span, message)
}
