//! Tests of reading and lowering Marathon files.

use crate::model::mount_rows;
use crate::model::{MountKind, PortRef, WorkloadKind};
use crate::testing::marathon::{lower_all, messages, model_of, scan};

/// Every file of the shared corpus reads without a wrong-type finding and lowers
/// without panicking; the only unknown keys are the four keys Marathon ignores in
/// its own system tests and in a demo (each checked against the API's types).
/// Skips when the corpus is not there.
#[test]
fn corpus_reads_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/marathon");
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
            } else if p.extension().is_some_and(|x| x == "json") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    assert!(!paths.is_empty());
    let texts: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let rel = p.strip_prefix(&root).ok()?.display().to_string();
            Some((rel, text))
        })
        .collect();
    let inputs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (files, diags) = scan(&inputs);
    let (unknown, other): (Vec<_>, Vec<_>) = diags
        .into_iter()
        .partition(|d| d.rule.name == "unknown-key");
    assert!(other.is_empty(), "{:#?}", messages(&files, &other));
    let mut unknown = messages(&files, &unknown);
    unknown.sort();
    assert_eq!(
        unknown,
        [
            // Pods fetch per container (`containers[].artifacts`).
            "dcos__demos/mqtt-iot/1.11/mqttpod.json:56:3: pod \"/mqtt\": unknown key `fetch`",
            // `requirePorts` belongs to the app, not to `container.docker`.
            "mesosphere__marathon/tests/system/apps/pinger-bridge-app.json:17:7: app \"/pinger-bridge-app\": unknown key `container.docker.requirePorts`",
            "mesosphere__marathon/tests/system/apps/private-ucr-docker-app.json:13:7: app \"/private-ucr-docker-app\": unknown key `container.docker.forcePull`; did you mean `forcePullImage`?",
            "mesosphere__marathon/tests/system/pods/private-docker-pod.json:20:9: pod \"/private-docker-pod\": unknown key `containers[0].image.force`; did you mean `forcePull`?",
        ]
    );
    let projects = lower_all(&files);
    let workloads: usize = projects.iter().map(|(_, m)| m.workloads.len()).sum();
    eprintln!(
        "{} files, {} projects, {workloads} workloads",
        files.len(),
        projects.len()
    );
    if std::env::var_os("ORCHLINT_SHOW_CORPUS").is_some() {
        for rule in crate::rules::marathon::rules() {
            for line in messages(&files, &crate::testing::marathon::run(rule, &files)) {
                eprintln!("[{}] {line}", rule.meta().name);
            }
        }
    }
}

/// A workload of a model by name.
fn workload<'a>(m: &'a crate::model::DeploymentModel, name: &str) -> &'a crate::model::Workload {
    m.workloads
        .iter()
        .find(|w| w.name == name)
        .unwrap_or_else(|| panic!("no workload {name}"))
}

/// A span, or the span of a location of the model.
trait SpanOf {
    fn span_of(self) -> crate::source::Span;
}

impl SpanOf for crate::source::Span {
    fn span_of(self) -> crate::source::Span {
        self
    }
}

impl SpanOf for crate::source::Loc {
    fn span_of(self) -> crate::source::Span {
        self.span
    }
}

fn text_at(text: &str, at: impl SpanOf) -> &str {
    let span = at.span_of();
    &text[span.start as usize..span.end as usize]
}

