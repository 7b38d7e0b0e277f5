//! `orchlint graph`: the projects' architecture as one Mermaid flowchart or one
//! Graphviz DOT digraph, a subgraph (DOT: `cluster_N`) per project: its
//! workloads, the dependencies between them (declared ones, Services routing to
//! workloads, and addresses of Services in environment values), the volumes they
//! mount, the host ports they publish, and where traffic enters: Ingress hosts,
//! Gateway API Gateways and HTTPRoutes, Istio Gateways and VirtualServices, and
//! marathon-lb groups (`HAPROXY_GROUP`, `HAPROXY_n_VHOST`).

use std::fmt::Write as _;

use crate::formats::kubernetes::Object;
use crate::model::{DeploymentModel, MountKind, Workload};
use crate::project::kubernetes::project_objects;
use crate::project::{Project, SpecFile};
use crate::source::display_path;
use crate::yaml::Node as Yaml;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Workload,
    Service,
    Volume,
    Port,
    /// Where traffic enters: an Ingress host, a Gateway, a route, a marathon-lb.
    Entry,
}

struct Node {
    id: String,
    label: Vec<String>,
    shape: Shape,
}

struct Edge {
    from: String,
    to: String,
    label: String,
    dashed: bool,
}

#[derive(Default)]
pub(crate) struct Graph {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

impl Graph {
    fn node(&mut self, prefix: &str, shape: Shape, label: Vec<String>) -> String {
        let id = format!("{prefix}{}", self.nodes.len());
        self.nodes.push(Node {
            id: id.clone(),
            label,
            shape,
        });
        id
    }

