//! Entries of the source that the normalized model does not keep but a Nomad job
//! has a place for: check intervals and timeouts, Swarm's `restart_policy` and
//! `update_config` settings, Marathon's upgrade strategy. They are read from the
//! tree of the file that names the workload (a Compose service completed by an
//! override file is read from the file that names it).

use crate::model::Workload;
use crate::project::SpecFile;
use crate::source::Format;
use crate::yaml::Node;

/// The mapping that holds a workload's own entries: the value of a Compose
/// service's key, the object of a Marathon app or pod whose `id` names it.
pub(super) fn workload_node<'a>(files: &'a [SpecFile], w: &Workload) -> Option<&'a Node> {
    let file = files.get(w.at.file.0 as usize)?;
    let at = w.at.span;
    let mut todo: Vec<&Node> = file.docs.iter().collect();
    while let Some(node) = todo.pop() {
        if node.span.start > at.start || node.span.end < at.end {
            continue;
        }
        if let Some(entries) = node.as_mapping() {
            for (k, v) in entries {
                if k.span == at && w.format != Format::Marathon {
                    return Some(v);
                }
                if v.span == at && k.as_str() == Some("id") && w.format == Format::Marathon {
                    return Some(node);
                }
                todo.push(v);
            }
        } else if let Some(items) = node.as_sequence() {
            todo.extend(items);
        }
    }
    None
}

/// A duration as Nomad writes it (`30s`, `1m30s`), from a Compose duration or a
/// number of seconds; `None` for anything else.
pub(super) fn duration(node: &Node) -> Option<String> {
    let t = node.as_str()?.trim();
    if let Ok(n) = t.parse::<u64>() {
        return Some(format!("{n}s"));
    }
    let ok = !t.is_empty()
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || "hmsun".contains(c))
        && t.chars().last().is_some_and(|c| "hms".contains(c));
    ok.then(|| t.to_string())
}

/// A Marathon number of seconds (`intervalSeconds: 15`) as a duration.
pub(super) fn seconds(node: &Node) -> Option<String> {
    let n = node.as_f64().filter(|n| n.is_finite() && *n > 0.0)?;
    Some(format!("{}s", n.round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_read_in_nomad_s_spelling() {
        let doc = crate::yaml::parse("a: 1m30s\nb: 10\nc: soon\nd: 500ms\ne: 1.5\n");
        let root = &doc.documents[0];
        let get = |k: &str| root.get(k).expect("key");
        assert_eq!(duration(get("a")).as_deref(), Some("1m30s"));
        assert_eq!(duration(get("b")).as_deref(), Some("10s"));
        assert_eq!(duration(get("c")), None);
        assert_eq!(duration(get("d")).as_deref(), Some("500ms"));
        assert_eq!(seconds(get("e")).as_deref(), Some("2s"));
    }
}