#[test]
fn lowers_a_2015_era_app() {
    let text = r#"{
  "id": "web",
  "cmd": "./run",
  "instances": 3,
  "cpus": 0.5,
  "mem": 256,
  "user": "nobody",
  "ports": [0],
  "constraints": [["hostname", "UNIQUE"], ["rack", "GROUP_BY", "3"], ["hostname", "MAX_PER", "2"], "zone:CLUSTER:eu-1"],
  "container": {
    "type": "DOCKER",
    "docker": {
      "image": "example/web:1.2",
      "network": "BRIDGE",
      "portMappings": [
        { "containerPort": 8080, "hostPort": 0, "servicePort": 10000, "protocol": "tcp" },
        { "containerPort": 0, "hostPort": 9090, "name": "admin" }
      ],
      "privileged": true,
      "parameters": [{"key": "user", "value": "app"}, {"key": "pid", "value": "host"},
                     {"key": "ipc", "value": "HOST"}, {"key": "cap-add", "value": "SYS_PTRACE"}]
    },
    "volumes": [
      { "containerPath": "/etc/conf", "hostPath": "/srv/conf", "mode": "RO" },
      { "containerPath": "data", "mode": "RW", "persistent": { "size": 512 } },
      { "containerPath": "/var/lib/db", "hostPath": "data", "mode": "RW" },
      { "containerPath": "/shared", "mode": "RW",
        "external": { "name": "shared-vol", "provider": "dvdi", "size": 5, "options": { "dvdi/driver": "rexray" } } }
    ]
  },
  "env": { "MODE": "production", "DB_PASSWORD": { "secret": "dbpass" } },
  "secrets": { "dbpass": { "source": "/db/password" } },
  "labels": { "HAPROXY_GROUP": "external" },
  "healthChecks": [{ "protocol": "HTTP", "portIndex": 0, "path": "/health" }],
  "dependencies": ["db", "/cache"]
}"#;
    let m = model_of(text);
    let w = workload(&m, "/web");
    assert_eq!(w.kind, WorkloadKind::MarathonApp);
    assert_eq!(text_at(text, w.at), "\"web\"");
    assert_eq!(w.replica_count(), 3);
    assert_eq!(text_at(text, w.replicas.as_ref().unwrap().loc), "3");
    assert_eq!(
        text_at(text, w.host_pid.unwrap()),
        r#"{"key": "pid", "value": "host"}"#
    );
    assert_eq!(
        text_at(text, w.host_ipc.unwrap()),
        r#"{"key": "ipc", "value": "HOST"}"#
    );
    let caps: Vec<_> = w.containers[0]
        .cap_add
        .iter()
        .map(|c| (c.value.as_str(), text_at(text, c.loc)))
        .collect();
    assert_eq!(
        caps,
        [("SYS_PTRACE", r#"{"key": "cap-add", "value": "SYS_PTRACE"}"#)]
    );
    assert!(w.host_network.is_none());
    let deps: Vec<&str> = w.depends_on.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(deps, ["/db", "/cache"]);
    assert_eq!(text_at(text, w.depends_on[0].loc), "\"db\"");
    let constraints: Vec<&str> = w
        .placement
        .constraints
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(
        constraints,
        [
            "hostname:UNIQUE",
            "rack:GROUP_BY:3",
            "hostname:MAX_PER:2",
            "zone:CLUSTER:eu-1"
        ]
    );
    assert_eq!(
        text_at(text, w.placement.one_per_host.unwrap()),
        r#"["hostname", "UNIQUE"]"#
    );
    assert_eq!(w.placement.max_per_host.as_ref().unwrap().value, 2);
    assert_eq!(
        w.placement.node_selector,
        [("zone".to_string(), "eu-1".to_string())]
    );
    assert_eq!(
        w.labels,
        [("HAPROXY_GROUP".to_string(), "external".to_string())]
    );

    let c = &w.containers[0];
    assert_eq!(c.name.value, "/web");
    assert_eq!(
        text_at(text, c.image.as_ref().unwrap().loc),
        "\"example/web:1.2\""
    );
    assert_eq!(text_at(text, c.privileged.unwrap()), "\"privileged\": true");
    assert_eq!(c.user.as_ref().unwrap().value, "app");
    assert_eq!(text_at(text, c.user.as_ref().unwrap().loc), "\"app\"");
    assert_eq!(c.env.len(), 2);
    assert_eq!(text_at(text, c.env[0].name.loc), "\"MODE\"");
    assert_eq!(
        text_at(text, c.env[0].value.as_ref().unwrap().loc),
        "\"production\""
    );
    assert!(c.env[1].value.is_none());
    // Bridge networking: `ports` are ignored, mappings count; hostPort 0 is random.
    assert_eq!(c.ports.len(), 2);
    assert_eq!((c.ports[0].container, c.ports[0].host), (Some(8080), None));
    assert_eq!(text_at(text, c.ports[0].loc), "8080");
    assert_eq!(
        (c.ports[1].container, c.ports[1].host),
        (Some(9090), Some(9090))
    );
    assert_eq!(text_at(text, c.ports[1].loc), "9090");
    assert_eq!(c.ports[1].name.as_deref(), Some("admin"));
    let r = &c.resources;
    assert_eq!(r.cpu_request.as_ref().unwrap().value, 0.5);
    assert_eq!(r.cpu_limit.as_ref().unwrap().value, 0.5);
    assert_eq!(r.memory_request.as_ref().unwrap().value, 256 * 1024 * 1024);
    assert_eq!(text_at(text, r.memory_limit.as_ref().unwrap().loc), "256");
    let live = c.liveness.as_ref().unwrap();
    assert_eq!(live.port.as_ref().unwrap().value, PortRef::Index(0));
    assert!(text_at(text, live.loc).starts_with("{ \"protocol\": \"HTTP\""));

    let kinds = mount_rows(&c.mounts);
    assert_eq!(
        kinds,
        [
            (MountKind::HostPath, Some("/srv/conf"), "/etc/conf", true),
            (MountKind::Persistent, Some("data"), "data", false),
            (MountKind::Persistent, Some("data"), "/var/lib/db", false),
            (MountKind::External, Some("shared-vol"), "/shared", false),
        ]
    );
    assert_eq!(m.volumes.len(), 2);
    assert_eq!(m.volumes[0].kind, MountKind::Persistent);
    assert_eq!(m.volumes[0].size, Some(512 * 1024 * 1024));
    assert_eq!(m.volumes[1].name, "shared-vol");
    assert_eq!(m.volumes[1].size, Some(5 * 1024 * 1024 * 1024));
    assert_eq!(m.volumes[1].driver.as_deref(), Some("rexray"));
}

#[test]
fn lowers_the_1_5_networking_layout() {
    let text = r#"[
  { "id": "/host-app", "cmd": "serve", "instances": 2,
    "networks": [{"mode": "host"}],
    "portDefinitions": [{ "port": 8000, "name": "http" }, { "port": 0 }],
    "requirePorts": true,
    "readinessChecks": [{"name": "ready", "protocol": "HTTP", "path": "/", "portName": "http"}],
    "healthChecks": [{ "protocol": "MESOS_TCP", "port": 8000 }] },
  { "id": "/service-ports", "cmd": "serve", "portDefinitions": [{ "port": 10001 }] },
  { "id": "/bridge-app", "networks": [{ "mode": "container/bridge" }],
    "container": { "type": "MESOS", "docker": { "image": "nginx:1.27" },
      "portMappings": [{ "containerPort": 80, "hostPort": 31080 }] } },
  { "id": "/user-net", "networks": [{ "mode": "container", "name": "dcos" }],
    "container": { "docker": { "image": "nginx:1.27", "parameters": [{"key": "net", "value": "host"}] },
      "portMappings": [{ "containerPort": 80 }] } },
  { "id": "/old-host", "container": { "docker": { "image": "a:1", "network": "HOST",
      "portMappings": [{ "containerPort": 80, "hostPort": 80 }] } } }
]"#;
    let m = model_of(text);
    let host = workload(&m, "/host-app");
    assert_eq!(
        text_at(text, host.host_network.unwrap()),
        "\"mode\": \"host\""
    );
    let p = &host.containers[0].ports;
    assert_eq!((p[0].container, p[0].host), (Some(8000), Some(8000)));
    assert_eq!(text_at(text, p[0].loc), "8000");
    assert_eq!((p[1].container, p[1].host), (None, None));
    let c = &host.containers[0];
    assert_eq!(
        c.liveness.as_ref().unwrap().port.as_ref().unwrap().value,
        PortRef::Number(8000)
    );
    let ready = c.readiness.as_ref().unwrap();
    assert_eq!(
        ready.port.as_ref().unwrap().value,
        PortRef::Name("http".into())
    );
    assert_eq!(text_at(text, ready.port.as_ref().unwrap().loc), "\"http\"");

    // Without `requirePorts` the number is a service port; the host port is random.
    let svc = workload(&m, "/service-ports");
    assert_eq!(svc.containers[0].ports[0].host, None);
    assert!(svc.host_network.is_none());

    let bridge = &workload(&m, "/bridge-app").containers[0];
    assert_eq!(
        (bridge.ports[0].container, bridge.ports[0].host),
        (Some(80), Some(31080))
    );
    assert_eq!(text_at(text, bridge.ports[0].loc), "31080");

    let user = workload(&m, "/user-net");
    assert_eq!(
        text_at(text, user.host_network.unwrap()),
        r#"{"key": "net", "value": "host"}"#
    );
    assert_eq!(
        (
            user.containers[0].ports[0].container,
            user.containers[0].ports[0].host
        ),
        (Some(80), None)
    );

    // Port mappings mean nothing in host networking.
    let old = workload(&m, "/old-host");
    assert_eq!(
        text_at(text, old.host_network.unwrap()),
        "\"network\": \"HOST\""
    );
    assert!(old.containers[0].ports.is_empty());
}

