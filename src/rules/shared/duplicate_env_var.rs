//! `correctness/duplicate-env-var`: one environment list of a container defines the
//! same variable twice.

use crate::diagnostic::{Example, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::diagnostic::{Family, Related, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DuplicateEnvVar;

static META: RuleMeta = RuleMeta {
    name: "duplicate-env-var",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("duplicate-env-var"),
        Peer::KubeScore("environment-variable-key-duplication"),
    ],
    formats: &[Format::Compose, Format::Kubernetes],
    summary: "a container's environment list defines the same variable twice",
    what: "Reports a variable that one environment list defines a second time: a Kubernetes `env` list with two items of the same `name`, a Compose `environment` list with `KEY=...` twice for one service. The finding points at the second name and names the first. Only one list of one file counts: a Compose override file or `extends` that sets a variable of the base again is overriding it on purpose and is not reported, and neither is a Kubernetes definition whose value builds on the earlier one (`value: $(PATH):/opt/bin`). Mappings (Compose `environment` as a mapping, Marathon `env`, Flocker `environment`) cannot hold a name twice: a repeated key there is `syntax/duplicate-key`.",
    why: "Only the later definition reaches the process, silently: the earlier value, often the one someone just edited, has no effect. It usually comes from a merge or a copy-paste, and the two values often disagree.",
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
        env:
        - name: LOG_LEVEL
          value: debug
        - name: PORT
          value: "8080"
        - name: LOG_LEVEL
          value: info
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
        env:
        - name: LOG_LEVEL
          value: info
        - name: PORT
          value: "8080"
"#,
    },
};

impl Rule for DuplicateEnvVar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                for r in &c.env_redefined {
                    let d = cx.report_at(
                        r.name.loc,
                        format!(
                            "{} defines `{}` twice; the earlier definition is ignored",
                            w.describe_container(c),
                            r.name.value
                        ),
                    );
                    d.help =
                        Some("remove one of the two definitions, keeping the value meant".into());
                    d.related.push(Related {
                        file: r.first.file,
                        span: r.first.span,
                        message: format!("`{}` is first defined here", r.name.value),
                    });
                }
            }
        }
    }
}
