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

use crate::diagnostic::builtin::{UNKNOWN_KEY, WRONG_TYPE};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::source::{FileId, Span, closest};
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
/// key, with the closest known key when one is close (and the unsafe fix that
/// renames the key to it; `doc` is a node that holds the key's mapping).
pub(crate) fn unknown_key(file: FileId, key: &UnknownKey, what: &str, doc: &Node) -> Diagnostic {
    let mut message = format!("{what}: unknown key `{}`", key.path);
    let known = closest(&key.key, key.fields.iter().copied());
    if let Some(known) = known {
        message.push_str(&format!("; did you mean `{known}`?"));
    }
    let mut d = Diagnostic::new(&UNKNOWN_KEY, file, key.span, message);
    if let (Some(known), Some((map, _, _))) = (
        known,
        crate::yaml::edit::entry_at(std::slice::from_ref(doc), key.span),
    ) {
        rename_key_fix(&mut d, key.span, &key.key, known, map);
    }
    d
}

/// Attaches to an unknown-key finding the fix that renames the key to the one it
/// was probably meant to be: unsafe, since the value then takes effect (or is
/// refused). Only for a plain key (its span is its text) whose mapping does not
/// hold the other key already (the rename would make a duplicate).
pub(crate) fn rename_key_fix(d: &mut Diagnostic, span: Span, key: &str, to: &str, map: &Node) {
    let plain = span.len() == key.len();
    let taken = map
        .as_mapping()
        .unwrap_or_default()
        .iter()
        .any(|(k, _)| k.as_str() == Some(to));
    if plain && !taken {
        d.fix_with(
            format!("Rename `{key}` to `{to}`"),
            Applicability::Unsafe,
            [(span, to.to_string())],
        );
    }
}