    fn edge(&mut self, from: &str, to: &str, label: impl Into<String>, dashed: bool) {
        let label = label.into();
        if self
            .edges
            .iter()
            .any(|e| e.from == from && e.to == to && e.label == label)
        {
            return;
        }
        self.edges.push(Edge {
            from: from.into(),
            to: to.into(),
            label,
            dashed,
        });
    }
}

/// Whether an environment value addresses a host named `name` (`name:8080`,
/// `http://name/`, `name.ns.svc`, or just `name`).
fn addresses(value: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut from = 0;
    while let Some(i) = value[from..].find(name) {
        let start = from + i;
        let end = start + name.len();
        let before = value[..start].chars().next_back();
        let after = value[end..].chars().next();
        let starts_host = before.is_none_or(|c| matches!(c, '/' | '@' | ',' | ' ' | '='));
        let ends_host = after.is_none_or(|c| matches!(c, ':' | '.' | '/' | ',' | ' '))
            && after.is_none_or(|c| !is_name_char(c));
        if starts_host && ends_host {
            return true;
        }
        from = end;
    }
    false
}

/// An image without a registry host's path (`registry.example.com/team/app:1` →
/// `app:1`); Docker Hub names stay whole.
fn short_image(image: &str) -> String {
    let first = image.split('/').next().unwrap_or("");
    let hosted =
        image.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if hosted {
        image.rsplit('/').next().unwrap_or(image).to_string()
    } else {
        image.to_string()
    }
}

fn selects(selector: &[(String, String)], w: &Workload) -> bool {
    !selector.is_empty()
        && selector
            .iter()
            .all(|(k, v)| w.labels.iter().any(|(lk, lv)| lk == k && lv == v))
}

/// The strings of a node's sequence (or its one string).
fn strings(n: Option<&Yaml>) -> Vec<String> {
    match n {
        Some(n) if n.as_sequence().is_some() => n
            .as_sequence()
            .unwrap_or_default()
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(n) => n.as_str().map(str::to_string).into_iter().collect(),
        None => Vec::new(),
    }
}

fn seq(n: Option<&Yaml>) -> &[Yaml] {
    n.and_then(Yaml::as_sequence).unwrap_or_default()
}

/// A backend's Service name: `service.name` (networking/v1) or `serviceName`.
fn backend_service(backend: &Yaml) -> Option<String> {
    backend
        .at(&["service", "name"])
        .or_else(|| backend.get("serviceName"))
        .and_then(Yaml::as_str)
        .map(str::to_string)
}

/// The entry points of one object: (label lines, Service names it routes to
/// with the edge's label, names of Gateways it attaches to).
struct EntryPoint {
    key: String,
    label: Vec<String>,
    routes: Vec<(String, String)>,
    attaches: Vec<String>,
}

fn entry_point(o: &Object, node: &Yaml) -> Option<EntryPoint> {
    let name = o.name.as_ref().map_or("", |n| n.value.as_str()).to_string();
    let spec = node.get("spec")?;
    let group = o.api_version.value.split('/').next().unwrap_or("");
    let key = format!("{}/{name}", o.kind.value);
    let mut e = EntryPoint {
        key,
        label: vec![format!("{} {name}", o.kind.value)],
        routes: Vec::new(),
        attaches: Vec::new(),
    };
    match (o.kind.value.as_str(), group) {
        ("Ingress", _) => {
            let mut hosts = Vec::new();
            if let Some(b) = spec.get("defaultBackend").or_else(|| spec.get("backend"))
                && let Some(svc) = backend_service(b)
            {
                e.routes.push((svc, "default".into()));
            }
            for rule in seq(spec.get("rules")) {
                let host = rule.get("host").and_then(Yaml::as_str).unwrap_or("*");
                hosts.push(host.to_string());
                for path in seq(rule.at(&["http", "paths"])) {
                    let p = path.get("path").and_then(Yaml::as_str).unwrap_or("/");
                    if let Some(svc) = path.get("backend").and_then(backend_service) {
                        e.routes.push((svc, format!("{host}{p}")));
                    }
                }
            }
            hosts.dedup();
            if !hosts.is_empty() {
                e.label.push(hosts.join(", "));
            }
        }
        ("Gateway", "gateway.networking.k8s.io") => {
            let listeners: Vec<String> = seq(spec.get("listeners"))
                .iter()
                .map(|l| {
                    let host = l.get("hostname").and_then(Yaml::as_str).unwrap_or("*");
                    let port = l.get("port").and_then(Yaml::as_i64).unwrap_or(0);
                    format!("{host}:{port}")
                })
                .collect();
            if !listeners.is_empty() {
                e.label.push(listeners.join(", "));
            }
        }
        ("Gateway", "networking.istio.io") => {
            let hosts: Vec<String> = seq(spec.get("servers"))
                .iter()
                .flat_map(|s| strings(s.get("hosts")))
                .collect();
            if !hosts.is_empty() {
                e.label.push(hosts.join(", "));
            }
        }
        ("HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute", "gateway.networking.k8s.io") => {
            let hosts = strings(spec.get("hostnames"));
            if !hosts.is_empty() {
                e.label.push(hosts.join(", "));
            }
            e.attaches = seq(spec.get("parentRefs"))
                .iter()
                .filter_map(|r| r.get("name").and_then(Yaml::as_str).map(str::to_string))
                .collect();
            for rule in seq(spec.get("rules")) {
                for b in seq(rule.get("backendRefs")) {
                    if let Some(n) = b.get("name").and_then(Yaml::as_str) {
                        e.routes.push((n.to_string(), "routes".into()));
                    }
                }
            }
        }
        ("VirtualService", "networking.istio.io") => {
            let hosts = strings(spec.get("hosts"));
            if !hosts.is_empty() {
                e.label.push(hosts.join(", "));
            }
            e.attaches = strings(spec.get("gateways"))
                .into_iter()
                .map(|g| g.rsplit('/').next().unwrap_or("").to_string())
                .collect();
            for kind in ["http", "tcp", "tls"] {
                for r in seq(spec.get(kind)) {
                    for d in seq(r.get("route")) {
                        if let Some(h) = d.at(&["destination", "host"]).and_then(Yaml::as_str) {
                            let svc = h.split('.').next().unwrap_or(h);
                            e.routes.push((svc.to_string(), "routes".into()));
                        }
                    }
                }
            }
        }
        _ => return None,
    }
    Some(e)
}

/// Adds the project's entry points: Kubernetes Ingresses, Gateways and routes
/// (linked to the Services they send traffic to), and marathon-lb groups (linked
/// to the apps that join them).
fn entries(
    g: &mut Graph,
    model: &DeploymentModel,
    project: &Project,
    files: &[SpecFile],
    wid: &[String],
    sid: &[String],
) {
    let mut points: Vec<(EntryPoint, String)> = Vec::new();
    for (file, o) in project_objects(project, files) {
        let Some(node) = o.node(&file.docs) else {
            continue;
        };
        if let Some(e) = entry_point(o, node) {
            let id = g.node("e", Shape::Entry, e.label.clone());
            points.push((e, id));
        }
    }
    for (e, id) in &points {
        for gw in &e.attaches {
            if let Some((_, gid)) = points
                .iter()
                .find(|(p, _)| p.key.ends_with(&format!("/{gw}")) && p.key.starts_with("Gateway/"))
            {
                g.edge(gid, id, "attaches", false);
            }
        }
        for (svc, label) in &e.routes {
            if let Some(k) = model.services.iter().position(|s| s.name == *svc) {
                g.edge(id, &sid[k], label.clone(), false);
            } else if let Some(i) = model.workloads.iter().position(|w| w.name == *svc) {
                g.edge(id, &wid[i], label.clone(), false);
            }
        }
    }
    // marathon-lb: one entry per HAPROXY_GROUP, an edge per app with its virtual
    // hosts.
    let mut groups: Vec<(String, String)> = Vec::new();
    for (i, w) in model.workloads.iter().enumerate() {
        let Some((_, group)) = w.labels.iter().find(|(k, _)| k == "HAPROXY_GROUP") else {
            continue;
        };
        let vhosts: Vec<&str> = w
            .labels
            .iter()
            .filter(|(k, _)| k.starts_with("HAPROXY_") && k.ends_with("_VHOST"))
            .map(|(_, v)| v.as_str())
            .collect();
        for grp in group.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let gid = match groups.iter().find(|(k, _)| k == grp) {
                Some((_, id)) => id.clone(),
                None => {
                    let id = g.node("e", Shape::Entry, vec![format!("marathon-lb {grp}")]);
                    groups.push((grp.to_string(), id.clone()));
                    id
                }
            };
            g.edge(&gid, &wid[i], vhosts.join(", "), false);
        }
    }
}

