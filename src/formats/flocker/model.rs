//! The typed model of ClusterHQ Flocker's configuration files (Flocker 1.0,
//! `docs/using/config/configuration.rst`), passed as
//! `flocker-deploy <control-host> deployment.yml application.yml`:
//!
//! - the application config: `version: 1` and `applications`, each with `image`,
//!   `ports` (`internal`/`external`), `links` (`local_port`/`remote_port`/`alias`),
//!   one `volume` (`mountpoint`, `maximum_size`), `environment`, `mem_limit`,
//!   `cpu_shares`, `restart_policy`;
//! - its Fig-compatible variant: a Fig file (services at the top level) of which
//!   Flocker reads `image`, `environment`, `ports` (`"external:internal"`), `links`
//!   (`"name[:alias]"`), `volumes` (one container path) and `mem_limit`;
//! - the deployment config: `version: 1` and `nodes`, each node (host name or
//!   address) with the applications it runs (a list, or one name).

use crate::diagnostic::Diagnostic;
use crate::formats::util::Findings;
use crate::source::FileId;
use crate::source::{Span, Spanned};
use crate::yaml::{Node, Value};

#[derive(Debug)]
pub enum FlockerFile {
    Applications(AppConfig),
    Deployment(DeploymentConfig),
}

#[derive(Debug, Default)]
pub struct AppConfig {
    /// The Fig-compatible variant (services at the top level).
    pub(crate) fig: bool,
    pub(crate) applications: Vec<Application>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) struct Application {
    pub(crate) name: Spanned<String>,
    /// The application's body.
    pub(crate) body: Span,
    pub(crate) image: Option<Spanned<String>>,
    pub(crate) ports: Vec<PortMap>,
    pub(crate) links: Vec<Link>,
    /// The volume (one in the native format; the Fig variant may list more, which
    /// Flocker refuses).
    pub(crate) volumes: Vec<DataVolume>,
    pub(crate) environment: Vec<(Spanned<String>, Option<Spanned<String>>)>,
    pub(crate) mem_limit: Option<Spanned<String>>,
    pub(crate) cpu_shares: Option<Spanned<String>>,
    /// `restart_policy.name`.
    pub(crate) restart: Option<Spanned<String>>,
}

