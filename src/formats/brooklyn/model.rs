//! The typed model of Apache Brooklyn YAML (CAMP plans; `apache/brooklyn-docs`
//! `guide/blueprints/yaml-reference.md`) and Clocker's blueprints on it.
//!
//! A blueprint has `name`, `location`/`locations` and `services`: a LIST of entity
//! specs, each with `type` (`serviceType`, `service_type`), `id`, `name`,
//! `location(s)`, `brooklyn.config`, `brooklyn.children`, and flags at its root.
//! Values starting `$brooklyn:` are the DSL; `$brooklyn:component("id")` and
//! `$brooklyn:entity("id")` name other entities, which makes them dependencies.
//! A catalog (`brooklyn.catalog`, usually in a `.bom` file) holds items: whole
//! blueprints (`template`), entity specs (`entity`) and locations.
//!
//! Clocker 1.x ran `type: docker:<image>:<tag>` entities (with `directPorts`,
//! `env`, `docker.host.volumes`) on a Docker cloud sized by
//! `docker.host.cluster.initial.size`; Clocker 2.x provisions Swarm and Kubernetes
//! clusters (`swarm.initial.size`, `kubernetes.initial.size`).

use crate::diagnostic::Diagnostic;
use crate::formats::util::{Findings, text_origin};
use crate::source::FileId;
use crate::source::{Span, Spanned};
use crate::yaml::{Node, Value};

#[derive(Debug, Default)]
pub struct BrooklynFile {
    pub(crate) blueprints: Vec<Blueprint>,
    /// The `brooklyn.catalog` key, when the file is a catalog.
    pub(crate) catalog: Option<Span>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Default)]
pub(crate) struct Blueprint {
    pub(crate) name: Option<Spanned<String>>,
    pub(crate) span: Span,
    pub(crate) locations: Vec<Location>,
    pub(crate) services: Vec<Entity>,
    /// A catalog item of type `entity` (or one given as a bare entity spec): a
    /// building block whose `$brooklyn:component` references may name entities of
    /// the blueprints that use it.
    pub(crate) building_block: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Location {
    /// `localhost`, `jclouds:aws-ec2:us-west-1`, `byon`, a named location.
    pub(crate) spec: Spanned<String>,
    /// `byon: {hosts: [...]}`: the hosts listed, with the list's span.
    pub(crate) hosts: Option<Spanned<u32>>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug, Default)]
pub(crate) struct Entity {
    /// `type`, `serviceType` or `service_type`.
    pub(crate) type_name: Option<Spanned<String>>,
    pub(crate) id: Option<Spanned<String>>,
    pub(crate) name: Option<Spanned<String>>,
    /// The spec.
    pub(crate) span: Span,
    pub(crate) locations: Vec<Location>,
    /// The image of a `docker:<image>` entity, or `docker.image.name` (and tag).
    pub(crate) image: Option<Spanned<String>>,
    pub(crate) env: Vec<(Spanned<String>, Option<Spanned<String>>)>,
    /// `directPorts`: published on the host with the same number.
    pub(crate) direct_ports: Vec<Spanned<u32>>,
    /// `openPorts`, `docker.openPorts`: opened in the container.
    pub(crate) open_ports: Vec<Spanned<u32>>,
    /// `docker.host.volumes`: host path (or URL) to container path.
    pub(crate) host_volumes: Vec<(Spanned<String>, Spanned<String>)>,
    /// `initialSize`, `cluster.initial.size`: members of a cluster.
    pub(crate) initial_size: Option<Spanned<u32>>,
    /// `docker.host.cluster.initial.size`, `swarm.initial.size`,
    /// `kubernetes.initial.size`, ...: hosts the entity provisions.
    pub(crate) host_sizes: Vec<(String, Spanned<u32>)>,
    /// `entity.dynamicLocation.name`: the location the entity offers others (a
    /// Clocker Docker cloud).
    pub(crate) offers_location: Option<Spanned<String>>,
    /// Ids named by `$brooklyn:component(...)` / `$brooklyn:entity(...)`.
    pub(crate) refs: Vec<Spanned<String>>,
    pub(crate) children: Vec<Entity>,
    /// This entity is the member spec of its parent cluster.
    pub(crate) member_spec: bool,
}

impl Entity {
    /// How the entity is named: its id, name or type.
    pub(crate) fn label(&self) -> Option<&Spanned<String>> {
        self.id
            .as_ref()
            .or(self.name.as_ref())
            .or(self.type_name.as_ref())
    }

