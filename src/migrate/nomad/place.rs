//! Where a group's copies run: `constraint` and `spread` blocks from the source's
//! placement (Marathon constraints, Swarm placement constraints and preferences,
//! Flocker's node assignments).
//!
//! Node properties map onto Nomad's: the host name is `${node.unique.name}`, a
//! Swarm node label or engine label and a Mesos agent attribute are client
//! metadata (`${meta.NAME}`, set in each client's `meta` block), the OS is
//! `${attr.kernel.name}` and the CPU architecture `${attr.cpu.arch}`.

use hcl::Block;

use super::left;
use crate::migrate::Guide;
use crate::migrate::hcl_out::{interpolated, text};
use crate::model::Workload;
use crate::source::{Format, Located};

/// The blocks, with notes in `guide` for what has no Nomad form.
pub(super) fn blocks(w: &Workload, guide: &mut Guide) -> Vec<Block> {
    let p = &w.placement;
    let mut out = Vec::new();
    let mut metas: Vec<String> = Vec::new();
    if p.one_per_host.is_some() {
        out.push(
            Block::builder("constraint")
                .add_attribute(("operator", "distinct_hosts"))
                .add_attribute(("value", "true"))
                .build(),
        );
        guide.carried.push(format!(
            "one copy per host of {} → `constraint {{ operator = \"distinct_hosts\" }}`",
            w.describe()
        ));
    } else if let Some(m) = p.max_per_host.as_ref().filter(|m| m.value > 1) {
        out.push(distinct_property("${node.unique.id}", m.value));
        guide.carried.push(format!(
            "at most {} copies per host of {} → `distinct_property` on `${{node.unique.id}}`",
            m.value,
            w.describe()
        ));
    }
    if p.one_per_zone.is_some() {
        out.push(distinct_property("${meta.zone}", 1));
        metas.push("zone".into());
        guide.carried.push(format!(
            "one copy per zone of {} → `distinct_property` on `${{meta.zone}}`",
            w.describe()
        ));
    } else if p.zone_spread.is_some() {
        out.push(spread("${meta.zone}"));
        metas.push("zone".into());
        guide.carried.push(format!(
            "the spread of {} over zones → `spread {{ attribute = \"${{meta.zone}}\" }}`",
            w.describe()
        ));
    }
    let mut flocker_nodes: Vec<&str> = Vec::new();
    for c in &p.constraints {
        if let Some(node) = c.value.strip_prefix("node == ") {
            flocker_nodes.push(node.trim());
            continue;
        }
        let written = match w.format {
            Format::Marathon => marathon(c, w, &mut metas),
            _ => swarm(c, &mut metas),
        };
        match written {
            Written::Block(b, how) => {
                out.push(b);
                guide.carried.push(format!(
                    "placement `{}` of {} → {how}",
                    c.value,
                    w.describe()
                ));
            }
            Written::Already => {}
            Written::No(why) => left(
                guide,
                format!("placement `{}` of {}: {why}", c.value, w.describe()),
                Some(c.loc),
            ),
        }
    }
    if !flocker_nodes.is_empty() {
        let (operator, value) = if flocker_nodes.len() == 1 {
            ("=", flocker_nodes[0].to_string())
        } else {
            ("set_contains_any", flocker_nodes.join(","))
        };
        out.push(
            Block::builder("constraint")
                .add_attribute((
                    "attribute",
                    interpolated("${attr.unique.network.ip-address}"),
                ))
                .add_attribute(("operator", operator))
                .add_attribute(("value", text(&value)))
                .build(),
        );
        guide.carried.push(format!(
            "the Flocker nodes of {} ({}) → a constraint on the client's address",
            w.describe(),
            flocker_nodes.join(", ")
        ));
    }
    metas.sort();
    metas.dedup();
    if !metas.is_empty() {
        guide.decide.push(format!(
            "the placement of {} reads client metadata `{}`: set it in each client's configuration (`client {{ meta {{ {} = \"…\" }} }}`)",
            w.describe(),
            metas.join("`, `"),
            metas[0]
        ));
    }
    out
}

enum Written {
    Block(Block, String),
    /// Written already from the model's placement (one per host, zones).
    Already,
    No(String),
}

