//! `advice/end-of-life-orchestrator`: the specs are written for an orchestrator
//! past its end of life (Marathon, Flocker, classic Swarm, Flynn, Deis, Clocker).

use super::{recommendation_help, with_advice};
use crate::advise::catalog::{self, Status};
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct EndOfLifeOrchestrator;

static META: RuleMeta = RuleMeta {
    name: "end-of-life-orchestrator",
    family: Family::Advice,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[
        Format::Compose,
        Format::Marathon,
        Format::Flocker,
        Format::Brooklyn,
    ],
    summary: "the specs are written for an orchestrator past its end of life",
    what: "Reports a project whose specs are written for an orchestrator the catalog (`rules/orchestrators.toml`, with sources) lists as end-of-life: Mesosphere Marathon (DC/OS support ended 2021-10-31), classic Docker Swarm (archived 2020-06-11, recognised by `constraint:`/`affinity:` scheduling filters in a Compose file's environment), and the other retired systems of the whitepaper as their formats are read. The message gives the date and what happened; the help names the successors and the orchestrator orchlint recommends for this project. The finding points at what shows the format: the first app or workload, or the classic Swarm filter.",
    why: "An orchestrator past its end of life gets no security fixes and no support for newer kernels, container runtimes or images, and the people who know it move on; every month on it makes the eventual move harder.",
    bad: Example {
        file_name: "marathon.json",
        text: r#"{
  "id": "/shop/web",
  "instances": 2,
  "cpus": 0.5,
  "mem": 256,
  "container": {"type": "DOCKER", "docker": {"image": "example/web:2.0"}}
}
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:2.0
        resources:
          requests: {cpu: 500m, memory: 256Mi}
"#,
    },
};

impl Rule for EndOfLifeOrchestrator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        with_advice(cx, |cx, a| {
            let Some(cur) = a.current_orchestrator() else {
                return;
            };
            if cur.status != Status::EndOfLife {
                return;
            }
            let Some((file, span)) = a
                .current
                .evidence
                .first()
                .map(|e| (e.file, e.span))
                .or_else(|| cx.model.workloads.first().map(|w| (w.at.file, w.at.span)))
            else {
                return;
            };
            let successors: Vec<&str> = cur
                .successor
                .iter()
                .filter_map(|s| catalog::get(s))
                .map(|o| o.name.as_str())
                .collect();
            let help = format!(
                "its users move to {}; {}",
                if successors.is_empty() {
                    cur.successor_note.clone()
                } else {
                    successors.join(" or ")
                },
                recommendation_help(a)
            );
            cx.report(
                file,
                span,
                format!("{} is past its end of life: {}", cur.name, cur.status_note),
            )
            .help = Some(help);
        });
    }
}
