//! Reading, grouping and lowering, with exact spans; and a run over the real corpus
//! when it is present.

use super::*;
use crate::model::lower::kubernetes::lower;
use crate::model::mount_rows;
use crate::model::{MountKind, PortRef, WorkloadKind};
use crate::project::SpecFile;
use crate::project::kubernetes::{group, patch_files};
use crate::source::FileId;
use crate::source::Span;
use crate::testing::kubernetes::{render, spec_files};

/// A span, or the span of a location of the model.
trait SpanOf {
    fn span_of(self) -> Span;
}

impl SpanOf for Span {
    fn span_of(self) -> Span {
        self
    }
}

impl SpanOf for crate::source::Loc {
    fn span_of(self) -> Span {
        self.span
    }
}

fn slice(text: &str, at: impl SpanOf) -> &str {
    let span = at.span_of();
    &text[span.start as usize..span.end as usize]
}

#[test]
fn corpus_reads_without_wrong_types() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/kubernetes");
    if !root.is_dir() {
        eprintln!("skipped: no corpus at {}", root.display());
        return;
    }
    let mut paths = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if crate::source::discover::is_candidate_name(&e.file_name().to_string_lossy()) {
                paths.push(p);
            }
        }
    }
    paths.sort();
    let mut inputs: Vec<(String, String)> = Vec::new();
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let parsed = crate::yaml::parse(&text);
        let json = name.ends_with(".json");
        if crate::formats::detect::detect(&name, &parsed.documents, json)
            == crate::formats::detect::Detection::Spec(crate::source::Format::Kubernetes)
        {
            let rel = p.strip_prefix(&root).unwrap_or(p).display().to_string();
            inputs.push((rel, text));
        }
    }
    let refs: Vec<(&str, &str)> = inputs
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (files, diags) = spec_files(&refs);
    // Only files that are not valid manifests may have wrong types: templates with
    // `{{placeholders}}` (which YAML reads as mappings) and `<ADD ... Here>` blanks.
    let invalid = |f: &SpecFile| f.text.contains("{{") || f.text.contains("<ADD ");
    let wrong: Vec<_> = diags
        .iter()
        .filter(|d| d.code() == "syntax/wrong-type" && !invalid(&files[d.file.0 as usize]))
        .cloned()
        .collect();
    assert!(
        wrong.is_empty(),
        "wrong-type findings on valid corpus files:\n{}",
        render(&files, &wrong).join("\n")
    );

    // Every rule runs without panicking; ORCHLINT_SHOW_CORPUS=1 prints the findings.
    let show = std::env::var_os("ORCHLINT_SHOW_CORPUS").is_some();
    let mut objects = 0;
    for f in &files {
        objects += f.kubernetes().map_or(0, |k| k.objects.len());
    }
    assert!(objects > 100, "{objects} objects read");
    let refs: Vec<&SpecFile> = files.iter().collect();
    let projects = group(&refs);
    let mut workloads = 0;
    for p in &projects {
        workloads += lower(p, &files).workloads.len();
    }
    assert!(workloads > 50, "{workloads} workloads lowered");
    for rule in crate::rules::kubernetes::rules() {
        let found = crate::testing::kubernetes::run(rule, &files);
        if show {
            for line in render(&files, &found) {
                println!("{line}");
            }
        }
    }
    if show {
        for p in &projects {
            let names: Vec<&str> = p
                .files
                .iter()
                .map(|id| files[id.0 as usize].display.as_str())
                .collect();
            println!("project {}: {}", p.root.display(), names.join(" "));
        }
    }
}