    /// This entity and every descendant, depth first.
    pub(crate) fn walk(&self) -> Vec<&Entity> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

const TYPE_KEYS: &[&str] = &["type", "serviceType", "service_type"];

fn is_entity_spec(node: &Node) -> bool {
    node.as_mapping().is_some_and(|m| {
        m.iter().any(|(k, _)| {
            k.as_str()
                .is_some_and(|k| TYPE_KEYS.contains(&k) || k.starts_with("brooklyn."))
        })
    })
}

/// A Brooklyn document: a catalog, or `services` as a list of entity specs that
/// say Brooklyn (a `brooklyn.*` key, a type that is a Java class, `docker:<image>`
/// or another `prefix:spec`, a `location`, or a `$brooklyn:` value). A list of
/// entities typed by bare words alone (`type: web`) is another tool's (Render's
/// `render.yaml` has that shape).
pub(crate) fn is_brooklyn_doc(doc: &Node) -> bool {
    if doc.get("apiVersion").is_some() && doc.get("kind").is_some() {
        return false;
    }
    if doc.get("brooklyn.catalog").is_some() {
        return true;
    }
    let Some(items) = doc.get("services").and_then(Node::as_sequence) else {
        return false;
    };
    if items.is_empty() || !items.iter().any(is_entity_spec) {
        return false;
    }
    let located = doc.get("location").is_some() || doc.get("locations").is_some();
    located
        || items.iter().any(|item| {
            item.as_mapping().is_some_and(|m| {
                m.iter().any(|(k, v)| {
                    let key = k.as_str().unwrap_or_default();
                    key.starts_with("brooklyn.")
                        || key == "location"
                        || key == "locations"
                        || (TYPE_KEYS.contains(&key)
                            && v.as_str()
                                .is_some_and(|t| t.contains('.') || t.contains(':')))
                })
            })
        })
        || has_dsl(doc, 0)
}

/// Any scalar starting `$brooklyn:` (or a `$brooklyn:` key) in the tree.
fn has_dsl(node: &Node, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match &node.value {
        Value::Scalar(s) => s.text.starts_with("$brooklyn:"),
        Value::Sequence(items) => items.iter().any(|i| has_dsl(i, depth + 1)),
        Value::Mapping(entries) => entries.iter().any(|(k, v)| {
            k.as_str().is_some_and(|k| k.starts_with("$brooklyn:")) || has_dsl(v, depth + 1)
        }),
    }
}

/// For files that do not parse: Brooklyn keys or DSL in the raw text.
pub(crate) fn looks_like_brooklyn(text: &str) -> bool {
    text.contains("$brooklyn:")
        || text.contains("brooklyn.config")
        || text.contains("brooklyn.catalog")
}

const MAX_DEPTH: usize = 32;

pub(crate) fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> BrooklynFile {
    let mut r = Reader {
        f: Findings { file, diags },
    };
    let mut out = BrooklynFile::default();
    for doc in docs {
        if doc.as_mapping().is_none() {
            continue;
        }
        if let Some((k, catalog)) = doc.entry("brooklyn.catalog") {
            out.catalog = Some(k.span);
            r.catalog(catalog, None, 0, &mut out.blueprints);
        }
        if doc.get("services").is_some() {
            out.blueprints.push(r.blueprint(doc, 0));
        }
    }
    out
}

struct Reader<'a> {
    f: Findings<'a>,
}

