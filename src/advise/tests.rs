//! The advisor on small specs: each bound, the state evidence and its risks, the
//! current orchestrator, the needs and the recommendation.

use super::catalog::ScaleClass;
use super::scale::BoundKind;
use super::state::{RiskKind, StateKind};
use super::*;
use crate::model::HostCount;
use crate::source::Format;
use crate::source::Loc;

/// Reads `(path, text)` files of one format, and analyzes each project.
fn advise_with(format: Format, inputs: &[(&str, &str)], settings: AdvisorSettings) -> Vec<Advice> {
    let files = match format {
        Format::Compose => crate::testing::compose::load(inputs).0,
        Format::Kubernetes => crate::testing::kubernetes::spec_files(inputs).0,
        Format::Marathon => crate::testing::marathon::scan(inputs).0,
        other => panic!("no test loader for {other:?}"),
    };
    crate::project::group(&files, &[])
        .iter()
        .filter_map(|p| {
            let model = crate::model::lower::lower(p, &files);
            analyze(p, &files, &model, &settings)
        })
        .collect()
}

fn advise(format: Format, text: &str) -> Advice {
    let name = match format {
        Format::Compose => "compose.yaml",
        Format::Kubernetes => "app.yaml",
        Format::Marathon => "marathon.json",
        other => panic!("no test file name for {other:?}"),
    };
    let mut all = advise_with(format, &[(name, text)], AdvisorSettings::default());
    assert_eq!(all.len(), 1, "one project");
    all.remove(0)
}

fn recommended(a: &Advice) -> &str {
    a.recommendation
        .as_ref()
        .map_or("", |r| r.orchestrator.id.as_str())
}

fn deployment(name: &str, replicas: u32, pod_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n{pod_spec}"
    )
}

#[test]
fn a_project_without_reservations_fits_one_host() {
    let a = advise(
        Format::Compose,
        "services:\n  web:\n    image: nginx:1.27\n",
    );
    assert_eq!(a.scale.class, ScaleClass::Nano);
    assert_eq!(a.scale.hosts, 1);
    assert_eq!(a.scale.decider().kind, BoundKind::Resources);
    assert_eq!(a.current.id, "compose");
    assert_eq!(recommended(&a), "compose");
    assert!(a.recommendation.as_ref().unwrap().keeps_current);
    assert!(a.recommendation.as_ref().unwrap().migration.is_empty());
    assert!(!a.state.stateful);
}

#[test]
fn reservations_at_peak_over_the_reference_host() {
    let pod = "      containers:\n        - name: api\n          image: example/api:1\n          resources:\n            requests: {cpu: \"2\", memory: 1Gi}\n";
    let text = deployment("api", 10, pod);
    let a = advise(Format::Kubernetes, &text);
    // 10 x 2 vCPU = 20 vCPU: three hosts of 8.
    assert_eq!(a.scale.hosts, 3);
    assert_eq!(a.scale.class, ScaleClass::Micro);
    assert_eq!(a.scale.decider().kind, BoundKind::Resources);
    // A larger reference host needs fewer.
    let big = AdvisorSettings {
        host_vcpu: 16.0,
        host_memory_gib: 64.0,
    };
    let a = advise_with(Format::Kubernetes, &[("app.yaml", &text)], big).remove(0);
    assert_eq!(a.scale.hosts, 2);
    // Memory can be what limits.
    let pod = "      containers:\n        - name: cache\n          image: example/cache:1\n          resources:\n            requests: {cpu: 100m, memory: 20Gi}\n";
    let a = advise(Format::Kubernetes, &deployment("cache", 4, pod));
    assert_eq!(a.scale.hosts, 3, "80 GiB over 32 GiB hosts");
}

#[test]
fn the_autoscaler_maximum_is_the_peak() {
    let pod = "      containers:\n        - name: api\n          image: example/api:1\n          resources:\n            requests: {cpu: \"1\"}\n";
    let text = format!(
        "{}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: api}}\n  minReplicas: 2\n  maxReplicas: 30\n",
        deployment("api", 2, pod)
    );
    let a = advise(Format::Kubernetes, &text);
    assert_eq!(a.scale.hosts, 4, "30 vCPU at peak");
    assert_eq!(a.scale.peak.copies, 30);
}

