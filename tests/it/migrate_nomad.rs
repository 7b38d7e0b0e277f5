//! `orchlint migrate --to nomad`: the job files written from every source of
//! `fixtures/migrate/` are pinned by a snapshot, and each is parsed back with
//! hcl-rs and its structure checked (one job named as its file, groups with the
//! copies the source asks for, Docker tasks with the source's images).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hcl::{Block, Body, Expression};

fn orchlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// `orchlint migrate SRC --to nomad --out OUT`.
fn to_nomad(src: &str, out: &Path) -> Output {
    orchlint(&[
        "migrate",
        src,
        "--to",
        "nomad",
        "--out",
        out.to_str().expect("utf-8"),
    ])
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The snapshots this module writes: one per source folder of `fixtures/migrate`.
pub(crate) fn snapshot_names() -> Vec<String> {
    // The sources Nomad jobs are written from (Kubernetes and Procfile projects are
    // refused): the same folders as the Kubernetes direction's.
    [
        "brooklyn-blueprint",
        "compose-migrations",
        "compose-shop",
        "fig-v1",
        "flocker-app",
        "marathon-group",
        "marathon-pod",
        "swarm-policies",
        "swarm-stack",
    ]
    .map(String::from)
    .to_vec()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn blocks<'a>(body: &'a Body, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    body.blocks().filter(move |b| b.identifier() == ident)
}

fn label(b: &Block) -> String {
    b.labels()
        .first()
        .map(|l| l.as_str().to_string())
        .unwrap_or_default()
}

fn attr<'a>(body: &'a Body, key: &str) -> Option<&'a Expression> {
    body.attributes().find(|a| a.key() == key).map(|a| a.expr())
}