#[test]
fn resolves_group_ids_and_dependencies() {
    let text = r#"{
  "id": "/product",
  "groups": [
    { "id": "database", "apps": [
      { "id": "mongo", "cmd": "mongod" },
      { "id": "/product/database/mysql", "cmd": "mysqld" } ] },
    { "id": "/product/service", "dependencies": ["../database"], "apps": [
      { "id": "rails", "cmd": "rails s", "dependencies": ["play"] },
      { "id": "play", "cmd": "play" } ] }
  ]
}"#;
    let m = model_of(text);
    let names: Vec<&str> = m.workloads.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "/product/database/mongo",
            "/product/database/mysql",
            "/product/service/rails",
            "/product/service/play"
        ]
    );
    let rails = workload(&m, "/product/service/rails");
    let deps: Vec<(&str, &str)> = rails
        .depends_on
        .iter()
        .map(|d| (d.value.as_str(), text_at(text, d.loc)))
        .collect();
    assert_eq!(
        deps,
        [
            ("/product/service/play", "\"play\""),
            ("/product/database/mongo", "\"../database\""),
            ("/product/database/mysql", "\"../database\""),
        ]
    );
    assert_eq!(workload(&m, "/product/service/play").depends_on.len(), 2);
    assert!(
        workload(&m, "/product/database/mongo")
            .depends_on
            .is_empty()
    );
}

