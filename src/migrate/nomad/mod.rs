//! Nomad job files from a normalized model: one job per project
//! (`<project>.nomad.hcl`; a project that mixes long-running, per-node and run-once
//! workloads gets one job per type, `<project>-system`, `<project>-batch`), a group
//! per workload with its copies, network, service and checks, a Docker task per
//! container, volumes, placement, and restart and update policies. What Nomad has
//! no place for is listed in `MIGRATION.md`.
//!
//! - `group`: a workload's group and tasks (ports, services, checks, resources, volumes)
//! - `place`: constraints and spreads from the source's placement
//! - `policy`: restart, reschedule and update blocks from the source's policies
//! - `source`: the source's own entries the model does not keep (check intervals,
//!   Swarm restart and update settings, Marathon upgrade strategies)

mod group;
mod place;
mod policy;
mod source;

use std::path::PathBuf;

use hcl::Block;

use super::hcl_out::{file, texts};
use super::names::dns_label;
use super::{Guide, Left, Migration};
use crate::model::{DeploymentModel, Workload};
use crate::project::{Project, SpecFile};

/// The datacenter written into the job: Nomad's own default name.
const DATACENTER: &str = "dc1";

/// Nomad's job type for a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum JobType {
    /// Long-running copies, kept at their count.
    Service,
    /// One copy on every client.
    System,
    /// Runs to completion.
    Batch,
    /// Runs to completion once on every client.
    SysBatch,
}

impl JobType {
    fn as_str(self) -> &'static str {
        match self {
            JobType::Service => "service",
            JobType::System => "system",
            JobType::Batch => "batch",
            JobType::SysBatch => "sysbatch",
        }
    }

    fn of(w: &Workload) -> JobType {
        match (w.global.is_some(), runs_once(w)) {
            (true, true) => JobType::SysBatch,
            (true, false) => JobType::System,
            (false, true) => JobType::Batch,
            (false, false) => JobType::Service,
        }
    }

    /// Whether groups of this type keep a count (system jobs run one per client).
    pub(super) fn counted(self) -> bool {
        matches!(self, JobType::Service | JobType::Batch)
    }

    /// Whether a finished task stays finished.
    pub(super) fn runs_once(self) -> bool {
        matches!(self, JobType::Batch | JobType::SysBatch)
    }
}

