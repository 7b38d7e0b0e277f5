//! YAML and JSON input: one span-keeping tree per document and a serde
//! deserializer that reads typed models straight from that tree.

pub(crate) mod de;
pub(crate) mod edit;
pub(crate) mod json;
pub(crate) mod node;
pub mod parse;

pub use node::{Node, Resolved, Scalar, Value};
pub use parse::{IssueKind, ParseIssue, Parsed, parse};