#[test]
fn reads_objects_lists_and_kustomizations() {
    let text = "\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    annotations:
      orchlint.dev/ignore: \"service-selects-nothing\"
  spec:
    selector: {app: web}
---
apiVersion: apps/v1
kind: DeploymentList
items:
- metadata: {name: api}
  spec:
    replicas: 2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
spec:
  replicas: three
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {anything: [1, 2]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gone}
$patch: delete
";
    let (files, diags) = spec_files(&[("k8s/all.yaml", text)]);
    let k = files[0].kubernetes().unwrap();
    let kinds: Vec<&str> = k.objects.iter().map(|o| o.kind.value.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "Service",
            "Deployment",
            "Deployment",
            "Widget",
            "Deployment"
        ]
    );

    let svc = &k.objects[0];
    assert_eq!(svc.items, [0]);
    assert_eq!(slice(text, svc.name.as_ref().unwrap().span), "web");
    assert!(matches!(svc.body, Body::Service(_)));
    assert_eq!(svc.node(&files[0].docs).map(|n| n.span), Some(svc.span));
    let ignores = ignore_annotations(k);
    assert_eq!(ignores.len(), 1);
    assert_eq!(ignores[0].0, svc.span);
    assert_eq!(ignores[0].1.value, "service-selects-nothing");
    assert_eq!(
        slice(text, ignores[0].1.span),
        "\"service-selects-nothing\""
    );

    // Items of a typed list take the list's apiVersion and the item kind.
    let api = &k.objects[1];
    assert_eq!(api.api_version.value, "apps/v1");
    assert_eq!(slice(text, api.kind.span), "DeploymentList");
    assert!(matches!(&api.body, Body::Deployment(s) if s.replicas == Some(2)));

    // A wrong type is reported at the value; the object stays, without that value.
    assert_eq!(diags.len(), 1, "{:?}", render(&files, &diags));
    assert_eq!(diags[0].code(), "syntax/wrong-type");
    assert_eq!(slice(text, diags[0].span), "three");
    assert!(
        diags[0]
            .message
            .starts_with("Deployment \"broken\": spec.replicas: expected an integer"),
        "{}",
        diags[0].message
    );
    assert!(matches!(&k.objects[2].body, Body::Deployment(s) if s.replicas.is_none()));
    assert!(matches!(k.objects[3].body, Body::Untyped));
    assert!(k.objects[4].patch);
    assert!(k.kustomization.is_none());

    let kz = "resources:\n- web.yaml\n- ../base\nbases: [../old]\npatchesStrategicMerge:\n- patch.yaml\n- |-\n  apiVersion: v1\n  kind: Service\npatches:\n- path: p2.yaml\n- patch: |-\n    x: 1\n";
    let (files, diags) = spec_files(&[("kustomization.yaml", kz)]);
    assert!(diags.is_empty());
    let k = files[0].kubernetes().unwrap();
    assert!(k.objects.is_empty());
    let kz = k.kustomization.as_ref().unwrap();
    let res: Vec<&str> = kz.resources.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(res, ["web.yaml", "../base", "../old"]);
    let patches: Vec<&str> = kz.patches.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(patches, ["patch.yaml", "p2.yaml"]);
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api, tier: back}
    spec:
      hostNetwork: true
      hostPID: false
      hostIPC: true
      restartPolicy: Always
      nodeSelector: {disk: ssd}
      securityContext:
        runAsUser: 1000
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels: {app: api}
            topologyKey: kubernetes.io/hostname
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels: {app: api}
      initContainers:
      - name: migrate
        image: example/api:1.2
        command: [migrate]
      containers:
      - name: api
        image: example/api:1.2
        securityContext:
          privileged: true
          runAsUser: 0
          capabilities:
            add: [SYS_ADMIN, CAP_BPF]
            drop: [ALL]
        env:
        - name: MODE
          value: prod
        - name: PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: password}
        ports:
        - name: http
          containerPort: 8080
        - containerPort: 9090
          hostPort: 90
          protocol: UDP
        resources:
          limits: {cpu: 500m, memory: 256Mi}
          requests: {cpu: 0.25, memory: 1G}
        livenessProbe:
          httpGet: {path: /healthz, port: http}
        readinessProbe:
          tcpSocket:
            port: 8080
        volumeMounts:
        - {name: cache, mountPath: /cache}
        - {name: shm, mountPath: /dev/shm}
        - {name: logs, mountPath: /var/log, readOnly: true}
        - {name: data, mountPath: /data}
        - {name: conf, mountPath: /etc/api}
        - {name: nowhere, mountPath: /x}
      volumes:
      - name: cache
        emptyDir: {}
      - name: shm
        emptyDir: {medium: Memory}
      - name: logs
        hostPath: {path: /var/log/api}
      - name: data
        persistentVolumeClaim: {claimName: api-data}
      - name: conf
        configMap: {name: api}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 3
  maxReplicas: 12
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports:
  - {name: http, port: 80, targetPort: 8080, nodePort: 30080}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: api-data}