#[test]
fn lowers_pods() {
    let text = r#"{
  "id": "/shop/cart",
  "labels": { "tier": "web" },
  "user": "nobody",
  "environment": { "MODE": "prod", "TOKEN": { "secret": "tok" } },
  "scaling": { "kind": "fixed", "instances": 3, "maxInstances": 6 },
  "scheduling": { "placement": { "constraints": [{ "fieldName": "hostname", "operator": "UNIQUE" }] } },
  "networks": [{"mode": "host"}],
  "volumes": [
    { "name": "state", "persistent": { "type": "root", "size": 64 } },
    { "name": "logs", "host": "/var/log/cart" },
    { "name": "scratch" }
  ],
  "containers": [
    { "name": "app",
      "image": { "kind": "DOCKER", "id": "example/cart:4" },
      "resources": { "cpus": 0.25, "mem": 128 },
      "environment": { "MODE": "debug" },
      "endpoints": [{ "name": "http", "hostPort": 0, "protocol": ["tcp"] }, { "name": "admin", "hostPort": 9001 }],
      "healthCheck": { "http": { "endpoint": "http", "path": "/health" } },
      "volumeMounts": [{ "name": "state", "mountPath": "state" }, { "name": "logs", "mountPath": "/logs", "readOnly": true }] },
    { "name": "sidecar", "image": { "kind": "DOCKER", "id": "example/agent:1" },
      "volumeMounts": [{ "name": "scratch", "mountPath": "/tmp/s" }] }
  ]
}"#;
    let m = model_of(text);
    let w = workload(&m, "/shop/cart");
    assert_eq!(w.kind, WorkloadKind::MarathonPod);
    assert_eq!(text_at(text, w.at), "\"/shop/cart\"");
    assert_eq!(w.replica_count(), 3);
    // `scaling.maxInstances` caps manual scaling: no copies run because of it.
    assert!(w.max_replicas.is_none());
    assert_eq!(text_at(text, w.host_network.unwrap()), "\"mode\": \"host\"");
    assert!(w.placement.one_per_host.is_some());
    assert_eq!(w.placement.constraints[0].value, "hostname:UNIQUE");
    assert_eq!(w.containers.len(), 2);
    let app = &w.containers[0];
    assert_eq!(text_at(text, app.name.loc), "\"app\"");
    assert_eq!(app.image.as_ref().unwrap().value, "example/cart:4");
    assert_eq!(app.user.as_ref().unwrap().value, "nobody");
    let env: Vec<(&str, Option<&str>)> = app
        .env
        .iter()
        .map(|e| {
            (
                e.name.value.as_str(),
                e.value.as_ref().map(|v| v.value.as_str()),
            )
        })
        .collect();
    assert_eq!(env, [("MODE", Some("debug")), ("TOKEN", None)]);
    assert_eq!((app.ports[0].container, app.ports[0].host), (None, None));
    assert_eq!(
        (app.ports[1].container, app.ports[1].host),
        (Some(9001), Some(9001))
    );
    assert_eq!(text_at(text, app.ports[1].loc), "9001");
    assert_eq!(
        app.liveness.as_ref().unwrap().port.as_ref().unwrap().value,
        PortRef::Name("http".into())
    );
    assert_eq!(
        app.resources.memory_limit.as_ref().unwrap().value,
        128 * 1024 * 1024
    );
    let mounts: Vec<(MountKind, Option<&str>, bool)> = app
        .mounts
        .iter()
        .map(|m| (m.kind.clone(), m.source.as_deref(), m.read_only))
        .collect();
    assert_eq!(
        mounts,
        [
            (MountKind::Persistent, Some("state"), false),
            (MountKind::HostPath, Some("/var/log/cart"), true)
        ]
    );
    assert_eq!(w.containers[1].mounts[0].kind, MountKind::Ephemeral);
    assert_eq!(w.volumes.len(), 3);
    assert_eq!(m.volumes.len(), 1);
    assert_eq!(m.volumes[0].size, Some(64 * 1024 * 1024));
}