impl Reader<'_> {
    fn blueprint(&mut self, node: &Node, depth: usize) -> Blueprint {
        let mut bp = Blueprint {
            name: node.get("name").and_then(|n| self.f.scalar(n, "name")),
            span: node.span,
            locations: self.locations(node),
            services: Vec::new(),
            building_block: false,
        };
        if let Some(services) = node.get("services") {
            for (i, item) in self.f.sequence(services, "services").iter().enumerate() {
                if item.as_mapping().is_none() {
                    self.f.wrong(
                        item,
                        &format!("services[{i}]"),
                        "an entity spec (a mapping with `type`)",
                    );
                    continue;
                }
                bp.services.push(self.entity(item, depth + 1));
            }
        }
        bp
    }

    /// Catalog items: `item` (one) or `items` (a list, nested lists allowed), each
    /// a mapping with `itemType` and `item`, or a bare blueprint or entity spec.
    fn catalog(
        &mut self,
        node: &Node,
        item_type: Option<&str>,
        depth: usize,
        out: &mut Vec<Blueprint>,
    ) {
        if depth > MAX_DEPTH || node.as_mapping().is_none() {
            return;
        }
        let item_type = node.get("itemType").and_then(Node::as_str).or(item_type);
        if let Some(items) = node.get("items").and_then(Node::as_sequence) {
            for item in items {
                self.catalog(item, item_type, depth + 1, out);
            }
        }
        let body = node.get("item").unwrap_or(node);
        if body.as_mapping().is_none() {
            return;
        }
        if item_type == Some("location") {
            out.push(Blueprint {
                name: None,
                span: body.span,
                locations: self.location_value(body),
                services: Vec::new(),
                building_block: true,
            });
        } else if body.get("services").is_some() {
            out.push(self.blueprint(body, depth + 1));
        } else if (!std::ptr::eq(body, node) || item_type.is_some())
            && TYPE_KEYS.iter().any(|k| body.get(k).is_some())
        {
            out.push(Blueprint {
                name: None,
                span: body.span,
                locations: Vec::new(),
                services: vec![self.entity(body, depth + 1)],
                building_block: true,
            });
        }
    }

    fn locations(&mut self, node: &Node) -> Vec<Location> {
        let mut out = Vec::new();
        if let Some(l) = node.get("location") {
            out.extend(self.location_value(l));
        }
        if let Some(ls) = node.get("locations") {
            for item in self.f.sequence(ls, "locations") {
                out.extend(self.location_value(item));
            }
        }
        out
    }

    /// A location: a string, or a one-key mapping `spec: {config}`, or a catalog
    /// location item (`type: ...`).
    fn location_value(&mut self, node: &Node) -> Vec<Location> {
        match &node.value {
            Value::Scalar(_) => self
                .f
                .scalar(node, "location")
                .map(|spec| Location { spec, hosts: None })
                .into_iter()
                .collect(),
            Value::Mapping(entries) => {
                if let Some(t) = node.get("type").and_then(Node::as_str) {
                    let hosts = node
                        .at(&["brooklyn.config", "hosts"])
                        .or_else(|| node.get("hosts"))
                        .and_then(hosts_of);
                    return vec![Location {
                        spec: Spanned::new(
                            t.to_string(),
                            node.get("type").map_or(node.span, |n| n.span),
                        ),
                        hosts,
                    }];
                }
                entries
                    .iter()
                    .filter_map(|(k, v)| {
                        let spec = Spanned::new(k.as_str()?.to_string(), k.span);
                        let hosts = v.get("hosts").and_then(hosts_of);
                        Some(Location { spec, hosts })
                    })
                    .collect()
            }
            Value::Sequence(_) => Vec::new(),
        }
    }

    fn entity(&mut self, node: &Node, depth: usize) -> Entity {
        let mut e = Entity {
            span: node.span,
            ..Entity::default()
        };
        if depth > MAX_DEPTH {
            return e;
        }
        let type_node = TYPE_KEYS.iter().find_map(|k| node.get(k).map(|n| (*k, n)));
        if let Some((key, tn)) = type_node {
            e.type_name = self.f.scalar(tn, key);
        }
        e.id = node.get("id").and_then(|n| self.f.scalar(n, "id"));
        e.name = node.get("name").and_then(|n| self.f.scalar(n, "name"));
        e.locations = self.locations(node);
        if let (Some((_, tn)), Some(t)) = (type_node, &e.type_name)
            && let Some(image) = t.value.strip_prefix("docker:")
        {
            let span = match text_origin(tn, &t.value) {
                Some(o) => Span::new(o + "docker:".len(), o + t.value.len()),
                None => t.span,
            };
            e.image = Some(Spanned::new(image.to_string(), span));
        }
        // Config: flags at the root and `brooklyn.config`, the latter winning.
        let mut config: Vec<(&Node, &Node)> = Vec::new();
        if let Some(entries) = node.as_mapping() {
            config.extend(entries.iter().map(|(k, v)| (k, v)));
        }
        if let Some(bc) = node.get("brooklyn.config").and_then(Node::as_mapping) {
            config.extend(bc.iter().map(|(k, v)| (k, v)));
        }
        let mut image_name: Option<Spanned<String>> = None;
        let mut image_tag: Option<String> = None;
        for (k, v) in config {
            let Some(key) = k.as_str() else { continue };
            match key {
                "env" | "shell.env" | "docker.env" => e.env.extend(self.f.pairs(v, key)),
                "directPorts" | "docker.directPorts" => e.direct_ports.extend(ports(v)),
                "openPorts" | "docker.openPorts" => e.open_ports.extend(ports(v)),
                "docker.host.volumes" => {
                    for (src, target) in self.f.mapping(v, key) {
                        if let Some(t) = self.f.scalar(target, &format!("{key}.{}", src.value)) {
                            e.host_volumes.push((src, t));
                        }
                    }
                }
                "initialSize" | "cluster.initial.size" => e.initial_size = self.f.count(v, key),
                "entity.dynamicLocation.name" => e.offers_location = self.f.scalar(v, key),
                "docker.image.name" => image_name = self.f.scalar(v, key),
                "docker.image.tag" => image_tag = v.as_str().map(str::to_string),
                "brooklyn.children" => {
                    for (i, item) in self.f.sequence(v, key).iter().enumerate() {
                        if item.as_mapping().is_none() {
                            self.f.wrong(
                                item,
                                &format!("{key}[{i}]"),
                                "an entity spec (a mapping with `type`)",
                            );
                            continue;
                        }
                        e.children.push(self.entity(item, depth + 1));
                    }
                }
                _ if key.ends_with(".initial.size") || key == "swarm.manager.size" => {
                    if let Some(n) = self.f.count(v, key) {
                        e.host_sizes.push((key.to_string(), n));
                    }
                }
                _ => {
                    // An entity spec given as a config value (a cluster's member spec,
                    // a controller spec).
                    if let Some(spec) = v.get("$brooklyn:entitySpec")
                        && spec.as_mapping().is_some()
                    {
                        let mut child = self.entity(spec, depth + 1);
                        child.member_spec = key.to_ascii_lowercase().contains("memberspec");
                        e.children.push(child);
                    }
                }
            }
        }
        if e.image.is_none()
            && let Some(n) = image_name
        {
            let value = match image_tag {
                Some(t) if !t.is_empty() => format!("{}:{t}", n.value),
                _ => n.value,
            };
            e.image = Some(Spanned::new(value, n.span));
        }
        collect_refs(node, &mut e.refs, 0);
        e
    }
}

