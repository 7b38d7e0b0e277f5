//! The Kubernetes rules over small texts, with the exact text each finding points at.

use crate::rules::Rule;
use crate::testing::kubernetes::{run, run_for, spec_files};

/// Runs one rule over `(path, text)` files; returns each finding's pointed text and
/// message.
fn findings(rule: &dyn Rule, inputs: &[(&str, &str)]) -> Vec<(String, String)> {
    let (files, _) = spec_files(inputs);
    run(rule, &files)
        .iter()
        .map(|d| {
            let f = &files[d.file.0 as usize];
            let text = f.text[d.span.start as usize..d.span.end as usize].to_string();
            (text, d.message.clone())
        })
        .collect()
}

const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsUser: 0
  initContainers:
  - name: init
    image: busybox:1.36
    securityContext: {runAsUser: 1000}
  containers:
  - name: app
    image: example/app:1
    ports: [{name: http, containerPort: 8080, hostPort: 80}]
    livenessProbe:
      httpGet: {path: /, port: metrics}
    readinessProbe:
      tcpSocket: {port: 80}
  - name: side
    image: example/side:1
    securityContext:
      runAsNonRoot: false
";

#[test]
fn run_as_root_points_at_the_setting() {
    // The pod's `runAsUser: 0` wins over the container's `runAsNonRoot: false`: both
    // regular containers inherit it and are named in one finding; the init container
    // sets its own user.
    let got = findings(&super::run_as_root::RunAsRoot, &[("p.yaml", POD)]);
    assert_eq!(
        got,
        [(
            "runAsUser: 0".to_string(),
            "containers \"app\", \"side\" of Pod \"p\" run as root: the pod's securityContext sets `runAsUser: 0`".to_string()
        )]
    );
    let own = POD.replace("runAsNonRoot: false", "runAsUser: 0");
    let got = findings(&super::run_as_root::RunAsRoot, &[("p.yaml", &own)]);
    let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["runAsUser: 0", "runAsUser: 0"]);
    assert!(
        got[1]
            .1
            .starts_with("container \"side\" of Pod \"p\" runs as root: its securityContext")
    );
}

#[test]
fn probe_ports_point_at_the_port() {
    let got = findings(
        &super::probe_port_not_exposed::ProbePortNotExposed,
        &[("p.yaml", POD)],
    );
    let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["metrics", "80"]);
    assert!(
        got[1]
            .1
            .ends_with("targets port 80, the node-side hostPort of container port 8080")
    );
}

#[test]
fn probes_point_at_the_container_name() {
    let ready = findings(
        &super::missing_readiness_probe::MissingReadinessProbe,
        &[("p.yaml", POD)],
    );
    assert!(ready.is_empty(), "{ready:?}");
    let live = findings(
        &super::missing_liveness_probe::MissingLivenessProbe,
        &[("p.yaml", POD)],
    );
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].0, "side");
}

#[test]
fn selectors_and_services() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: webapp}
    spec:
      containers: [{name: web, image: nginx:1.27}]
";
    let svc = "\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
