//! `advice/outgrown-orchestrator`: the specs need more hosts than the orchestrator
//! they are written for can run (a Compose project that needs several hosts).

use super::{recommendation_help, with_advice};
use crate::advise::recommend::host_count;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct OutgrownOrchestrator;

static META: RuleMeta = RuleMeta {
    name: "outgrown-orchestrator",
    family: Family::Advice,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Flocker,
        Format::Brooklyn,
        Format::Procfile,
    ],
    summary: "the project needs more hosts than its orchestrator runs",
    what: "Estimates how many hosts the project needs (the largest lower bound the specs imply: copies kept on different hosts, global workloads, pinned nodes, and the CPU and memory reserved at the expected peak over the reference host of `[advisor]` in `orchlint.toml`, 8 vCPU and 32 GiB by default) and reports when that is more than the orchestrator the specs are written for serves: Docker Compose runs on one host, Swarm mode and Dokku on tens of hosts at most. The finding points at the evidence that decided the estimate; the other bounds above one host are related locations.",
    why: "Compose starts every container on the one Docker engine it talks to: a project whose reservations exceed one machine does not start, or starts overcommitted and is killed under load, and a host failure takes all of it down. Past the orchestrator's range, scheduling, healing and state management have to come from somewhere else.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  worker:
    image: example/worker:3.1
    deploy:
      replicas: 12
      resources:
        reservations:
          cpus: "2"
          memory: 4G
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  worker:
    image: example/worker:3.1
    deploy:
      replicas: 3
      resources:
        reservations:
          cpus: "2"
          memory: 4G
"#,
    },
};

impl Rule for OutgrownOrchestrator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        with_advice(cx, |cx, a| {
            let Some(cur) = a.current_orchestrator() else {
                return;
            };
            if a.scale.class <= cur.scale_max {
                return;
            }
            let decider = a.scale.decider();
            let help = recommendation_help(a);
            let d = cx.report(
                decider.evidence.file,
                decider.evidence.span,
                format!(
                    "this project needs at least {}, and {} serves {}: {}",
                    host_count(a.scale.hosts),
                    cur.name,
                    cur.hosts_range(),
                    decider.evidence.message
                ),
            );
            d.help = Some(help);
            for (i, b) in a.scale.bounds.iter().enumerate() {
                if i != a.scale.decided_by && b.hosts > 1 {
                    d.related.push(crate::diagnostic::Related {
                        file: b.evidence.file,
                        span: b.evidence.span,
                        message: format!("{}: {}", host_count(b.hosts), b.evidence.message),
                    });
                }
            }
        });
    }
}
