//! The advice reports: human (plain text for a terminal), Markdown (the same for a
//! pull-request comment) and JSON (stable; fields may be added).

use std::io::Write;

use serde::Serialize;

use super::catalog::{self, Healing, Orchestrator};
use super::recommend::{Recommendation, host_count, misfit};
use super::state::StateItem;
use super::{Advice, Evidence};
use crate::project::SpecFile;
use crate::source::display_path;

/// Line/column lookups over the scan's files.
type Locator<'a> = crate::source::Locator<'a, SpecFile>;

/// An evidence's place: `path:line:column`.
struct Place {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl Place {
    fn of(loc: &mut Locator<'_>, e: &Evidence) -> Place {
        let start = loc.line_col(e.file, e.span.start);
        let end = loc.line_col(e.file, e.span.end);
        Place {
            file: loc.file(e.file).display.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    fn short(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The whitepaper's functionality columns for one catalog entry.
struct Row {
    id: String,
    scale: String,
    cluster_state: &'static str,
    healing: &'static str,
    dependencies: &'static str,
    deployment: String,
    stateful: &'static str,
    status: String,
    fits: String,
}

/// The orchestrators the reports list: the recommendation and its alternatives in
/// rank order, or the whole catalog when nothing fits.
fn candidates(a: &Advice) -> Vec<&'static Orchestrator> {
    let mut order: Vec<&'static Orchestrator> = Vec::new();
    if let Some(r) = &a.recommendation {
        order.push(r.orchestrator);
        order.extend(r.alternatives.iter().map(|x| x.orchestrator));
    } else {
        order.extend(catalog::all());
    }
    order
}

fn rows(a: &Advice) -> Vec<Row> {
    let rec = a
        .recommendation
        .as_ref()
        .map(|r| r.orchestrator.id.as_str());
    candidates(a)
        .into_iter()
        .map(|o| {
            let fits = match misfit(o, &a.scale, &a.needs) {
                None if Some(o.id.as_str()) == rec => "recommended".to_string(),
                None if o.status != catalog::Status::Active => "fits, not active".to_string(),
                None => "fits".to_string(),
                Some(_) => "no".to_string(),
            };
            let fits = if o.id == a.current.id {
                format!("{fits} (current)")
            } else {
                fits
            };
            Row {
                id: o.id.clone(),
                scale: o.range(),
                cluster_state: yes_no(o.cluster_state),
                healing: o.healing.as_str(),
                dependencies: yes_no(o.dependencies),
                deployment: o.deployment.join(", "),
                stateful: o.stateful.as_str(),
                status: o.status_text(),
                fits,
            }
        })
        .collect()
}

const COLUMNS: [&str; 9] = [
    "System",
    "Scale",
    "Cluster state management",
    "Monitoring and healing",
    "Dependency and architectural mapping",
    "Deployment method",
    "Stateful",
    "Status",
    "Fits",
];

fn cells(r: &Row) -> [String; 9] {
    [
        r.id.clone(),
        r.scale.clone(),
        r.cluster_state.into(),
        r.healing.into(),
        r.dependencies.into(),
        r.deployment.clone(),
        r.stateful.into(),
        r.status.clone(),
        r.fits.clone(),
    ]
}

fn needs_lines(a: &Advice, loc: &mut Locator<'_>) -> Vec<(&'static str, String)> {
    let n = &a.needs;
    let healing = match n.healing {
        Healing::None => format!("none: {}", n.healing_reason),
        h => format!("{}: {}", h.as_str(), n.healing_reason),
    };
    let healing = match &n.healing_evidence {
        Some(e) => format!("{healing} ({})", Place::of(loc, e).short()),
        None => healing,
    };
    let deps = match &n.dependencies {
        Some(e) => format!("yes: {} ({})", e.message, Place::of(loc, e).short()),
        None => "no: no workload declares a dependency".into(),
    };
    vec![
        (
            "Cluster state management",
            match &n.cluster_state {
                Some(why) => format!("yes: {why}"),
                None => "no: one host".into(),
            },
        ),
        ("Monitoring and healing", healing),
        ("Dependency and architectural mapping", deps),
        ("Deployment method", n.deployment.to_string()),
        (
            "Stateful support",
            if n.stateful {
                "yes: the project owns data".into()
            } else {
                "no".into()
            },
        ),
    ]
}

fn current_line(a: &Advice) -> String {
    match a.current_orchestrator() {
        Some(o) => format!("{} ({}), {}", o.id, o.name, o.status_text()),
        None => a.current.id.to_string(),
    }
}

fn scale_line(a: &Advice) -> String {
    format!(
        "{}, at least {} (decided by {}; reference host {})",
        a.scale.class.as_str(),
        host_count(a.scale.hosts),
        a.scale.decider().kind.as_str(),
        a.settings.describe()
    )
}

fn files_of(a: &Advice, files: &[SpecFile]) -> Vec<String> {
    a.files
        .iter()
        .filter_map(|id| files.get(id.0 as usize))
        .map(|f| f.display.clone())
        .collect()
}

fn root_of(a: &Advice) -> String {
    let r = display_path(&a.root);
    if r.is_empty() { ".".into() } else { r }
}

/// After the recommendation's name, when it is the orchestrator already in use.
fn current_note(r: &Recommendation) -> &'static str {
    if r.fits_current {
        ", the current one"
    } else {
        ""
    }
}

/// After a piece of state that keeps no data by itself.
fn persistence_note(s: &StateItem) -> &'static str {
    if s.persistent {
        ""
    } else {
        " (not persistent on its own)"
    }
}

/// How many projects the report leaves out, and why.
fn left_out_line(left_out: usize) -> String {
    format!(
        "{left_out} project{} with nothing to place left out (no workloads, or a kustomize Component)",
        if left_out == 1 { "" } else { "s" }
    )
}

// ----------------------------------------------------------------------- human

pub fn write_human(
    out: &mut dyn Write,
    files: &[SpecFile],
    advice: &[&Advice],
    left_out: usize,
) -> std::io::Result<()> {
    let mut loc = Locator::new(files);
    for (i, a) in advice.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "== {} ==", root_of(a))?;
        writeln!(out, "files: {}", files_of(a, files).join(", "))?;
        writeln!(out, "current orchestrator: {}", current_line(a))?;
        for e in &a.current.evidence {
            writeln!(out, "    {}  {}", Place::of(&mut loc, e).short(), e.message)?;
        }
        writeln!(out)?;
        writeln!(out, "scale: {}", scale_line(a))?;
        for (j, b) in a.scale.bounds.iter().enumerate() {
            let mark = if j == a.scale.decided_by { ">" } else { " " };
            writeln!(
                out,
                "  {mark} {:>9}  {:13} {}  {}",
                host_count(b.hosts),
                b.kind.as_str(),
                Place::of(&mut loc, &b.evidence).short(),
                b.evidence.message
            )?;
        }
        writeln!(
            out,
            "state: {}",
            if a.state.stateful {
                "stateful"
            } else {
                "stateless"
            }
        )?;
        for s in &a.state.items {
            writeln!(
                out,
                "    {:17} {}  {}{}",
                s.kind.as_str(),
                Place::of(&mut loc, &s.evidence).short(),
                s.evidence.message,
                persistence_note(s)
            )?;
        }
        for r in &a.state.risks {
            writeln!(
                out,
                "  ! {:17} {}  {}",
                r.kind.as_str(),
                Place::of(&mut loc, &r.evidence).short(),
                r.evidence.message
            )?;
        }
        writeln!(out)?;
        writeln!(out, "needs:")?;
        for (k, v) in needs_lines(a, &mut loc) {
            writeln!(out, "  {k:37} {v}")?;
        }
        writeln!(out)?;
        writeln!(out, "candidates:")?;
        let table: Vec<[String; 9]> = rows(a).iter().map(cells).collect();
        let mut widths = [0usize; 9];
        for (c, h) in COLUMNS.iter().enumerate() {
            widths[c] = h.chars().count();
        }
        for r in &table {
            for (c, v) in r.iter().enumerate() {
                widths[c] = widths[c].max(v.chars().count());
            }
        }
        let line = |vals: Vec<String>| {
            let parts: Vec<String> = vals
                .iter()
                .enumerate()
                .map(|(c, v)| format!("{v:w$}", w = widths[c]))
                .collect();
            format!("  {}", parts.join("  ").trim_end())
        };
        writeln!(
            out,
            "{}",
            line(COLUMNS.iter().map(|s| s.to_string()).collect())
        )?;
        for r in table {
            writeln!(out, "{}", line(r.to_vec()))?;
        }
        writeln!(out)?;
        match &a.recommendation {
            None => writeln!(out, "recommendation: no orchestrator of the catalog fits")?,
            Some(r) => {
                let o = r.orchestrator;
                writeln!(
                    out,
                    "recommendation: {} ({}){}",
                    o.id,
                    o.name,
                    current_note(r)
                )?;
                for reason in &r.reasons {
                    writeln!(out, "  - {reason}")?;
                }
                writeln!(out, "alternatives:")?;
                for (k, alt) in r.alternatives.iter().enumerate() {
                    writeln!(
                        out,
                        "  {:>2}. {}: {}",
                        k + 2,
                        alt.orchestrator.id,
                        alt.reason
                    )?;
                }
                if r.migration.is_empty() {
                    writeln!(out, "migration: none, the project stays on {}", o.id)?;
                } else {
                    writeln!(out, "migration: {} -> {}", a.current.id, o.id)?;
                    for s in &r.migration {
                        let arrow = if s.equivalent {
                            format!("{} -> {}", s.source, s.target)
                        } else {
                            format!("{} -> no equivalent", s.source)
                        };
                        let at =
                            s.at.as_ref()
                                .map(|e| format!(" ({})", Place::of(&mut loc, e).short()))
                                .unwrap_or_default();
                        let note = s.note.map(|n| format!(": {n}")).unwrap_or_default();
                        writeln!(out, "  - {arrow}{at}{note}")?;
                    }
                }
            }
        }
    }
    if advice.is_empty() {
        writeln!(out, "no project with workloads found")?;
    }
    if left_out > 0 {
        writeln!(out, "\n{}", left_out_line(left_out))?;
    }
    Ok(())
}