pub(crate) fn build(model: &DeploymentModel, project: &Project, files: &[SpecFile]) -> Graph {
    let mut g = Graph::default();
    let mut wid: Vec<String> = Vec::new();
    for w in &model.workloads {
        let image = w
            .containers
            .iter()
            .filter(|c| !c.init)
            .filter_map(|c| c.image.as_ref().map(|i| short_image(&i.value)))
            .collect::<Vec<_>>()
            .join(", ");
        let mut label = vec![w.name.clone()];
        let mut second = w.kind.noun().to_string();
        if let Some(r) = &w.replicas
            && r.value != 1
        {
            second.push_str(&format!(" ×{}", r.value));
        }
        if w.global.is_some() {
            second.push_str(" (every node)");
        }
        label.push(second);
        if !image.is_empty() {
            label.push(image);
        }
        wid.push(g.node("w", Shape::Workload, label));
    }
    let mut sid: Vec<String> = Vec::new();
    for s in &model.services {
        let ports: Vec<String> = s
            .ports
            .iter()
            .filter_map(|p| p.container.map(|c| c.to_string()))
            .collect();
        let mut label = vec![format!("Service {}", s.name)];
        if !ports.is_empty() {
            label.push(format!(":{}", ports.join(", :")));
        }
        sid.push(g.node("s", Shape::Service, label));
    }
    // Declared dependencies.
    for (i, w) in model.workloads.iter().enumerate() {
        for d in &w.depends_on {
            if let Some(j) = model.workloads.iter().position(|x| x.name == d.value) {
                let (a, b) = (wid[i].clone(), wid[j].clone());
                g.edge(&a, &b, "depends on", false);
            }
        }
    }
    // Services route to the workloads they select; workloads call Services they
    // name in their environment.
    for (k, s) in model.services.iter().enumerate() {
        for (i, w) in model.workloads.iter().enumerate() {
            if selects(&s.selector, w) {
                let (a, b) = (sid[k].clone(), wid[i].clone());
                g.edge(&a, &b, "routes to", false);
            }
        }
    }
    for (i, w) in model.workloads.iter().enumerate() {
        for (k, s) in model.services.iter().enumerate() {
            if selects(&s.selector, w) {
                continue;
            }
            let calls = w.containers.iter().flat_map(|c| &c.env).any(|e| {
                e.value
                    .as_ref()
                    .is_some_and(|v| addresses(&v.value, &s.name))
            });
            if calls {
                let (a, b) = (wid[i].clone(), sid[k].clone());
                g.edge(&a, &b, "calls", true);
            }
        }
    }
    // Volumes, one node per source.
    let mut vols: Vec<(String, String)> = Vec::new();
    for (i, w) in model.workloads.iter().enumerate() {
        for c in &w.containers {
            for m in &c.mounts {
                let (key, label) = match m.kind {
                    MountKind::Config | MountKind::Tmpfs => continue,
                    MountKind::Named => {
                        let s = m.source.clone().unwrap_or_default();
                        (format!("named:{s}"), format!("volume {s}"))
                    }
                    MountKind::HostPath => {
                        let s = m.source.clone().unwrap_or_default();
                        (format!("host:{s}"), format!("host {s}"))
                    }
                    MountKind::Persistent => {
                        // A Marathon persistent volume mounted again through a
                        // relative host path is the same volume.
                        let s = m.source.clone().unwrap_or_else(|| m.target.clone());
                        (
                            format!("persistent:{}:{s}", w.name),
                            format!("persistent volume {s}"),
                        )
                    }
                    MountKind::External => {
                        let s = m.source.clone().unwrap_or_default();
                        (format!("external:{s}"), format!("external {s}"))
                    }
                    MountKind::Ephemeral => {
                        let s = m.source.clone().unwrap_or_else(|| m.target.clone());
                        (
                            format!("ephemeral:{}:{s}", w.name),
                            format!("ephemeral {s}"),
                        )
                    }
                };
                let id = match vols.iter().find(|(k, _)| *k == key) {
                    Some((_, id)) => id.clone(),
                    None => {
                        let id = g.node("v", Shape::Volume, vec![label]);
                        vols.push((key, id.clone()));
                        id
                    }
                };
                let a = wid[i].clone();
                g.edge(&a, &id, m.target.clone(), m.kind == MountKind::Ephemeral);
            }
        }
    }
    // Published host ports, and node ports of Services: one node per port, so two
    // workloads publishing the same one show it.
    let mut ports: Vec<(String, String)> = Vec::new();
    let mut port_node = |g: &mut Graph, number: u32, protocol: &str| {
        let key = format!("{number}/{}", protocol.to_ascii_lowercase());
        match ports.iter().find(|(k, _)| *k == key) {
            Some((_, id)) => id.clone(),
            None => {
                let id = g.node("p", Shape::Port, vec![key.clone()]);
                ports.push((key, id.clone()));
                id
            }
        }
    };
    for (i, w) in model.workloads.iter().enumerate() {
        for c in &w.containers {
            for p in &c.ports {
                if let Some(h) = p.host {
                    let id = port_node(&mut g, h, &p.protocol);
                    let b = wid[i].clone();
                    let to = p.container.map(|c| format!("to {c}")).unwrap_or_default();
                    g.edge(&id, &b, to, false);
                }
            }
        }
    }
    for (k, s) in model.services.iter().enumerate() {
        for p in &s.ports {
            if let Some(h) = p.host {
                let id = port_node(&mut g, h, &p.protocol);
                let b = sid[k].clone();
                g.edge(&id, &b, "node port", false);
            }
        }
    }
    entries(&mut g, model, project, files, &wid, &sid);
    g
}

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// A project's title in a diagram: its directory and format.
fn title(project: &Project) -> String {
    format!(
        "{} ({})",
        display_path(&project.root),
        project.format.as_str()
    )
}