pub(in crate::migrate) fn write(
    _project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
    project_name: &str,
) -> Result<Migration, String> {
    let runnable = super::runnable(model, super::image_of, "Nomad's Docker driver")?;
    let mut guide = Guide::default();
    let before = prestart_tasks(&runnable);
    let runnable: Vec<&Workload> = runnable
        .into_iter()
        .filter(|w| !before.iter().any(|(p, _)| std::ptr::eq(*p, *w)))
        .collect();
    // One job per type of workload: a project is one job unless it mixes
    // long-running workloads with per-node or run-once ones, which Nomad runs as
    // jobs of their own types.
    let mut types: Vec<JobType> = runnable.iter().map(|w| JobType::of(w)).collect();
    types.sort();
    types.dedup();
    let base = dns_label(project_name);
    let mut files_out: Vec<(PathBuf, String)> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for (i, job_type) in types.iter().copied().enumerate() {
        let job_name = if i == 0 {
            base.clone()
        } else {
            format!("{base}-{}", job_type.as_str())
        };
        let members: Vec<&Workload> = runnable
            .iter()
            .copied()
            .filter(|w| JobType::of(w) == job_type)
            .collect();
        let mut job = Block::builder("job")
            .add_label(job_name.as_str())
            .add_attribute(("datacenters", texts(&[DATACENTER])))
            .add_attribute(("type", job_type.as_str()));
        guide.carried.push(format!(
            "{} → job `{job_name}` of type `{}` ({})",
            if types.len() == 1 {
                "the project".to_string()
            } else {
                members
                    .iter()
                    .map(|w| w.describe())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            job_type.as_str(),
            match job_type {
                JobType::System => "one copy per client",
                JobType::SysBatch => "run once on every client",
                JobType::Batch => "run once, not restarted",
                JobType::Service => "long-running, kept at their count",
            }
        ));
        for w in &members {
            let mut name = dns_label(&w.name);
            while taken.contains(&name) {
                name = format!("{name}-x");
            }
            taken.push(name.clone());
            let ctx = group::Ctx {
                files,
                model,
                job_type,
                users: runnable.iter().filter(|o| uses_any_volume_of(o, w)).count(),
                before: before
                    .iter()
                    .filter(|(_, d)| std::ptr::eq(*d, *w))
                    .map(|(p, _)| *p)
                    .collect(),
            };
            if let Some(g) = group::group(w, &name, &ctx, &mut guide) {
                job = job.add_block(g);
            }
        }
        let file_name = format!("{job_name}.nomad.hcl");
        guide
            .commands
            .push(format!("nomad job validate {file_name}"));
        guide.commands.push(format!("nomad job plan {file_name}"));
        guide.commands.push(format!("nomad job run {file_name}"));
        let text = format!(
            "# Written by `orchlint migrate --to nomad`; see MIGRATION.md for what is left to do.\n{}",
            file(vec![job.build()])
        );
        files_out.push((PathBuf::from(file_name), text));
    }
    if runnable.len() > 1 {
        guide.decide.push(format!(
            "how the workloads find each other: on the source's network they used each other's names (`{}`); on Nomad each group registers a service of that name: reach it through Consul DNS (`NAME.service.consul`) or a `template` block reading `{{{{ range nomadService \"NAME\" }}}}`, and point the containers' addresses there",
            taken.join("`, `")
        ));
    }
    guide.decide.push(format!(
        "the datacenters the job may run in: written as `[\"{DATACENTER}\"]`, Nomad's default name; set the names of your clients' datacenters"
    ));
    // Notes said once per project, however many groups share them.
    let mut seen: Vec<String> = Vec::new();
    guide.decide.retain(|d| {
        let new = !seen.contains(d);
        seen.push(d.clone());
        new
    });
    Ok(Migration {
        files: files_out,
        guide,
    })
}

/// Run-once workloads that exactly one long-running workload waits for (a
/// migration before the app), with that workload: Nomad runs such a step as a
/// `prestart` task in the waiting group. Steps with ports, copies or more than
/// one dependant stay workloads of their own.
fn prestart_tasks<'a>(runnable: &[&'a Workload]) -> Vec<(&'a Workload, &'a Workload)> {
    let mut out = Vec::new();
    for p in runnable {
        if !runs_once(p)
            || p.global.is_some()
            || p.replica_count() > 1
            || p.containers.iter().any(|c| !c.ports.is_empty())
        {
            continue;
        }
        let waiting: Vec<&&Workload> = runnable
            .iter()
            .filter(|w| !runs_once(w) && w.depends_on.iter().any(|d| d.value == p.name))
            .collect();
        if let [d] = waiting.as_slice() {
            out.push((*p, **d));
        }
    }
    out
}

/// The workload runs to completion: a batch kind, or a source that never
/// restarts it (`restart: "no"`, Swarm `condition: none`, Flocker `never`).
pub(super) fn runs_once(w: &Workload) -> bool {
    w.kind.is_batch()
        || w.restart.as_ref().is_some_and(|r| {
            matches!(
                r.value.trim_matches('"').to_ascii_lowercase().as_str(),
                "no" | "never" | "none"
            )
        })
}

/// Whether `w` and `other` mount a named volume of the same name.
fn uses_any_volume_of(other: &Workload, w: &Workload) -> bool {
    named_volumes(w)
        .iter()
        .any(|v| named_volumes(other).contains(v))
}

fn named_volumes(w: &Workload) -> Vec<&str> {
    w.containers
        .iter()
        .flat_map(|c| &c.mounts)
        .filter(|m| m.kind == crate::model::MountKind::Named)
        .filter_map(|m| m.source.as_deref())
        .collect()
}

/// A note for a person about `what` at the source location `at`.
pub(super) fn left(guide: &mut Guide, what: String, at: Option<crate::source::Loc>) {
    guide.left.push(Left { what, at });
}
