//! Reads one file into apps, pods and groups: walks the group tree by hand (groups
//! only nest and name things), reads each app and pod with serde, resolves relative
//! ids and dependencies against their groups.

use serde::de::DeserializeOwned;

use super::model::{App, Pod};
use super::path::resolve;
use super::schema::{self, APP, Finding, GROUP_KEYS, POD};
use crate::diagnostic::Diagnostic;
use crate::formats::{unknown_key, wrong_type};
use crate::source::FileId;
use crate::source::{Span, Spanned};
use crate::yaml::de::{DeError, UnknownKey, UnknownKeys, from_node_at};
use crate::yaml::{Node, Value};

/// One app of a file, with what reading it around its group learned.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone)]
pub(crate) struct AppEntry {
    pub(crate) app: App,
    /// The absolute id (`/shop/web`), relative ids resolved against the groups around
    /// the app; `None` when the app has no `id`.
    pub(crate) path: Option<String>,
    /// The app's own `dependencies`, resolved to absolute paths (spans of the entries).
    pub(crate) dependencies: Vec<Spanned<String>>,
    /// Dependencies of the groups around the app, which it inherits.
    pub(crate) inherited: Vec<Spanned<String>>,
    /// The whole app object.
    pub(crate) span: Span,
    /// Key-and-value spans the typed model cannot give.
    pub(crate) entries: AppEntrySpans,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct AppEntrySpans {
    /// `"privileged": true` in `container.docker`.
    pub(crate) privileged: Option<Span>,
    /// `"network": "..."` in `container.docker`.
    pub(crate) docker_network: Option<Span>,
    /// `"mode": "..."` of each item of `networks` (in order; `None` without `mode`).
    pub(crate) network_modes: Vec<Option<Span>>,
    /// The `upgradeStrategy` key.
    pub(crate) upgrade_strategy_key: Option<Span>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone)]
pub(crate) struct PodEntry {
    pub(crate) pod: Pod,
    pub(crate) path: Option<String>,
    pub(crate) inherited: Vec<Spanned<String>>,
    pub(crate) span: Span,
    pub(crate) entries: PodEntrySpans,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct PodEntrySpans {
    pub(crate) network_modes: Vec<Option<Span>>,
    /// The `upgrade` key inside `scheduling`.
    pub(crate) upgrade_key: Option<Span>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone)]
pub(crate) struct GroupEntry {
    pub(crate) path: String,
    pub(crate) id: Option<Spanned<String>>,
    /// Resolved against the group's own path, as Marathon does.
    pub(crate) dependencies: Vec<Spanned<String>>,
}

/// Retries after dropping a wrong value; a file with more errors than this is read
/// as far as the last retry got.
const MAX_RETRIES: usize = 64;

pub(crate) struct Reader<'a> {
    pub(crate) file: FileId,
    pub(crate) diags: &'a mut Vec<Diagnostic>,
    pub(crate) apps: Vec<AppEntry>,
    pub(crate) pods: Vec<PodEntry>,
    pub(crate) groups: Vec<GroupEntry>,
    /// Values Marathon refuses (`schema/invalid-value`), with the message.
    pub(crate) invalid: Vec<(Span, String)>,
    /// Required keys left out (`schema/missing-required`), at the object that lacks them.
    pub(crate) missing: Vec<(Span, String)>,
}