/// One Mermaid flowchart: a subgraph per project, node ids prefixed `pN_` so that
/// projects never share a node.
pub(crate) fn mermaid(graphs: &[(&Project, Graph)]) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, (project, g)) in graphs.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph p{i}[\"{}\"]",
            mermaid_text(&title(project))
        );
        out.push_str("    direction LR\n");
        for n in &g.nodes {
            let label = n
                .label
                .iter()
                .map(|l| mermaid_text(l))
                .collect::<Vec<_>>()
                .join("<br/>");
            let (open, close) = match n.shape {
                Shape::Workload => ("[\"", "\"]"),
                Shape::Service => ("{{\"", "\"}}"),
                Shape::Volume => ("[(\"", "\")]"),
                Shape::Port => ("((\"", "\"))"),
                Shape::Entry => ("([\"", "\"])"),
            };
            let _ = writeln!(out, "    p{i}_{}{open}{label}{close}", n.id);
        }
        out.push_str("  end\n");
    }
    for (i, (_, g)) in graphs.iter().enumerate() {
        for e in &g.edges {
            let arrow = if e.dashed { "-.->" } else { "-->" };
            if e.label.is_empty() {
                let _ = writeln!(out, "  p{i}_{} {arrow} p{i}_{}", e.from, e.to);
            } else {
                let _ = writeln!(
                    out,
                    "  p{i}_{} {arrow}|\"{}\"| p{i}_{}",
                    e.from,
                    mermaid_text(&e.label),
                    e.to
                );
            }
        }
    }
    out
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// One DOT digraph: a `cluster_N` subgraph per project, node ids prefixed `pN_`.
pub(crate) fn dot(graphs: &[(&Project, Graph)]) -> String {
    let mut out = String::from("digraph orchlint {\n");
    out.push_str("  rankdir=LR;\n  compound=true;\n  node [fontname=\"Helvetica\"];\n");
    for (i, (project, g)) in graphs.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(out, "    label=\"{}\";", dot_text(&title(project)));
        for n in &g.nodes {
            let shape = match n.shape {
                Shape::Workload => "box",
                Shape::Service => "hexagon",
                Shape::Volume => "cylinder",
                Shape::Port => "circle",
                Shape::Entry => "invhouse",
            };
            let label = n
                .label
                .iter()
                .map(|l| dot_text(l))
                .collect::<Vec<_>>()
                .join("\\n");
            let _ = writeln!(out, "    p{i}_{} [label=\"{label}\", shape={shape}];", n.id);
        }
        for e in &g.edges {
            let style = if e.dashed { ", style=dashed" } else { "" };
            let _ = writeln!(
                out,
                "    p{i}_{} -> p{i}_{} [label=\"{}\"{style}];",
                e.from,
                e.to,
                dot_text(&e.label)
            );
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_images() {
        assert_eq!(
            short_image("us-docker.pkg.dev/p/r/frontend:v1"),
            "frontend:v1"
        );
        assert_eq!(short_image("localhost:5000/app:2"), "app:2");
        assert_eq!(short_image("example/web:1"), "example/web:1");
        assert_eq!(short_image("nginx"), "nginx");
    }

    #[test]
    fn service_addresses() {
        assert!(addresses("redis-cart:6379", "redis-cart"));
        assert!(addresses("http://api/v1", "api"));
        assert!(addresses("api.default.svc:80", "api"));
        assert!(addresses("api", "api"));
        assert!(!addresses("rapid:80", "api"));
        assert!(!addresses("api-gateway:80", "api"));
        assert!(!addresses("", "api"));
    }
}
