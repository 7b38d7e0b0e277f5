//! Reading, grouping and lowering of Compose files.

mod corpus;

use crate::model::mount_rows;
use crate::model::{MountKind, Workload};
use crate::project::SpecFile;
use crate::source::{FileId, Loc};
use crate::testing::compose::{at, at_loc, load, projects};

fn lower_all(files: &[SpecFile]) -> Vec<Workload> {
    projects(files)
        .iter()
        .flat_map(|p| crate::model::lower::lower(p, files).workloads)
        .collect()
}

fn messages(diags: &[crate::diagnostic::Diagnostic], files: &[SpecFile]) -> Vec<String> {
    diags
        .iter()
        .map(|d| format!("{} @ {}", d.message, at(files, d.file, d.span)))
        .collect()
}

#[test]
fn reads_every_shape_without_complaint() {
    let text = r#"
version: "3.8"
name: shop
x-common: &common
  restart: unless-stopped
services:
  web:
    <<: *common
    image: "nginx:${TAG:-1.27}"
    build:
      context: .
      dockerfile: Dockerfile
    command: ["nginx", "-g", "daemon off;"]
    entrypoint: /docker-entrypoint.sh
    container_name: shop-web
    ports:
      - 80
      - "8080:80"
      - 127.0.0.1:8443:443/tcp
      - "9000-9005:9000-9005"
      - target: 81
        published: "8081"
        host_ip: 0.0.0.0
        protocol: udp
        mode: host
    expose: [3000, "3001"]
    volumes:
      - data:/data:ro
      - ./conf:/etc/nginx/conf.d
      - /scratch
      - type: bind
        source: /var/run/docker.sock
        target: /var/run/docker.sock
        read_only: true
    volumes_from: [db, "db:ro", "container:other"]
    depends_on:
      db:
        condition: service_healthy
        restart: true
    links: ["db:database"]
    networks:
      front:
        aliases: [www]
      back:
    environment:
      - A=1
      - B
    env_file: [.env, {path: other.env, required: false}]
    secrets: [token, {source: cert, target: /certs/cert.pem}]
    configs: [nginx_conf]
    deploy:
      mode: replicated
      replicas: 2
      resources:
        limits: {cpus: "0.5", memory: 256M}
        reservations: {cpus: 0.25, memory: 128M}
      placement:
        constraints: [node.role == worker]
        max_replicas_per_node: 1
      restart_policy: {condition: on-failure, max_attempts: 3}
    healthcheck:
      test: curl -f http://localhost
      interval: 10s
    privileged: false
    user: "1000:1000"
    labels: {tier: front, version: 2}
    cap_add: [NET_ADMIN]
    pid: host
    profiles: [web]
    x-unknown: {anything: [1, 2]}
  db:
    image: postgres:16
    environment:
      POSTGRES_DB: shop
      POSTGRES_PORT: 5432
      DEBUG: true
      EMPTY:
    healthcheck:
      disable: true
    mem_limit: 1g
    cpus: 1.5
    scale: 1
    network_mode: "service:web"
volumes:
  data:
  other: {external: true}
networks:
  front: {driver: bridge}
  back:
secrets:
  token: {file: ./token.txt}
  cert: {external: {name: real-cert}}
configs:
  nginx_conf: {file: ./nginx.conf}
include:
  - other/compose.yaml
  - path: [a.yaml, b.yaml]
x-ignored: 1
"#;
    let (files, diags) = load(&[("/p/compose.yaml", text)]);
    assert!(diags.is_empty(), "{:#?}", messages(&diags, &files));
    let c = files[0].compose().unwrap();
    assert_eq!(c.services.len(), 2);
    assert!(!c.legacy_v1);
    assert_eq!(c.volumes.len(), 2);
    assert!(c.volumes[1].external);
    assert_eq!(c.includes.len(), 2);
    assert_eq!(c.includes[1].paths.len(), 2);
    let web = &c.services[0];
    assert_eq!(web.ports.len(), 5);
    assert_eq!(web.volumes.len(), 4);
    assert_eq!(web.networks.len(), 2);
    assert_eq!(web.env_file.len(), 2);
    assert_eq!(
        web.depends_on[0].condition.as_ref().unwrap().value,
        "service_healthy"
    );
    assert_eq!(web.restart.as_ref().unwrap().value, "unless-stopped");
    let db = &c.services[1];
    assert!(db.healthcheck.as_ref().unwrap().is_disabled());
    assert_eq!(db.environment.len(), 4);
    assert!(db.environment[3].value.is_none());
}

