//! Marathon specs: typed model, project grouping and lowering.
//!
//! A file holds an app, a pod, a group (apps, pods and nested groups), an array of
//! apps, or the `{"apps": [...]}` answer of the REST API. `read` turns each into
//! entries with absolute ids; `group` decides which files form one project; `lower`
//! maps every app and pod to a normalized workload.

pub(crate) mod model;
pub(crate) mod path;
pub(crate) mod read;

#[cfg(test)]
mod tests;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::yaml::Node;

pub(crate) use read::{AppEntry, GroupEntry, PodEntry};

/// The typed model of one Marathon file: every app, pod and group it defines, in
/// file order, with ids resolved against their groups.
#[derive(Debug, Default)]
pub struct MarathonFile {
    pub(crate) apps: Vec<AppEntry>,
    pub(crate) pods: Vec<PodEntry>,
    pub(crate) groups: Vec<GroupEntry>,
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
    };
    for doc in docs {
        reader.document(doc);
    }
    MarathonFile {
        apps: reader.apps,
        pods: reader.pods,
        groups: reader.groups,
    }
}
