//! The JSON report: stable (fields may be added), with each evidence's full span.

use std::io::Write;

use serde::Serialize;

use super::{Report, candidates, ranked, root_of, row_misfit, summary_lines};
use crate::advise::needs::Needs;
use crate::advise::recommend::Recommendation;
use crate::advise::{Advice, Evidence, GIB};

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

fn ev(r: &mut Report, e: &Evidence) -> EvidenceOut {
    let p = r.place(e);
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
    /// Parts only Kubernetes or Swarm mode runs; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    platform_coupling: Vec<CoupledOut>,
}

#[derive(Serialize)]
struct CoupledOut {
    /// `kubernetes` or `swarm`: the platform that alone runs it.
    platform: &'static str,
    relies_on: &'static str,
    #[serde(flatten)]
    evidence: EvidenceOut,
}

#[derive(Serialize)]
struct TieOut {
    from: String,
    to: String,
    why: String,
}

#[derive(Serialize)]
struct AlternativeManifestOut {
    file: String,
    of: String,
    why: String,
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
struct DataOut {
    volume: String,
    target: String,
    action: String,
    #[serde(flatten)]
    evidence: EvidenceOut,
}

#[derive(Serialize)]
struct PlanOut {
    commands: Vec<String>,
    files: Vec<String>,
    data: Vec<DataOut>,
}

#[derive(Serialize)]
struct RecommendationOut {
    orchestrator: String,
    name: String,
    /// Kept under its first name: the same as `keeps_current`.
    fits_current: bool,
    keeps_current: bool,
    reasons: Vec<String>,
    alternatives: Vec<AlternativeOut>,
    migration: Vec<StepOut>,
    plan: PlanOut,
}

#[derive(Serialize)]
struct FitOut {
    /// `null` when the catalog does not know the current orchestrator.
    fits: Option<bool>,
    reason: String,
    oversized: bool,
}

#[derive(Serialize)]
struct ProjectOut {
    root: String,
    files: Vec<String>,
    /// The references that tied files of several folders or files into the
    /// project; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    grouped: Vec<TieOut>,
    /// Alternative manifests, judged once; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternative_manifests: Vec<AlternativeManifestOut>,
    current: &'static str,
    current_evidence: Vec<EvidenceOut>,
    fit: FitOut,
    summary: [String; 3],
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
    left_out: Vec<LeftOutOut>,
}

#[derive(Serialize)]
struct LeftOutOut {
    root: String,
    reason: String,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Writes one document with every project.
pub(super) fn write(out: &mut dyn Write, r: &mut Report) -> std::io::Result<()> {
    let advice = r.advice;
    let doc = Document {
        version: 1,
        projects: advice.iter().map(|a| project(a, r)).collect(),
        projects_left_out: r.left_out.len(),
        left_out: r
            .left_out
            .iter()
            .map(|l| LeftOutOut {
                root: l.root(),
                reason: l.reason.clone(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}

fn project(a: &Advice, r: &mut Report) -> ProjectOut {
    ProjectOut {
        root: root_of(a),
        files: r.files_of(a),
        grouped: a
            .ties
            .iter()
            .map(|t| TieOut {
                from: r.display(t.from),
                to: r.display(t.to),
                why: t.why.clone(),
            })
            .collect(),
        alternative_manifests: a
            .alternatives
            .iter()
            .map(|x| AlternativeManifestOut {
                file: r.display(x.file),
                of: r.display(x.of),
                why: x.why.clone(),
            })
            .collect(),
        current: a.current.id,
        current_evidence: a.current.evidence.iter().map(|e| ev(r, e)).collect(),
        fit: FitOut {
            fits: a.fit.fits,
            reason: a.fit.reason.clone(),
            oversized: a.fit.oversized,
        },
        summary: summary_lines(a),
        scale: scale(a, r),
        stateful: a.state.stateful,
        state_evidence: a
            .state
            .items
            .iter()
            .map(|s| StateOut {
                kind: s.kind.as_str(),
                persistent: s.persistent,
                evidence: ev(r, &s.evidence),
            })
            .collect(),
        ephemeral_data: a
            .state
            .risks
            .iter()
            .map(|risk| RiskOut {
                kind: risk.kind.as_str(),
                store: risk.store.clone(),
                evidence: ev(r, &risk.evidence),
                help: risk.help.clone(),
            })
            .collect(),
        needs: needs(&a.needs, r),
        candidates: candidate_list(a),
        recommendation: a.recommendation.as_ref().map(|rec| recommendation(rec, r)),
    }
}

fn scale(a: &Advice, r: &mut Report) -> ScaleOut {
    ScaleOut {
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
                evidence: ev(r, &b.evidence),
            })
            .collect(),
        reference_host: HostOut {
            vcpu: a.settings.host_vcpu,
            memory_gib: a.settings.host_memory_gib,
        },
        peak: PeakOut {
            copies: a.scale.peak.copies,
            vcpu: round2(a.scale.peak.cpu),
            memory_gib: round2(a.scale.peak.memory / GIB),
            unreserved: a.scale.peak.unreserved.clone(),
        },
    }
}

fn needs(n: &Needs, r: &mut Report) -> NeedsOut {
    NeedsOut {
        cluster_state_management: NeedOut {
            needed: n.cluster_state.is_some(),
            reason: n.cluster_state.clone().unwrap_or_else(|| "one host".into()),
            evidence: None,
        },
        monitoring_and_healing: HealingOut {
            level: n.healing.as_str(),
            reason: n.healing_reason.clone(),
            evidence: n.healing_evidence.as_ref().map(|e| ev(r, e)),
        },
        dependency_mapping: NeedOut {
            needed: n.dependencies.is_some(),
            reason: n.dependencies.as_ref().map_or_else(
                || "no workload declares a dependency".into(),
                |e| e.message.clone(),
            ),
            evidence: n.dependencies.as_ref().map(|e| ev(r, e)),
        },
        deployment_method: n.deployment,
        stateful: n.stateful,
        platform_coupling: n
            .coupling
            .iter()
            .map(|c| CoupledOut {
                platform: c.platform.as_str(),
                relies_on: c.what,
                evidence: ev(r, &c.evidence),
            })
            .collect(),
    }
}

fn candidate_list(a: &Advice) -> Vec<CandidateOut> {
    candidates(a)
        .into_iter()
        .map(|o| {
            let misfit = row_misfit(a, o);
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
        .collect()
}

fn recommendation(rec: &Recommendation, r: &mut Report) -> RecommendationOut {
    RecommendationOut {
        orchestrator: rec.orchestrator.id.clone(),
        name: rec.orchestrator.name.clone(),
        fits_current: rec.keeps_current,
        keeps_current: rec.keeps_current,
        reasons: rec.reasons.clone(),
        alternatives: ranked(rec)
            .map(|(rank, alt)| AlternativeOut {
                orchestrator: alt.orchestrator.id.clone(),
                rank,
                fits: alt.fits,
                reason: alt.reason.clone(),
            })
            .collect(),
        migration: rec
            .migration
            .iter()
            .map(|s| StepOut {
                feature: s.feature,
                from: s.source,
                to: s.target,
                equivalent: s.equivalent,
                note: s.note,
                first_used: s.at.as_ref().map(|e| ev(r, e)),
            })
            .collect(),
        plan: PlanOut {
            commands: rec.plan.commands.clone(),
            files: rec.plan.files.clone(),
            data: rec
                .plan
                .data
                .iter()
                .map(|d| DataOut {
                    volume: d.volume.clone(),
                    target: d.target.clone(),
                    action: d.action.clone(),
                    evidence: ev(r, &d.at),
                })
                .collect(),
        },
    }
}
