//! Reads the typed model of one Compose file from its tree.
//!
//! Fields that take one of several shapes (a string or a list, a list or a mapping)
//! are read through the `Node` API so a wrong shape gets a precise message; the
//! fixed-shape parts (long port syntax, `deploy.resources`, ...) go through
//! `yaml::de::from_node`. Each field is read on its own: a wrong value costs that
//! field only, never the service. Unknown keys are ignored.

use serde::Deserialize;

use super::model::*;
use super::syntax;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::builtin::{INVALID_VALUE, WRONG_TYPE};
use crate::formats::detect::{has_service_key, looks_like_services};
use crate::formats::util::found;
use crate::formats::wrong_type;
use crate::source::FileId;
use crate::source::{Span, Spanned};
use crate::yaml::de::from_node;
use crate::yaml::{Node, Value};

/// Top-level keys of the Compose Specification and legacy 2.x/3.x files.
const TOP_LEVEL_KEYS: &[&str] = &[
    "version", "name", "services", "volumes", "networks", "secrets", "configs", "include", "models",
];

pub(crate) fn read_file(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> ComposeFile {
    let mut r = Reader { file, diags };
    let mut out = ComposeFile::default();
    for doc in docs {
        if doc.is_null() {
            continue;
        }
        if doc.as_mapping().is_none() {
            r.wrong(doc, "the file", "a mapping of top-level keys");
            continue;
        }
        r.document(doc, &mut out);
    }
    out
}

struct Reader<'a> {
    file: FileId,
    diags: &'a mut Vec<Diagnostic>,
}

/// A top-level key that is a misspelling of `services` and holds services (a
/// mapping whose entries look like containers, while it does not look like one
/// itself, as a format 1 service named `servers` would).
fn misspelled_services(entries: &[(Node, Node)]) -> bool {
    entries.iter().any(|(k, v)| {
        k.as_str().is_some_and(|k| {
            !is_extension(k)
                && crate::source::closest(k, TOP_LEVEL_KEYS.iter().copied()) == Some("services")
        }) && looks_like_services(v)
            && !has_service_key(v)
    })
}

/// `path.key` written into `buf`: a loop reuses one buffer for its items' paths,
/// which only a finding shows, instead of a new string for each.
fn key_path<'b>(buf: &'b mut String, path: &str, key: &str) -> &'b str {
    buf.clear();
    buf.push_str(path);
    buf.push('.');
    buf.push_str(key);
    buf
}

/// `path[i]` written into `buf` (see `key_path`).
fn index_path<'b>(buf: &'b mut String, path: &str, i: usize) -> &'b str {
    use std::fmt::Write;
    buf.clear();
    buf.push_str(path);
    let _ = write!(buf, "[{i}]");
    buf
}

fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

