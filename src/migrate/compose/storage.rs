//! A container's mounts, the named volumes they need, and how each volume's data
//! reaches its new home.

use serde_json::{Map, Value, json};

use super::{Flavor, Out, escape};
use crate::migrate::names::dns_label;
use crate::model::{Container, DeploymentModel, MountKind, Workload};
use crate::source::Format;

/// The volume name of the output for a source volume, declared at the top.
pub(super) fn declare_volume(name: &str, external: bool, out: &mut Out) -> String {
    let v = dns_label(name);
    let decl = if external {
        json!({"external": true, "name": name})
    } else {
        json!({})
    };
    out.volumes.entry(v.clone()).or_insert(decl);
    v
}

pub(super) fn mounts(
    w: &Workload,
    c: &Container,
    who: &str,
    name: &str,
    model: &DeploymentModel,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let mut vols: Vec<Value> = Vec::new();
    let mut tmpfs: Vec<Value> = Vec::new();
    let ro = |m: &crate::model::Mount| if m.read_only { ":ro" } else { "" };
    for m in &c.mounts {
        let target = escape(&m.target);
        match m.kind {
            MountKind::Named => {
                let source = m.source.clone().unwrap_or_default();
                let fresh = !out.volumes.contains_key(&dns_label(&source));
                let v = declare_volume(&source, false, out);
                vols.push(json!(format!("{v}:{target}{}", ro(m))));
                if fresh {
                    data_note(w, &source, &v, &m.target, model, out);
                }
            }
            MountKind::Persistent if !m.target.starts_with('/') => {}
            MountKind::Persistent => {
                let source = m.source.clone().unwrap_or_default();
                let fresh = !out.volumes.contains_key(&dns_label(&source));
                let v = declare_volume(&source, false, out);
                vols.push(json!(format!("{v}:{target}{}", ro(m))));
                if fresh {
                    out.guide.carried.push(format!(
                        "persistent volume `{source}` of {who} → named volume `{v}`"
                    ));
                    out.guide.decide.push(format!(
                        "the data of persistent volume `{source}`: it stays on the Mesos agent that held the task; copy it into volume `{v}` (the store's own dump and restore, or `tar` from the agent's sandbox) before switching over"
                    ));
                }
            }
            MountKind::External => {
                let source = m.source.clone().unwrap_or_default();
                let v = declare_volume(&source, true, out);
                vols.push(json!(format!("{v}:{target}{}", ro(m))));
                out.left(
                    format!("{who} keeps data in `{source}` at `{}` (storage outside the spec): written as the external volume `{source}`; create it (`docker volume create {source}`, or with the volume driver that reaches the storage) and move the data", m.target),
                    Some(m.loc),
                );
            }
            // An anonymous volume of Compose (Fig's data volumes) outlives the
            // container it belongs to only by Compose's copying at `up`: named,
            // so the data survives `down`.
            MountKind::Ephemeral if w.format == Format::Compose => {
                let base = m.target.trim_end_matches('/').rsplit('/').next().unwrap_or("data");
                let v = declare_volume(&format!("{name}-{base}"), false, out);
                vols.push(json!(format!("{v}:{target}{}", ro(m))));
                out.guide.carried.push(format!(
                    "the anonymous volume of {who} at `{}` → named volume `{v}`",
                    m.target
                ));
                out.guide.decide.push(format!(
                    "the data of the anonymous volume of {who} at `{}`: find it with `docker inspect --format '{{{{json .Mounts}}}}' CONTAINER` on the old host and copy it into `PROJECT_{v}` (`docker run --rm -v OLD:/from -v PROJECT_{v}:/to alpine cp -a /from/. /to/`)",
                    m.target
                ));
            }
            MountKind::Ephemeral => vols.push(json!(target)),
            MountKind::Tmpfs => tmpfs.push(json!(target)),
            MountKind::HostPath
                if !m.target.starts_with('/')
                    || m.source.as_deref().is_some_and(|x| x.contains(':')) =>
            {
                out.left(
                    format!(
                        "{who} mounts `{}` of the host at `{}`, a path that is not a Linux path: not carried",
                        m.source.as_deref().unwrap_or("?"),
                        m.target
                    ),
                    Some(m.loc),
                );
            }
            MountKind::HostPath => {
                let source = m.source.clone().unwrap_or_default();
                vols.push(json!(format!("{}:{target}{}", escape(&source), ro(m))));
                let why = if source.starts_with('/') {
                    if out.flavor == Flavor::Swarm {
                        "the path must exist on every node a task may run on"
                    } else {
                        "the path must exist on the host"
                    }
                } else {
                    "the path is relative to the source project: put the generated file beside the sources, or copy the files"
                };
                out.left(
                    format!("{who} mounts `{source}` of the host at `{}`: kept as a bind mount; {why}", m.target),
                    Some(m.loc),
                );
            }
            MountKind::Config => out.left(
                format!(
                    "{who} reads `{}` (a config or secret) at `{}`: not carried; bind the file (`./FILE:{}:ro`) or declare it under `configs:`/`secrets:`",
                    m.source.as_deref().unwrap_or("?"),
                    m.target,
                    m.target
                ),
                Some(m.loc),
            ),
        }
    }
    if !vols.is_empty() {
        s.insert("volumes".into(), Value::Array(vols));
    }
    if !tmpfs.is_empty() {
        s.insert("tmpfs".into(), Value::Array(tmpfs));
    }
}

/// How the data of a named volume reaches its new home, per source.
pub(super) fn data_note(
    w: &Workload,
    source: &str,
    v: &str,
    target: &str,
    model: &DeploymentModel,
    out: &mut Out,
) {
    let decl = model.volumes.iter().find(|d| d.name == source);
    let flocker = decl.and_then(|d| d.driver.as_deref()) == Some("flocker");
    out.guide
        .carried
        .push(format!("volume `{source}` → named volume `{v}`"));
    let note = if flocker {
        format!(
            "the data of `{source}` lives in a Flocker dataset on the node the deployment config puts {} on (mounted under `/flocker/DATASET_ID`; `flockerctl list` shows the id): stop the application, then copy it into the volume on the new host, e.g. `ssh NODE tar -C /flocker/DATASET_ID -cf - . | docker run --rm -i -v PROJECT_{v}:/to alpine tar -C /to -xf -`{}",
            w.describe(),
            decl.and_then(|d| d.size)
                .map(|b| format!(" (the dataset may hold up to {} bytes)", b))
                .unwrap_or_default()
        )
    } else {
        match (w.format, out.flavor) {
            (Format::Kubernetes, _) => format!(
                "the data of claim `{source}`: copy it out of the cluster into volume `{v}` (e.g. `kubectl exec POD -- tar -C {target} -cf - . | docker run --rm -i -v PROJECT_{v}:/to alpine tar -C /to -xf -`)"
            ),
            (_, Flavor::Compose) => format!(
                "the data of volume `{source}`: on the old host it is named `STACK_{source}` (see `docker volume ls`); copy it into `PROJECT_{v}` (e.g. `docker run --rm -v STACK_{source}:/from -v PROJECT_{v}:/to alpine cp -a /from/. /to/`), across hosts through `tar` over `ssh`"
            ),
            (_, Flavor::Swarm) => format!(
                "the data of volume `{source}`: a stack's named volume is local to each node; pin `{}` to one node (`deploy.placement.constraints: [node.hostname == NODE]`) and copy the data into `STACK_{v}` there, or use a volume driver that every node reaches",
                w.name
            ),
        }
    };
    out.guide.decide.push(note);
}