#[test]
fn wrong_types_point_at_the_value_and_keep_the_rest() {
    let text = "services:\n  web:\n    image: nginx:1.27\n    ports: \"80:80\"\n    deploy:\n      replicas: many\n      resources:\n        limits:\n          cpus: [1]\n    privileged: maybe\n    environment: 5\n    volumes:\n      - a:b:c:d\n    depends_on: db\n    healthcheck: [x]\n    scale: 1.5\n  db:\n    image: postgres:16\n";
    let (files, diags) = load(&[("/p/compose.yaml", text)]);
    let got = messages(&diags, &files);
    assert_eq!(
        got,
        vec![
            "services.web.ports: expected a sequence, found `80:80` @ \"80:80\"",
            "services.web.deploy.replicas: expected an integer, found `many` @ many",
            "services.web.deploy.resources: expected a number, found a sequence @ [1]",
            "services.web.privileged: expected a boolean, found `maybe` @ maybe",
            "services.web.environment: expected a sequence or a mapping, found a number @ 5",
            "services.web.volumes[0]: expected `[SOURCE:]TARGET[:MODE]`, found `a:b:c:d` @ a:b:c:d",
            "services.web.depends_on: expected a sequence or a mapping of services, found `db` @ db",
            "services.web.healthcheck: expected a mapping, found a sequence @ [x]",
            "services.web.scale: expected an integer, found `1.5` @ 1.5",
        ]
    );
    // The service still lowers with what was right.
    let w = lower_all(&files);
    assert_eq!(w.len(), 2);
    assert_eq!(
        w[0].containers[0].image.as_ref().unwrap().value,
        "nginx:1.27"
    );
}

#[test]
fn interpolated_values_are_not_wrong_types() {
    let text = "services:\n  web:\n    image: nginx\n    privileged: ${PRIV:-false}\n    scale: ${N:-2}\n    ports: [\"${PORT:-8080}:80\"]\n    deploy:\n      replicas: ${REPLICAS}\n      resources: {limits: {cpus: $CPUS}}\n";
    let (files, diags) = load(&[("/p/compose.yaml", text)]);
    assert!(diags.is_empty(), "{:#?}", messages(&diags, &files));
    let w = lower_all(&files);
    // `deploy.replicas` wins over `scale`, but it is unset: nothing to count.
    assert!(w[0].replicas.is_none());
    assert_eq!(w[0].containers[0].ports[0].host, Some(8080));
    assert!(w[0].containers[0].privileged.is_none());
}

#[test]
fn legacy_v1_services_at_top_level() {
    let text = "web:\n  image: nginx\n  links: [db]\n  net: host\ndb:\n  image: postgres\nx-note: {a: 1}\n";
    let (files, diags) = load(&[("/p/fig.yml", text)]);
    assert!(diags.is_empty());
    let c = files[0].compose().unwrap();
    assert!(c.legacy_v1);
    assert_eq!(c.services.len(), 2);
    let w = lower_all(&files);
    assert!(w[0].host_network.is_some());
    assert_eq!(w[0].depends_on[0].value, "db");
}

#[test]
fn misspelled_services_is_not_format_1() {
    // `servics` holds services: a typo, reported by the schema check.
    let text = "servics:\n  web:\n    image: nginx\n";
    let (files, diags) = load(&[("/p/compose.yaml", text)]);
    assert!(!files[0].compose().unwrap().legacy_v1);
    assert_eq!(
        messages(&diags, &files),
        [
            "servics: unknown key, the Compose Specification has no `servics` at the top level of a Compose file; did you mean `services`? @ servics"
        ]
    );
    // A format 1 service whose name is close to `services` stays one.
    let text = "servers:\n  image: nginx\n  links: [db]\ndb:\n  image: postgres\n";
    let (files, diags) = load(&[("/p/fig.yml", text)]);
    assert!(diags.is_empty());
    assert!(files[0].compose().unwrap().legacy_v1);
}

