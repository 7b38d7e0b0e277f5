//! `reliability/missing-resource-limits`: a container without a memory limit or
//! without any CPU reservation.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingResourceLimits;

static META: RuleMeta = RuleMeta {
    name: "missing-resource-limits",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("unset-cpu-requirements"),
        Peer::KubeLinter("unset-memory-requirements"),
        Peer::KubeScore("container-resources"),
        Peer::Checkov("CKV_K8S_10"),
        Peer::Checkov("CKV_K8S_11"),
        Peer::Checkov("CKV_K8S_13"),
        Peer::Trivy("KSV011"),
        Peer::Trivy("KSV015"),
        Peer::Trivy("KSV018"),
        Peer::Polaris("cpuLimitsMissing"),
        Peer::Polaris("cpuRequestsMissing"),
        Peer::Polaris("memoryLimitsMissing"),
        Peer::ComposeLint("CL-0026"),
    ],
    formats: &[Format::Compose, Format::Kubernetes],
    summary: "a container has no memory limit or no CPU request or limit",
    what: "Reports a container that sets no memory limit, or neither a CPU request nor a CPU limit (Kubernetes `resources`, Compose `deploy.resources` or the older `mem_limit`/`cpus`). One finding per container says which are missing; it points at the container's name. A limit written with a variable (`memory: ${MEMORY_LIMIT}`) counts as set. Compose files are checked only where a cluster scheduler places the containers (a Swarm stack, or Compose run against a classic Swarm manager): on the one host of `docker compose up` the limits protect nothing the developer does not see at once, so a dev Compose file is not asked for them. Marathon is not checked: it always reserves `cpus` and `mem` (with defaults when absent).",
    why: "Without a memory limit one leaking process can push the whole host into the out-of-memory killer, taking its neighbours down; without any CPU figure the scheduler cannot place the workload sensibly and a busy loop starves the rest.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:1.4
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:1.4
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {memory: 256Mi}
"#,
    },
};

impl Rule for MissingResourceLimits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        // Compose on one host (`docker compose up`) has no scheduler to inform.
        let compose_scheduled = matches!(
            cx.model.orchestrator(Format::Compose),
            "swarm" | "swarm-classic"
        );
        for w in &cx.model.workloads {
            if w.format == Format::Compose && !compose_scheduled {
                continue;
            }
            for c in &w.containers {
                let r = &c.resources;
                // A value written with a variable (`memory: ${MEMORY}`) is a limit.
                let no_memory = r.memory_limit.is_none() && !r.memory_limit_unresolved;
                let no_cpu =
                    r.cpu_limit.is_none() && r.cpu_request.is_none() && !r.cpu_unresolved;
                let missing = match (no_memory, no_cpu) {
                    (true, true) => "no memory limit and no CPU request or limit",
                    (true, false) => "no memory limit",
                    (false, true) => "no CPU request or limit",
                    (false, false) => continue,
                };
                let what = w.describe_container(c);
                cx.report_at(c.name.loc, format!("{what} has {missing}")).help =
                    Some(match w.format {
                        Format::Compose => "set `deploy.resources.limits.memory` and `cpus` (or `mem_limit` and `cpus`)".into(),
                        _ => "set `resources.limits.memory` and `resources.requests.cpu`".into(),
                    });
            }
        }
    }
}
