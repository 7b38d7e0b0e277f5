//! Start order, restart policy, copies, resources and placement: top-level keys
//! and `deploy` for Compose, `deploy` alone for a stack.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{Flavor, Out, escape, escape_all, is_scheduled, service_name};
use crate::model::{Container, Workload};
use crate::project::compose::ProjectView;
use crate::project::compose::view::ResolvedService;
use crate::source::Format;

pub(super) fn depends(
    w: &Workload,
    known: &BTreeSet<String>,
    rs: Option<(&ProjectView<'_>, &ResolvedService<'_>)>,
    swarm: bool,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    // Fig's links carry an alias and imply the start order: kept as links.
    let mut links: Vec<String> = Vec::new();
    for (layer, l) in rs.map(|(_, r)| r.all(|x| &x.links)).unwrap_or_default() {
        let target = l.text.split(':').next().unwrap_or(&l.text);
        if known.contains(target) {
            links.push(l.text.clone());
        } else if let Some((view, _)) = rs {
            out.left(
                format!(
                    "{} links to `{target}`, which is not written here: not carried",
                    w.describe()
                ),
                Some(crate::source::Loc::new(view.file_id(&layer), l.span)),
            );
        }
    }
    let mut deps: Vec<String> = Vec::new();
    for d in &w.depends_on {
        let name = d.value.split(':').next().unwrap_or(&d.value);
        let label = service_name(name);
        if links.iter().any(|l| l.split(':').next() == Some(name)) {
            continue;
        }
        if known.contains(&label) {
            if !deps.contains(&label) {
                deps.push(label);
            }
        } else {
            out.left(
                format!(
                    "{} depends on `{}`, which is not written here: start it some other way, or remove the dependency",
                    w.describe(),
                    d.value
                ),
                Some(d.loc),
            );
        }
    }
    if swarm {
        // A stack ignores both: services resolve by name, all start at once.
        if let Some(first) = w.depends_on.first()
            && (!links.is_empty() || !deps.is_empty())
        {
            let mut names: Vec<&str> = links.iter().map(String::as_str).collect();
            names.extend(deps.iter().map(String::as_str));
            out.left(
                format!(
                    "{} starts after (or links to) `{}`: `docker stack deploy` ignores `depends_on` and `links` and starts everything at once; services reach each other by service name, and the health checks and the app's own retries take the place of the order (a link alias must become a network alias)",
                    w.describe(),
                    names.join("`, `")
                ),
                Some(first.loc),
            );
        }
        return;
    }
    if !links.is_empty() {
        out.guide.carried.push(format!(
            "the links of {} → `links` (Compose resolves the service names without them; kept for their aliases)",
            w.describe()
        ));
        s.insert("links".into(), json!(escape_all(&links)));
    }
    if !deps.is_empty() {
        s.insert("depends_on".into(), json!(deps));
    }
}