spec:
  storageClassName: fast
  resources:
    requests: {storage: 10Gi}
";

#[test]
fn lowers_a_deployment_with_exact_spans() {
    let t = DEPLOYMENT;
    let (files, diags) = spec_files(&[("deploy/api.yaml", t)]);
    assert!(diags.is_empty(), "{:?}", render(&files, &diags));
    let refs: Vec<&SpecFile> = files.iter().collect();
    let projects = group(&refs);
    assert_eq!(projects.len(), 1);
    let model = lower(&projects[0], &files);
    assert_eq!(model.workloads.len(), 1);
    let w = &model.workloads[0];
    assert_eq!(w.kind, WorkloadKind::Deployment);
    assert_eq!(w.name, "api");
    assert_eq!(slice(t, w.at), "api");
    let replicas = w.replicas.as_ref().unwrap();
    assert_eq!((replicas.value, slice(t, replicas.loc)), (3, "3"));
    let max = w.max_replicas.as_ref().unwrap();
    assert_eq!((max.value, slice(t, max.loc)), (12, "12"));
    assert_eq!(slice(t, w.host_network.unwrap()), "hostNetwork: true");
    assert!(w.host_pid.is_none());
    assert_eq!(slice(t, w.host_ipc.unwrap()), "hostIPC: true");
    assert_eq!(slice(t, w.restart.as_ref().unwrap().loc), "Always");
    assert_eq!(
        w.labels,
        [("app".into(), "api".into()), ("tier".into(), "back".into())]
    );
    assert_eq!(w.placement.node_selector, [("disk".into(), "ssd".into())]);
    assert_eq!(
        slice(t, w.placement.one_per_host.unwrap()),
        "kubernetes.io/hostname"
    );
    assert_eq!(
        slice(t, w.placement.zone_spread.unwrap()),
        "topology.kubernetes.io/zone"
    );
    assert_eq!(
        w.placement.constraints[0].value,
        "kubernetes.io/arch In amd64,arm64"
    );

    assert_eq!(w.containers.len(), 2);
    let init = &w.containers[0];
    assert!(init.init);
    assert_eq!(init.name.value, "migrate");
    assert_eq!(init.user.as_ref().map(|u| slice(t, u.loc)), Some("1000"));

    let c = &w.containers[1];
    assert!(!c.init);
    assert_eq!(slice(t, c.name.loc), "api");
    assert_eq!(slice(t, c.image.as_ref().unwrap().loc), "example/api:1.2");
    assert_eq!(slice(t, c.privileged.unwrap()), "privileged: true");
    let caps: Vec<_> = c
        .cap_add
        .iter()
        .map(|x| (x.value.as_str(), slice(t, x.loc)))
        .collect();
    assert_eq!(caps, [("SYS_ADMIN", "SYS_ADMIN"), ("CAP_BPF", "CAP_BPF")]);
    assert!(init.cap_add.is_empty());
    let user = c.user.as_ref().unwrap();
    assert_eq!((user.value.as_str(), slice(t, user.loc)), ("0", "0"));
    assert_eq!(c.env.len(), 2);
    assert_eq!(slice(t, c.env[0].value.as_ref().unwrap().loc), "prod");
    assert!(c.env[1].value.is_none());
    assert_eq!(c.ports[0].name.as_deref(), Some("http"));
    assert_eq!(c.ports[0].container, Some(8080));
    assert_eq!(c.ports[1].host, Some(90));
    assert_eq!(c.ports[1].protocol, "UDP");
    assert!(slice(t, c.ports[1].loc).starts_with("containerPort: 9090"));
    assert_eq!(c.resources.cpu_limit.as_ref().unwrap().value, 0.5);
    assert_eq!(
        slice(t, c.resources.cpu_limit.as_ref().unwrap().loc),
        "500m"
    );
    assert_eq!(
        c.resources.memory_limit.as_ref().unwrap().value,
        256 * 1024 * 1024
    );
    assert_eq!(c.resources.cpu_request.as_ref().unwrap().value, 0.25);
    assert_eq!(
        c.resources.memory_request.as_ref().unwrap().value,
        1_000_000_000
    );
    let live = c.liveness.as_ref().unwrap();
    assert!(slice(t, live.loc).starts_with("livenessProbe:"));
    let port = live.port.as_ref().unwrap();
    assert_eq!(port.value, PortRef::Name("http".into()));
    assert_eq!(slice(t, port.loc), "http");
    let ready = c.readiness.as_ref().unwrap().port.as_ref().unwrap();
    assert_eq!(
        (ready.value.clone(), slice(t, ready.loc)),
        (PortRef::Number(8080), "8080")
    );

    let mounts = mount_rows(&c.mounts);
    assert_eq!(
        mounts,
        [
            (MountKind::Ephemeral, Some("cache"), "/cache", false),
            (MountKind::Tmpfs, Some("shm"), "/dev/shm", false),
            (MountKind::HostPath, Some("/var/log/api"), "/var/log", true),
            (MountKind::Named, Some("api-data"), "/data", false),
            (MountKind::Config, Some("conf"), "/etc/api", false),
            (MountKind::External, Some("nowhere"), "/x", false),
        ]
    );
    assert_eq!(
        slice(t, c.mounts[0].loc),
        "{name: cache, mountPath: /cache}"
    );
    assert_eq!(w.volumes.len(), 5);
    assert_eq!(w.volumes[2].host_path.as_deref(), Some("/var/log/api"));

    assert_eq!(model.services.len(), 1);
    let s = &model.services[0];
    assert_eq!(s.selector, [("app".into(), "api".into())]);
    assert_eq!(slice(t, s.selector_loc.unwrap()), "{app: api}");
    assert_eq!(s.ports[0].container, Some(8080));
    assert_eq!(s.ports[0].host, Some(30080));
    assert_eq!(model.volumes.len(), 1);
    let v = &model.volumes[0];
    assert_eq!(v.size, Some(10 * 1024 * 1024 * 1024));
    assert_eq!(v.driver.as_deref(), Some("fast"));
    assert_eq!(slice(t, v.at), "api-data");
}