#[test]
fn lowers_a_service_with_exact_spans() {
    let text = r#"services:
  web:
    image: nginx:${TAG:-1.27}
    privileged: true
    user: "101"
    environment:
      - MODE=prod
      - FROM_ENV=${SECRET}
      - BARE
    ports: ["127.0.0.1:8080:80", "9000-9001:9000-9001/udp", "3000"]
    volumes:
      - data:/data
      - ./conf:/conf:ro
      - /var/run/docker.sock:/var/run/docker.sock
      - /cache
      - type: tmpfs
        target: /tmp
    tmpfs: /run
    secrets: [token]
    configs: [{source: app, target: /etc/app.conf}]
    network_mode: host
    depends_on: [db]
    links: ["cache:c"]
    volumes_from: ["files:ro", "container:x"]
    restart: always
    deploy:
      mode: global
      resources:
        limits: {cpus: "0.5", memory: 512M}
        reservations: {memory: 128m}
      placement:
        constraints: ["node.labels.zone==a"]
        max_replicas_per_node: 1
    healthcheck:
      test: ["CMD", "true"]
    labels: ["a=1", "b"]
  db: {image: postgres}
  cache: {image: redis}
  files: {image: busybox}
volumes:
  data: {driver: rexray}
"#;
    let (files, diags) = load(&[("/p/compose.yaml", text)]);
    assert!(diags.is_empty(), "{:#?}", messages(&diags, &files));
    let w = &lower_all(&files)[0];
    let f = FileId(0);
    let s = |loc: Loc| {
        assert_eq!(loc.file, f, "one file, one FileId");
        at(&files, f, loc.span)
    };
    assert_eq!(s(w.at), "web");
    let c = &w.containers[0];
    assert_eq!(c.name.value, "web");
    let image = c.image.as_ref().unwrap();
    assert_eq!(image.value, "nginx:1.27");
    assert_eq!(s(image.loc), "nginx:${TAG:-1.27}");
    assert_eq!(s(c.privileged.unwrap()), "privileged: true");
    assert_eq!(c.user.as_ref().unwrap().value, "101");
    assert_eq!(c.env.len(), 3);
    assert_eq!(s(c.env[0].name.loc), "MODE");
    assert_eq!(s(c.env[0].value.as_ref().unwrap().loc), "prod");
    assert!(
        c.env[1].value.is_none(),
        "a value from the environment is not literal"
    );
    assert!(c.env[2].value.is_none());
    let ports: Vec<_> = c
        .ports
        .iter()
        .map(|p| (p.host, p.container, p.protocol.as_str()))
        .collect();
    assert_eq!(
        ports,
        vec![
            (Some(8080), Some(80), "tcp"),
            (Some(9000), Some(9000), "udp"),
            (Some(9001), Some(9001), "udp"),
            (None, Some(3000), "tcp"),
        ]
    );
    assert_eq!(s(c.ports[0].loc), "\"127.0.0.1:8080:80\"");
    let mounts = mount_rows(&c.mounts);
    assert_eq!(
        mounts,
        vec![
            (MountKind::External, Some("data"), "/data", false),
            (MountKind::HostPath, Some("./conf"), "/conf", true),
            (
                MountKind::HostPath,
                Some("/var/run/docker.sock"),
                "/var/run/docker.sock",
                false
            ),
            (MountKind::Ephemeral, None, "/cache", false),
            (MountKind::Tmpfs, None, "/tmp", false),
            (MountKind::Tmpfs, None, "/run", false),
            (MountKind::Config, Some("token"), "/run/secrets/token", true),
            (MountKind::Config, Some("app"), "/etc/app.conf", true),
        ]
    );
    assert_eq!(w.volumes.len(), 3);
    assert_eq!(
        w.volumes[2].host_path.as_deref(),
        Some("/var/run/docker.sock")
    );
    assert_eq!(s(w.host_network.unwrap()), "network_mode: host");
    let deps: Vec<_> = w
        .depends_on
        .iter()
        .map(|d| (d.value.as_str(), s(d.loc)))
        .collect();
    assert_eq!(
        deps,
        vec![("db", "db"), ("cache", "cache"), ("files", "files")]
    );
    assert_eq!(w.restart.as_ref().unwrap().value, "always");
    assert_eq!(s(w.global.unwrap()), "mode: global");
    let r = &c.resources;
    assert_eq!(r.cpu_limit.as_ref().unwrap().value, 0.5);
    assert_eq!(r.memory_limit.as_ref().unwrap().value, 512 * 1024 * 1024);
    assert_eq!(r.memory_request.as_ref().unwrap().value, 128 * 1024 * 1024);
    assert!(r.cpu_request.is_none());
    assert_eq!(w.placement.constraints[0].value, "node.labels.zone==a");
    assert_eq!(
        w.placement.node_selector,
        vec![("zone".to_string(), "a".to_string())]
    );
    assert_eq!(w.placement.max_per_host.as_ref().unwrap().value, 1);
    assert!(w.placement.one_per_host.is_some());
    let probe = c.liveness.as_ref().unwrap();
    assert!(!probe.disabled);
    assert!(s(probe.loc).starts_with("healthcheck:"));
    assert_eq!(
        w.labels,
        vec![("a".into(), "1".into()), ("b".into(), "".into())]
    );
    assert_eq!(w.file(), f);
}

