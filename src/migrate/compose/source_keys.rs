//! What only a Compose source holds, which the model does not.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{Flavor, Out, escape};
use crate::project::compose::ProjectView;
use crate::project::compose::view::ResolvedService;
use crate::source::Loc;

/// What only a Compose source holds (and the model does not): volumes of other
/// services, links to containers outside the project, network modes, and the
/// Swarm settings a one-host Compose does not honour.
pub(super) fn compose_only_keys(
    view: &ProjectView<'_>,
    rs: &ResolvedService<'_>,
    known: &BTreeSet<String>,
    swarm: bool,
    replicas: u32,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let svc = format!("service \"{}\"", rs.name);
    let vf: Vec<(Loc, String)> = rs
        .all(|x| &x.volumes_from)
        .iter()
        .map(|(l, v)| (Loc::new(view.file_id(l), v.span), v.text.clone()))
        .collect();
    if !vf.is_empty() {
        if swarm {
            for (at, v) in &vf {
                out.left(format!("{svc} mounts the volumes of `{v}`: `docker stack deploy` does not support `volumes_from`; mount the same named volumes instead"), Some(*at));
            }
        } else {
            let mut list: Vec<String> = Vec::new();
            for (at, v) in &vf {
                let name = v.split(':').next().unwrap_or(v);
                let service = v
                    .strip_prefix("service:")
                    .map_or(name, |x| x.split(':').next().unwrap_or(x));
                if v.starts_with("container:") || known.contains(service) {
                    list.push(escape(v));
                } else {
                    out.left(format!("{svc} mounts the volumes of `{v}`, which is not written here: not carried"), Some(*at));
                }
            }
            if !list.is_empty() {
                s.insert("volumes_from".into(), json!(list));
                out.guide
                    .carried
                    .push(format!("the `volumes_from` of {svc} → `volumes_from`"));
            }
        }
    }
    for (l, x) in rs.all(|x| &x.external_links) {
        let at = Loc::new(view.file_id(&l), x.span);
        out.left(
            format!("{svc} links to `{}`, a container outside the project: {}", x.value,
                if swarm { "a stack cannot link to it; attach both to an external overlay network instead" }
                else { "kept as `external_links`; the container must run on the same host and share a network with the project" }),
            Some(at),
        );
        if !swarm {
            let list = s.entry("external_links").or_insert_with(|| json!([]));
            if let Some(a) = list.as_array_mut() {
                a.push(json!(escape(&x.value)));
            }
        }
    }
    if let Some((l, nm)) = rs.last(|x| x.network_mode.as_ref()) {
        let mut mode = nm.value.value.clone();
        let at = Loc::new(view.file_id(&l), nm.span());
        // Fig named containers PROJECT_SERVICE_N: one of the project's own is
        // the service itself, which Compose names differently.
        if let Some(svc_name) = mode
            .strip_prefix("container:")
            .and_then(fig_container_service)
            .filter(|n| known.contains(*n))
        {
            out.guide.carried.push(format!(
                "`{mode}` (a container Fig named after service `{svc_name}`) → `service:{svc_name}`"
            ));
            mode = format!("service:{svc_name}");
        }
        if mode != "host" && !mode.is_empty() {
            if swarm {
                out.left(format!("{svc} uses `network_mode: {mode}`, which `docker stack deploy` ignores: attach it to the stack's networks"), Some(at));
            } else {
                s.insert("network_mode".into(), json!(escape(&mode)));
                out.guide.carried.push(format!(
                    "the network mode of {svc} → `network_mode: {mode}`"
                ));
                if mode.starts_with("service:") || mode.starts_with("container:") {
                    s.remove("ports");
                    s.remove("expose");
                }
            }
        }
    }
    if !s.contains_key("network_mode") {
        networks(view, rs, s, out);
    }
    if let Some((l, cn)) = rs.last(|x| x.container_name.as_ref()) {
        let at = Loc::new(view.file_id(&l), cn.span());
        if swarm {
            out.left(format!("{svc} names its container `{}`: `docker stack deploy` ignores `container_name`; the service is reached by its name", cn.value.value), Some(at));
        } else if replicas > 1 {
            out.left(format!("{svc} names its container `{}` and runs {replicas} copies: one name fits one container; not carried", cn.value.value), Some(at));
        } else {
            s.insert("container_name".into(), json!(escape(&cn.value.value)));
        }
    }
    if swarm {
        return;
    }
    // Swarm settings a single host does not use.
    let Some((l, d)) = rs.last(|x| x.deploy.as_ref()) else {
        return;
    };
    let file = view.file_id(&l);
    for (span, what) in [
        (
            d.update_config,
            "`deploy.update_config` (rolling updates of a Swarm service)",
        ),
        (d.rollback_config, "`deploy.rollback_config`"),
        (d.endpoint_mode_span, "`deploy.endpoint_mode`"),
    ] {
        if let Some(span) = span {
            out.left(
                format!("{svc} sets {what}: Compose on one host does not use it; `docker compose up -d` replaces containers one service at a time"),
                Some(Loc::new(file, span)),
            );
        }
    }
    if let Some(p) = &d.placement {
        for pref in &p.preferences {
            if let Some(spread) = &pref.spread {
                out.left(
                    format!(
                        "{svc} spreads its tasks over `{}`: one host has nothing to spread over",
                        spread.value
                    ),
                    Some(Loc::new(file, spread.span)),
                );
            }
        }
    }
}

