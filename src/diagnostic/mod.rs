//! Findings as plain data: which rule, how severe, what and where. Output formats
//! turn these into text; rules never format output themselves.

pub mod builtin;
mod rule;

pub use rule::{Example, Family, Peer, RuleMeta, Severity, Tier};

use crate::source::{FileId, Loc, Span};

/// Another place that explains a finding (the first of two duplicate keys, the
/// Service whose selector matches nothing).
#[derive(Clone, Debug)]
pub(crate) struct Related {
    pub(crate) file: FileId,
    pub(crate) span: Span,
    pub(crate) message: String,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub file: FileId,
    /// The exact key or value that causes the finding.
    pub span: Span,
    /// A short label drawn under the span.
    pub(crate) label: Option<String>,
    pub(crate) help: Option<String>,
    pub(crate) related: Vec<Related>,
    /// Source ranges never to print (a secret's value): output formats that show
    /// source text mask them.
    pub(crate) redact: Vec<Span>,
    /// Text edits that would remove the cause, when the rule knows them.
    pub(crate) fix: Option<Fix>,
    /// The finding's key path when its file's tree is not at hand (a finding the
    /// content cache restored); otherwise computed from the tree when needed.
    pub(crate) key_path: Option<String>,
}

/// Whether applying a fix can change behaviour a user relies on (ruff's model):
/// safe fixes are applied by `--fix`, unsafe ones only with `--unsafe-fixes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One replacement of a byte range of a file's original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) file: FileId,
    /// The bytes to replace (empty for an insertion at `span.start`).
    pub(crate) span: Span,
    pub(crate) replacement: String,
}

/// A rule's proposed repair: text edits on the original bytes, never a
/// re-serialised document, so comments, quoting and key order survive.
#[derive(Clone, Debug)]
pub(crate) struct Fix {
    /// What the fix does, in the imperative ("Remove the obsolete `version` key").
    pub(crate) message: String,
    pub(crate) applicability: Applicability,
    pub(crate) edits: Vec<Edit>,
}

impl Diagnostic {
    pub fn new(rule: &'static RuleMeta, file: FileId, span: Span, message: String) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message,
            file,
            span,
            label: None,
            help: None,
            related: Vec::new(),
            redact: Vec::new(),
            fix: None,
            key_path: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Offers a fix made of these edits, all in the finding's file.
    pub(crate) fn fix_with(
        &mut self,
        message: impl Into<String>,
        applicability: Applicability,
        edits: impl IntoIterator<Item = (Span, String)>,
    ) {
        let file = self.file;
        self.fix = Some(Fix {
            message: message.into(),
            applicability,
            edits: edits
                .into_iter()
                .map(|(span, replacement)| Edit {
                    file,
                    span,
                    replacement,
                })
                .collect(),
        });
    }

    /// Where the finding points.
    pub(crate) fn loc(&self) -> Loc {
        Loc::new(self.file, self.span)
    }

    /// `family/name`, as shown to users.
    pub(crate) fn code(&self) -> String {
        self.rule.code()
    }
}
