//! The first step of loading a file: the size limit, the bytes, and the checks that
//! they are text (no NUL byte, UTF-8). What comes out is the text, or the file set
//! aside with the finding that says why.

use std::path::Path;

use super::{Loaded, StdinInput, classify, unread};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::builtin;
use crate::source::FileId;
use crate::source::Span;
use crate::source::discover::Candidate;

/// The text of one file (or of standard input, or the text `check --fix` gave it
/// in place of the file's), without a byte order mark; or the
/// file, set aside, when it is too large, unreadable, binary or not UTF-8.
pub(super) fn read(
    id: FileId,
    cand: &Candidate,
    name: &str,
    stdin: Option<&StdinInput>,
    overlay: Option<&String>,
) -> Result<String, Box<Loaded>> {
    let text = match (stdin, overlay) {
        (Some(input), _) => input.text.clone(),
        (None, Some(text)) => text.clone(),
        (None, None) => {
            let bytes = read_bytes(id, cand, name)?;
            if classify::is_foreign_bom(name, &bytes) {
                // `.bom` is also the extension of macOS installer bills of materials
                // (binary) and other tools' files: only Brooklyn catalogs are specs.
                let reason = "not a Brooklyn catalog: no `brooklyn` keys".to_string();
                return Err(Box::new(Loaded {
                    file: unread(id, &cand.path, None, Some(reason)),
                    diags: Vec::new(),
                }));
            }
            decode(id, &cand.path, bytes)?
        }
    };
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text))
}

/// The bytes of a file within its size limit.
fn read_bytes(id: FileId, cand: &Candidate, name: &str) -> Result<Vec<u8>, Box<Loaded>> {
    let path = &cand.path;
    if cand.size > cand.max_size {
        let d = Diagnostic::new(
            &builtin::FILE_TOO_LARGE,
            id,
            Span::empty(0),
            format!(
                "{} bytes is more than the limit of {} bytes; the file was not read (raise it with --max-file-size)",
                cand.size, cand.max_size
            ),
        );
        let guess = classify::format_by_name(name);
        let reason = "larger than --max-file-size".to_string();
        return Err(Box::new(Loaded {
            file: unread(id, path, guess, Some(reason)),
            diags: vec![d],
        }));
    }
    read_within(path, cand.max_size).map_err(|e| {
        let d = Diagnostic::new(
            &builtin::UNREADABLE_FILE,
            id,
            Span::empty(0),
            format!("cannot read the file: {e}"),
        );
        Box::new(Loaded {
            file: unread(id, path, None, Some(format!("unreadable: {e}"))),
            diags: vec![d],
        })
    })
}

/// The bytes of a file, failing when there are more than `max` (a FIFO or device
/// named on the command line has no size to check beforehand).
fn read_within(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!(
            "more than the limit of {max} bytes (raise it with --max-file-size)"
        )));
    }
    Ok(bytes)
}

/// The bytes as text, unless they are UTF-16 or UTF-32, hold a NUL byte, or are
/// not UTF-8.
fn decode(id: FileId, path: &Path, bytes: Vec<u8>) -> Result<String, Box<Loaded>> {
    if let Some(encoding) = wide_encoding(&bytes) {
        let d = Diagnostic::new(
            &builtin::UNREADABLE_FILE,
            id,
            Span::empty(0),
            format!(
                "the file is {encoding} text (byte order mark); {encoding} is not supported: save it as UTF-8"
            ),
        );
        return Err(Box::new(Loaded {
            file: unread(id, path, None, Some(encoding.into())),
            diags: vec![d],
        }));
    }
    if bytes.contains(&0) {
        let d = Diagnostic::new(
            &builtin::UNREADABLE_FILE,
            id,
            Span::empty(0),
            "the file is binary (it contains NUL bytes), not YAML or JSON".into(),
        );
        return Err(Box::new(Loaded {
            file: unread(id, path, None, Some("binary".into())),
            diags: vec![d],
        }));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let mut f = unread(id, path, None, Some("not UTF-8".into()));
        // Keep the valid prefix so the finding can show where it breaks.
        f.text = String::from_utf8_lossy(&e.into_bytes()[..at]).into_owned();
        let d = Diagnostic::new(
            &builtin::UNREADABLE_FILE,
            id,
            Span::empty(at),
            format!("the file is not UTF-8 text (invalid byte at offset {at})"),
        );
        Box::new(Loaded {
            file: f,
            diags: vec![d],
        })
    })
}

/// The encoding a UTF-16 or UTF-32 byte order mark announces.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Some("UTF-16"),
        _ => None,
    }
}