fn distinct_property(attribute: &str, n: u32) -> Block {
    Block::builder("constraint")
        .add_attribute(("operator", "distinct_property"))
        .add_attribute(("attribute", interpolated(attribute)))
        .add_attribute(("value", text(&n.to_string())))
        .build()
}

fn spread(attribute: &str) -> Block {
    Block::builder("spread")
        .add_attribute(("attribute", interpolated(attribute)))
        .build()
}

fn constraint(attribute: &str, operator: &str, value: &str) -> Block {
    Block::builder("constraint")
        .add_attribute(("attribute", interpolated(attribute)))
        .add_attribute(("operator", operator))
        .add_attribute(("value", text(value)))
        .build()
}

/// The Nomad attribute for a node property of Swarm (`node.hostname`,
/// `node.labels.rack`, `engine.labels.disk`, `node.platform.os`).
fn swarm_attribute(field: &str, metas: &mut Vec<String>) -> Option<String> {
    let meta = |name: &str, metas: &mut Vec<String>| {
        metas.push(name.to_string());
        Some(format!("${{meta.{name}}}"))
    };
    match field {
        "node.hostname" => Some("${node.unique.name}".into()),
        "node.id" => Some("${node.unique.id}".into()),
        "node.platform.os" => Some("${attr.kernel.name}".into()),
        "node.platform.arch" => Some("${attr.cpu.arch}".into()),
        f => {
            let name = f
                .strip_prefix("node.labels.")
                .or_else(|| f.strip_prefix("engine.labels."))?;
            valid_meta(name).then(|| meta(name, metas)).flatten()
        }
    }
}

/// A Swarm constraint (`node.labels.rack == a`, `node.role != manager`).
fn swarm(c: &Located<String>, metas: &mut Vec<String>) -> Written {
    let (field, op, value) = if let Some((f, v)) = c.value.split_once("==") {
        (f, "=", v)
    } else if let Some((f, v)) = c.value.split_once("!=") {
        (f, "!=", v)
    } else {
        return Written::No("not read as `FIELD == VALUE`; write it as a `constraint`".into());
    };
    let (field, value) = (field.trim(), value.trim());
    if field == "node.role" {
        return Written::No(
            "Nomad has no manager and worker roles among its clients (servers run no tasks); give the clients a `node_pool` or `meta` and constrain on that".into(),
        );
    }
    match swarm_attribute(field, metas) {
        Some(attr) => {
            let how = format!("`constraint {{ attribute = \"{attr}\" operator = \"{op}\" }}`");
            let value = match (field, value) {
                // Docker names the x86-64 architecture as Go does not.
                ("node.platform.arch", "x86_64") => "amd64",
                ("node.platform.arch", "aarch64") => "arm64",
                (_, v) => v,
            };
            Written::Block(constraint(&attr, op, value), how)
        }
        None => Written::No(format!(
            "`{field}` has no Nomad attribute; write a `constraint` on client metadata"
        )),
    }
}

/// A Marathon constraint (`FIELD:OPERATOR[:VALUE]`).
fn marathon(c: &Located<String>, w: &Workload, metas: &mut Vec<String>) -> Written {
    let mut parts = c.value.splitn(3, ':');
    let field = parts.next().unwrap_or("").trim_start_matches('@');
    let op = parts.next().unwrap_or("").to_ascii_uppercase();
    let value = parts.next();
    let host = field == "hostname";
    let zone = field == "zone";
    let attr = if host {
        "${node.unique.name}".to_string()
    } else if valid_meta(field) {
        metas.push(field.to_string());
        format!("${{meta.{field}}}")
    } else {
        return Written::No("the attribute has no Nomad name; write a `constraint`".into());
    };
    let how = |s: &str| format!("`{s}` on `{attr}`");
    match (op.as_str(), value) {
        ("UNIQUE", _) if host && w.placement.one_per_host.is_some() => Written::Already,
        ("UNIQUE", _) if zone && w.placement.one_per_zone.is_some() => {
            metas.pop();
            Written::Already
        }
        ("GROUP_BY", _) if zone && w.placement.zone_spread.is_some() => {
            metas.pop();
            Written::Already
        }
        ("MAX_PER", Some(_)) if host && w.placement.max_per_host.is_some() => Written::Already,
        ("UNIQUE", _) => Written::Block(
            distinct_property(&attr, 1),
            how("distinct_property = 1"),
        ),
        ("MAX_PER", Some(n)) => match n.trim().parse::<u32>() {
            Ok(n) => Written::Block(
                distinct_property(&attr, n),
                how(&format!("distinct_property = {n}")),
            ),
            Err(_) => Written::No("the number is not read".into()),
        },
        ("CLUSTER" | "IS", Some(v)) => Written::Block(constraint(&attr, "=", v), how("=")),
        ("LIKE", Some(v)) => Written::Block(
            constraint(&attr, "regexp", &format!("^(?:{v})$")),
            how("regexp"),
        ),
        ("GROUP_BY", _) => Written::Block(spread(&attr), how("spread")),
        ("UNLIKE", _) => Written::No(
            "Nomad has no negated regular expression; list the values to avoid with `!=` constraints".into(),
        ),
        _ => Written::No("an operator Nomad has no form for".into()),
    }
}