impl Reader<'_> {
    fn wrong(&mut self, node: &Node, path: &str, expected: &str) {
        self.invalid(
            node,
            format!("{path}: expected {expected}, found {}", found(node)),
        );
    }

    /// Reports a value of the wrong type or syntax.
    fn invalid(&mut self, node: &Node, message: String) {
        self.diags
            .push(Diagnostic::new(&WRONG_TYPE, self.file, node.span, message));
    }

    fn de<'n, T: Deserialize<'n>>(&mut self, node: &'n Node, path: &str) -> Option<T> {
        match from_node::<T>(node) {
            Ok(v) => Some(v),
            Err(e) => {
                self.diags.push(wrong_type(self.file, node, e, path));
                None
            }
        }
    }

    /// A scalar (any type, kept as text); `None` for null; collections are reported.
    fn str(&mut self, node: &Node, path: &str) -> Option<Str> {
        match &node.value {
            Value::Scalar(s) => {
                if node.is_null() {
                    return None;
                }
                let text = s.text.to_string();
                let len = node.span.len();
                let origin = if s.plain && len == text.len() {
                    Some(node.span.start)
                } else if !s.plain && len == text.len() + 2 {
                    Some(node.span.start + 1)
                } else {
                    None
                };
                Some(Str {
                    text,
                    span: node.span,
                    origin,
                })
            }
            _ => {
                self.wrong(node, path, "a string");
                None
            }
        }
    }

    fn text(&mut self, node: &Node, path: &str) -> Option<Text> {
        self.str(node, path).map(|s| s.as_text())
    }

    /// A value read as `T`, with the span of its key.
    fn keyed<'n, T: Deserialize<'n>>(
        &mut self,
        key: &Node,
        node: &'n Node,
        path: &str,
    ) -> Option<Entry<T>> {
        self.de::<T>(node, path).map(|value| Entry {
            key: key.span,
            value: Spanned::new(value, node.span),
        })
    }

    fn entry(&mut self, key: &Node, node: &Node, path: &str) -> Option<Entry<String>> {
        self.str(node, path).map(|s| Entry {
            key: key.span,
            value: Spanned::new(s.text, s.span),
        })
    }

    /// The items of a sequence; anything else is reported.
    fn seq<'n>(&mut self, node: &'n Node, path: &str) -> &'n [Node] {
        match &node.value {
            Value::Sequence(items) => items,
            _ if node.is_null() => &[],
            _ => {
                self.wrong(node, path, "a sequence");
                &[]
            }
        }
    }

    /// A sequence of scalars.
    fn strs(&mut self, node: &Node, path: &str) -> Vec<Str> {
        let items = self.seq(node, path);
        let mut buf = String::new();
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.str(item, index_path(&mut buf, path, i)))
            .collect()
    }

    fn texts(&mut self, node: &Node, path: &str) -> Vec<Text> {
        self.strs(node, path).iter().map(Str::as_text).collect()
    }

    /// A string or a sequence of strings.
    fn str_or_list(&mut self, node: &Node, path: &str) -> Vec<Text> {
        match &node.value {
            Value::Scalar(_) => self.text(node, path).into_iter().collect(),
            Value::Sequence(_) => self.texts(node, path),
            Value::Mapping(_) => {
                self.wrong(node, path, "a string or a sequence of strings");
                Vec::new()
            }
        }
    }

    fn document(&mut self, doc: &Node, out: &mut ComposeFile) {
        super::schema::check_interpolation(self.file, doc, self.diags);
        let entries = doc.as_mapping().unwrap_or_default();
        let has_spec_key = entries
            .iter()
            .any(|(k, _)| k.as_str().is_some_and(|k| TOP_LEVEL_KEYS.contains(&k)));
        if has_spec_key || misspelled_services(entries) {
            // A misspelled `services` (`servics:` holding services) is a file of
            // today's format with a typo, not a format 1 file: the schema check
            // reports the key.
            super::schema::check(self.file, doc, self.diags);
        } else {
            // Format 1 (Fig): every top-level key is a service.
            out.legacy_v1 = true;
            super::schema::check_v1(self.file, doc, self.diags);
            for (k, v) in entries {
                let Some(name) = k.as_str() else { continue };
                if is_extension(name) {
                    continue;
                }
                let svc = self.service(Spanned::new(name.to_string(), k.span), v);
                out.services.push(svc);
            }
            return;
        }
        for (k, v) in entries {
            let Some(key) = k.as_str() else { continue };
            match key {
                "version" => out.version = self.text(v, "version").map(Box::new),
                "name" => out.name = self.text(v, "name").map(Box::new),
                "services" => self.services(v, out),
                "volumes" => {
                    for (name, body) in self.named_map(v, "volumes") {
                        let b: VolumeDeclBody = self.body(body, &format!("volumes.{}", name.value));
                        let driver_type = b
                            .driver_opts
                            .as_ref()
                            .and_then(|o| o.get("type").cloned().flatten())
                            .map(|t| t.value);
                        out.volumes.push(VolumeDecl {
                            name,
                            driver: b.driver,
                            external: b.external.is_some_and(|e| e.0),
                            driver_type,
                        });
                    }
                }
                "networks" => {
                    for (name, body) in self.named_map(v, "networks") {
                        let b: NetworkDeclBody =
                            self.body(body, &format!("networks.{}", name.value));
                        out.networks.push(NetworkDecl {
                            name,
                            driver: b.driver,
                            external: b.external.is_some_and(|e| e.0),
                        });
                    }
                }
                "secrets" | "configs" => {
                    for (name, body) in self.named_map(v, key) {
                        let b: ResourceDeclBody = self.body(body, &format!("{key}.{}", name.value));
                        let decl = ResourceDecl {
                            name,
                            external: b.external.is_some_and(|e| e.0),
                            file: b.file,
                        };
                        if key == "secrets" {
                            out.secrets.push(decl);
                        } else {
                            out.configs.push(decl);
                        }
                    }
                }
                "include" => self.includes(v, out),
                _ => {}
            }
        }
    }

    /// A mapping of names to bodies (top-level `volumes`, `networks`, ...).
    fn named_map<'n>(&mut self, node: &'n Node, path: &str) -> Vec<(Name, &'n Node)> {
        match &node.value {
            Value::Mapping(entries) => entries
                .iter()
                .filter_map(|(k, v)| {
                    let name = k.as_str()?;
                    (!is_extension(name)).then(|| (Spanned::new(name.to_string(), k.span), v))
                })
                .collect(),
            _ if node.is_null() => Vec::new(),
            _ => {
                self.wrong(node, path, "a mapping");
                Vec::new()
            }
        }
    }

    /// A declaration body: null or a mapping read as `T`.
    fn body<'n, T: Deserialize<'n> + Default>(&mut self, node: &'n Node, path: &str) -> T {
        if node.is_null() {
            return T::default();
        }
        if node.as_mapping().is_none() {
            self.wrong(node, path, "a mapping");
            return T::default();
        }
        self.de(node, path).unwrap_or_default()
    }

    fn services(&mut self, node: &Node, out: &mut ComposeFile) {
        let named = self.named_map(node, "services");
        // A service is large: grown one at a time, the list is copied again and again.
        out.services.reserve(named.len());
        for (name, body) in named {
            let svc = self.service(name, body);
            out.services.push(svc);
        }
    }

    fn includes(&mut self, node: &Node, out: &mut ComposeFile) {
        for (i, item) in self.seq(node, "include").iter().enumerate() {
            let path = format!("include[{i}]");
            let paths = match &item.value {
                Value::Scalar(_) => self.text(item, &path).into_iter().collect(),
                Value::Mapping(_) => match item.get("path") {
                    Some(p) => self.str_or_list(p, &format!("{path}.path")),
                    None => Vec::new(),
                },
                Value::Sequence(_) => {
                    self.wrong(item, &path, "a path or a mapping with `path`");
                    Vec::new()
                }
            };
            out.includes.push(Include {
                paths,
                span: item.span,
            });
        }
    }

    fn service(&mut self, name: Name, body: &Node) -> Service {
        let path = format!("services.{}", name.value);
        let mut svc = Service::new(name, body.span);
        let Some(entries) = body.as_mapping() else {
            if !body.is_null() {
                self.wrong(body, &path, "a mapping");
            }
            return svc;
        };
        let mut buf = String::new();
        for (k, v) in entries {
            let Some(key) = k.as_str() else { continue };
            if !is_extension(key) {
                svc.keys.push(Spanned::new(key.to_string(), k.span));
            }
            let p = key_path(&mut buf, &path, key);
            match key {
                "image" => svc.image = self.text(v, p),
                "build" => svc.build = self.build(v, p),
                "command" => svc.command = self.command(v, p),
                "entrypoint" => svc.entrypoint = self.command(v, p),
                "container_name" => svc.container_name = self.entry(k, v, p),
                "hostname" => svc.hostname = self.text(v, p),
                "ports" => svc.ports = self.ports(v, p),
                "expose" => svc.expose = self.texts(v, p),
                "volumes" => svc.volumes = self.volumes(v, p),
                "tmpfs" => svc.tmpfs = self.str_or_list(v, p),
                "volumes_from" => svc.volumes_from = self.strs(v, p),
                "depends_on" => svc.depends_on = self.depends_on(v, p),
                "links" => svc.links = self.strs(v, p),
                "external_links" => svc.external_links = self.texts(v, p),
                "network_mode" | "net" => {
                    svc.network_mode_str = self.str(v, p);
                    svc.network_mode = svc.network_mode_str.as_ref().map(|s| Entry {
                        key: k.span,
                        value: Spanned::new(s.text.clone(), s.span),
                    });
                }
                "networks" => svc.networks = self.service_networks(v, p),
                "environment" => svc.environment = self.environment(v, p),
                "env_file" => svc.env_file = self.env_file(v, p),
                "secrets" => svc.secrets = self.resource_refs(v, p),
                "configs" => svc.configs = self.resource_refs(v, p),
                "deploy" => svc.deploy = self.deploy(v, p),
                "scale" => svc.scale = self.keyed(k, v, p),
                "healthcheck" => svc.healthcheck = self.healthcheck(k, v, p),
                "privileged" => svc.privileged = self.keyed(k, v, p),
                "user" => svc.user = self.text(v, p),
                "restart" => svc.restart = self.text(v, p),
                "extends" => svc.extends = self.extends(v, p),
                "labels" => svc.labels = self.labels(v, p),
                "cap_add" => svc.cap_add = self.texts(v, p),
                "pid" => svc.pid = self.entry(k, v, p),
                "ipc" => svc.ipc = self.entry(k, v, p),
                "mem_limit" => svc.mem_limit = self.text(v, p),
                "mem_reservation" => svc.mem_reservation = self.text(v, p),
                "cpus" => svc.cpus = self.de(v, p),
                "profiles" => svc.profiles = self.texts(v, p),
                "logging" => svc.logging = self.logging(k, v, p),
                _ => {}
            }
        }
        svc
    }

    fn build(&mut self, node: &Node, path: &str) -> Option<Build> {
        match &node.value {
            Value::Scalar(_) => self.text(node, path).map(|context| Build {
                span: node.span,
                context: Some(context),
                ..Build::default()
            }),
            Value::Mapping(_) => self.de(node, path).map(|b: Build| Build {
                span: node.span,
                ..b
            }),
            Value::Sequence(_) => {
                self.wrong(node, path, "a path or a mapping");
                None
            }
        }
    }

    fn command(&mut self, node: &Node, path: &str) -> Option<Command> {
        match &node.value {
            Value::Scalar(_) => self.text(node, path).map(Command::Shell),
            Value::Sequence(_) => Some(Command::Exec(self.texts(node, path), node.span)),
            Value::Mapping(_) => {
                self.wrong(node, path, "a string or a sequence of strings");
                None
            }
        }
    }

    fn ports(&mut self, node: &Node, path: &str) -> Vec<PortEntry> {
        // Ranges that cannot map port for port are values Docker refuses, not
        // wrong types: `schema/invalid-value`.
        for (i, item) in node.as_sequence().unwrap_or_default().iter().enumerate() {
            let Value::Scalar(s) = &item.value else {
                continue;
            };
            if s.text.contains('$') {
                continue;
            }
            if let Ok(m) = syntax::parse_port(&s.text)
                && m.range_mismatch()
            {
                self.diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    self.file,
                    item.span,
                    format!(
                        "{path}[{i}]: the published ports and the container ports of `{}` are ranges of different sizes; a container range needs a published range of the same size (a published range onto one container port is a pool)",
                        s.text
                    ),
                ));
            }
        }
        self.short_or_long(
            node,
            path,
            "a port or a mapping",
            |s, item| {
                if s.text.contains('$') {
                    return None;
                }
                let e = syntax::parse_port(&s.text).err()?;
                Some(format!(
                    "expected `[HOST:]CONTAINER[/PROTOCOL]`, found {} ({e})",
                    found(item)
                ))
            },
            PortEntry::Short,
            PortEntry::Long,
        )
    }

    fn volumes(&mut self, node: &Node, path: &str) -> Vec<VolumeEntry> {
        self.short_or_long(
            node,
            path,
            "a volume or a mapping",
            |s, item| {
                let e = syntax::split_volume(&s.text).err()?;
                Some(format!("{e}, found {}", found(item)))
            },
            VolumeEntry::Short,
            VolumeEntry::Long,
        )
    }

    /// A sequence of entries in short syntax (a string, which `invalid` checks: it
    /// says what is wrong, after the entry's path in the message) or long syntax (a
    /// mapping read as `L`, kept with its span); `expected` names both shapes for an
    /// entry of neither.
    fn short_or_long<'n, L: Deserialize<'n>, E>(
        &mut self,
        node: &'n Node,
        path: &str,
        expected: &str,
        invalid: impl Fn(&Str, &Node) -> Option<String>,
        short: impl Fn(Str) -> E,
        long: impl Fn(L, Span) -> E,
    ) -> Vec<E> {
        let items = self.seq(node, path);
        let mut out = Vec::with_capacity(items.len());
        let mut buf = String::new();
        for (i, item) in items.iter().enumerate() {
            let p = index_path(&mut buf, path, i);
            match &item.value {
                Value::Scalar(_) => {
                    let Some(s) = self.str(item, p) else {
                        continue;
                    };
                    if let Some(message) = invalid(&s, item) {
                        self.invalid(item, format!("{p}: {message}"));
                        continue;
                    }
                    out.push(short(s));
                }
                Value::Mapping(_) => {
                    if let Some(l) = self.de::<L>(item, p) {
                        out.push(long(l, item.span));
                    }
                }
                Value::Sequence(_) => self.wrong(item, p, expected),
            }
        }
        out
    }

    fn depends_on(&mut self, node: &Node, path: &str) -> Vec<Dependency> {
        match &node.value {
            Value::Sequence(_) => self
                .strs(node, path)
                .into_iter()
                .map(|s| Dependency {
                    name: s.as_name(),
                    condition: None,
                    required: None,
                })
                .collect(),
            Value::Mapping(_) => self
                .named_map(node, path)
                .into_iter()
                .map(|(name, body)| {
                    let long: DependencyLong = self.body(body, &format!("{path}.{}", name.value));
                    Dependency {
                        name,
                        condition: long.condition,
                        required: long.required,
                    }
                })
                .collect(),
            _ if node.is_null() => Vec::new(),
            _ => {
                self.wrong(node, path, "a sequence or a mapping of services");
                Vec::new()
            }
        }
    }

    fn service_networks(&mut self, node: &Node, path: &str) -> Vec<Name> {
        match &node.value {
            Value::Sequence(_) => self.strs(node, path).iter().map(Str::as_name).collect(),
            Value::Mapping(entries) => {
                for (k, v) in entries {
                    if !v.is_null() && v.as_mapping().is_none() {
                        let name = k.as_str().unwrap_or_default();
                        self.wrong(v, &format!("{path}.{name}"), "a mapping");
                    }
                }
                self.named_map(node, path)
                    .into_iter()
                    .map(|(n, _)| n)
                    .collect()
            }
            _ if node.is_null() => Vec::new(),
            _ => {
                self.wrong(node, path, "a sequence or a mapping of networks");
                Vec::new()
            }
        }
    }

    /// `environment` and `labels` share their shapes: a list of `NAME=value` (or
    /// `NAME`), or a mapping whose values are scalars or null.
    fn pairs(&mut self, node: &Node, path: &str) -> Vec<(Name, Option<Text>, Span)> {
        match &node.value {
            Value::Sequence(_) => self
                .strs(node, path)
                .into_iter()
                .map(|s| match s.text.split_once('=') {
                    Some((name, value)) => {
                        let n = name.len();
                        let name = Spanned::new(name.to_string(), s.sub(0..n));
                        let value = Spanned::new(value.to_string(), s.sub(n + 1..s.text.len()));
                        (name, Some(value), s.span)
                    }
                    None => (s.as_text(), None, s.span),
                })
                .collect(),
            Value::Mapping(entries) => {
                let mut buf = String::new();
                entries
                    .iter()
                    .filter_map(|(k, v)| {
                        let name = k.as_str()?;
                        let p = key_path(&mut buf, path, name);
                        let value = match &v.value {
                            Value::Scalar(_) => self.text(v, p),
                            _ => {
                                self.wrong(v, p, "a string, number or boolean");
                                None
                            }
                        };
                        Some((
                            Spanned::new(name.to_string(), k.span),
                            value,
                            k.span.cover(v.span),
                        ))
                    })
                    .collect()
            }
            _ if node.is_null() => Vec::new(),
            _ => {
                // The text may hold a secret (`environment: PASSWORD=...`): only its
                // type is shown.
                self.invalid(
                    node,
                    format!(
                        "{path}: expected a sequence or a mapping, found {}",
                        node.type_name()
                    ),
                );
                Vec::new()
            }
        }
    }

    fn environment(&mut self, node: &Node, path: &str) -> Vec<EnvEntry> {
        self.pairs(node, path)
            .into_iter()
            .map(|(name, value, span)| EnvEntry { name, value, span })
            .collect()
    }

    fn labels(&mut self, node: &Node, path: &str) -> Vec<Label> {
        self.pairs(node, path)
            .into_iter()
            .map(|(name, value, _)| Label { name, value })
            .collect()
    }

    /// `env_file`: a path, or a list of paths or `{path, required}` mappings.
    fn env_file(&mut self, node: &Node, path: &str) -> Vec<EnvFile> {
        let plain = |path| EnvFile {
            path,
            required: None,
        };
        match &node.value {
            Value::Scalar(_) => self.text(node, path).into_iter().map(plain).collect(),
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let p = format!("{path}[{i}]");
                    match item.get("path") {
                        Some(inner) => {
                            let required = item
                                .get("required")
                                .and_then(|r| self.de(r, &format!("{p}.required")));
                            self.text(inner, &format!("{p}.path"))
                                .map(|path| EnvFile { path, required })
                        }
                        None => self.text(item, &p).map(plain),
                    }
                })
                .collect(),
            Value::Mapping(_) => {
                self.wrong(node, path, "a path or a sequence of paths");
                Vec::new()
            }
        }
    }

    fn resource_refs(&mut self, node: &Node, path: &str) -> Vec<ResourceRef> {
        let mut out = Vec::new();
        for (i, item) in self.seq(node, path).iter().enumerate() {
            let p = format!("{path}[{i}]");
            match &item.value {
                Value::Scalar(_) => {
                    if let Some(s) = self.str(item, &p) {
                        out.push(ResourceRef {
                            source: s.as_name(),
                            target: None,
                            span: item.span,
                        });
                    }
                }
                Value::Mapping(_) => {
                    let Some(long) = self.de::<ResourceRefLong>(item, &p) else {
                        continue;
                    };
                    match long.source {
                        Some(source) => out.push(ResourceRef {
                            source,
                            target: long.target,
                            span: item.span,
                        }),
                        None => self.wrong(item, &p, "a mapping with `source`"),
                    }
                }
                Value::Sequence(_) => self.wrong(item, &p, "a name or a mapping"),
            }
        }
        out
    }

    fn deploy(&mut self, node: &Node, path: &str) -> Option<Deploy> {
        let entries = match &node.value {
            Value::Mapping(entries) => entries,
            _ if node.is_null() => return None,
            _ => {
                self.wrong(node, path, "a mapping");
                return None;
            }
        };
        let mut d = Deploy {
            span: node.span,
            ..Deploy::default()
        };
        let mut buf = String::new();
        for (k, v) in entries {
            let Some(key) = k.as_str() else { continue };
            let p = key_path(&mut buf, path, key);
            match key {
                "mode" => d.mode = self.entry(k, v, p),
                "replicas" => d.replicas = self.keyed(k, v, p),
                "resources" => d.resources = self.opt_body(v, p),
                "placement" => {
                    d.placement = self.opt_body(v, p);
                    d.placement_span = Some(k.span.cover(v.span));
                }
                "update_config" => d.update_config = Some(k.span.cover(v.span)),
                "rollback_config" => d.rollback_config = Some(k.span.cover(v.span)),
                "restart_policy" => d.restart_policy = self.opt_body(v, p),
                "labels" => d.labels = self.labels(v, p),
                "endpoint_mode" => {
                    d.endpoint_mode = self.text(v, p);
                    d.endpoint_mode_span = Some(k.span.cover(v.span));
                }
                _ => {}
            }
        }
        Some(d)
    }

    fn opt_body<'n, T: Deserialize<'n> + Default>(
        &mut self,
        node: &'n Node,
        path: &str,
    ) -> Option<T> {
        if node.is_null() {
            None
        } else {
            Some(self.body(node, path))
        }
    }

    fn healthcheck(&mut self, key: &Node, node: &Node, path: &str) -> Option<Healthcheck> {
        let entries = match &node.value {
            Value::Mapping(entries) => entries,
            _ if node.is_null() => {
                return Some(Healthcheck {
                    span: key.span.cover(node.span),
                    ..Healthcheck::default()
                });
            }
            _ => {
                self.wrong(node, path, "a mapping");
                return None;
            }
        };
        let mut h = Healthcheck {
            span: key.span.cover(node.span),
            ..Healthcheck::default()
        };
        for (k, v) in entries {
            match k.as_str() {
                Some("test") => h.test = self.command(v, &format!("{path}.test")),
                Some("disable") => h.disable = self.de(v, &format!("{path}.disable")),
                _ => {}
            }
        }
        Some(h)
    }

    fn logging(&mut self, key: &Node, node: &Node, path: &str) -> Option<Logging> {
        let mut out = Logging {
            span: key.span,
            ..Logging::default()
        };
        let Some(entries) = node.as_mapping() else {
            if !node.is_null() {
                self.wrong(node, path, "a mapping");
                return None;
            }
            return Some(out);
        };
        for (k, v) in entries {
            match k.as_str() {
                Some("driver") => out.driver = self.text(v, &format!("{path}.driver")),
                Some("options") => {
                    out.options = v
                        .as_mapping()
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|(o, _)| Some(Spanned::new(o.as_str()?.to_string(), o.span)))
                        .collect();
                }
                _ => {}
            }
        }
        Some(out)
    }

    fn extends(&mut self, node: &Node, path: &str) -> Option<Extends> {
        match &node.value {
            Value::Scalar(_) => self.text(node, path).map(|service| Extends {
                service,
                file: None,
                span: node.span,
            }),
            Value::Mapping(_) => {
                let long: ExtendsLong = self.de(node, path)?;
                match long.service {
                    Some(service) => Some(Extends {
                        service,
                        file: long.file,
                        span: node.span,
                    }),
                    None => {
                        self.wrong(node, path, "a mapping with `service`");
                        None
                    }
                }
            }
            Value::Sequence(_) => {
                self.wrong(node, path, "a service name or a mapping");
                None
            }
        }
    }
}
