//! `security/run-as-root`: a container that runs, or may run, as root.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::formats::kubernetes::Object;
use crate::formats::kubernetes::tree::At;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::source::Span;

pub(crate) struct RunAsRoot;

static META: RuleMeta = RuleMeta {
    name: "run-as-root",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("run-as-non-root"),
        Peer::Checkov("CKV_K8S_23"),
        Peer::Trivy("KSV012"),
        Peer::Polaris("runAsRootAllowed"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a container runs, or may run, as root",
    what: "Reports a container (init containers included) whose security context, or its pod's, neither sets `runAsNonRoot: true` nor a non-zero `runAsUser`, and one that explicitly sets `runAsUser: 0` or `runAsNonRoot: false`. An explicit setting is pointed at; otherwise the finding points at the container's name. A setting the whole pod shares is reported once, naming the containers that inherit it. Windows pods (`spec.os.name: windows`) and pods in their own user namespace (`hostUsers: false`) are left out.",
    why: "Unless the spec says otherwise, a container runs as the user its image names, which is root for most images. A process running as root that escapes its container, through a kernel or runtime flaw or a mounted host path, is root on the node.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:1.4
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
      - name: web
        image: example/web:1.4
"#,
    },
};

const HELP: &str = "set `runAsNonRoot: true` in the pod's or the container's `securityContext`, with a non-zero `runAsUser` when the image's user is root or a name";

impl Rule for RunAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for (file, obj) in project_objects(cx.project, cx.files) {
            check_object(cx, file.id, obj, obj.at(&file.docs));
        }
    }
}

/// A root setting of the pod: its entry, what it sets, the verb (one container,
/// several), and the containers that inherit it.
type Inherited = (
    Span,
    &'static str,
    (&'static str, &'static str),
    Vec<String>,
);

/// Where the effective setting comes from.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    Pod,
    Container,
}

fn check_object(cx: &mut Context<'_>, file: crate::source::FileId, obj: &Object, at: At<'_>) {
    let Some(template) = obj.pod_template() else {
        return;
    };
    let Some(pod) = template.spec else {
        return;
    };
    // Windows pods name users differently; with `hostUsers: false` the pod runs in
    // its own user namespace, where its root is not the node's.
    if pod.os.as_ref().is_some_and(|os| os.name == "windows") || pod.host_users == Some(false) {
        return;
    }
    let pod_at = at.path(template.path).key("spec");
    let pod_sc = pod.security_context.as_ref();
    let pod_sc_at = pod_at.key("securityContext");
    // Containers that inherit an explicit root setting of the pod, by setting.
    let mut inherited: Vec<Inherited> = Vec::new();

    let lists = [
        (
            "initContainers",
            pod.init_containers.as_deref().unwrap_or_default(),
        ),
        ("containers", pod.containers.as_slice()),
    ];
    for (key, containers) in lists {
        for (i, c) in containers.iter().enumerate() {
            let c_at = pod_at.key(key).index(i);
            // Not a mapping: reported as a wrong type, no container.
            if c_at.node().is_some_and(|n| n.as_mapping().is_none()) {
                continue;
            }
            let sc = c.security_context.as_ref();
            let sc_at = c_at.key("securityContext");
            let (user, user_level) = match sc.and_then(|s| s.run_as_user) {
                Some(u) => (Some(u), Level::Container),
                None => (pod_sc.and_then(|s| s.run_as_user), Level::Pod),
            };
            let (non_root, non_root_level) = match sc.and_then(|s| s.run_as_non_root) {
                Some(n) => (Some(n), Level::Container),
                None => (pod_sc.and_then(|s| s.run_as_non_root), Level::Pod),
            };
            let entry = |level: Level, key: &str| {
                let sc_at = if level == Level::Pod {
                    pod_sc_at
                } else {
                    sc_at
                };
                sc_at.entry_span(key).unwrap_or(obj.anchor())
            };
            let explicit = match (user, non_root) {
                (Some(0), _) => Some((
                    entry(user_level, "runAsUser"),
                    "sets `runAsUser: 0`",
                    user_level,
                    ("runs as root", "run as root"),
                )),
                (Some(_), _) | (None, Some(true)) => continue,
                (None, Some(false)) => Some((
                    entry(non_root_level, "runAsNonRoot"),
                    "sets `runAsNonRoot: false`",
                    non_root_level,
                    ("may run as root", "may run as root"),
                )),
                (None, None) => None,
            };
            match explicit {
                Some((span, why, Level::Pod, verbs)) => {
                    match inherited.iter_mut().find(|(s, ..)| *s == span) {
                        Some((.., names)) => names.push(c.name.clone()),
                        None => inherited.push((span, why, verbs, vec![c.name.clone()])),
                    }
                }
                Some((span, why, Level::Container, (verb, _))) => {
                    cx.report(
                        file,
                        span,
                        format!(
                            "container \"{}\" of {} {verb}: its securityContext {why}",
                            c.name,
                            obj.describe()
                        ),
                    )
                    .help = Some(HELP.into());
                }
                None => {
                    let name_span = c_at.key("name").span_or(obj.anchor());
                    cx.report(
                        file,
                        name_span,
                        format!(
                            "container \"{}\" of {} may run as root: no `runAsNonRoot: true` or non-zero `runAsUser`",
                            c.name,
                            obj.describe()
                        ),
                    )
                    .help = Some(HELP.into());
                }
            }
        }
    }
    for (span, why, (one, many), names) in inherited {
        let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        let (noun, verb) = if quoted.len() == 1 {
            ("container", one)
        } else {
            ("containers", many)
        };
        cx.report(
            file,
            span,
            format!(
                "{noun} {} of {} {verb}: the pod's securityContext {why}",
                quoted.join(", "),
                obj.describe()
            ),
        )
        .help = Some(HELP.into());
    }
}