/// The networks a Compose service joins, declared at the top for the target: a
/// Swarm overlay becomes a bridge on one host and the other way round; external
/// networks stay external.
pub(super) fn networks(
    view: &ProjectView<'_>,
    rs: &ResolvedService<'_>,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let joined: Vec<String> = rs
        .layers
        .iter()
        .rev()
        .find(|l| !l.svc.networks.is_empty())
        .map(|l| l.svc.networks.iter().map(|n| n.value.clone()).collect())
        .unwrap_or_default();
    if joined.is_empty() {
        return;
    }
    for n in &joined {
        if n == "default" || out.networks.contains_key(n) {
            continue;
        }
        let decl = view
            .files
            .iter()
            .flat_map(|f| f.compose.networks.iter().map(move |d| (f.id(), d)))
            .rfind(|(_, d)| d.name.value == *n);
        let mut body = Map::new();
        if let Some((file, d)) = decl {
            let driver = d.driver.as_ref().map(|t| t.value.as_str());
            if d.external {
                body.insert("external".into(), json!(true));
                out.left(
                    format!("network `{n}` is created outside the project: create it first (`docker network create {}{n}`)", if out.flavor == Flavor::Swarm { "--driver overlay --attachable " } else { "" }),
                    Some(Loc::new(file, d.name.span)),
                );
            } else {
                match (out.flavor, driver) {
                    (Flavor::Compose, Some("overlay")) => {
                        out.guide.carried.push(format!(
                            "overlay network `{n}` → a bridge network of the one host"
                        ));
                    }
                    (Flavor::Swarm, _) => {
                        body.insert("driver".into(), json!("overlay"));
                        if driver.is_some_and(|d| d != "overlay") {
                            out.left(
                                format!("network `{n}` uses driver `{}`: a stack's networks span nodes, so it is written as an overlay network", driver.unwrap_or_default()),
                                Some(Loc::new(file, d.name.span)),
                            );
                        }
                    }
                    (Flavor::Compose, Some(other)) => {
                        body.insert("driver".into(), json!(escape(other)));
                    }
                    (Flavor::Compose, None) => {}
                }
            }
        }
        out.networks.insert(n.clone(), Value::Object(body));
    }
    s.insert("networks".into(), json!(joined));
}

/// The service of a container named as Fig and Compose v1 named them
/// (`PROJECT_SERVICE_N`), when the name has that shape.
fn fig_container_service(container: &str) -> Option<&str> {
    let (rest, n) = container.rsplit_once('_')?;
    n.parse::<u32>().ok()?;
    let (_, service) = rest.split_once('_')?;
    (!service.is_empty()).then_some(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fig_container_names_give_their_service() {
        assert_eq!(fig_container_service("figdata_app_1"), Some("app"));
        assert_eq!(fig_container_service("my_proj_web_12"), Some("proj_web"));
        assert_eq!(fig_container_service("registry"), None);
        assert_eq!(fig_container_service("cache_x"), None);
    }
}
