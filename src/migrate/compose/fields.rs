//! A container's environment, ports and health check as Compose writes them.

use serde_json::{Map, Value, json};

use super::{Flavor, Out, escape};
use crate::model::{Container, Probe, Workload};

pub(super) fn environment(c: &Container, who: &str, s: &mut Map<String, Value>, out: &mut Out) {
    let mut env = Map::new();
    for v in &c.env {
        let n = v.name.value.as_str();
        if n.starts_with("constraint:")
            || n.starts_with("affinity:")
            || n.starts_with("reschedule:")
        {
            out.left(
                format!(
                    "{who} is placed by classic Swarm's filter `{n}`: not carried; {}",
                    if out.flavor == Flavor::Swarm {
                        "write it as `deploy.placement.constraints` (`node.hostname == …`, `node.labels.KEY == VALUE`)"
                    } else {
                        "on one host it has no meaning"
                    }
                ),
                Some(v.name.loc),
            );
            continue;
        }
        match &v.value {
            Some(value) if !value.value.starts_with("$brooklyn:") => {
                env.insert(v.name.value.clone(), json!(escape(&value.value)));
            }
            Some(value) => {
                env.insert(v.name.value.clone(), Value::Null);
                out.left(
                    format!(
                        "variable `{}` of {who} is computed by Brooklyn (`{}`): give it its value (another service is reached by its service name)",
                        v.name.value,
                        value.value.chars().take(60).collect::<String>()
                    ),
                    Some(value.loc),
                );
            }
            None => {
                env.insert(v.name.value.clone(), Value::Null);
                out.left(
                    format!(
                        "variable `{}` of {who} takes its value from elsewhere (a secret, a field, the shell): left empty, so Compose takes it from the shell or `.env`; give it a value there",
                        v.name.value
                    ),
                    Some(v.name.loc),
                );
            }
        }
    }
    let secretish = crate::migrate::literal_secret_names(c);
    if !secretish.is_empty() {
        out.guide.decide.push(format!(
            "{who} has literal values in `{}`, copied as they are: move them into `.env` (kept out of version control) or a `secrets:` entry",
            secretish.join("`, `")
        ));
    }
    if !env.is_empty() {
        s.insert("environment".into(), Value::Object(env));
    }
}

pub(super) fn ports(
    w: &Workload,
    c: &Container,
    name: &str,
    who: &str,
    replicas: u32,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let mut published: Vec<Value> = Vec::new();
    let mut exposed: Vec<Value> = Vec::new();
    for p in &c.ports {
        let Some(port) = p.container else { continue };
        let proto = p.protocol.to_ascii_lowercase();
        let suffix = if proto == "udp" || proto == "sctp" {
            format!("/{proto}")
        } else {
            String::new()
        };
        match p.host {
            Some(host)
                if out
                    .host_ports
                    .iter()
                    .any(|(h, pr, svc)| *h == host && *pr == proto && svc != name) =>
            {
                let owner = out
                    .host_ports
                    .iter()
                    .find(|(h, pr, _)| *h == host && *pr == proto)
                    .map_or(String::new(), |(_, _, svc)| svc.clone());
                out.left(
                    format!("{who} publishes host port {host}, which service `{owner}` publishes already: on one host only one can bind it; not published (pick another host port)"),
                    Some(p.loc),
                );
                let entry = json!(format!("{port}{suffix}"));
                if !exposed.contains(&entry) {
                    exposed.push(entry);
                }
            }
            Some(host) => {
                out.host_ports.push((host, proto.clone(), name.to_string()));
                let entry = json!(format!("{host}:{port}{suffix}"));
                if !published.contains(&entry) {
                    published.push(entry);
                }
                if replicas > 1 && out.flavor == Flavor::Compose && w.global.is_none() {
                    out.left(
                        format!("{who} runs {replicas} copies and publishes host port {host}: on one host only one copy can bind it; put a proxy in front, or publish a range"),
                        Some(p.loc),
                    );
                }
            }
            None => {
                let entry = json!(format!("{port}{suffix}"));
                if !exposed.contains(&entry) {
                    exposed.push(entry);
                }
            }
        }
    }
    if !published.is_empty() {
        s.insert("ports".into(), Value::Array(published));
    }
    if !exposed.is_empty() {
        s.insert("expose".into(), Value::Array(exposed));
    }
}

/// A Compose healthcheck from a probe that runs a command; HTTP and TCP probes
/// are left for a person (the image may carry no client).
pub(super) fn healthcheck(c: &Container, who: &str, out: &mut Out) -> Option<Value> {
    let p: &Probe = c.liveness.as_ref().or(c.readiness.as_ref())?;
    if p.disabled {
        return Some(json!({"disable": true}));
    }
    if !p.exec.is_empty() {
        let test = match p.exec.as_slice() {
            [sh, dash_c, cmd] if (sh == "sh" || sh == "/bin/sh") && dash_c == "-c" => {
                json!(["CMD-SHELL", escape(cmd)])
            }
            words => {
                let mut v = vec![json!("CMD")];
                v.extend(words.iter().map(|w| json!(escape(w))));
                Value::Array(v)
            }
        };
        out.guide
            .carried
            .push(format!("the health check of {who} → `healthcheck.test`"));
        return Some(json!({"test": test}));
    }
    let what = match &p.http_path {
        Some(path) => format!("an HTTP GET of `{path}`"),
        None => "a TCP connection".to_string(),
    };
    out.left(
        format!("the health check of {who} is {what}, which Compose cannot make from outside the container: write `healthcheck.test` with a client the image carries (e.g. `[\"CMD-SHELL\", \"curl -fsS http://localhost:PORT/PATH || exit 1\"]`)"),
        Some(p.loc),
    );
    None
}