#[test]
fn wrong_types_are_reported_at_the_value_and_the_rest_still_lowers() {
    let text = r#"{
  "id": "/web",
  "cmd": "serve",
  "instances": "many",
  "cpus": [1],
  "env": { "PORT": 8080, "MODE": "prod" },
  "container": { "docker": { "image": "nginx:1.27", "privileged": true } },
  "futureField": { "anything": [1, 2] }
}"#;
    let (files, diags) = scan(&[("web.json", text)]);
    assert_eq!(
        messages(&files, &diags),
        [
            "web.json:4:16: app \"/web\": instances: expected an integer, found `many`",
            "web.json:5:11: app \"/web\": cpus: expected a number, found a sequence",
            "web.json:6:20: app \"/web\": env.PORT: invalid type: integer `8080`, expected a string or a secret reference `{\"secret\": \"name\"}`",
            // A key Marathon does not have is a finding of its own and costs nothing else.
            "web.json:8:3: app \"/web\": unknown key `futureField`",
        ]
    );
    let (_, m) = &lower_all(&files)[0];
    let w = workload(m, "/web");
    assert!(w.replicas.is_none());
    let c = &w.containers[0];
    assert_eq!(c.image.as_ref().unwrap().value, "nginx:1.27");
    assert!(c.privileged.is_some());
    assert_eq!(c.env.len(), 1);
    assert_eq!(c.env[0].name.value, "MODE");
    assert!(c.resources.cpu_limit.is_none());
}

#[test]
fn reads_arrays_api_answers_and_partial_bodies() {
    let text = r#"{ "apps": [
  { "id": "/a", "cmd": null, "args": null, "user": null, "env": {}, "ipAddress": null,
    "container": { "docker": { "image": "a:1" } } },
  { "id": "/b", "instances": 4 }
] }"#;
    let (files, diags) = scan(&[("apps.json", text)]);
    assert!(diags.is_empty());
    let m = files[0].marathon().unwrap();
    assert_eq!(m.apps.len(), 2);
    assert!(!m.apps[0].app.is_partial());
    assert!(m.apps[1].app.is_partial());
    let (_, model) = &lower_all(&files)[0];
    assert_eq!(workload(model, "/b").replica_count(), 4);

    let (files, diags) = scan(&[(
        "shapes.json",
        r#"{ "id": "/g", "apps": {"id": "x"}, "groups": [3] }"#,
    )]);
    assert_eq!(
        messages(&files, &diags),
        [
            "shapes.json:1:23: apps: expected a sequence, found a mapping",
            "shapes.json:1:47: group: expected a mapping, found a number",
        ]
    );
}

