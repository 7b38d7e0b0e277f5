//! A group's `restart`, `reschedule` and `update` blocks from the source's restart
//! policy (Compose `restart`, Swarm `deploy.restart_policy`, Flocker
//! `restart_policy`) and update settings (Swarm `deploy.update_config`, Marathon
//! `upgradeStrategy`).

use hcl::Block;

use super::source::{duration, workload_node};
use super::{JobType, left, runs_once};
use crate::migrate::Guide;
use crate::model::Workload;
use crate::project::SpecFile;
use crate::source::{Format, Loc};

/// The blocks for `w`'s group, in the order they are written.
pub(super) fn blocks(
    w: &Workload,
    files: &[SpecFile],
    job_type: JobType,
    guide: &mut Guide,
) -> Vec<Block> {
    let node = workload_node(files, w);
    let mut out = Vec::new();
    if let Some(b) = restart(w, node, job_type, guide) {
        out.extend(b);
    }
    if !job_type.runs_once()
        && let Some(b) = update(w, node, job_type, guide)
    {
        out.push(b);
    }
    out
}

/// `restart` (and `reschedule`, for a workload that must not run again).
fn restart(
    w: &Workload,
    node: Option<&crate::yaml::Node>,
    job_type: JobType,
    guide: &mut Guide,
) -> Option<Vec<Block>> {
    let r = w.restart.as_ref()?;
    let policy = r.value.trim_matches('"').to_ascii_lowercase();
    let swarm = node.and_then(|n| n.at(&["deploy", "restart_policy"]));
    if runs_once(w) {
        guide.carried.push(format!(
            "`{}` of {} → `restart {{ attempts = 0 }}` and `reschedule {{ attempts = 0 }}`",
            r.value,
            w.describe()
        ));
        let restart = Block::builder("restart")
            .add_attribute(("attempts", 0))
            .add_attribute(("mode", "fail"))
            .build();
        let mut blocks = vec![restart];
        if job_type == JobType::Batch {
            blocks.push(
                Block::builder("reschedule")
                    .add_attribute(("attempts", 0))
                    .add_attribute(("unlimited", false))
                    .build(),
            );
        }
        return Some(blocks);
    }
    // `on-failure[:N]`, Swarm `on-failure`/`any` with their settings.
    let (name, max) = policy
        .split_once(':')
        .map_or((policy.as_str(), None), |(n, m)| {
            (n, m.trim().parse::<u64>().ok())
        });
    let max = max.or_else(|| {
        swarm
            .and_then(|s| s.get("max_attempts"))
            .and_then(|m| m.as_i64())
            .and_then(|m| u64::try_from(m).ok())
            .filter(|m| *m > 0)
    });
    let delay = swarm.and_then(|s| s.get("delay")).and_then(duration);
    let window = swarm.and_then(|s| s.get("window")).and_then(duration);
    if !matches!(name, "on-failure" | "any" | "always" | "unless-stopped") {
        left(
            guide,
            format!(
                "restart policy `{}` of {}: Nomad has no such policy; its default restarts a failed task twice in 30 minutes, then reschedules it",
                r.value,
                w.describe()
            ),
            Some(r.loc),
        );
        return None;
    }
    if max.is_none() && delay.is_none() && window.is_none() {
        guide.carried.push(format!(
            "`{}` of {} → Nomad's default restarts (then rescheduling on another client); Nomad restarts a task that exits with success too",
            r.value,
            w.describe()
        ));
        return None;
    }
    let mut b = Block::builder("restart");
    if let Some(m) = max {
        b = b.add_attribute(("attempts", m));
    }
    if let Some(d) = &delay {
        b = b.add_attribute(("delay", d.as_str()));
    }
    if let Some(iv) = &window {
        b = b.add_attribute(("interval", iv.as_str()));
    }
    // With a bound on attempts the task fails after them (and is rescheduled);
    // without one it waits and goes on restarting.
    b = b.add_attribute(("mode", if max.is_some() { "fail" } else { "delay" }));
    guide.carried.push(format!(
        "the restart policy of {} (`{}`{}{}{}) → `restart`",
        w.describe(),
        r.value,
        max.map(|m| format!(", {m} attempts")).unwrap_or_default(),
        delay
            .as_ref()
            .map(|d| format!(", delay {d}"))
            .unwrap_or_default(),
        window
            .as_ref()
            .map(|d| format!(", window {d}"))
            .unwrap_or_default(),
    ));
    Some(vec![b.build()])
}