/// Restart policy, copies and resources: top-level keys and `deploy` for
/// Compose, `deploy` alone for a stack.
pub(super) fn restart_and_deploy(
    w: &Workload,
    c: &Container,
    replicas: u32,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let swarm = out.flavor == Flavor::Swarm;
    let mut deploy = Map::new();
    // The restart policy as Compose writes it.
    let restart: Option<String> = match &w.restart {
        _ if is_scheduled(w.kind) => Some("no".into()),
        Some(r) => Some(r.value.trim_matches('"').to_ascii_lowercase()),
        None if w.kind.is_batch() => Some("no".into()),
        None if w.format != Format::Compose => Some("unless-stopped".into()),
        None => None,
    };
    let restart = restart.map(|r| match r.as_str() {
        "never" => "no".to_string(),
        "onfailure" | "on-failure" => "on-failure".to_string(),
        "always" | "unless-stopped" | "no" => r,
        r if r.starts_with("on-failure") => r.to_string(),
        _ => "unless-stopped".to_string(),
    });
    if let Some(r) = &restart {
        if swarm {
            let condition = match r.as_str() {
                "no" => "none",
                r if r.starts_with("on-failure") => "on-failure",
                _ => "any",
            };
            deploy.insert("restart_policy".into(), json!({"condition": condition}));
        } else {
            s.insert("restart".into(), json!(r));
        }
    }
    if let Some(at) = w.global {
        if swarm {
            deploy.insert("mode".into(), json!("global"));
        } else {
            out.left(
                format!(
                    "{} runs one copy on every node: on one host that is one copy",
                    w.describe()
                ),
                Some(at),
            );
        }
    } else if replicas != 1 || (swarm && w.replicas.is_some()) {
        deploy.insert("replicas".into(), json!(replicas));
    }
    if let Some(r) = resources(c) {
        deploy.insert("resources".into(), r);
    }
    let mut placement = Map::new();
    let one_per_host = w.placement.one_per_host.or(w.placement.one_per_zone);
    for k in &w.placement.constraints {
        let v = k.value.to_ascii_lowercase();
        if swarm && one_per_host.is_some() && v.contains("hostname") && v.contains("unique") {
            // Carried below as `max_replicas_per_node: 1`.
            continue;
        }
        // A Swarm constraint is carried to a stack as written; others are not
        // Swarm's language.
        let swarm_syntax =
            w.format == Format::Compose && (k.value.contains("==") || k.value.contains("!="));
        if swarm && swarm_syntax {
            let list = placement.entry("constraints").or_insert_with(|| json!([]));
            if let Some(l) = list.as_array_mut() {
                l.push(json!(escape(&k.value)));
            }
        } else if swarm {
            out.left(
                format!(
                    "placement `{}` of {}: write it as `deploy.placement.constraints` on labels your nodes carry (`node.labels.KEY == VALUE`)",
                    k.value,
                    w.describe()
                ),
                Some(k.loc),
            );
        } else {
            out.left(
                format!(
                    "placement `{}` of {}: Compose runs everything on one host, so it has no meaning there",
                    k.value,
                    w.describe()
                ),
                Some(k.loc),
            );
        }
    }
    if let Some(m) = &w.placement.max_per_host {
        if swarm {
            placement.insert("max_replicas_per_node".into(), json!(m.value));
        } else {
            out.left(
                format!(
                    "{} runs at most {} cop{} per host: on one host, that caps its copies",
                    w.describe(),
                    m.value,
                    if m.value == 1 { "y" } else { "ies" }
                ),
                Some(m.loc),
            );
        }
    }
    if one_per_host.is_some()
        && swarm
        && w.placement.one_per_zone.is_none()
        && w.placement.max_per_host.is_none()
    {
        placement.insert("max_replicas_per_node".into(), json!(1));
        out.guide.carried.push(format!(
            "one copy per host of {} → `deploy.placement.max_replicas_per_node: 1`",
            w.describe()
        ));
    } else if let Some(at) = one_per_host {
        out.left(
            format!("{} wants its copies on different hosts{}: {}", w.describe(), if w.placement.one_per_zone.is_some() { " (and zones)" } else { "" },
                if swarm { "write `deploy.placement.max_replicas_per_node: 1`, or `mode: global` if it should run on every node" } else { "Compose runs them all on one host" }),
            Some(at),
        );
    }
    if !placement.is_empty() {
        deploy.insert("placement".into(), Value::Object(placement));
    }
    if !deploy.is_empty() {
        s.insert("deploy".into(), Value::Object(deploy));
    }
}

/// `resources` for `deploy`: limits and reservations of CPU and memory.
pub(super) fn resources(c: &Container) -> Option<Value> {
    let r = &c.resources;
    let mut limits = Map::new();
    let mut reservations = Map::new();
    if let Some(cpu) = &r.cpu_limit {
        limits.insert("cpus".into(), json!(cpus(cpu.value)));
    }
    if let Some(m) = &r.memory_limit {
        limits.insert("memory".into(), json!(memory(m.value)));
    }
    if let Some(cpu) = &r.cpu_request {
        reservations.insert("cpus".into(), json!(cpus(cpu.value)));
    }
    if let Some(m) = &r.memory_request {
        reservations.insert("memory".into(), json!(memory(m.value)));
    }
    let mut out = Map::new();
    if !limits.is_empty() {
        out.insert("limits".into(), Value::Object(limits));
    }
    if !reservations.is_empty() {
        out.insert("reservations".into(), Value::Object(reservations));
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// Cores as Compose writes them (`"0.5"`, `"2"`), at most three decimals.
pub(crate) fn cpus(cores: f64) -> String {
    let milli = (cores * 1000.0).round().max(1.0) as u64;
    let whole = milli / 1000;
    let frac = milli % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:03}")
            .trim_end_matches('0')
            .to_string()
    }
}

/// Bytes as a Compose size: the largest unit that divides them (`512M`, `1G`).
pub(crate) fn memory(bytes: u64) -> String {
    for (unit, size) in [("G", 1u64 << 30), ("M", 1 << 20), ("K", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{unit}", bytes / size);
        }
    }
    format!("{bytes}b")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_cores_read_as_compose_writes_them() {
        assert_eq!(memory(512 << 20), "512M");
        assert_eq!(memory(1 << 30), "1G");
        assert_eq!(memory(1500), "1500b");
        assert_eq!(cpus(0.5), "0.5");
        assert_eq!(cpus(0.25), "0.25");
        assert_eq!(cpus(2.0), "2");
        assert_eq!(cpus(0.0001), "0.001");
        assert_eq!(escape("a$b"), "a$$b");
    }
}