#[test]
fn init_containers_reserve_their_largest_not_a_sum() {
    let pod = "      initContainers:\n        - name: migrate\n          image: example/migrate:1\n          resources:\n            requests: {cpu: \"6\"}\n      containers:\n        - name: api\n          image: example/api:1\n          resources:\n            requests: {cpu: \"1\"}\n";
    let a = advise(Format::Kubernetes, &deployment("api", 2, pod));
    assert_eq!(a.scale.peak.cpu, 12.0);
    assert_eq!(a.scale.hosts, 2);
}

#[test]
fn compose_limits_reserve_nothing_but_reservations_do() {
    let limits = "services:\n  w:\n    image: example/w:1\n    deploy:\n      replicas: 10\n      resources:\n        limits: {cpus: \"4\"}\n";
    assert_eq!(advise(Format::Compose, limits).scale.hosts, 1);
    let reservations = "services:\n  w:\n    image: example/w:1\n    deploy:\n      replicas: 10\n      resources:\n        reservations: {cpus: \"4\"}\n";
    let a = advise(Format::Compose, reservations);
    assert_eq!(a.scale.hosts, 5);
    assert_eq!(
        a.current.id, "compose",
        "replicas and resources are not Swarm-only"
    );
}

#[test]
fn marathon_apps_reserve_their_defaults() {
    // No `cpus`: Marathon reserves 1 CPU per instance.
    let a = advise(
        Format::Marathon,
        r#"{"id": "/w", "instances": 20, "container": {"docker": {"image": "example/w:1"}}}"#,
    );
    assert_eq!(a.scale.peak.cpu, 20.0);
    assert_eq!(a.scale.hosts, 3);
    assert_eq!(a.current.id, "marathon");
}

#[test]
fn copies_kept_apart_need_that_many_hosts() {
    let pod = "      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels: {app: zk}\n              topologyKey: kubernetes.io/hostname\n      containers:\n        - name: zk\n          image: zookeeper:3.9\n";
    let a = advise(Format::Kubernetes, &deployment("zk", 5, pod));
    assert_eq!(a.scale.hosts, 5);
    assert_eq!(a.scale.decider().kind, BoundKind::OnePerHost);
    assert!(
        a.scale
            .decider()
            .evidence
            .message
            .contains("topology key `kubernetes.io/hostname`"),
        "{}",
        a.scale.decider().evidence.message
    );
    let m = advise(
        Format::Marathon,
        r#"{"id": "/web", "instances": 60, "cpus": 0.1, "mem": 64, "constraints": [["hostname", "UNIQUE"]], "container": {"docker": {"image": "example/web:1"}}}"#,
    );
    assert_eq!(m.scale.hosts, 60);
    assert_eq!(m.scale.class, ScaleClass::Medium);
    assert_eq!(m.scale.decider().kind, BoundKind::OnePerHost);
    let compose = "services:\n  edge:\n    image: example/edge:1\n    deploy:\n      replicas: 9\n      placement:\n        max_replicas_per_node: 3\n";
    let c = advise(Format::Compose, compose);
    assert_eq!(c.scale.hosts, 3);
    assert_eq!(c.scale.decider().kind, BoundKind::MaxPerHost);
    assert_eq!(c.current.id, "swarm", "placement is Swarm-only");
}

#[test]
fn replicated_store_members_need_a_host_each() {
    // Three etcd members with nothing that forces them apart still copy each
    // other's data to survive a lost host: three hosts.
    let etcd =
        "      containers:\n        - name: etcd\n          image: quay.io/coreos/etcd:v3.5.0\n";
    let a = advise(Format::Kubernetes, &deployment("etcd", 3, etcd));
    assert_eq!(a.scale.hosts, 3);
    assert_eq!(a.scale.decider().kind, BoundKind::QuorumStore);
    assert!(
        a.scale
            .decider()
            .evidence
            .message
            .contains("3 members of etcd"),
        "{}",
        a.scale.decider().evidence.message
    );
    // The same image running only its client is no member.
    let client = "      containers:\n        - name: probe\n          image: quay.io/coreos/etcd:v3.5.0\n          command: [\"etcdctl\", \"endpoint\", \"health\"]\n";
    assert_eq!(
        advise(Format::Kubernetes, &deployment("probe", 3, client))
            .scale
            .hosts,
        1
    );
    // Copies of a store that does not replicate by itself are not spread by it.
    let pg = "      containers:\n        - name: pg\n          image: postgres:16\n";
    assert_eq!(
        advise(Format::Kubernetes, &deployment("pg", 3, pg))
            .scale
            .hosts,
        1
    );
}