/// `update` from Swarm's `update_config` or Marathon's upgrade strategy.
fn update(
    w: &Workload,
    node: Option<&crate::yaml::Node>,
    job_type: JobType,
    guide: &mut Guide,
) -> Option<Block> {
    let node = node?;
    let count = u64::from(w.replica_count().max(1));
    let at = |n: &crate::yaml::Node| Some(Loc::new(w.at.file, n.span));
    if w.format == Format::Marathon {
        let (us, path) = match node.get("upgradeStrategy") {
            Some(us) => (us, "upgradeStrategy"),
            None => (node.at(&["scheduling", "upgrade"])?, "scheduling.upgrade"),
        };
        let min_health = us
            .get("minimumHealthCapacity")
            .and_then(|n| n.as_f64())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        let over = us
            .get("maximumOverCapacity")
            .and_then(|n| n.as_f64())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        let mut b = Block::builder("update");
        let what;
        if over > 0.0 {
            // Marathon starts new copies beside the old ones: canaries, promoted
            // once healthy.
            let canary = ((count as f64 * over).ceil() as u64).max(1);
            b = b
                .add_attribute(("canary", canary))
                .add_attribute(("max_parallel", canary))
                .add_attribute(("auto_promote", true));
            what = format!("`canary = {canary}` with `auto_promote`");
        } else {
            // Marathon stops old copies first, keeping the healthy share given.
            let keep = (count as f64 * min_health).ceil() as u64;
            let parallel = count.saturating_sub(keep).max(1);
            b = b.add_attribute(("max_parallel", parallel));
            what = format!("`max_parallel = {parallel}`");
        }
        guide.carried.push(format!(
            "`{path}` of {} (minimum health capacity {min_health}, maximum over capacity {over}) → `update` with {what}",
            w.describe()
        ));
        return Some(b.build());
    }
    let uc = node.at(&["deploy", "update_config"])?;
    let mut b = Block::builder("update");
    let mut carried: Vec<String> = Vec::new();
    let parallel = uc.get("parallelism").and_then(|n| n.as_i64()).map(|p| {
        // Swarm's 0 updates every copy at once.
        if p <= 0 { count } else { p as u64 }
    });
    let parallel = parallel.unwrap_or(1);
    b = b.add_attribute(("max_parallel", parallel));
    carried.push(format!("`max_parallel = {parallel}`"));
    if let Some(m) = uc.get("monitor").and_then(duration) {
        b = b.add_attribute(("min_healthy_time", m.as_str()));
        carried.push(format!("`min_healthy_time = \"{m}\"` from `monitor`"));
    }
    if let Some(fa) = uc.get("failure_action") {
        match fa.as_str() {
            Some("rollback") => {
                b = b.add_attribute(("auto_revert", true));
                carried.push("`auto_revert = true` from `failure_action: rollback`".into());
            }
            Some("pause") => {
                carried.push(
                    "`failure_action: pause` is Nomad's own behaviour (a failed deployment stops)"
                        .into(),
                );
            }
            _ => left(
                guide,
                format!(
                    "`failure_action` of {}: Nomad either stops a failed deployment or reverts it (`auto_revert`)",
                    w.describe()
                ),
                at(fa),
            ),
        }
    }
    if let Some(d) = uc.get("delay") {
        match duration(d) {
            Some(d) if job_type == JobType::System => {
                b = b.add_attribute(("stagger", d.as_str()));
                carried.push(format!("`stagger = \"{d}\"` from `delay`"));
            }
            _ => left(
                guide,
                format!(
                    "the `delay` between update batches of {}: a Nomad service job moves to the next batch when the last one is healthy (`min_healthy_time`), with no fixed pause",
                    w.describe()
                ),
                at(d),
            ),
        }
    }
    if let Some(o) = uc.get("order")
        && o.as_str() == Some("start-first")
        && job_type == JobType::Service
    {
        b = b
            .add_attribute(("canary", parallel))
            .add_attribute(("auto_promote", true));
        carried.push(format!(
            "`canary = {parallel}` with `auto_promote` from `order: start-first`"
        ));
    }
    for key in ["max_failure_ratio"] {
        if let Some(n) = uc.get(key) {
            left(
                guide,
                format!(
                    "`{key}` of {}: Nomad has no share of failures to tolerate; a deployment fails at its first unhealthy copy",
                    w.describe()
                ),
                at(n),
            );
        }
    }
    if let Some(rb) = node.at(&["deploy", "rollback_config"]) {
        left(
            guide,
            format!(
                "`rollback_config` of {}: a Nomad rollback (`auto_revert`) runs with the `update` settings",
                w.describe()
            ),
            at(rb),
        );
    }
    guide.carried.push(format!(
        "`update_config` of {} → `update` with {}",
        w.describe(),
        carried.join(", ")
    ));
    Some(b.build())
}