#[test]
fn groups_files_of_a_directory_only_when_they_depend_on_each_other() {
    let (files, _) = scan(&[
        (
            "demo/ingest.json",
            r#"{ "id": "/bus/ingest", "cmd": "ingest" }"#,
        ),
        (
            "demo/dashboard.json",
            r#"{ "id": "/bus/dashboard", "cmd": "dash", "dependencies": ["/bus/ingest"] }"#,
        ),
        ("demo/unrelated.json", r#"{ "id": "/other", "cmd": "x" }"#),
        (
            "demo/group.json",
            r#"{ "id": "/bus/more", "dependencies": ["/bus/ingest"], "apps": [{ "id": "m", "cmd": "m" }] }"#,
        ),
        (
            "elsewhere/user.json",
            r#"{ "id": "/user", "cmd": "u", "dependencies": ["/other"] }"#,
        ),
    ]);
    let projects = lower_all(&files);
    let sets: Vec<Vec<u32>> = projects
        .iter()
        .map(|(p, _)| p.files.iter().map(|f| f.0).collect())
        .collect();
    assert_eq!(sets, [vec![0, 1, 3], vec![2], vec![4]]);
    let (_, m) = &projects[0];
    assert_eq!(m.workloads.len(), 3);
    assert_eq!(
        workload(m, "/bus/more/m").depends_on[0].value,
        "/bus/ingest"
    );
}

#[test]
fn a_bad_item_costs_only_its_value() {
    let text = r#"{
  "id": "/shop",
  "apps": [
    {
      "id": "web",
      "instances": 2,
      "constraints": [["hostname", "UNIQUE"], "rack:GROUP_BY", {"bad": true}],
      "container": {
        "docker": {
          "image": "example/web:2",
          "network": "BRIDGE",
          "portMappings": [{"containerPort": "http", "hostPort": 8080}, {"containerPort": 443, "hostPort": 0}]
        }
      },
      "healthChecks": null,
      "labels": {"team": {"name": "core"}, "tier": "web"}
    }
  ]
}"#;
    let (files, diags) = scan(&[("shop.json", text)]);
    assert_eq!(
        messages(&files, &diags),
        [
            "shop.json:7:64: app \"/shop/web\": constraints[2]: invalid type: map, expected a constraint such as `[\"hostname\", \"UNIQUE\"]`",
            "shop.json:12:46: app \"/shop/web\": container.docker.portMappings[0].containerPort: expected an integer, found `http`",
            "shop.json:16:26: app \"/shop/web\": labels.team: expected a string, found a mapping",
        ]
    );
    let (_, m) = &lower_all(&files)[0];
    let w = workload(m, "/shop/web");
    let constraints: Vec<&str> = w
        .placement
        .constraints
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(constraints, ["hostname:UNIQUE", "rack:GROUP_BY"]);
    let ports: Vec<(Option<u32>, Option<u32>)> = w.containers[0]
        .ports
        .iter()
        .map(|p| (p.container, p.host))
        .collect();
    assert_eq!(ports, [(Some(8080), Some(8080)), (Some(443), None)]);
    assert_eq!(w.labels, [("tier".to_string(), "web".to_string())]);
    assert!(w.containers[0].liveness.is_none());
}

/// A negative port is the typed model's wrong type and nothing else; one above
/// 65535 is the schema's invalid value; a templated enum is not judged; and
/// `cmd` with `args` is refused.
#[test]
fn schema_findings_do_not_overlap_the_typed_model() {
    let text = r#"{
  "id": "/web",
  "cmd": "serve",
  "args": ["serve"],
  "container": {
    "type": "{{ container_type }}",
    "docker": {"image": "nginx:1.27"},
    "portMappings": [{"containerPort": -1}, {"containerPort": 70000, "protocol": "TCP"}]
  }
}"#;
    let (files, diags) = scan(&[("web.json", text)]);
    assert_eq!(
        messages(&files, &diags),
        [
            "web.json:8:40: app \"/web\": container.portMappings[0].containerPort: expected an integer that fits u32, found `-1`"
        ]
    );
    let m = files[0].marathon().expect("a Marathon file");
    let invalid: Vec<&str> = m.invalid.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        invalid,
        [
            "app \"/web\": container.portMappings[1].containerPort: 70000 is out of range: Marathon takes a port number between 0 and 65535",
            "app \"/web\": `cmd` and `args` cannot both be set: Marathon runs one or the other",
        ]
    );
    assert!(m.missing.is_empty());
}