#[test]
fn zones_and_host_ports_and_global_workloads() {
    let spread = "      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: topology.kubernetes.io/zone\n          whenUnsatisfiable: DoNotSchedule\n          labelSelector:\n            matchLabels: {app: api}\n      containers:\n        - name: api\n          image: example/api:1\n";
    let a = advise(Format::Kubernetes, &deployment("api", 6, spread));
    assert_eq!(a.scale.hosts, 2);
    assert_eq!(a.scale.decider().kind, BoundKind::Zones);
    let apart = "      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels: {app: api}\n              topologyKey: topology.kubernetes.io/zone\n      containers:\n        - name: api\n          image: example/api:1\n";
    assert_eq!(
        advise(Format::Kubernetes, &deployment("api", 3, apart))
            .scale
            .hosts,
        3
    );
    let ports = "      containers:\n        - name: lb\n          image: example/lb:1\n          ports:\n            - containerPort: 80\n              hostPort: 80\n";
    let p = advise(Format::Kubernetes, &deployment("lb", 4, ports));
    assert_eq!(p.scale.hosts, 4);
    assert_eq!(p.scale.decider().kind, BoundKind::HostPort);
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n        - name: agent\n          image: example/agent:1\n";
    let d = advise(Format::Kubernetes, ds);
    assert_eq!(d.scale.hosts, 2);
    assert_eq!(d.scale.decider().kind, BoundKind::Global);
}

#[test]
fn workloads_pinned_to_different_nodes() {
    let text = "services:\n  a:\n    image: example/a:1\n    deploy:\n      placement:\n        constraints: [node.hostname == alpha]\n  b:\n    image: example/b:1\n    deploy:\n      placement:\n        constraints: [node.hostname == beta]\n  c:\n    image: example/c:1\n    deploy:\n      placement:\n        constraints: [node.role == worker]\n";
    let a = advise(Format::Compose, text);
    assert_eq!(a.current.id, "swarm");
    assert_eq!(a.scale.hosts, 2);
    let kinds: Vec<BoundKind> = a.scale.bounds.iter().map(|b| b.kind).collect();
    assert!(kinds.contains(&BoundKind::NodePins), "{kinds:?}");
    assert!(kinds.contains(&BoundKind::WorkerRole), "{kinds:?}");
}

#[test]
fn pods_per_node_limit_the_smallest_pods() {
    let pod = "      containers:\n        - name: tiny\n          image: example/tiny:1\n";
    let a = advise(Format::Kubernetes, &deployment("tiny", 500, pod));
    assert_eq!(a.scale.hosts, 5, "500 pods at 110 per node");
    assert_eq!(a.scale.decider().kind, BoundKind::PodsPerNode);
}

#[test]
fn hosts_a_spec_lists_are_a_bound() {
    let (files, _) = crate::testing::compose::load(&[(
        "compose.yaml",
        "services:\n  a:\n    image: example/a:1\n",
    )]);
    let project = crate::testing::compose::projects(&files).remove(0);
    let mut model = crate::model::lower::compose::lower(&project, &files);
    model.host_counts.push(HostCount {
        loc: Loc::new(files[0].id, crate::source::Span::new(0, 8)),
        hosts: 7,
        what: "the deployment file's `nodes`".into(),
    });
    let a = analyze(&project, &files, &model, &AdvisorSettings::default()).unwrap();
    assert_eq!(a.scale.hosts, 7);
    assert_eq!(a.scale.decider().kind, BoundKind::HostList);
}