#[test]
fn lowers_statefulsets_daemonsets_cronjobs_and_old_versions() {
    let t = "\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      resources: {requests: {storage: 1Gi}}
---
apiVersion: extensions/v1beta1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: example/agent:1}]
---
apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: '0 3 * * *'
  jobTemplate:
    spec:
      template:
        metadata: {labels: {job: backup}}
        spec:
          restartPolicy: OnFailure
          containers: [{name: backup, image: example/backup:1}]
---
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  template:
    spec:
      containers: [{name: legacy, image: example/legacy:1}]
";
    let (files, diags) = spec_files(&[("app/all.yaml", t)]);
    assert!(diags.is_empty(), "{:?}", render(&files, &diags));
    let refs: Vec<&SpecFile> = files.iter().collect();
    let model = lower(&group(&refs)[0], &files);
    let kinds: Vec<WorkloadKind> = model.workloads.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        [
            WorkloadKind::StatefulSet,
            WorkloadKind::DaemonSet,
            WorkloadKind::CronJob,
            WorkloadKind::ReplicationController
        ]
    );
    let db = &model.workloads[0];
    assert!(db.replicas.is_none());
    assert_eq!(db.containers[0].mounts[0].kind, MountKind::Named);
    assert_eq!(db.containers[0].mounts[0].source.as_deref(), Some("data"));
    assert_eq!(model.volumes.len(), 1);
    assert_eq!(model.volumes[0].size, Some(1024 * 1024 * 1024));
    assert_eq!(slice(t, model.volumes[0].at), "data");
    let agent = &model.workloads[1];
    assert_eq!(slice(t, agent.global.unwrap()), "DaemonSet");
    let backup = &model.workloads[2];
    assert_eq!(backup.labels, [("job".into(), "backup".into())]);
    assert_eq!(backup.restart.as_ref().unwrap().value, "OnFailure");
    assert_eq!(backup.containers[0].name.value, "backup");
    assert_eq!(model.workloads[3].containers.len(), 1);
}

