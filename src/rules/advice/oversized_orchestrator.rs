//! `advice/oversized-orchestrator`: one host would serve a project written for a
//! cluster orchestrator (a Kubernetes cluster for an app that fits one machine).

use super::{recommendation_help, with_advice};
use crate::advise::catalog::{self, Status};
use crate::advise::recommend::misfits;
use crate::advise::scale::peak_copies;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct OversizedOrchestrator;

static META: RuleMeta = RuleMeta {
    name: "oversized-orchestrator",
    family: Family::Advice,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose, Format::Kubernetes],
    summary: "one host would serve a project written for a cluster orchestrator",
    what: "Estimates how many hosts the project needs (see `outgrown-orchestrator`) and reports, for information, when one host would do but the specs are written for an orchestrator whose smallest sensible deployment is a cluster: Kubernetes, Swarm mode. Nothing in the specs keeps copies on different hosts, the CPU and memory they reserve at peak fit the reference host of `[advisor]` in `orchlint.toml` (8 vCPU, 32 GiB by default), and every workload runs a single copy: a cluster orchestrator spreads the copies of a workload over nodes, so several copies (or a global workload) ask for availability one host cannot give, and the rule stays silent. The finding points at the evidence that decided the estimate. The current orchestrator still fits (see `orchlint advise`: it covers the scale and every need and is not past its end of life), so the rule fires only when a much lighter active system (two steps of operational weight or more, such as Compose or Dokku for Kubernetes) also fits, and never says the current one does not fit. Orchestrators past their end of life are reported by `end-of-life-orchestrator` instead.",
    why: "A cluster orchestrator costs control-plane machines, upgrades and expertise that buy nothing when the whole app fits one machine; a single-node distribution of the same orchestrator (k3s for Kubernetes manifests) or Docker Compose runs it with less to operate. The finding is information: availability across host failures can still justify a cluster, which the specs do not say.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: blog
spec:
  replicas: 1
  selector:
    matchLabels: {app: blog}
  template:
    metadata:
      labels: {app: blog}
    spec:
      containers:
      - name: blog
        image: example/blog:1.4
        resources:
          requests: {cpu: 250m, memory: 256Mi}
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  blog:
    image: example/blog:1.4
    restart: unless-stopped
    deploy:
      resources:
        reservations: {cpus: "0.25", memory: 256M}
"#,
    },
};

impl Rule for OversizedOrchestrator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        with_advice(cx, |cx, a| {
            let Some(cur) = a.current_orchestrator() else {
                return;
            };
            // Only an orchestrator that fits is oversized (the verdict's own word);
            // one past its end of life is `end-of-life-orchestrator`'s.
            if a.fit.fits != Some(true) || !a.fit.oversized {
                return;
            }
            // ... and only when a much lighter active system (two steps of weight
            // or more) also fits: the finding never says the current one does not.
            let lighter: Vec<&str> = catalog::all()
                .iter()
                .filter(|o| {
                    o.status == Status::Active
                        && o.proposable_from(&cur.id)
                        && o.weight + 2 <= cur.weight
                        && !misfits(o, &a.scale, &a.needs)
                })
                .map(|o| o.id.as_str())
                .collect();
            if lighter.is_empty() {
                return;
            }
            if cx
                .model
                .workloads
                .iter()
                .any(|w| !w.kind.is_batch() && peak_copies(w).is_none_or(|n| n > 1))
            {
                return;
            }
            let decider = a.scale.decider();
            let help = recommendation_help(a);
            cx.report(
                decider.evidence.file,
                decider.evidence.span,
                format!(
                    "one host would serve this project: {} fits it, but is sized for {} ({}) and {} would run it with less to operate: {}",
                    cur.name,
                    cur.range(),
                    cur.hosts_range(),
                    lighter.join(" or "),
                    decider.evidence.message
                ),
            )
            .help = Some(help);
        });
    }
}