impl Reader<'_> {
    /// A document: an app, a pod, a group, an array of any of these, or the
    /// `{"apps": [...]}` answer of `GET /v2/apps`.
    pub(crate) fn document(&mut self, doc: &Node) {
        match &doc.value {
            Value::Sequence(items) => {
                for item in items {
                    self.item(item, "/", &[]);
                }
            }
            Value::Mapping(_) => self.item(doc, "/", &[]),
            Value::Scalar(_) => {
                if !doc.is_null() {
                    self.type_error(doc, "Marathon definition", "a mapping or a sequence");
                }
            }
        }
    }

    fn item(&mut self, node: &Node, parent: &str, inherited: &[Spanned<String>]) {
        let Some(entries) = node.as_mapping() else {
            self.type_error(node, "Marathon definition", "a mapping");
            return;
        };
        let has = |key: &str| entries.iter().any(|(k, _)| k.as_str() == Some(key));
        if has("apps") || has("groups") || has("pods") {
            self.group(node, parent, inherited);
        } else if has("containers") {
            self.pod(node, parent, inherited);
        } else {
            self.app(node, parent, inherited);
        }
    }

    fn group(&mut self, node: &Node, parent: &str, inherited: &[Spanned<String>]) {
        let what = describe("group", node, parent);
        self.unknown_keys(node, "Group", GROUP_KEYS, &what);
        let id = match node.get("id") {
            Some(n) if n.is_null() => None,
            Some(n) => match n.as_str() {
                Some(s) => Some(Spanned::new(s.to_string(), n.span)),
                None => {
                    self.type_error(n, "group id", "a string");
                    None
                }
            },
            None => None,
        };
        let path = id
            .as_ref()
            .map_or_else(|| parent.to_string(), |id| resolve(parent, &id.value));
        let mut dependencies = Vec::new();
        if let Some(deps) = self.sequence(node, "dependencies", "group dependencies") {
            for d in deps {
                match d.as_str() {
                    Some(s) if !d.is_null() => {
                        dependencies.push(Spanned::new(resolve(&path, s), d.span))
                    }
                    _ => self.type_error(d, "group dependency", "a string"),
                }
            }
        }
        let mut inner: Vec<Spanned<String>> = inherited.to_vec();
        inner.extend(dependencies.iter().cloned());
        self.groups.push(GroupEntry {
            path: path.clone(),
            id,
            dependencies,
        });
        for key in ["apps", "pods"] {
            if let Some(items) = self.sequence(node, key, key) {
                for item in items {
                    if key == "apps" {
                        self.app(item, &path, &inner);
                    } else {
                        self.pod(item, &path, &inner);
                    }
                }
            }
        }
        if let Some(items) = self.sequence(node, "groups", "groups") {
            for item in items {
                if item.as_mapping().is_some() {
                    self.group(item, &path, &inner);
                } else {
                    self.type_error(item, "group", "a mapping");
                }
            }
        }
    }

    fn app(&mut self, node: &Node, parent: &str, inherited: &[Spanned<String>]) {
        let what = describe("app", node, parent);
        let Some(app) = read_lenient::<App>(self.file, node, &what, self.diags) else {
            return;
        };
        self.schema(node, &APP, &what);
        // `AppDefinition.json` forbids both (`not: {allOf: [required cmd, required
        // args]}`), and an app with neither nor a container has nothing to launch.
        if app.cmd.is_some() && !app.args.is_empty() {
            let span = node.entry_span("args").unwrap_or(node.span);
            self.invalid.push((
                span,
                format!(
                    "{what}: `cmd` and `args` cannot both be set: Marathon runs one or the other"
                ),
            ));
        }
        if app.is_partial() && app.executor.is_none() {
            let span = app.id.as_ref().map_or(node.span, |id| id.span);
            self.missing.push((
                span,
                format!(
                    "{what}: names nothing to run: Marathon requires `cmd`, `args` or a `container`"
                ),
            ));
        }
        let path = app.id.as_ref().map(|id| resolve(parent, &id.value));
        // An app's relative dependencies resolve against the group that holds it.
        let dependencies = app
            .dependencies
            .iter()
            .map(|d| Spanned::new(resolve(parent, &d.value), d.span))
            .collect();
        let docker = node.at(&["container", "docker"]);
        let entries = AppEntrySpans {
            privileged: docker
                .filter(|d| d.get("privileged").and_then(Node::as_bool) == Some(true))
                .and_then(|d| d.entry_span("privileged")),
            docker_network: docker.and_then(|d| d.entry_span("network")),
            network_modes: mode_spans(node),
            upgrade_strategy_key: node.entry("upgradeStrategy").map(|(k, _)| k.span),
        };
        self.apps.push(AppEntry {
            app,
            path,
            dependencies,
            inherited: inherited.to_vec(),
            span: node.span,
            entries,
        });
    }

    fn pod(&mut self, node: &Node, parent: &str, inherited: &[Spanned<String>]) {
        let what = describe("pod", node, parent);
        let Some(pod) = read_lenient::<Pod>(self.file, node, &what, self.diags) else {
            return;
        };
        self.schema(node, &POD, &what);

        let path = pod.id.as_ref().map(|id| resolve(parent, &id.value));
        let entries = PodEntrySpans {
            network_modes: mode_spans(node),
            upgrade_key: node
                .get("scheduling")
                .and_then(|s| s.entry("upgrade"))
                .map(|(k, _)| k.span),
        };
        self.pods.push(PodEntry {
            pod,
            path,
            inherited: inherited.to_vec(),
            span: node.span,
            entries,
        });
    }

    /// The items of `node[key]` when it is a sequence; null or absent is empty, any
    /// other value is a wrong type.
    fn sequence<'n>(&mut self, node: &'n Node, key: &str, what: &str) -> Option<&'n [Node]> {
        let value = node.get(key)?;
        if value.is_null() {
            return None;
        }
        match value.as_sequence() {
            Some(items) => Some(items),
            None => {
                self.type_error(value, what, "a sequence");
                None
            }
        }
    }

    /// Checks an app or pod against Marathon's API types: unknown keys are reported
    /// now, invalid values and missing keys kept for the schema rules.
    fn schema(&mut self, node: &Node, obj: &'static schema::Obj, what: &str) {
        let mut found = Vec::new();
        schema::check(node, obj, "", &mut found);
        for f in found {
            match f {
                Finding::Unknown(key) => self.diags.push(ignored_key(self.file, &key, what, node)),
                Finding::Invalid(span, message) => {
                    self.invalid.push((span, format!("{what}: {message}")))
                }
                Finding::Missing(span, message) => {
                    self.missing.push((span, format!("{what}: {message}")))
                }
            }
        }
    }

    /// Reports the keys of a group that Marathon's API does not have.
    fn unknown_keys(
        &mut self,
        node: &Node,
        owner: &'static str,
        known: &'static [&'static str],
        what: &str,
    ) {
        for (k, _) in node.as_mapping().unwrap_or_default() {
            if let Some(key) = k.as_str()
                && !known.contains(&key)
            {
                let key = UnknownKey {
                    key: key.to_string(),
                    span: k.span,
                    path: key.to_string(),
                    owner,
                    fields: known,
                };
                self.diags.push(ignored_key(self.file, &key, what, node));
            }
        }
    }

    fn type_error(&mut self, node: &Node, what: &str, expected: &str) {
        let err = DeError {
            message: format!("expected {expected}, found {}", node.type_name()),
            span: Some(node.span),
            path: None,
        };
        self.diags.push(wrong_type(self.file, node, err, what));
    }
}