#[test]
fn large_kubernetes_stays_on_kubernetes() {
    let pod = "      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels: {app: edge}\n              topologyKey: kubernetes.io/hostname\n      containers:\n        - name: edge\n          image: example/edge:1\n";
    let a = advise(Format::Kubernetes, &deployment("edge", 1500, pod));
    assert_eq!(a.scale.class, ScaleClass::Large);
    assert_eq!(recommended(&a), "kubernetes");
    assert!(a.recommendation.as_ref().unwrap().keeps_current);
}

#[test]
fn kubernetes_that_fits_is_kept_rather_than_moved_to_k3s() {
    // Two copies kept on different hosts: 2 hosts, which need healing across
    // hosts: Compose cannot, k3s and Kubernetes can. k3s weighs 4 and Kubernetes 5,
    // but moving costs one step: 4 + 1 = 5 against 5 + 0, and the tie goes to less
    // rewriting (no move).
    let apart = "      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels: {app: web}\n              topologyKey: kubernetes.io/hostname\n      containers:\n        - name: web\n          image: example/web:1\n";
    let a = advise(Format::Kubernetes, &deployment("web", 2, apart));
    assert_eq!(a.scale.hosts, 2);
    assert_eq!(a.needs.healing, catalog::Healing::Cluster);
    assert_eq!(a.fit.fits, Some(true));
    assert_eq!(recommended(&a), "kubernetes");
    assert!(a.recommendation.as_ref().unwrap().keeps_current);
    assert!(a.recommendation.as_ref().unwrap().migration.is_empty());
    // On one host a liveness probe asks for a restart in place, not for healing
    // across hosts: Compose is much lighter, 1 + 2 (by hand) + 1 (move) = 4 < 5.
    let probed = "      containers:\n        - name: web\n          image: example/web:1\n          livenessProbe:\n            httpGet: {path: /, port: 80}\n";
    let one = advise(Format::Kubernetes, &deployment("web", 1, probed));
    assert_eq!(one.scale.class, ScaleClass::Nano);
    assert_eq!(one.needs.healing, catalog::Healing::Restart);
    assert!(
        one.needs.healing_reason.contains("restart in place"),
        "{}",
        one.needs.healing_reason
    );
    assert_eq!(one.fit.fits, Some(true), "Kubernetes still fits");
    assert!(one.fit.oversized, "a cluster orchestrator for one host");
    assert_eq!(recommended(&one), "compose");
    // Two copies that nothing keeps apart count for one host and claim no
    // spreading: Compose runs both.
    let plain = "      containers:\n        - name: web\n          image: example/web:1\n";
    let two = advise(Format::Kubernetes, &deployment("web", 2, plain));
    assert_eq!(two.scale.hosts, 1);
    assert_eq!(two.needs.healing, catalog::Healing::Restart);
    assert!(!two.needs.healing_reason.contains("spread"));
    assert_eq!(recommended(&two), "compose");
}

#[test]
fn swarm_that_fits_is_kept_and_one_host_goes_to_compose() {
    // Six copies, two per node: 3 hosts. Swarm (in maintenance, not end-of-life)
    // fits: 3 + 0 against k3s 4 + 1 (kompose) + 1 (move) = 6.
    let spread = "services:\n  api:\n    image: example/api:1\n    deploy:\n      replicas: 6\n      placement:\n        max_replicas_per_node: 2\n";
    let a = advise(Format::Compose, spread);
    assert_eq!(a.current.id, "swarm");
    assert_eq!(a.scale.hosts, 3);
    assert_eq!(a.fit.fits, Some(true));
    let r = a.recommendation.as_ref().unwrap();
    assert_eq!(r.orchestrator.id, "swarm");
    assert!(r.keeps_current);
    let k3s = r
        .alternatives
        .iter()
        .find(|x| x.orchestrator.id == "k3s")
        .unwrap();
    assert!(
        k3s.fits && k3s.reason.contains("converter"),
        "{}",
        k3s.reason
    );
    // One host: Compose reads the same file, 1 + 0 + 1 = 2 < 3.
    let one = "services:\n  api:\n    image: example/api:1\n    deploy:\n      replicas: 2\n      placement:\n        constraints: [node.labels.tier == front]\n";
    let b = advise(Format::Compose, one);
    assert_eq!(b.current.id, "swarm");
    assert_eq!(b.scale.hosts, 1);
    assert_eq!(recommended(&b), "compose");
    let r = b.recommendation.as_ref().unwrap();
    assert!(
        r.reasons[0].contains("1 + 0 (rewrite) + 1 (move) = 2 < 3"),
        "{}",
        r.reasons[0]
    );
    let swarm = r
        .alternatives
        .iter()
        .find(|x| x.orchestrator.id == "swarm")
        .unwrap();
    assert!(swarm.fits && swarm.reason.starts_with("in use and fits"));
}