// -------------------------------------------------------------------- markdown

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn write_markdown(
    out: &mut dyn Write,
    files: &[SpecFile],
    advice: &[&Advice],
    left_out: usize,
) -> std::io::Result<()> {
    let mut loc = Locator::new(files);
    writeln!(out, "# orchlint advice")?;
    for a in advice {
        writeln!(out)?;
        writeln!(out, "## `{}`", root_of(a))?;
        writeln!(out)?;
        writeln!(
            out,
            "- **Files:** {}",
            files_of(a, files)
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
        writeln!(out, "- **Current orchestrator:** {}", md(&current_line(a)))?;
        for e in &a.current.evidence {
            let p = Place::of(&mut loc, e);
            writeln!(out, "  - `{}` {}", p.short(), md(&e.message))?;
        }
        writeln!(out, "- **Scale:** {}", md(&scale_line(a)))?;
        writeln!(out, "- **Stateful:** {}", yes_no(a.state.stateful))?;
        if let Some(r) = &a.recommendation {
            writeln!(
                out,
                "- **Recommendation:** **{}** ({}){}",
                r.orchestrator.id,
                md(&r.orchestrator.name),
                current_note(r)
            )?;
        }
        writeln!(out)?;
        writeln!(out, "### Scale evidence")?;
        writeln!(out)?;
        writeln!(out, "| Bound | Hosts | Where | Evidence |")?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for (j, b) in a.scale.bounds.iter().enumerate() {
            let p = Place::of(&mut loc, &b.evidence);
            let (o, c) = if j == a.scale.decided_by {
                ("**", "**")
            } else {
                ("", "")
            };
            writeln!(
                out,
                "| {o}{}{c} | {o}{}{c} | `{}` | {} |",
                b.kind.as_str(),
                b.hosts,
                p.short(),
                md(&b.evidence.message)
            )?;
        }
        writeln!(out)?;
        writeln!(out, "### State evidence")?;
        writeln!(out)?;
        if a.state.items.is_empty() && a.state.risks.is_empty() {
            writeln!(out, "None: the project keeps no data of its own.")?;
        }
        for s in &a.state.items {
            let p = Place::of(&mut loc, &s.evidence);
            writeln!(
                out,
                "- `{}` `{}` {}{}",
                s.kind.as_str(),
                p.short(),
                md(&s.evidence.message),
                persistence_note(s)
            )?;
        }
        for r in &a.state.risks {
            let p = Place::of(&mut loc, &r.evidence);
            writeln!(
                out,
                "- :warning: `{}` `{}` {}",
                r.kind.as_str(),
                p.short(),
                md(&r.evidence.message)
            )?;
        }
        writeln!(out)?;
        writeln!(out, "### Needs")?;
        writeln!(out)?;
        writeln!(out, "| Function | Need |")?;
        writeln!(out, "| --- | --- |")?;
        for (k, v) in needs_lines(a, &mut loc) {
            writeln!(out, "| {k} | {} |", md(&v))?;
        }
        writeln!(out)?;
        writeln!(out, "### Candidates")?;
        writeln!(out)?;
        writeln!(out, "| {} |", COLUMNS.join(" | "))?;
        writeln!(out, "|{}", " --- |".repeat(COLUMNS.len()))?;
        for r in rows(a) {
            let c: Vec<String> = cells(&r).iter().map(|v| md(v)).collect();
            writeln!(out, "| {} |", c.join(" | "))?;
        }
        if let Some(r) = &a.recommendation {
            writeln!(out)?;
            writeln!(out, "### Recommendation: {}", r.orchestrator.id)?;
            writeln!(out)?;
            for reason in &r.reasons {
                writeln!(out, "- {}", md(reason))?;
            }
            writeln!(out)?;
            writeln!(out, "Alternatives, ranked:")?;
            writeln!(out)?;
            for (k, alt) in r.alternatives.iter().enumerate() {
                writeln!(
                    out,
                    "{}. **{}**: {}",
                    k + 2,
                    alt.orchestrator.id,
                    md(&alt.reason)
                )?;
            }
            writeln!(out)?;
            if r.migration.is_empty() {
                writeln!(out, "### Migration")?;
                writeln!(out)?;
                writeln!(out, "None: the project stays on {}.", r.orchestrator.id)?;
            } else {
                writeln!(
                    out,
                    "### Migration: {} → {}",
                    a.current.id, r.orchestrator.id
                )?;
                writeln!(out)?;
                writeln!(out, "| Today | Becomes | First used | Note |")?;
                writeln!(out, "| --- | --- | --- | --- |")?;
                for s in &r.migration {
                    let target = if s.equivalent {
                        md(s.target)
                    } else {
                        format!(
                            "*no equivalent*{}",
                            if s.target.is_empty() {
                                String::new()
                            } else {
                                format!(" ({})", md(s.target))
                            }
                        )
                    };
                    let at =
                        s.at.as_ref()
                            .map(|e| format!("`{}`", Place::of(&mut loc, e).short()))
                            .unwrap_or_default();
                    writeln!(
                        out,
                        "| {} | {target} | {at} | {} |",
                        md(s.source),
                        md(s.note.unwrap_or(""))
                    )?;
                }
            }
        }
    }
    if advice.is_empty() {
        writeln!(out)?;
        writeln!(out, "No project with workloads found.")?;
    }
    if left_out > 0 {
        writeln!(out)?;
        writeln!(out, "{}.", left_out_line(left_out))?;
    }
    Ok(())
}

// ------------------------------------------------------------------------ json

#[derive(Serialize)]
struct EvidenceOut {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    workload: Option<String>,
    message: String,
}

fn ev(loc: &mut Locator<'_>, e: &Evidence) -> EvidenceOut {
    let p = Place::of(loc, e);
    EvidenceOut {
        file: p.file,
        line: p.line,
        column: p.column,
        end_line: p.end_line,
        end_column: p.end_column,
        workload: e.workload.clone(),
        message: e.message.clone(),
    }
}

#[derive(Serialize)]
struct BoundOut {
    kind: &'static str,
    hosts: u32,
    decides: bool,
    #[serde(flatten)]
    evidence: EvidenceOut,
}

#[derive(Serialize)]
struct HostOut {
    vcpu: f64,
    memory_gib: f64,
}

#[derive(Serialize)]
struct PeakOut {
    copies: u64,
    vcpu: f64,
    memory_gib: f64,
    unreserved: Vec<String>,
}

#[derive(Serialize)]
struct ScaleOut {
    class: &'static str,
    estimated_hosts: u32,
    decided_by: &'static str,
    evidence: Vec<BoundOut>,
    reference_host: HostOut,
    peak: PeakOut,
}

#[derive(Serialize)]
struct StateOut {
    kind: &'static str,
    persistent: bool,
    #[serde(flatten)]
    evidence: EvidenceOut,
}

#[derive(Serialize)]
struct RiskOut {
    kind: &'static str,
    store: String,
    #[serde(flatten)]
    evidence: EvidenceOut,
    help: String,
}

#[derive(Serialize)]
struct NeedOut {
    needed: bool,
    reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<EvidenceOut>,
}

#[derive(Serialize)]
struct HealingOut {
    level: &'static str,
    reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<EvidenceOut>,
}

#[derive(Serialize)]
struct NeedsOut {
    cluster_state_management: NeedOut,
    monitoring_and_healing: HealingOut,
    dependency_mapping: NeedOut,
    deployment_method: &'static str,
    stateful: bool,
}

#[derive(Serialize)]
struct CandidateOut {
    orchestrator: String,
    name: String,
    scale: String,
    cluster_state_management: bool,
    monitoring_and_healing: &'static str,
    dependency_mapping: bool,
    deployment_method: Vec<String>,
    stateful: &'static str,
    status: &'static str,
    status_since: String,
    fits: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    misfit: Option<String>,
}

#[derive(Serialize)]
struct AlternativeOut {
    orchestrator: String,
    rank: usize,
    fits: bool,
    reason: String,
}

#[derive(Serialize)]
struct StepOut {
    feature: &'static str,
    from: &'static str,
    to: &'static str,
    equivalent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_used: Option<EvidenceOut>,
}

#[derive(Serialize)]
struct RecommendationOut {
    orchestrator: String,
    name: String,
    fits_current: bool,
    reasons: Vec<String>,
    alternatives: Vec<AlternativeOut>,
    migration: Vec<StepOut>,
}

#[derive(Serialize)]
struct ProjectOut {
    root: String,
    files: Vec<String>,
    current: &'static str,
    current_evidence: Vec<EvidenceOut>,
    scale: ScaleOut,
    stateful: bool,
    state_evidence: Vec<StateOut>,
    ephemeral_data: Vec<RiskOut>,
    needs: NeedsOut,
    candidates: Vec<CandidateOut>,
    recommendation: Option<RecommendationOut>,
}

#[derive(Serialize)]
struct Document {
    version: u32,
    projects: Vec<ProjectOut>,
    projects_left_out: usize,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn project_json(a: &Advice, files: &[SpecFile], loc: &mut Locator<'_>) -> ProjectOut {
    let n = &a.needs;
    let candidates = candidates(a)
        .into_iter()
        .map(|o| {
            let misfit = misfit(o, &a.scale, &a.needs);
            CandidateOut {
                orchestrator: o.id.clone(),
                name: o.name.clone(),
                scale: o.range(),
                cluster_state_management: o.cluster_state,
                monitoring_and_healing: o.healing.as_str(),
                dependency_mapping: o.dependencies,
                deployment_method: o.deployment.clone(),
                stateful: o.stateful.as_str(),
                status: o.status.as_str(),
                status_since: o.status_since.clone(),
                fits: misfit.is_none(),
                misfit,
            }
        })
        .collect();
    ProjectOut {
        root: root_of(a),
        files: files_of(a, files),
        current: a.current.id,
        current_evidence: a.current.evidence.iter().map(|e| ev(loc, e)).collect(),
        scale: ScaleOut {
            class: a.scale.class.as_str(),
            estimated_hosts: a.scale.hosts,
            decided_by: a.scale.decider().kind.as_str(),
            evidence: a
                .scale
                .bounds
                .iter()
                .enumerate()
                .map(|(j, b)| BoundOut {
                    kind: b.kind.as_str(),
                    hosts: b.hosts,
                    decides: j == a.scale.decided_by,
                    evidence: ev(loc, &b.evidence),
                })
                .collect(),
            reference_host: HostOut {
                vcpu: a.settings.host_vcpu,
                memory_gib: a.settings.host_memory_gib,
            },
            peak: PeakOut {
                copies: a.scale.peak.copies,
                vcpu: round2(a.scale.peak.cpu),
                memory_gib: round2(a.scale.peak.memory / super::GIB),
                unreserved: a.scale.peak.unreserved.clone(),
            },
        },
        stateful: a.state.stateful,
        state_evidence: a
            .state
            .items
            .iter()
            .map(|s| StateOut {
                kind: s.kind.as_str(),
                persistent: s.persistent,
                evidence: ev(loc, &s.evidence),
            })
            .collect(),
        ephemeral_data: a
            .state
            .risks
            .iter()
            .map(|r| RiskOut {
                kind: r.kind.as_str(),
                store: r.store.clone(),
                evidence: ev(loc, &r.evidence),
                help: r.help.clone(),
            })
            .collect(),
        needs: NeedsOut {
            cluster_state_management: NeedOut {
                needed: n.cluster_state.is_some(),
                reason: n.cluster_state.clone().unwrap_or_else(|| "one host".into()),
                evidence: None,
            },
            monitoring_and_healing: HealingOut {
                level: n.healing.as_str(),
                reason: n.healing_reason.clone(),
                evidence: n.healing_evidence.as_ref().map(|e| ev(loc, e)),
            },
            dependency_mapping: NeedOut {
                needed: n.dependencies.is_some(),
                reason: n.dependencies.as_ref().map_or_else(
                    || "no workload declares a dependency".into(),
                    |e| e.message.clone(),
                ),
                evidence: n.dependencies.as_ref().map(|e| ev(loc, e)),
            },
            deployment_method: n.deployment,
            stateful: n.stateful,
        },
        candidates,
        recommendation: a.recommendation.as_ref().map(|r| RecommendationOut {
            orchestrator: r.orchestrator.id.clone(),
            name: r.orchestrator.name.clone(),
            fits_current: r.fits_current,
            reasons: r.reasons.clone(),
            alternatives: r
                .alternatives
                .iter()
                .enumerate()
                .map(|(k, alt)| AlternativeOut {
                    orchestrator: alt.orchestrator.id.clone(),
                    rank: k + 2,
                    fits: alt.fits,
                    reason: alt.reason.clone(),
                })
                .collect(),
            migration: r
                .migration
                .iter()
                .map(|s| StepOut {
                    feature: s.feature,
                    from: s.source,
                    to: s.target,
                    equivalent: s.equivalent,
                    note: s.note,
                    first_used: s.at.as_ref().map(|e| ev(loc, e)),
                })
                .collect(),
        }),
    }
}

pub fn write_json(
    out: &mut dyn Write,
    files: &[SpecFile],
    advice: &[&Advice],
    left_out: usize,
) -> std::io::Result<()> {
    let mut loc = Locator::new(files);
    let doc = Document {
        version: 1,
        projects: advice
            .iter()
            .map(|a| project_json(a, files, &mut loc))
            .collect(),
        projects_left_out: left_out,
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}