#[test]
fn groups_kustomizations_with_their_files() {
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n";
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, env: [{name: A, value: b}]}]\n";
    let inputs = [
        (
            "k/base/kustomization.yaml",
            "resources:\n- web.yaml\n- ../shared/svc.yaml\n",
        ),
        ("k/base/web.yaml", deploy),
        (
            "k/shared/svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n",
        ),
        (
            "k/shared/other.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        ),
        (
            "k/overlays/prod/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../../base\n- https://example.com/remote.yaml\ncomponents: [../../comp]\npatches:\n- path: patch.yaml\n",
        ),
        ("k/overlays/prod/patch.yaml", patch),
        (
            "k/comp/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [extra.yaml]\n",
        ),
        (
            "k/comp/extra.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n",
        ),
        (
            "k/overlays/dev/kustomization.yaml",
            "resources: [../../base]\n",
        ),
    ];
    let (files, diags) = spec_files(&inputs);
    assert!(diags.is_empty());
    let refs: Vec<&SpecFile> = files.iter().collect();
    let projects = group(&refs);
    let shown: Vec<Vec<&str>> = projects
        .iter()
        .map(|p| {
            p.files
                .iter()
                .map(|id| files[id.0 as usize].display.as_str())
                .collect()
        })
        .collect();
    assert_eq!(
        shown,
        [
            // The Component the prod overlay lists is deployed with the base
            // that overlay deploys.
            vec![
                "k/base/kustomization.yaml",
                "k/base/web.yaml",
                "k/shared/svc.yaml",
                "k/comp/kustomization.yaml",
                "k/comp/extra.yaml"
            ],
            vec![
                "k/overlays/prod/kustomization.yaml",
                "k/overlays/prod/patch.yaml"
            ],
            vec!["k/overlays/dev/kustomization.yaml"],
            vec!["k/shared/other.yaml"],
        ]
    );
    assert_eq!(projects[0].root, std::path::PathBuf::from("k/base"));
    let tie = &projects[0].ties[0];
    assert_eq!(
        files[tie.from.0 as usize].display,
        "k/overlays/prod/kustomization.yaml"
    );
    assert_eq!(
        files[tie.to.0 as usize].display,
        "k/comp/kustomization.yaml"
    );
    assert!(
        tie.why.contains("lists component `../../comp`"),
        "{}",
        tie.why
    );
    // The patch deploys nothing: the overlay's model is empty.
    assert!(patch_files(&projects[1], &files).contains(&FileId(5)));
    assert!(lower(&projects[1], &files).workloads.is_empty());
    assert_eq!(lower(&projects[0], &files).workloads.len(), 1);
}

#[test]
fn reports_every_wrong_value_and_keeps_the_rest() {
    let t = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: [oops]
spec:
  replicas: [3]
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - just-a-string
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: http
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec: [not, a, mapping]
";
    let (files, diags) = spec_files(&[("web.yaml", t)]);
    let pointed: Vec<&str> = diags.iter().map(|d| slice(t, d.span)).collect();
    assert_eq!(
        pointed,
        [
            "[oops]",
            "[3]",
            "just-a-string",
            "http",
            "[not, a, mapping]"
        ]
    );
    assert!(
        diags[0]
            .message
            .starts_with("Deployment \"web\": metadata.labels: expected a mapping")
    );
    let k = files[0].kubernetes().unwrap();
    assert!(matches!(k.objects[1].body, Body::Untyped));
    // The bad container is no container; the second keeps its span.
    let refs: Vec<&SpecFile> = files.iter().collect();
    let model = lower(&group(&refs)[0], &files);
    let w = &model.workloads[0];
    assert!(w.replicas.is_none());
    assert_eq!(w.labels, [("app".into(), "web".into())]);
    assert_eq!(w.containers.len(), 1);
    assert_eq!(slice(t, w.containers[0].name.loc), "web");
    let ports: Vec<Option<u32>> = w.containers[0].ports.iter().map(|p| p.container).collect();
    assert_eq!(ports, [None, Some(8080)]);
}