#[test]
fn a_stack_that_drives_the_swarm_stays_on_swarm() {
    // A dashboard reading the swarm through a manager's Docker socket, and an
    // agent on every node: only Swarm mode runs them.
    let text = "services:\n  ui:\n    image: example/swarm-ui:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n    deploy:\n      placement:\n        constraints: [node.role == manager]\n  agent:\n    image: example/agent:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n    deploy:\n      mode: global\n";
    let a = advise(Format::Compose, text);
    assert_eq!(a.current.id, "swarm");
    let platforms: Vec<&str> = a
        .needs
        .coupling
        .iter()
        .map(|c| c.platform.as_str())
        .collect();
    assert_eq!(platforms, ["swarm", "swarm"]);
    assert_eq!(recommended(&a), "swarm");
    let r = a.recommendation.as_ref().unwrap();
    let k3s = r
        .alternatives
        .iter()
        .find(|x| x.orchestrator.id == "k3s")
        .unwrap();
    assert!(!k3s.fits);
    assert!(
        k3s.reason
            .starts_with("cannot express the 2 services only Swarm mode runs"),
        "{}",
        k3s.reason
    );
    // A socket on a replicated service anywhere, or on a Compose host, is no coupling.
    let proxy = "services:\n  proxy:\n    image: example/proxy:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n";
    assert!(advise(Format::Compose, proxy).needs.coupling.is_empty());
}

#[test]
fn a_job_counts_its_parallel_pods_and_placeholders_count_nothing() {
    // 12 pods at once (parallelism 12, completions 40) of 2 vCPU: 24 vCPU over
    // 8-vCPU hosts is 3 hosts.
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: render\nspec:\n  parallelism: 12\n  completions: 40\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: render\n          image: example/render:1\n          resources:\n            requests: {cpu: \"2\"}\n";
    let a = advise(Format::Kubernetes, job);
    assert_eq!(a.scale.hosts, 3);
    // `completions` below `parallelism` is the most that run: 2 x 2 vCPU, one host.
    let few = job.replace("completions: 40", "completions: 2");
    assert_eq!(advise(Format::Kubernetes, &few).scale.hosts, 1);
    // `replicas: 100 # placeholder` is no evidence: one copy of 2 vCPU, one host.
    let pod = "      containers:\n        - name: web\n          image: example/web:1\n          resources:\n            requests: {cpu: \"2\"}\n";
    let marked =
        deployment("web", 100, pod).replace("replicas: 100", "replicas: 100 # placeholder");
    let a = advise(Format::Kubernetes, &marked);
    assert_eq!(a.scale.hosts, 1);
    assert_eq!(
        advise(Format::Kubernetes, &deployment("web", 100, pod))
            .scale
            .hosts,
        25
    );
}

#[test]
fn a_redis_conf_from_a_config_map_makes_redis_a_store() {
    let with_conf = |conf: &str| {
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis-conf\ndata:\n  redis.conf: |\n{conf}---\n{}",
            deployment(
                "queue",
                1,
                "      volumes:\n        - name: conf\n          configMap: {name: redis-conf}\n      containers:\n        - name: redis\n          image: redis:7.2\n          args: [/etc/redis/redis.conf]\n          volumeMounts:\n            - {name: conf, mountPath: /etc/redis}\n"
            )
        );
        advise(Format::Kubernetes, &text)
    };
    // `appendonly yes` in the mounted file: a store with no volume for /data.
    let a = with_conf("    appendonly yes\n");
    assert!(a.state.stateful);
    assert_eq!(a.state.risks.len(), 1);
    // Commented out, it is a cache again.
    let a = with_conf("    # appendonly yes\n    maxmemory 100mb\n");
    assert!(!a.state.stateful);
}

