//! Marathon specs: typed model, project grouping and lowering.
//!
//! A file holds an app, a pod, a group (apps, pods and nested groups), an array of
//! apps, or the `{"apps": [...]}` answer of the REST API. `read` turns each into
//! entries with absolute ids; `group` decides which files form one project; `lower`
//! maps every app and pod to a normalized workload.

pub(crate) mod model;
pub(crate) mod path;
pub(crate) mod read;
pub(crate) mod schema;

#[cfg(test)]
mod tests;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::yaml::Node;

pub(crate) use read::{AppEntry, GroupEntry, PodEntry};

/// The typed model of one Marathon file: every app, pod and group it defines, in
/// file order, with ids resolved against their groups.
#[derive(Debug, Default)]
pub struct MarathonFile {
    pub(crate) apps: Vec<AppEntry>,
    pub(crate) pods: Vec<PodEntry>,
    pub(crate) groups: Vec<GroupEntry>,
    /// Values Marathon's API refuses, found while reading (see `schema`).
    pub(crate) invalid: Vec<(Span, String)>,
    /// Keys Marathon's API requires that an app, pod or one of their objects lacks.
    pub(crate) missing: Vec<(Span, String)>,
}

/// Reads the typed model from a file's documents; values of the wrong type become
/// diagnostics.
pub(crate) fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> MarathonFile {
    let mut reader = read::Reader {
        file,
        diags,
        apps: Vec::new(),
        pods: Vec::new(),
        groups: Vec::new(),
        invalid: Vec::new(),
        missing: Vec::new(),
    };
    for doc in docs {
        reader.document(doc);
    }
    MarathonFile {
        apps: reader.apps,
        pods: reader.pods,
        groups: reader.groups,
        invalid: reader.invalid,
        missing: reader.missing,
    }
}