fn hosts_of(node: &Node) -> Option<Spanned<u32>> {
    let n = match &node.value {
        Value::Sequence(items) => items.len(),
        Value::Scalar(s) => s.text.split(',').filter(|h| !h.trim().is_empty()).count(),
        Value::Mapping(_) => return None,
    };
    Some(Spanned::new(u32::try_from(n).ok()?, node.span))
}

fn ports(node: &Node) -> Vec<Spanned<u32>> {
    let items: Vec<&Node> = match &node.value {
        Value::Sequence(items) => items.iter().collect(),
        Value::Scalar(_) => vec![node],
        Value::Mapping(_) => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|n| {
            // `30000+` means "the first free port from 30000".
            let t = n.as_str()?.trim().trim_end_matches('+');
            Some(Spanned::new(t.parse().ok()?, n.span))
        })
        .collect()
}

/// The entity ids a value refers to with `$brooklyn:component(...)` or
/// `$brooklyn:entity(...)`, outside nested entity specs (those are entities of
/// their own).
fn collect_refs(node: &Node, out: &mut Vec<Spanned<String>>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.value {
        Value::Scalar(s) => {
            for (range, id) in dsl_refs(&s.text) {
                let span = match text_origin(node, &s.text) {
                    Some(o) => Span::new(o + range.start, o + range.end),
                    None => node.span,
                };
                out.push(Spanned::new(id, span));
            }
        }
        Value::Sequence(items) => {
            for i in items {
                collect_refs(i, out, depth + 1);
            }
        }
        Value::Mapping(entries) => {
            for (k, v) in entries {
                if matches!(
                    k.as_str(),
                    Some("brooklyn.children" | "$brooklyn:entitySpec")
                ) {
                    continue;
                }
                collect_refs(v, out, depth + 1);
            }
        }
    }
}