#[test]
fn what_a_store_container_runs_decides_its_role() {
    let store = |cmd: &str| {
        let text = format!("services:\n  s:\n    image: {cmd}\n");
        let a = advise(Format::Compose, &text);
        a.state
            .items
            .iter()
            .find(|i| i.kind == crate::advise::state::StateKind::DataStore)
            .map(|i| (i.persistent, i.evidence.message.clone()))
    };
    // A plain Redis is a cache: not persistent on its own.
    assert_eq!(store("redis:7").map(|s| s.0), Some(false));
    // With append-only persistence it is a store.
    let aof = store("redis:7\n    command: redis-server --appendonly yes").unwrap();
    assert!(aof.0 && aof.1.contains("a store, not a cache"), "{aof:?}");
    let replica =
        store("redis:7\n    command: [\"redis-server\", \"--replicaof\", \"main\", \"6379\"]")
            .unwrap();
    assert!(replica.0);
    // A client or an idle container of a store's image is no store.
    assert!(store("redis:7\n    command: redis-cli -h cache ping").is_none());
    assert!(store("confluentinc/cp-kafka:7.6.0\n    command: sleep infinity").is_none());
    assert!(
        store("confluentinc/cp-kafka:7.6.0\n    entrypoint: [\"sh\", \"-c\"]\n    command: [\"kafka-topics --bootstrap-server kafka:9092 --create --topic t\"]")
            .is_none()
    );
    // A shell that waits with a client and then starts the server is the store
    // (the server named after its image: `etcd`).
    assert!(
        store("quay.io/coreos/etcd:v3.5.0\n    command: [\"bash\", \"-c\", \"until etcdctl endpoint health; do sleep 1; done; etcd --name one\"]")
            .is_some()
    );
    // A shell that starts the server is the store.
    assert!(store("redis:7\n    command: sh -c \"sleep 1 && redis-server\"").is_some());
    // A MongoDB arbiter holds no data.
    assert!(store("mongo:7\n    environment:\n      MONGODB_REPLICA_SET_MODE: arbiter").is_none());
    assert!(store("mongo:7\n    command: mongod --replSet rs0").is_some());
}

#[test]
fn compose_healthchecks_ask_nothing_of_a_cluster() {
    let text = "services:\n  web:\n    image: nginx:1.27\n    restart: always\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n";
    let a = advise(Format::Compose, text);
    assert_eq!(a.needs.healing, catalog::Healing::Restart);
    assert_eq!(recommended(&a), "compose");
}

#[test]
fn outgrown_compose_moves_to_k3s_with_a_sketch() {
    let text = "services:\n  web:\n    image: example/web:1\n    depends_on: [db]\n    deploy:\n      replicas: 6\n      resources:\n        reservations: {cpus: \"4\"}\n  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n";
    let a = advise(Format::Compose, text);
    assert_eq!(a.scale.hosts, 3);
    assert!(a.needs.cluster_state.is_some());
    assert!(a.state.stateful);
    assert_eq!(recommended(&a), "k3s");
    let r = a.recommendation.as_ref().unwrap();
    assert!(!r.keeps_current);
    let depends = r
        .migration
        .iter()
        .find(|s| s.feature == "depends-on")
        .expect("depends_on is in the sketch");
    assert!(!depends.equivalent);
    assert!(r.migration.iter().any(|s| s.feature == "named-volume"));
    assert!(r.migration.iter().any(|s| s.feature == "replicas"));
    // Compose is ranked among the alternatives with the reason it does not fit.
    let compose = r
        .alternatives
        .iter()
        .find(|x| x.orchestrator.id == "compose")
        .unwrap();
    assert!(!compose.fits);
    assert!(
        compose.reason.starts_with("too small"),
        "{}",
        compose.reason
    );
    let swarm = r
        .alternatives
        .iter()
        .find(|x| x.orchestrator.id == "swarm")
        .unwrap();
    assert!(
        swarm.fits && swarm.reason.contains("maintenance"),
        "{}",
        swarm.reason
    );
}