";
    let got = findings(
        &super::selector_template_mismatch::SelectorTemplateMismatch,
        &[("a/d.yaml", text)],
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "matchLabels: {app: web}");
    let got = findings(
        &super::service_selects_nothing::ServiceSelectsNothing,
        &[("a/d.yaml", text), ("a/s.yaml", svc)],
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "{app: web}");
    // A matching workload in another project of the scan silences it.
    let other = text.replace("{app: webapp}", "{app: web}");
    let got = findings(
        &super::service_selects_nothing::ServiceSelectsNothing,
        &[("a/d.yaml", text), ("a/s.yaml", svc), ("b/d.yaml", &other)],
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn removed_api_versions_point_at_the_api_version() {
    let text = "apiVersion: batch/v2alpha1\nkind: CronJob\nmetadata: {name: c}\n";
    let got = findings(
        &super::removed_api_version::RemovedApiVersion,
        &[("c.yaml", text)],
    );
    assert_eq!(
        got,
        [(
            "batch/v2alpha1".to_string(),
            "CronJob \"c\" uses `batch/v2alpha1`, which Kubernetes 1.21 removed; use `batch/v1`"
                .to_string()
        )]
    );
}

#[test]
fn api_versions_too_new_suggest_the_newest_one_the_target_serves() {
    let cases = [
        (
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
            "1.22",
            Some("autoscaling/v2beta2"),
        ),
        ("batch/v1", "CronJob", "1.20", Some("batch/v1beta1")),
        (
            "networking.k8s.io/v1",
            "Ingress",
            "1.18",
            Some("networking.k8s.io/v1beta1"),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1",
            "FlowSchema",
            "1.28",
            Some("flowcontrol.apiserver.k8s.io/v1beta3"),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1",
            "FlowSchema",
            "1.25",
            Some("flowcontrol.apiserver.k8s.io/v1beta2"),
        ),
        (
            "events.k8s.io/v1",
            "Event",
            "1.18",
            Some("events.k8s.io/v1beta1"),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1",
            "FlowSchema",
            "1.29",
            None,
        ),
        ("batch/v1", "CronJob", "1.21", None),
    ];
    for (api, kind, release, older) in cases {
        let text = format!("apiVersion: {api}\nkind: {kind}\nmetadata: {{name: x}}\n");
        let (files, _) = spec_files(&[("x.yaml", &text)]);
        let got = run_for(
            &super::api_version_too_new::ApiVersionTooNew,
            &files,
            release.parse().unwrap(),
        );
        let Some(older) = older else {
            assert!(got.is_empty(), "{api} {release}: {got:?}");
            continue;
        };
        assert_eq!(got.len(), 1, "{api} {release}: {got:?}");
        let d = &got[0];
        assert_eq!(&text[d.span.start as usize..d.span.end as usize], api);
        assert!(
            d.message.ends_with(&format!(
                "the target release {release} does not serve it yet"
            )),
            "{}",
            d.message
        );
        let help = d.help.as_deref().unwrap_or("");
        assert!(
            help.starts_with(&format!("write it as `{older}` for Kubernetes {release}")),
            "{api} {release}: {help}"
        );
    }
}

#[test]
fn removals_wait_for_the_target_release() {
    let text = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n";
    let (files, _) = spec_files(&[("p.yaml", text)]);
    let rule = super::removed_api_version::RemovedApiVersion;
    assert!(run_for(&rule, &files, "1.24".parse().unwrap()).is_empty());
    assert_eq!(run_for(&rule, &files, "1.25".parse().unwrap()).len(), 1);
}

#[test]
fn dangling_reference_rules_flag_their_bad_example_only() {
    let rules: [&dyn Rule; 2] = [
        &super::hpa_target_missing::HpaTargetMissing,
        &super::ingress_backend_missing::IngressBackendMissing,
    ];
    for rule in rules {
        let m = rule.meta();
        let bad = findings(rule, &[(m.bad.file_name, m.bad.text)]);
        assert!(!bad.is_empty(), "{}: bad example is silent", m.name);
        let good = findings(rule, &[(m.good.file_name, m.good.text)]);
        assert!(good.is_empty(), "{}: good example fires: {good:?}", m.name);
    }
}

#[test]
fn ingress_backend_points_at_the_name_or_the_port() {
    let rule = &super::ingress_backend_missing::IngressBackendMissing;
    let m = rule.meta();
    let got: Vec<String> = findings(rule, &[(m.bad.file_name, m.bad.text)])
        .into_iter()
        .map(|(text, _)| text)
        .collect();
    assert_eq!(got, ["8080", "api"]);
    // Alone in its directory, with no Service at all, the Ingress is not checked.
    let ingress = &m.bad.text[m.bad.text.find("apiVersion: networking").unwrap()..];
    assert!(findings(rule, &[("edge/ingress.yaml", ingress)]).is_empty());
}

#[test]
fn hpa_target_missing_leaves_projects_without_that_kind_alone() {
    let rule = &super::hpa_target_missing::HpaTargetMissing;
    let m = rule.meta();
    let got = findings(rule, &[(m.bad.file_name, m.bad.text)]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "checkout-api");
    let hpa = &m.bad.text[m.bad.text.find("apiVersion: autoscaling").unwrap()..];
    assert!(findings(rule, &[("autoscaling/hpa.yaml", hpa)]).is_empty());
}

#[test]
fn target_ports_a_custom_resource_may_serve_are_not_reported() {
    let app = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/target-port-not-found/fail/app.yaml"
    ))
    .expect("fixture");
    let rule = &super::target_port_not_found::TargetPortNotFound;
    let alone = findings(rule, &[("a/app.yaml", &app)]);
    assert!(!alone.is_empty(), "the fixture's ports are reported");
    // An Argo Rollout (read into no type) in another folder labels its pods as
    // the Services select: its containers may serve the ports.
    let rollout = "\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  template:
    metadata:
      labels: {app: web, track: canary}
    spec:
      containers: [{name: web, image: nginx:1.27}]
";
    let with = findings(rule, &[("a/app.yaml", &app), ("b/rollout.yaml", rollout)]);
    assert!(with.is_empty(), "{with:?}");
    // One that labels its pods otherwise changes nothing.
    let other = rollout.replace("app: web,", "app: api,");
    let beside = findings(rule, &[("a/app.yaml", &app), ("b/rollout.yaml", &other)]);
    assert_eq!(beside, alone);
}