#[test]
fn overrides_merge_into_the_base_with_their_own_files() {
    let base = "services:\n  web:\n    image: nginx:1.25\n    ports: [\"80:80\"]\n    environment: {A: \"1\", B: \"2\"}\n    volumes: [\"./a:/data\"]\n  db:\n    image: postgres\n";
    let over = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    ports: [\"80:80\", \"443:443\"]\n    environment: {B: \"3\"}\n    volumes: [\"./b:/data\"]\n    deploy: {replicas: 3}\n  extra:\n    image: busybox\n";
    let (files, diags) = load(&[
        ("/p/docker-compose.yml", base),
        ("/p/docker-compose.override.yml", over),
    ]);
    assert!(diags.is_empty());
    let ps = projects(&files);
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].files, vec![FileId(0), FileId(1)]);
    let ws = lower_all(&files);
    let names: Vec<_> = ws.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, vec!["web", "db", "extra"]);
    let web = &ws[0];
    let c = &web.containers[0];
    assert_eq!(web.file(), FileId(0));
    let image = c.image.as_ref().unwrap();
    assert_eq!(image.value, "nginx:1.27");
    assert_eq!(image.loc.file, FileId(1));
    assert_eq!(at_loc(&files, image.loc), "nginx:1.27");
    let privileged = c.privileged.unwrap();
    assert_eq!(at_loc(&files, privileged), "privileged: true");
    assert_eq!(c.ports.len(), 2, "identical entries merge");
    let env: Vec<_> = c
        .env
        .iter()
        .map(|e| {
            (
                e.name.value.as_str(),
                e.value.as_ref().unwrap().value.as_str(),
            )
        })
        .collect();
    assert_eq!(env, vec![("A", "1"), ("B", "3")]);
    assert_eq!(c.mounts.len(), 1);
    assert_eq!(c.mounts[0].source.as_deref(), Some("./b"));
    assert_eq!(web.replica_count(), 3);
    assert_eq!(ws[2].file(), FileId(1));
}

#[test]
fn capabilities_merge_over_layers_and_namespaces_keep_their_entries() {
    let base = "services:\n  web:\n    image: nginx:1.27\n    cap_add: [NET_ADMIN, \"${CAP:-SYS_TIME}\"]\n    pid: host\n";
    let over = "services:\n  web:\n    cap_add: [NET_ADMIN, SYS_ADMIN]\n    ipc: host\n";
    let (files, diags) = load(&[
        ("/p/docker-compose.yml", base),
        ("/p/docker-compose.override.yml", over),
    ]);
    assert!(diags.is_empty());
    let ws = lower_all(&files);
    let web = &ws[0];
    let caps: Vec<_> = web.containers[0]
        .cap_add
        .iter()
        .map(|c| (c.value.as_str(), c.loc.file, at_loc(&files, c.loc)))
        .collect();
    assert_eq!(
        caps,
        vec![
            ("NET_ADMIN", FileId(0), "NET_ADMIN"),
            ("SYS_TIME", FileId(0), "\"${CAP:-SYS_TIME}\""),
            ("SYS_ADMIN", FileId(1), "SYS_ADMIN"),
        ]
    );
    let pid = web.host_pid.unwrap();
    assert_eq!(at_loc(&files, pid), "pid: host");
    let ipc = web.host_ipc.unwrap();
    assert_eq!(ipc.file, FileId(1));
    assert_eq!(at_loc(&files, ipc), "ipc: host");
}

#[test]
fn extends_copies_the_parent_under_the_local_keys() {
    let common = "services:\n  base:\n    image: app:1\n    environment: [LEVEL=info]\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n";
    let main = "services:\n  web:\n    extends:\n      file: common.yml\n      service: base\n    environment: [LEVEL=debug]\n  worker:\n    extends: web\n    command: work\n";
    let (files, diags) = load(&[("/p/docker-compose.yml", main), ("/p/common.yml", common)]);
    assert!(diags.is_empty());
    let ps = projects(&files);
    assert_eq!(ps.len(), 1, "common.yml belongs to the project");
    assert_eq!(ps[0].files, vec![FileId(0), FileId(1)]);
    let ws = lower_all(&files);
    let names: Vec<_> = ws.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, vec!["web", "worker"], "templates are not services");
    for w in &ws {
        let c = &w.containers[0];
        assert_eq!(c.image.as_ref().unwrap().value, "app:1");
        assert_eq!(c.image.as_ref().unwrap().loc.file, FileId(1));
        assert_eq!(c.env[0].value.as_ref().unwrap().value, "debug");
        assert!(c.liveness.is_some());
    }
}