#[test]
fn marathon_moves_to_an_active_successor() {
    let a = advise(
        Format::Marathon,
        r#"{"id": "/web", "instances": 3, "cpus": 1, "mem": 512, "constraints": [["hostname", "UNIQUE"]], "healthChecks": [{"protocol": "HTTP", "path": "/"}], "container": {"docker": {"image": "example/web:1"}}}"#,
    );
    assert_eq!(a.scale.hosts, 3);
    let r = a.recommendation.as_ref().unwrap();
    assert_eq!(r.orchestrator.id, "k3s");
    let features: Vec<&str> = r.migration.iter().map(|s| s.feature).collect();
    for f in ["replicas", "one-per-host", "liveness", "resources"] {
        assert!(features.contains(&f), "{f} in {features:?}");
    }
}

#[test]
fn swarm_signs() {
    let stack = advise_with(
        Format::Compose,
        &[(
            "docker-stack.yml",
            "services:\n  a:\n    image: example/a:1\n",
        )],
        AdvisorSettings::default(),
    )
    .remove(0);
    assert_eq!(stack.current.id, "swarm");
    let global = advise(
        Format::Compose,
        "services:\n  agent:\n    image: example/agent:1\n    deploy:\n      mode: global\n",
    );
    assert_eq!(global.current.id, "swarm");
    assert_eq!(global.scale.decider().kind, BoundKind::Global);
    let overlay = advise(
        Format::Compose,
        "services:\n  a:\n    image: example/a:1\nnetworks:\n  mesh:\n    driver: overlay\n",
    );
    assert_eq!(overlay.current.id, "swarm");
    let classic = advise(
        Format::Compose,
        "services:\n  a:\n    image: example/a:1\n    environment:\n      - \"constraint:node==n1\"\n",
    );
    assert_eq!(classic.current.id, "swarm-classic");
    let plain = advise(
        Format::Compose,
        "services:\n  a:\n    image: example/a:1\n    deploy:\n      mode: replicated\n      replicas: 2\n",
    );
    assert_eq!(plain.current.id, "compose");
}

fn kinds(a: &Advice) -> Vec<StateKind> {
    a.state.items.iter().map(|i| i.kind).collect()
}

#[test]
fn state_from_volumes_and_images() {
    let text = "services:\n  app:\n    image: example/app:1\n    volumes:\n      - ./src:/usr/src/app\n      - /var/run/docker.sock:/var/run/docker.sock\n      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n      - modules:/usr/src/app/node_modules\nvolumes:\n  modules:\n";
    let a = advise(Format::Compose, text);
    assert!(!a.state.stateful, "{:?}", kinds(&a));
    let data = advise(
        Format::Compose,
        "services:\n  app:\n    image: example/app:1\n    volumes:\n      - ./data:/srv/data\n",
    );
    assert!(data.state.stateful);
    assert_eq!(kinds(&data), vec![StateKind::HostData]);
    // A cache without storage is not state, and not at risk.
    let cache = advise(Format::Compose, "services:\n  c:\n    image: redis:7\n");
    assert!(!cache.state.stateful);
    assert!(cache.state.risks.is_empty());
    assert_eq!(kinds(&cache), vec![StateKind::DataStore]);
    // A database without storage is both.
    let db = advise(Format::Compose, "services:\n  db:\n    image: mysql:8\n");
    assert!(db.state.stateful);
    assert_eq!(db.state.risks[0].kind, RiskKind::NoVolume);
}