/// A client metadata key that an interpolation can name.
fn valid_meta(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkloadKind;
    use crate::source::{FileId, Loc, Span};

    fn at() -> Loc {
        Loc::new(FileId(0), Span::empty(0))
    }

    fn workload(format: Format, constraints: &[&str]) -> Workload {
        let kind = if format == Format::Marathon {
            WorkloadKind::MarathonApp
        } else {
            WorkloadKind::ComposeService
        };
        let mut w = Workload::new(format, kind, "web".into(), at());
        for c in constraints {
            w.placement
                .constraints
                .push(Located::new((*c).to_string(), at()));
        }
        w
    }

    /// Each block as `identifier: key=value …`, for comparing whole.
    fn shown(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| {
                let attrs: Vec<String> = b
                    .body()
                    .attributes()
                    .map(|a| format!("{}={}", a.key(), a.expr()))
                    .collect();
                format!("{}: {}", b.identifier(), attrs.join(" "))
            })
            .collect()
    }

    #[test]
    fn swarm_constraints_become_nomad_attributes_or_notes() {
        let w = workload(
            Format::Compose,
            &[
                "node.labels.disk == ssd",
                "node.hostname != edge-1",
                "node.role == manager",
                "node.platform.os == linux",
                "engine.labels.gpu == yes",
                "node.weird == 1",
            ],
        );
        let mut guide = Guide::default();
        let out = shown(&blocks(&w, &mut guide));
        assert_eq!(
            out,
            [
                r#"constraint: attribute="${meta.disk}" operator="=" value="ssd""#,
                r#"constraint: attribute="${node.unique.name}" operator="!=" value="edge-1""#,
                r#"constraint: attribute="${attr.kernel.name}" operator="=" value="linux""#,
                r#"constraint: attribute="${meta.gpu}" operator="=" value="yes""#,
            ]
        );
        let left: Vec<&str> = guide.left.iter().map(|l| l.what.as_str()).collect();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left[0].contains("node.role == manager"), "{left:?}");
        assert!(
            left[1].contains("`node.weird` has no Nomad attribute"),
            "{left:?}"
        );
        assert!(
            guide.decide.iter().any(|d| d.contains("`disk`, `gpu`")),
            "{:?}",
            guide.decide
        );
    }

    #[test]
    fn marathon_operators_map_to_constraints_and_spreads() {
        let mut w = workload(
            Format::Marathon,
            &[
                "hostname:UNIQUE",
                "rack:GROUP_BY",
                "rack_id:CLUSTER:r1",
                "type:LIKE:m5.*",
                "zone:UNIQUE",
                "os:UNLIKE:centos",
                "hostname:MAX_PER:3",
            ],
        );
        w.placement.one_per_host = Some(at());
        let mut guide = Guide::default();
        let out = shown(&blocks(&w, &mut guide));
        assert_eq!(
            out,
            [
                r#"constraint: operator="distinct_hosts" value="true""#,
                r#"spread: attribute="${meta.rack}""#,
                r#"constraint: attribute="${meta.rack_id}" operator="=" value="r1""#,
                r#"constraint: attribute="${meta.type}" operator="regexp" value="^(?:m5.*)$""#,
                r#"constraint: operator="distinct_property" attribute="${meta.zone}" value="1""#,
                r#"constraint: operator="distinct_property" attribute="${node.unique.name}" value="3""#,
            ]
        );
        assert_eq!(guide.left.len(), 1, "{:?}", guide.left);
        assert!(guide.left[0].what.contains("os:UNLIKE:centos"));
    }
}
