//! The Compose rules on small projects, with exact places and messages.

use crate::rules::Context;
use crate::source::LineIndex;
use crate::testing::compose::{load, projects};

/// Runs one rule over files given as `(path, text)`; each finding as
/// `path:line:col text-at-span | message`, related places appended as `<- path:line:col`.
fn run(rule: &str, files: &[(&str, &str)]) -> Vec<String> {
    let (specs, diags) = load(files);
    assert!(
        diags.is_empty(),
        "{:?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    let rule = crate::rules::all()
        .iter()
        .copied()
        .find(|r| r.meta().name == rule)
        .expect("rule exists");
    let place = |file: crate::source::FileId, span: crate::source::Span| {
        let f = &specs[file.0 as usize];
        let lc = LineIndex::new(&f.text).line_col(&f.text, span.start);
        format!("{}:{}:{}", f.display, lc.line, lc.column)
    };
    let mut out = Vec::new();
    for p in projects(&specs) {
        let model = crate::model::lower::compose::lower(&p, &specs);
        let mut cx = Context::new(&p, &specs, &model, rule.meta());
        rule.check(&mut cx);
        for d in cx.into_diagnostics() {
            let f = &specs[d.file.0 as usize];
            let text = &f.text[d.span.start as usize..d.span.end as usize];
            let mut line = format!("{} {text} | {}", place(d.file, d.span), d.message);
            for r in &d.related {
                line.push_str(&format!(" <- {}", place(r.file, r.span)));
            }
            out.push(line);
        }
    }
    out
}

#[test]
fn undefined_service_reference() {
    let base = r#"services:
  web:
    image: example/web:1
    depends_on: [db, cache]
    links: ["cahce:c", "db"]
    volumes_from: ["data:ro", "service:files", "container:outside", "db"]
  sidecar:
    image: example/sidecar:1
    network_mode: "service:wbe"
    depends_on:
      db: {condition: service_started}
      metrics: {condition: service_started, required: false}
  db:
    image: postgres:16
"#;
    let over = "services:\n  web:\n    depends_on: [queue]\n  cache:\n    image: redis:7\n";
    let got = run(
        "undefined-service-reference",
        &[
            ("/p/compose.yaml", base),
            ("/p/compose.override.yaml", over),
        ],
    );
    assert_eq!(
        got,
        vec![
            "/p/compose.override.yaml:3:18 queue | service \"web\" depends on undefined service \"queue\"",
            "/p/compose.yaml:5:14 cahce | service \"web\" links to undefined service \"cahce\"",
            "/p/compose.yaml:6:21 data | service \"web\" mounts the volumes of undefined service \"data\"",
            "/p/compose.yaml:6:40 files | service \"web\" mounts the volumes of undefined service \"files\"",
            "/p/compose.yaml:9:28 wbe | service \"sidecar\" shares the network of undefined service \"wbe\"",
        ]
    );
}

#[test]
fn undefined_service_reference_skips_unknown_includes_and_v1_containers() {
    let with_include = "include: [../elsewhere/compose.yaml]\nservices:\n  web:\n    image: x\n    depends_on: [db]\n";
    assert!(
        run(
            "undefined-service-reference",
            &[("/p/compose.yaml", with_include)]
        )
        .is_empty()
    );
    let v1 = "web:\n  image: x\n  volumes_from: [some_container]\n";
    assert!(
        run(
            "undefined-service-reference",
            &[("/q/docker-compose.yml", v1)]
        )
        .is_empty()
    );
}

#[test]
fn undefined_volume() {
    let base = r#"services:
  db:
    image: postgres:16
    volumes:
      - pgdata:/var/lib/postgresql/data
      - ./init:/docker-entrypoint-initdb.d:ro
      - /var/run/docker.sock:/var/run/docker.sock
      - logs:/logs
      - "${CACHE_VOLUME}:/cache"
      - ${BACKUP:-backups}:/backup
      - type: volume
        source: archive
        target: /archive
      - type: bind
        source: data
        target: /data
      - /anonymous
volumes:
  pgdata: {}
"#;
    let over = "volumes:\n  logs:\n";
    let got = run(
        "undefined-volume",
        &[
            ("/p/compose.yaml", base),
            ("/p/compose.override.yaml", over),
        ],
    );
    assert_eq!(
        got,
        vec![
            "/p/compose.yaml:10:9 ${BACKUP:-backups} | service \"db\" mounts undefined volume \"backups\"",
            "/p/compose.yaml:12:17 archive | service \"db\" mounts undefined volume \"archive\"",
        ]
    );
}

#[test]
fn undefined_network() {
    let text = r#"services:
  web:
    image: example/web:1
    networks: [front, default, frontend-net]
  api:
    image: example/api:1
    networks:
      back:
        aliases: [api]
      outside:
networks:
  front: {}
  back: {}
  frontend_net: {}
"#;
    let got = run("undefined-network", &[("/p/compose.yaml", text)]);
    assert_eq!(
        got,
        vec![
            "/p/compose.yaml:4:32 frontend-net | service \"web\" joins undefined network \"frontend-net\"",
            "/p/compose.yaml:10:7 outside | service \"api\" joins undefined network \"outside\"",
        ]
    );
}

#[test]
fn undefined_secret_and_config() {
    let text = r#"services:
  api:
    image: example/api:1
    secrets:
      - db_password
      - source: api_key
        target: /run/keys/api
    configs: [app_config, nginx]
secrets:
  db_password: {file: ./pw.txt}
configs:
  nginx: {file: ./nginx.conf}
"#;
    let got = run("undefined-secret", &[("/p/compose.yaml", text)]);
    assert_eq!(
        got,
        vec![
            "/p/compose.yaml:6:17 api_key | service \"api\" uses undefined secret \"api_key\"",
            "/p/compose.yaml:8:15 app_config | service \"api\" uses undefined config \"app_config\"",
        ]
    );
}

#[test]
fn duplicate_host_port() {
    let base = r#"services:
  web:
    image: example/web:1
    ports:
      - "8080:80"
      - "127.0.0.1:9000:9000"
      - "53:53/udp"
  admin:
    image: example/admin:1
    ports:
      - "8080:3000"
      - "9000:9000"
      - "53:53/tcp"
      - "7000-7005:7000-7005"
  metrics:
    image: example/metrics:1
    ports:
      - target: 7003
        published: "7003"
      - "127.0.0.1:9000:9100"
      - "6000-6010:80"
      - "6000-6010:81"
  dev-only:
    image: example/dev:1
    profiles: [dev]
    ports: ["5000:5000"]
  prod-only:
    image: example/prod:1
    profiles: [prod]
    ports: ["5000:5000"]
"#;
    let over = "services:\n  web:\n    ports: [\"8080:80\", \"8443:443\", \"8443:8443\"]\n";
    let got = run(
        "duplicate-host-port",
        &[
            ("/p/compose.yaml", base),
            ("/p/compose.override.yaml", over),
        ],
    );
    assert_eq!(
        got,
        vec![
            "/p/compose.override.yaml:3:36 \"8443:8443\" | service \"web\" publishes host port 8443/tcp twice <- /p/compose.override.yaml:3:24",
            "/p/compose.yaml:11:9 \"8080:3000\" | service \"admin\" publishes host port 8080/tcp, already published by service \"web\" <- /p/compose.yaml:5:9",
            // All interfaces include 127.0.0.1.
            "/p/compose.yaml:12:9 \"9000:9000\" | service \"admin\" publishes host port 9000/tcp, already published by service \"web\" <- /p/compose.yaml:6:9",
            "/p/compose.yaml:18:9 target: 7003\n        published: \"7003\" | service \"metrics\" publishes host port 7003/tcp, already published by service \"admin\" <- /p/compose.yaml:14:9",
            "/p/compose.yaml:20:9 \"127.0.0.1:9000:9100\" | service \"metrics\" publishes host port 127.0.0.1:9000/tcp, already published by service \"web\" <- /p/compose.yaml:6:9",
        ]
    );
}

#[test]
fn duplicate_host_port_ignores_alternative_overrides() {
    let base = "services:\n  web:\n    image: example/web:1\n";
    let dev = "services:\n  web:\n    ports: [\"8080:80\"]\n";
    let prod = "services:\n  proxy:\n    image: example/proxy:1\n    ports: [\"8080:80\"]\n";
    let got = run(
        "duplicate-host-port",
        &[
            ("/p/docker-compose.yml", base),
            ("/p/docker-compose.dev.yml", dev),
            ("/p/docker-compose.prod.yml", prod),
        ],
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn healthcheck_condition_without_healthcheck() {
    let base = r#"services:
  web:
    image: example/web:1
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_healthy
      queue:
        condition: service_healthy
      search:
        condition: service_started
      api:
        condition: service_healthy
      built:
        condition: service_healthy
      vendor:
        condition: service_healthy
  db:
    image: postgres:16
  cache:
    image: redis:7
    healthcheck:
      disable: true
  queue:
    image: rabbitmq:3
    healthcheck:
      test: ["NONE"]
  search:
    image: example/search:1
  api:
    image: example/api:1
  built:
    image: postgres:16
    build: ./db
  vendor:
    image: ghcr.io/example/db:1
"#;
    let over = "services:\n  api:\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n";
    let got = run(
        "healthcheck-condition-without-healthcheck",
        &[
            ("/p/compose.yaml", base),
            ("/p/compose.override.yaml", over),
        ],
    );
    assert_eq!(
        got,
        vec![
            "/p/compose.yaml:6:20 service_healthy | service \"web\" waits for service \"db\" to be healthy, but \"db\" defines no healthcheck and its image `postgres:16` has none <- /p/compose.yaml:19:3",
            "/p/compose.yaml:8:20 service_healthy | service \"web\" waits for service \"cache\" to be healthy, but \"cache\" disables its healthcheck <- /p/compose.yaml:21:3",
            "/p/compose.yaml:10:20 service_healthy | service \"web\" waits for service \"queue\" to be healthy, but \"queue\" disables its healthcheck <- /p/compose.yaml:25:3",
        ]
    );
}

#[test]
fn healthcheck_from_extends_counts() {
    let common = "services:\n  pg:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n";
    let main = "services:\n  web:\n    image: x\n    depends_on:\n      db: {condition: service_healthy}\n  db:\n    extends: {file: common.yaml, service: pg}\n";
    let got = run(
        "healthcheck-condition-without-healthcheck",
        &[("/p/compose.yaml", main), ("/p/common.yaml", common)],
    );
    assert!(got.is_empty(), "{got:?}");
    // The parent is not among the scanned files: nothing is known, nothing reported.
    let got = run(
        "healthcheck-condition-without-healthcheck",
        &[("/q/compose.yaml", main)],
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn container_name_with_replicas() {
    let base = r#"services:
  worker:
    image: example/worker:1
    container_name: worker
    deploy:
      replicas: 3
  web:
    image: example/web:1
    container_name: web
    scale: ${WEB_SCALE:-2}
  single:
    image: example/single:1
    container_name: single
    deploy:
      replicas: 1
  api:
    image: example/api:1
    container_name: api
"#;
    let over = "services:\n  api:\n    deploy:\n      replicas: 2\n";
    let got = run(
        "container-name-with-replicas",
        &[
            ("/p/compose.yaml", base),
            ("/p/compose.override.yaml", over),
        ],
    );
    assert_eq!(
        got,
        vec![
            "/p/compose.yaml:4:5 container_name: worker | service \"worker\" sets container_name \"worker\" but asks for 3 replicas <- /p/compose.yaml:6:7",
            "/p/compose.yaml:9:5 container_name: web | service \"web\" sets container_name \"web\" but asks for 2 replicas <- /p/compose.yaml:10:5",
            "/p/compose.yaml:18:5 container_name: api | service \"api\" sets container_name \"api\" but asks for 2 replicas <- /p/compose.override.yaml:4:7",
        ]
    );
}

#[test]
fn a_template_reference_is_reported_once_under_its_own_name() {
    let common = "services:\n  base:\n    image: example/base:1\n    depends_on: [missing]\n    networks: [nowhere]\n";
    let main = "services:\n  web:\n    extends: {file: common.yaml, service: base}\n  api:\n    extends: {file: common.yaml, service: base}\nnetworks:\n  somewhere: {}\n";
    let files = [("/p/compose.yaml", main), ("/p/common.yaml", common)];
    assert_eq!(
        run("undefined-service-reference", &files),
        vec![
            "/p/common.yaml:4:18 missing | service \"base\" depends on undefined service \"missing\""
        ]
    );
    assert_eq!(
        run("undefined-network", &files),
        vec!["/p/common.yaml:5:16 nowhere | service \"base\" joins undefined network \"nowhere\""]
    );
}

#[test]
fn names_interpolate_and_unset_ones_are_not_checked() {
    let text = r#"services:
  web:
    image: example/web:1
    network_mode: "service:${VPN:-vpn}"
    depends_on: ["${DB_SERVICE}", "${CACHE:-cahce}"]
    networks: ["${NET:-front}"]
    secrets: ["${TOKEN_NAME:-token}"]
  vpn:
    image: example/vpn:1
  cache:
    image: redis:7.4
networks:
  front: {}
secrets:
  token: {file: ./token}
"#;
    let files = [("/p/compose.yaml", text)];
    assert_eq!(
        run("undefined-service-reference", &files),
        vec![
            "/p/compose.yaml:5:36 ${CACHE:-cahce} | service \"web\" depends on undefined service \"cahce\""
        ]
    );
    assert!(run("undefined-network", &files).is_empty());
    assert!(run("undefined-secret", &files).is_empty());
}

#[test]
fn an_alternative_file_is_not_merged_but_may_name_the_base_services() {
    let base = "services:\n  web:\n    image: example/web:1\n    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]\n  db:\n    image: postgres:16\n";
    // Replaces the mount in a merge; alone it is a project of its own.
    let traefik = "services:\n  web:\n    volumes: [\"data:/data\"]\n    depends_on: [db, cache]\nvolumes:\n  data: {}\n";
    let files = [
        ("/p/docker-compose.yml", base),
        ("/p/docker-compose.traefik.yml", traefik),
    ];
    // Two projects: the alternative file is not merged onto the base.
    let (specs, _) = load(&files);
    let sets: Vec<usize> = projects(&specs).iter().map(|p| p.files.len()).collect();
    assert_eq!(sets, [1, 1]);
    // `db` is defined by the base beside it; `cache` nowhere.
    let got = run("undefined-service-reference", &files);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("undefined service \"cache\""), "{got:?}");
    assert!(
        got[0].starts_with("/p/docker-compose.traefik.yml:4:"),
        "{got:?}"
    );
    // The base's socket mount is reported, not hidden by the alternative file.
    let got = run("docker-socket-mount", &files);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("/p/docker-compose.yml:4:"), "{got:?}");
}