#[test]
fn grouping_by_names_and_references() {
    let svc = "services:\n  a:\n    image: x\n";
    let (files, _) = load(&[
        ("/p/compose.yaml", svc),
        ("/p/compose.override.yaml", svc),
        ("/p/compose.prod.yaml", svc),
        ("/p/docker-compose.test.yml", svc),
        ("/p/other.yml", svc),
        ("/p/other.dev.yml", svc),
        (
            "/q/docker-compose.yml",
            "include:\n  - ../shared/db.yaml\nservices:\n  a:\n    image: x\n",
        ),
        ("/shared/db.yaml", svc),
        ("/r/docker-compose.override.yml", svc),
        ("/r/compose.yaml", svc),
    ]);
    let ps = projects(&files);
    let sets: Vec<Vec<u32>> = ps
        .iter()
        .map(|p| p.files.iter().map(|f| f.0).collect())
        .collect();
    // Alternative files (`compose.prod.yaml`, `other.dev.yml`) are projects of
    // their own: Compose merges only the `*.override.*` files by itself.
    assert_eq!(
        sets,
        vec![
            vec![0, 1],
            vec![2],
            vec![3],
            vec![4],
            vec![5],
            vec![6, 7],
            vec![9, 8],
        ]
    );
}

#[test]
fn compose_file_in_dotenv_names_the_merged_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "COMPOSE_FILE=docker-compose.yml;docker-compose.traefik.yml\nCOMPOSE_PATH_SEPARATOR=;\n",
    )
    .unwrap();
    let svc = "services:\n  a:\n    image: x\n";
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (base, traefik, arm) = (
        at("docker-compose.yml"),
        at("docker-compose.traefik.yml"),
        at("docker-compose.arm.yml"),
    );
    let (files, _) = load(&[(&arm, svc), (&base, svc), (&traefik, svc)]);
    let ps = projects(&files);
    let sets: Vec<Vec<u32>> = ps
        .iter()
        .map(|p| p.files.iter().map(|f| f.0).collect())
        .collect();
    // Sorted by path: arm (0), base (1), traefik (2); `.env` merges traefik onto
    // the base and leaves arm alone.
    assert_eq!(sets, vec![vec![0], vec![1, 2]]);
}

#[test]
fn dotenv_feeds_interpolation() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "TAG=2.0\nexport PORT=\"8081\"\n").unwrap();
    let path = dir.path().join("compose.yaml");
    let path = path.to_str().unwrap();
    let (files, _) = load(&[(
        path,
        "services:\n  web:\n    image: app:${TAG}\n    ports: [\"${PORT}:80\"]\n    environment: [T=$TAG]\n",
    )]);
    let ws = lower_all(&files);
    let c = &ws[0].containers[0];
    assert_eq!(c.image.as_ref().unwrap().value, "app:2.0");
    assert_eq!(c.ports[0].host, Some(8081));
    assert!(c.env[0].value.is_none(), "the value comes from .env");
}

#[test]
fn an_extends_chain_is_one_project() {
    let (files, _) = load(&[
        ("/e/common.yml", "web:\n  image: x\n"),
        (
            "/e/middle.yml",
            "mid:\n  extends: {file: common.yml, service: web}\n  image: y\n",
        ),
        (
            "/e/top.yml",
            "top:\n  extends: {file: middle.yml, service: mid}\n  image: z\n",
        ),
        (
            "/e/a.yml",
            "a:\n  extends: {file: b.yml, service: b}\n  image: a\n",
        ),
        (
            "/e/b.yml",
            "b:\n  extends: {file: a.yml, service: a}\n  image: b\n",
        ),
    ]);
    let sets: Vec<Vec<u32>> = projects(&files)
        .iter()
        .map(|p| p.files.iter().map(|f| f.0).collect())
        .collect();
    // Files that pull each other in both stay projects of their own.
    assert_eq!(sets, vec![vec![2, 1, 0], vec![3, 4], vec![4, 3]]);
}