/// `$brooklyn:component("scope", "id")` and `$brooklyn:entity("id")` calls in a
/// text, also nested in another DSL call without their prefix
/// (`$brooklyn:formatString("%s", component("db").attributeWhenReady("url"))`):
/// the byte range of each id (inside its quotes) and the id. The id is the last
/// argument; a first one is a scope (`global`, `child`, `sibling`, ...).
pub(crate) fn dsl_refs(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    if !text.contains("$brooklyn:") {
        return out;
    }
    for call in ["component(", "entity("] {
        let mut from = 0;
        while let Some(i) = text[from..].find(call) {
            let at = from + i;
            let args_start = at + call.len();
            from = args_start;
            // A call of its own: `$brooklyn:component(` or `component(` after a
            // separator, not `subcomponent(` or `entitySpec(`.
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let Some(close) = text[args_start..].find(')') else {
                break;
            };
            let args = &text[args_start..args_start + close];
            let mut last: Option<(usize, usize)> = None;
            let mut j = 0;
            let bytes = args.as_bytes();
            while j < bytes.len() {
                if bytes[j] == b'"' || bytes[j] == b'\'' {
                    let q = bytes[j];
                    if let Some(end) = args[j + 1..].find(q as char) {
                        last = Some((j + 1, j + 1 + end));
                        j += end + 2;
                        continue;
                    }
                }
                j += 1;
            }
            if let Some((a, b)) = last {
                out.push((args_start + a..args_start + b, args[a..b].to_string()));
            }
            from = args_start + close;
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn dsl_references() {
        let t = r#"$brooklyn:component("riak-cluster").attributeWhenReady("x")"#;
        let refs = dsl_refs(t);
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].1, "riak-cluster");
        assert_eq!(&t[refs[0].0.clone()], "riak-cluster");
        assert_eq!(dsl_refs(r#"$brooklyn:entity("child", "db")"#)[0].1, "db");
        assert!(dsl_refs("$brooklyn:config(\"x\")").is_empty());
        let nested =
            r#"$brooklyn:formatString("jdbc:%s", component("db").attributeWhenReady("url"))"#;
        assert_eq!(dsl_refs(nested)[0].1, "db");
        assert!(dsl_refs(r#"component("db")"#).is_empty(), "outside the DSL");
        assert!(dsl_refs(r#"$brooklyn:entitySpec(x)"#).is_empty());
    }

    #[test]
    fn render_blueprints_are_not_brooklyn() {
        let render = "services:\n- type: web\n  name: shop\n  env: node\n  buildCommand: npm ci\ndatabases:\n- name: shop-db\n";
        assert!(!is_brooklyn_doc(&parse(render).documents[0]));
        let clocker = "location: localhost\nservices:\n- type: docker-cloud-single\n";
        assert!(is_brooklyn_doc(&parse(clocker).documents[0]));
        let dsl = "services:\n- type: web-app\n  db: $brooklyn:component(\"db\")\n";
        assert!(is_brooklyn_doc(&parse(dsl).documents[0]));
    }

    #[test]
    fn reads_blueprint_with_children_and_docker_entities() {
        let text = "name: app\nlocation: my-docker-cloud\nservices:\n- type: docker:redis:3\n  id: cache\n  directPorts: [6379]\n- type: org.example.Cluster\n  id: web\n  initialSize: 3\n  brooklyn.config:\n    dynamiccluster.memberspec:\n      $brooklyn:entitySpec:\n        type: org.example.Node\n        brooklyn.config:\n          env:\n            CACHE: $brooklyn:component(\"cache\").attributeWhenReady(\"host.name\")\n";
        let docs = parse(text).documents;
        assert!(is_brooklyn_doc(&docs[0]));
        let mut diags = Vec::new();
        let f = read(FileId(0), &docs, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let bp = &f.blueprints[0];
        assert_eq!(bp.locations[0].spec.value, "my-docker-cloud");
        let cache = &bp.services[0];
        let img = cache.image.as_ref().unwrap();
        assert_eq!(img.value, "redis:3");
        assert_eq!(
            &text[img.span.start as usize..img.span.end as usize],
            "redis:3"
        );
        assert_eq!(cache.direct_ports[0].value, 6379);
        let web = &bp.services[1];
        assert_eq!(web.initial_size.as_ref().unwrap().value, 3);
        assert!(
            web.refs.is_empty(),
            "a member spec's references are its own"
        );
        let member = &web.children[0];
        assert!(member.member_spec);
        assert_eq!(member.refs[0].value, "cache");
        assert_eq!(member.env[0].0.value, "CACHE");
    }

    #[test]
    fn reads_catalog_items() {
        let text = "brooklyn.catalog:\n  version: 1\n  items:\n  - id: app\n    itemType: template\n    item:\n      services:\n      - type: docker:nginx\n  - id: loc\n    itemType: location\n    item:\n      type: byon\n      brooklyn.config:\n        hosts: [10.0.0.1, 10.0.0.2]\n";
        let docs = parse(text).documents;
        assert!(is_brooklyn_doc(&docs[0]));
        let mut diags = Vec::new();
        let f = read(FileId(0), &docs, &mut diags);
        assert_eq!(f.blueprints.len(), 2);
        assert_eq!(
            f.blueprints[0].services[0].image.as_ref().unwrap().value,
            "nginx"
        );
        assert_eq!(
            f.blueprints[1].locations[0].hosts.as_ref().unwrap().value,
            2
        );
    }
}