impl Application {
    /// An application with only its name and body, for the readers to fill.
    fn empty(name: Spanned<String>, body: Span) -> Application {
        Application {
            name,
            body,
            image: None,
            ports: Vec::new(),
            links: Vec::new(),
            volumes: Vec::new(),
            environment: Vec::new(),
            mem_limit: None,
            cpu_shares: None,
            restart: None,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct PortMap {
    pub(crate) internal: Option<u32>,
    pub(crate) external: Option<u32>,
    pub(crate) span: Span,
}

/// A link to another application: by port (native format) or by name (Fig).
#[derive(Clone, Debug)]
pub(crate) struct Link {
    pub(crate) remote_port: Option<u32>,
    /// The application named (Fig variant).
    pub(crate) target: Option<Spanned<String>>,
    pub(crate) span: Span,
}

/// A Flocker dataset mounted into the application.
#[derive(Clone, Debug)]
pub(crate) struct DataVolume {
    pub(crate) mountpoint: Spanned<String>,
    pub(crate) maximum_size: Option<Spanned<String>>,
    pub(crate) span: Span,
}

#[derive(Debug, Default)]
pub struct DeploymentConfig {
    /// The `nodes` key and value.
    pub(crate) span: Span,
    pub(crate) nodes: Vec<NodeEntry>,
}

#[derive(Clone, Debug)]
pub(crate) struct NodeEntry {
    /// Host name or address.
    pub(crate) host: Spanned<String>,
    pub(crate) applications: Vec<Spanned<String>>,
}

/// `version: 1` (or `"1"`).
fn is_version_one(doc: &Node) -> bool {
    doc.get("version").and_then(Node::as_i64) == Some(1)
}

/// An application config: `version` and an `applications` mapping.
pub(crate) fn is_app_config(doc: &Node) -> bool {
    doc.get("version").is_some()
        && doc
            .get("applications")
            .is_some_and(|a| a.as_mapping().is_some())
        && doc.get("services").is_none()
}

/// A deployment config: `version: 1` and a `nodes` mapping, or another `version`
/// with `nodes` whose values are names or lists of names.
pub(crate) fn is_deployment_config(doc: &Node) -> bool {
    let Some(nodes) = doc.get("nodes").and_then(Node::as_mapping) else {
        return false;
    };
    let well_shaped = nodes.iter().all(|(_, v)| {
        v.is_null()
            || v.as_str().is_some()
            || v.as_sequence()
                .is_some_and(|items| items.iter().all(|i| i.as_str().is_some()))
    });
    is_version_one(doc) || (doc.get("version").is_some() && well_shaped)
}

pub(crate) fn is_flocker_doc(doc: &Node) -> bool {
    doc.get("apiVersion").is_none() && (is_app_config(doc) || is_deployment_config(doc))
}

pub(crate) fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> FlockerFile {
    let mut f = Findings { file, diags };
    let Some(doc) = docs.iter().find(|d| !d.is_null()) else {
        return FlockerFile::Applications(AppConfig::default());
    };
    if let Some(v) = doc.get("version")
        && !is_version_one(doc)
    {
        f.wrong(v, "version", "`1` (the only Flocker configuration version)");
    }
    if is_deployment_config(doc) && !is_app_config(doc) {
        return FlockerFile::Deployment(read_deployment(&mut f, doc));
    }
    let mut out = AppConfig::default();
    if let Some(apps) = doc.get("applications") {
        for (name, body) in f.mapping(apps, "applications") {
            out.applications.push(native_app(&mut f, name, body));
        }
    }
    FlockerFile::Applications(out)
}

fn read_deployment(f: &mut Findings<'_>, doc: &Node) -> DeploymentConfig {
    let mut out = DeploymentConfig {
        span: doc.entry_span("nodes").unwrap_or(doc.span),
        nodes: Vec::new(),
    };
    let Some(nodes) = doc.get("nodes") else {
        return out;
    };
    for (host, apps) in f.mapping(nodes, "nodes") {
        let path = format!("nodes.{}", host.value);
        let applications = match &apps.value {
            Value::Scalar(_) => f.scalar(apps, &path).into_iter().collect(),
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| f.scalar(n, &format!("{path}[{i}]")))
                .collect(),
            Value::Mapping(_) => {
                f.wrong(apps, &path, "a list of application names");
                Vec::new()
            }
        };
        out.nodes.push(NodeEntry { host, applications });
    }
    out
}

fn port_number(f: &mut Findings<'_>, node: Option<&Node>, path: &str) -> Option<u32> {
    let n = node?;
    f.count(n, path).map(|s| s.value)
}

fn native_app(f: &mut Findings<'_>, name: Spanned<String>, body: &Node) -> Application {
    let path = format!("applications.{}", name.value);
    let mut app = Application::empty(name, body.span);
    for (k, v) in f.mapping(body, &path) {
        let p = format!("{path}.{}", k.value);
        match k.value.as_str() {
            "image" => app.image = f.scalar(v, &p),
            "ports" => {
                for (i, item) in f.sequence(v, &p).iter().enumerate() {
                    let ip = format!("{p}[{i}]");
                    if item.as_mapping().is_none() {
                        f.wrong(item, &ip, "a mapping with `internal` and `external`");
                        continue;
                    }
                    app.ports.push(PortMap {
                        internal: port_number(f, item.get("internal"), &format!("{ip}.internal")),
                        external: port_number(f, item.get("external"), &format!("{ip}.external")),
                        span: item.span,
                    });
                }
            }
            "links" => {
                for (i, item) in f.sequence(v, &p).iter().enumerate() {
                    let ip = format!("{p}[{i}]");
                    if item.as_mapping().is_none() {
                        f.wrong(
                            item,
                            &ip,
                            "a mapping with `local_port`, `remote_port` and `alias`",
                        );
                        continue;
                    }
                    app.links.push(Link {
                        remote_port: port_number(
                            f,
                            item.get("remote_port"),
                            &format!("{ip}.remote_port"),
                        ),
                        target: None,
                        span: item.span,
                    });
                }
            }
            "volume" => {
                if v.as_mapping().is_none() {
                    if !v.is_null() {
                        f.wrong(v, &p, "a mapping with `mountpoint`");
                    }
                    continue;
                }
                match v
                    .get("mountpoint")
                    .and_then(|m| f.scalar(m, &format!("{p}.mountpoint")))
                {
                    Some(mountpoint) => app.volumes.push(DataVolume {
                        mountpoint,
                        maximum_size: v
                            .get("maximum_size")
                            .and_then(|m| f.scalar(m, &format!("{p}.maximum_size"))),
                        span: k.span.cover(v.span),
                    }),
                    None => f.wrong(v, &p, "a mapping with `mountpoint`"),
                }
            }
            "environment" => app.environment = f.pairs(v, &p),
            "mem_limit" => app.mem_limit = f.scalar(v, &p),
            "cpu_shares" => app.cpu_shares = f.scalar(v, &p),
            "restart_policy" => {
                app.restart = v
                    .get("name")
                    .and_then(|n| f.scalar(n, &format!("{p}.name")));
            }
            _ => {}
        }
    }
    app
}

/// Reads a Fig file as Flocker's Fig-compatible application config.
pub(crate) fn read_fig(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> FlockerFile {
    let mut f = Findings { file, diags };
    let mut out = AppConfig {
        fig: true,
        applications: Vec::new(),
    };
    let Some(doc) = docs.iter().find(|d| !d.is_null()) else {
        return FlockerFile::Applications(out);
    };
    for (name, body) in f.mapping(doc, "the file") {
        let path = name.value.clone();
        let mut app = Application::empty(name, body.span);
        for (k, v) in f.mapping(body, &path) {
            let p = format!("{path}.{}", k.value);
            match k.value.as_str() {
                "image" => app.image = f.scalar(v, &p),
                "environment" => app.environment = f.pairs(v, &p),
                "mem_limit" => app.mem_limit = f.scalar(v, &p),
                "ports" => {
                    for (i, item) in f.sequence(v, &p).iter().enumerate() {
                        let Some(s) = f.scalar(item, &format!("{p}[{i}]")) else {
                            continue;
                        };
                        let (ext, int) = match s.value.rsplit_once(':') {
                            Some((e, i)) => (e.trim().parse().ok(), i.trim().parse().ok()),
                            None => (None, s.value.trim().parse().ok()),
                        };
                        app.ports.push(PortMap {
                            internal: int,
                            external: ext,
                            span: s.span,
                        });
                    }
                }
                "links" => {
                    for (i, item) in f.sequence(v, &p).iter().enumerate() {
                        let Some(s) = f.scalar(item, &format!("{p}[{i}]")) else {
                            continue;
                        };
                        let target = s.value.split(':').next().unwrap_or_default().to_string();
                        let span = match crate::formats::util::text_origin(item, &s.value) {
                            Some(o) => Span::new(o, o + target.len()),
                            None => s.span,
                        };
                        app.links.push(Link {
                            remote_port: None,
                            target: Some(Spanned::new(target, span)),
                            span: s.span,
                        });
                    }
                }
                "volumes" => {
                    for (i, item) in f.sequence(v, &p).iter().enumerate() {
                        if let Some(s) = f.scalar(item, &format!("{p}[{i}]")) {
                            app.volumes.push(DataVolume {
                                mountpoint: s.clone(),
                                maximum_size: None,
                                span: s.span,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        out.applications.push(app);
    }
    FlockerFile::Applications(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn reads_both_configs() {
        let app = "\"version\": 1\n\"applications\":\n  \"db\":\n    \"image\": \"postgres:9\"\n    \"ports\":\n    - \"internal\": 5432\n      \"external\": 5432\n    \"volume\":\n      \"mountpoint\": \"/data\"\n      \"maximum_size\": \"1G\"\n";
        let docs = parse(app).documents;
        assert!(is_flocker_doc(&docs[0]));
        let mut diags = Vec::new();
        let FlockerFile::Applications(a) = read(FileId(0), &docs, &mut diags) else {
            panic!("not an application config");
        };
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(a.applications[0].ports[0].external, Some(5432));
        assert_eq!(a.applications[0].volumes[0].mountpoint.value, "/data");

        let dep = "version: 1\nnodes:\n  \"10.0.0.1\": [db, web]\n  \"10.0.0.2\": web\n  \"10.0.0.3\": []\n";
        let docs = parse(dep).documents;
        assert!(is_deployment_config(&docs[0]));
        let FlockerFile::Deployment(d) = read(FileId(0), &docs, &mut diags) else {
            panic!("not a deployment config");
        };
        assert_eq!(d.nodes.len(), 3);
        assert_eq!(d.nodes[1].applications[0].value, "web");
    }

    #[test]
    fn other_version_is_reported() {
        let docs = parse("version: 2\nnodes:\n  a: [x]\n").documents;
        let mut diags = Vec::new();
        read(FileId(0), &docs, &mut diags);
        assert_eq!(diags.len(), 1);
    }
}