/// `app "/shop/web"` when the object has a readable id, else just `app`.
fn describe(kind: &str, node: &Node, parent: &str) -> String {
    match node.get("id").and_then(Node::as_str) {
        Some(id) if !id.is_empty() => format!("{kind} \"{}\"", resolve(parent, id)),
        _ => kind.to_string(),
    }
}

/// The `mode` entries of `networks`, in order.
fn mode_spans(node: &Node) -> Vec<Option<Span>> {
    node.get("networks")
        .and_then(Node::as_sequence)
        .map(|items| items.iter().map(|n| n.entry_span("mode")).collect())
        .unwrap_or_default()
}

/// Reads a `T`; each value of the wrong type becomes a diagnostic and is dropped
/// from a copy of the tree, and reading starts again, so one bad value costs only
/// itself. `None` when the object itself has the wrong shape.
pub(crate) fn read_lenient<T: DeserializeOwned>(
    file: FileId,
    node: &Node,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let mut pruned: Option<Node> = None;
    let unknown = UnknownKeys::default();
    for _ in 0..MAX_RETRIES {
        let current = pruned.as_ref().unwrap_or(node);
        let err = match from_node_at::<T>(current, "", &unknown) {
            Ok(v) => return Some(v),
            Err(err) => err,
        };
        let span = err.span.unwrap_or(current.span);
        diags.push(wrong_type(file, current, err, what));
        if span == current.span {
            return None;
        }
        let mut next = pruned.take().unwrap_or_else(|| node.clone());
        if !remove_at(&mut next, span) {
            return None;
        }
        pruned = Some(next);
    }
    None
}

/// Removes the mapping entry (by its key or value) or the sequence item whose node
/// has exactly `span`.
fn remove_at(node: &mut Node, span: Span) -> bool {
    let contains = |s: Span| s.start <= span.start && span.end <= s.end;
    match &mut node.value {
        Value::Mapping(entries) => {
            for (k, v) in entries.iter_mut() {
                if k.span != span && v.span != span && contains(v.span) && remove_at(v, span) {
                    return true;
                }
            }
            if let Some(i) = entries
                .iter()
                .position(|(k, v)| k.span == span || v.span == span)
            {
                entries.remove(i);
                return true;
            }
            false
        }
        Value::Sequence(items) => {
            for item in items.iter_mut() {
                if item.span != span && contains(item.span) && remove_at(item, span) {
                    return true;
                }
            }
            if let Some(i) = items.iter().position(|n| n.span == span) {
                items.remove(i);
                return true;
            }
            false
        }
        Value::Scalar(_) => false,
    }
}

/// An unknown key of a Marathon definition: a warning, not an error, since
/// Marathon accepts the app, pod or group and ignores the key (its setting never
/// takes effect) rather than refusing it.
fn ignored_key(
    file: crate::source::FileId,
    key: &crate::yaml::de::UnknownKey,
    what: &str,
    node: &Node,
) -> crate::diagnostic::Diagnostic {
    let mut d = unknown_key(file, key, what, node);
    d.severity = crate::diagnostic::Severity::Warning;
    d
}