#[test]
fn kubernetes_claims_and_templates() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: pg\nspec:\n  serviceName: pg\n  replicas: 2\n  selector:\n    matchLabels: {app: pg}\n  template:\n    metadata:\n      labels: {app: pg}\n    spec:\n      containers:\n        - name: pg\n          image: postgres:16\n          volumeMounts:\n            - {name: data, mountPath: /var/lib/postgresql/data}\n  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        resources:\n          requests: {storage: 1Gi}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: spare\nspec:\n  resources:\n    requests: {storage: 1Gi}\n";
    let a = advise(Format::Kubernetes, text);
    let k = kinds(&a);
    assert!(k.contains(&StateKind::StatefulSet), "{k:?}");
    assert!(k.contains(&StateKind::ClaimTemplate), "{k:?}");
    assert!(k.contains(&StateKind::Claim), "{k:?}");
    assert!(a.state.risks.is_empty(), "{:?}", a.state.risks);
}

#[test]
fn a_replicated_database_in_a_deployment() {
    let pod = "      containers:\n        - name: db\n          image: mariadb:11\n";
    let a = advise(Format::Kubernetes, &deployment("db", 3, pod));
    assert_eq!(a.state.risks.len(), 1);
    assert_eq!(a.state.risks[0].kind, RiskKind::Replicated);
}

#[test]
fn marathon_persistent_volumes_and_residency() {
    let a = advise(
        Format::Marathon,
        r#"{"id": "/db", "cpus": 1, "mem": 1024, "residency": {"taskLostBehavior": "WAIT_FOREVER"}, "container": {"docker": {"image": "postgres:16"}, "volumes": [{"containerPath": "pgdata", "mode": "RW", "persistent": {"size": 1024}}, {"containerPath": "/var/lib/postgresql/data", "hostPath": "pgdata", "mode": "RW"}]}}"#,
    );
    let k = kinds(&a);
    assert!(k.contains(&StateKind::PersistentVolume), "{k:?}");
    assert!(k.contains(&StateKind::Residency), "{k:?}");
    assert!(a.state.risks.is_empty(), "{:?}", a.state.risks);
}

#[test]
fn a_kustomize_component_is_not_a_project_of_its_own() {
    let component =
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- extra.yaml\n";
    let pod = "      containers:\n        - name: extra\n          image: example/extra:1\n";
    let extra = deployment("extra", 1, pod);
    let advised = advise_with(
        Format::Kubernetes,
        &[
            ("comp/kustomization.yaml", component),
            ("comp/extra.yaml", &extra),
        ],
        AdvisorSettings::default(),
    );
    assert!(
        advised.is_empty(),
        "a Component is deployed with what lists it"
    );
    let kustomization =
        component.replace("v1alpha1\nkind: Component", "v1beta1\nkind: Kustomization");
    let advised = advise_with(
        Format::Kubernetes,
        &[
            ("app/kustomization.yaml", &kustomization),
            ("app/extra.yaml", &extra),
        ],
        AdvisorSettings::default(),
    );
    assert_eq!(advised.len(), 1);
}

#[test]
fn misfits_says_what_misfit_gives_a_reason_for() {
    // Projects that a cluster, a single host, cluster healing and large scale each
    // rule orchestrators out for: the bare test agrees with the worded one for every
    // orchestrator of the catalog.
    let probed = "      containers:\n        - name: web\n          image: example/web:1\n          livenessProbe:\n            httpGet: {path: /, port: 80}\n";
    let edge = "      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels: {app: edge}\n              topologyKey: kubernetes.io/hostname\n      containers:\n        - name: edge\n          image: example/edge:1\n";
    let projects = [
        advise(Format::Kubernetes, &deployment("web", 1, probed)),
        advise(Format::Kubernetes, &deployment("edge", 1500, edge)),
        advise(
            Format::Compose,
            "services:\n  db:\n    image: postgres:16\n    volumes:\n      - data:/var/lib/postgresql/data\nvolumes:\n  data: {}\n",
        ),
    ];
    let mut both = [0, 0];
    for a in &projects {
        for o in catalog::all() {
            let worded = recommend::misfit(o, &a.scale, &a.needs);
            assert_eq!(
                recommend::misfits(o, &a.scale, &a.needs),
                worded.is_some(),
                "{}: {worded:?}",
                o.id
            );
            both[usize::from(worded.is_some())] += 1;
        }
    }
    assert!(
        both[0] > 0 && both[1] > 0,
        "fits and misfits both seen: {both:?}"
    );
}
