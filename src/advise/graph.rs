//! `orchlint graph`: a project's architecture as Mermaid or Graphviz DOT: its
//! workloads, the dependencies between them (declared ones, Services routing to
//! workloads, and addresses of Services in environment values), the volumes they
//! mount and the host ports they publish.

use std::fmt::Write as _;

use crate::model::{DeploymentModel, MountKind, Workload};
use crate::project::Project;
use crate::source::display_path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Workload,
    Service,
    Volume,
    Port,
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

pub(crate) fn build(model: &DeploymentModel) -> Graph {
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
    g
}

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

pub(crate) fn mermaid(project: &Project, g: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "%% {}", display_path(&project.root));
    out.push_str("flowchart LR\n");
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
        };
        let _ = writeln!(out, "  {}{open}{label}{close}", n.id);
    }
    for e in &g.edges {
        let arrow = if e.dashed { "-.->" } else { "-->" };
        if e.label.is_empty() {
            let _ = writeln!(out, "  {} {arrow} {}", e.from, e.to);
        } else {
            let _ = writeln!(
                out,
                "  {} {arrow}|\"{}\"| {}",
                e.from,
                mermaid_text(&e.label),
                e.to
            );
        }
    }
    out
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub(crate) fn dot(project: &Project, g: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "digraph \"{}\" {{",
        dot_text(&display_path(&project.root))
    );
    out.push_str("  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    for n in &g.nodes {
        let shape = match n.shape {
            Shape::Workload => "box",
            Shape::Service => "hexagon",
            Shape::Volume => "cylinder",
            Shape::Port => "circle",
        };
        let label = n
            .label
            .iter()
            .map(|l| dot_text(l))
            .collect::<Vec<_>>()
            .join("\\n");
        let _ = writeln!(out, "  {} [label=\"{label}\", shape={shape}];", n.id);
    }
    for e in &g.edges {
        let style = if e.dashed { ", style=dashed" } else { "" };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"{style}];",
            e.from,
            e.to,
            dot_text(&e.label)
        );
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