fn string(e: Option<&Expression>) -> Option<String> {
    match e? {
        Expression::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// One group as read back: its name, count, and (task, image) pairs.
#[derive(Debug, PartialEq)]
struct GroupRead {
    job: String,
    group: String,
    count: Option<u64>,
    tasks: Vec<(String, String)>,
}

/// Parses one job file and checks what every job file must hold.
fn read_job(path: &Path) -> (String, Vec<GroupRead>) {
    let src = std::fs::read_to_string(path).expect("utf-8");
    let body = hcl::parse(&src).unwrap_or_else(|e| panic!("{}: {e}\n{src}", path.display()));
    let jobs: Vec<&Block> = blocks(&body, "job").collect();
    assert_eq!(jobs.len(), 1, "{}", path.display());
    let job = jobs[0];
    let name = label(job);
    assert_eq!(
        format!("{name}.nomad.hcl"),
        path.file_name().expect("name").to_string_lossy(),
        "a job is named as its file"
    );
    let kind = string(attr(job.body(), "type")).expect("type");
    assert!(
        ["service", "system", "batch", "sysbatch"].contains(&kind.as_str()),
        "{kind}"
    );
    assert!(
        attr(job.body(), "datacenters").is_some(),
        "{}",
        path.display()
    );
    let mut groups = Vec::new();
    for g in blocks(job.body(), "group") {
        let count = match attr(g.body(), "count") {
            Some(Expression::Number(n)) => n.as_u64(),
            Some(other) => panic!("count {other:?}"),
            None => None,
        };
        assert_eq!(
            count.is_some(),
            kind == "service" || kind == "batch",
            "{}: group {} of a {kind} job",
            path.display(),
            label(g)
        );
        let mut tasks = Vec::new();
        for t in blocks(g.body(), "task") {
            assert_eq!(string(attr(t.body(), "driver")).as_deref(), Some("docker"));
            let config = blocks(t.body(), "config").next().expect("config");
            let image = string(attr(config.body(), "image")).expect("image");
            assert!(!image.is_empty(), "{}", path.display());
            tasks.push((label(t), image));
        }
        assert!(!tasks.is_empty(), "{}: group {}", path.display(), label(g));
        groups.push(GroupRead {
            job: name.clone(),
            group: label(g),
            count,
            tasks,
        });
    }
    assert!(!groups.is_empty(), "{}", path.display());
    (src, groups)
}

fn group(job: &str, group: &str, count: Option<u64>, tasks: &[(&str, &str)]) -> GroupRead {
    GroupRead {
        job: job.into(),
        group: group.into(),
        count,
        tasks: tasks
            .iter()
            .map(|(t, i)| (t.to_string(), i.to_string()))
            .collect(),
    }
}

/// Some of what each source must become, read back from the parsed files.
fn expected(case: &str) -> Vec<GroupRead> {
    let job = format!("fixtures-migrate-{case}");
    let j = job.as_str();
    match case {
        "compose-migrations" => vec![
            // The one-shot migration runs before the app, in its group.
            group(
                j,
                "web",
                Some(1),
                &[
                    ("migrate", "ghcr.io/example/ledger-web:2024.11.2"),
                    ("web", "ghcr.io/example/ledger-web:2024.11.2"),
                ],
            ),
            group(j, "db", Some(1), &[("db", "postgres:16.4-alpine")]),
        ],
        "marathon-group" => vec![
            group(
                j,
                "shop-api",
                Some(4),
                &[("shop-api", "example/shop-api:2.4.1")],
            ),
            group(j, "shop-db", Some(1), &[("shop-db", "postgres:16.4")]),
        ],
        "marathon-pod" => vec![
            group(
                j,
                "payments-metrics",
                Some(2),
                &[("payments-metrics", "example/metrics-exporter:1.4.0")],
            ),
            group(
                j,
                "payments-gateway",
                Some(3),
                &[
                    ("gateway", "example/payments-gateway:7.3.0"),
                    ("ledger", "example/ledger:2.0.1"),
                ],
            ),
        ],
        "swarm-policies" => vec![
            group(
                j,
                "search",
                Some(4),
                &[("search", "registry.example.com/search-api:5.1.2")],
            ),
            group(
                &format!("{j}-system"),
                "shipper",
                None,
                &[("shipper", "example/log-shipper:0.9.4")],
            ),
            group(
                &format!("{j}-batch"),
                "reindex",
                Some(1),
                &[("reindex", "registry.example.com/search-api:5.1.2")],
            ),
        ],
        "swarm-stack" => vec![
            group(j, "api", Some(3), &[("api", "example/api:3.2.0")]),
            group(
                &format!("{j}-system"),
                "agent",
                None,
                &[("agent", "example/node-agent:1.9.0")],
            ),
        ],
        _ => Vec::new(),
    }
}

#[test]
fn every_source_to_nomad_is_pinned_and_parses_back() {
    let cases = snapshot_names();
    assert!(cases.len() >= 9, "{cases:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/migrate_nomad");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for case in cases {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out_dir = tmp.path().join("out");
        let src = format!("fixtures/migrate/{case}");
        let o = to_nomad(&src, &out_dir);
        assert_eq!(o.status.code(), Some(0), "{case}: {}", text(&o.stderr));
        let mut listing = String::new();
        let mut read: Vec<GroupRead> = Vec::new();
        let files = files_under(&out_dir);
        for f in &files {
            let rel = f.strip_prefix(&out_dir).expect("under out");
            let body = if f.to_string_lossy().ends_with(".nomad.hcl") {
                let (src, groups) = read_job(f);
                read.extend(groups);
                src
            } else {
                std::fs::read_to_string(f).expect("utf-8")
            };
            listing.push_str(&format!("== {} ==\n{body}\n", rel.display()));
        }
        assert!(
            files.iter().any(|f| f.ends_with("MIGRATION.md")),
            "{case}: {listing}"
        );
        assert!(listing.contains("nomad job validate "), "{case}");
        for want in expected(&case) {
            assert!(read.contains(&want), "{case}: {want:?} not among {read:#?}");
        }
        settings.bind(|| insta::assert_snapshot!(case.clone(), listing));
    }
}

#[test]
fn source_values_stay_literal_and_placement_becomes_constraints() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = to_nomad("fixtures/migrate/swarm-policies", &out);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let job = out.join("fixtures-migrate-swarm-policies/fixtures-migrate-swarm-policies.nomad.hcl");
    let body = hcl::parse(&std::fs::read_to_string(&job).expect("job")).expect("parses");
    let job = blocks(&body, "job").next().expect("job");
    let search = blocks(job.body(), "group").next().expect("group");
    // `$${level}` in Compose is the text `${level}`: Nomad must not interpolate it.
    let task = blocks(search.body(), "task").next().expect("task");
    let env = blocks(task.body(), "env").next().expect("env");
    assert_eq!(
        string(attr(env.body(), "LOG_TEMPLATE")).as_deref(),
        Some("${level}: ${msg}")
    );
    // Placement: a node label → client metadata, the architecture → Go's name.
    let constraints: Vec<(Option<String>, Option<String>)> = blocks(search.body(), "constraint")
        .map(|c| {
            (
                string(attr(c.body(), "attribute")),
                string(attr(c.body(), "value")),
            )
        })
        .collect();
    assert!(
        constraints.contains(&(Some("\"${meta.tier}\"".into()), Some("search".into()))),
        "{constraints:?}"
    );
    assert!(
        constraints.contains(&(Some("\"${attr.cpu.arch}\"".into()), Some("amd64".into()))),
        "{constraints:?}"
    );
    // Traefik's labels are the service's tags.
    let service = blocks(search.body(), "service").next().expect("service");
    let tags = attr(service.body(), "tags").expect("tags").to_string();
    assert!(tags.contains("\"traefik.enable=true\""), "{tags}");
    // Rolling update and restart policy.
    let update = blocks(search.body(), "update").next().expect("update");
    assert_eq!(
        attr(update.body(), "max_parallel")
            .map(ToString::to_string)
            .as_deref(),
        Some("2")
    );
    assert_eq!(
        attr(update.body(), "auto_revert")
            .map(ToString::to_string)
            .as_deref(),
        Some("true")
    );
    let restart = blocks(search.body(), "restart").next().expect("restart");
    assert_eq!(
        string(attr(restart.body(), "interval")).as_deref(),
        Some("2m")
    );
}

#[test]
fn kubernetes_and_procfile_projects_are_not_written_for_nomad() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = to_nomad("fixtures/example/kubernetes", &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("not migrated to nomad"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists() || std::fs::read_dir(&out).expect("dir").next().is_none());
    // A Procfile names no image for the Docker driver to run.
    let o = to_nomad("fixtures/advise/procfile-heroku-dokku", &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("names no image"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists() || std::fs::read_dir(&out).expect("dir").next().is_none());
}

#[test]
fn a_one_shot_step_one_service_waits_for_runs_as_its_prestart_task() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = to_nomad("fixtures/migrate/compose-migrations", &out);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let dir = out.join("fixtures-migrate-compose-migrations");
    let body = hcl::parse(
        &std::fs::read_to_string(dir.join("fixtures-migrate-compose-migrations.nomad.hcl"))
            .expect("job"),
    )
    .expect("parses");
    let job = blocks(&body, "job").next().expect("job");
    let web = blocks(job.body(), "group")
        .find(|g| label(g) == "web")
        .expect("web");
    let migrate = blocks(web.body(), "task")
        .find(|t| label(t) == "migrate")
        .expect("the migration is a task of web's group");
    let lifecycle = blocks(migrate.body(), "lifecycle")
        .next()
        .expect("lifecycle");
    assert_eq!(
        string(attr(lifecycle.body(), "hook")).as_deref(),
        Some("prestart")
    );
    // No job of its own, and web's wait for it is carried, not left.
    assert!(
        !dir.join("fixtures-migrate-compose-migrations-batch.nomad.hcl")
            .exists()
    );
    let guide = std::fs::read_to_string(dir.join("MIGRATION.md")).expect("guide");
    assert!(!guide.contains("starts after `migrate`"), "{guide}");
    assert!(guide.contains("starts after `db`"), "{guide}");
}
