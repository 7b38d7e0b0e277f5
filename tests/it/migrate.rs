//! `orchlint migrate`: every direction's output from the real-looking sources in
//! `fixtures/migrate/` is pinned by a snapshot and passes orchlint's own check
//! with no error; the output folder is never over the sources.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn orchlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every file under `dir`, sorted, as `== relative path ==` and its text.
fn listing(dir: &Path) -> String {
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
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(dir)
                .expect("under dir")
                .display()
                .to_string();
            format!(
                "== {rel} ==\n{}",
                std::fs::read_to_string(f).expect("utf-8")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every direction pinned by a snapshot: a source folder of `fixtures/migrate`
/// and the target it is written for.
const DIRECTIONS: &[(&str, &str)] = &[
    ("brooklyn-blueprint", "kubernetes"),
    ("compose-shop", "kubernetes"),
    ("fig-v1", "kubernetes"),
    ("flocker-app", "kubernetes"),
    ("marathon-group", "kubernetes"),
    ("swarm-stack", "kubernetes"),
    ("swarm-policies", "kubernetes"),
    ("marathon-pod", "kubernetes"),
    ("compose-migrations", "kubernetes"),
    ("swarm-stack", "compose"),
    ("fig-v1", "compose"),
    ("fig-data-container", "compose"),
    ("flocker-app", "compose"),
    ("brooklyn-blueprint", "compose"),
    ("marathon-group", "compose"),
    ("kubernetes-small", "compose"),
    ("procfile-app", "compose"),
    ("compose-shop", "swarm"),
    ("fig-v1", "swarm"),
    ("fig-data-container", "swarm"),
    ("marathon-group", "swarm"),
    ("procfile-app", "dokku"),
];

/// A direction's snapshot: the source's name for Kubernetes (the first target),
/// `SOURCE-to-TARGET` for the others.
fn snapshot_name(case: &str, target: &str) -> String {
    if target == "kubernetes" {
        case.to_string()
    } else {
        format!("{case}-to-{target}")
    }
}

/// The snapshots this module writes: one per direction.
pub(crate) fn snapshot_names() -> Vec<String> {
    let mut names: Vec<String> = DIRECTIONS
        .iter()
        .map(|(c, t)| snapshot_name(c, t))
        .collect();
    names.sort();
    names
}

/// Errors of orchlint's own check on a folder.
fn check_errors(dir: &Path) -> Vec<serde_json::Value> {
    let check = orchlint(&[
        "check",
        "--isolated",
        "--no-cache",
        "--format",
        "json",
        dir.to_str().expect("utf-8"),
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&check.stdout).expect("check's JSON");
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .cloned()
        .collect()
}

fn migrate_into(src: &str, target: &str, out_dir: &Path) -> Output {
    orchlint(&[
        "migrate",
        src,
        "--to",
        target,
        "--out",
        out_dir.to_str().expect("utf-8"),
    ])
}

#[test]
fn every_direction_is_pinned_and_checks_without_error() {
    // Every source folder is the input of some direction (or of a refusal).
    let folders: Vec<String> = std::fs::read_dir("fixtures/migrate")
        .expect("fixtures/migrate")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for f in &folders {
        assert!(
            DIRECTIONS.iter().any(|(c, _)| c == f) || f == "kubernetes-coupled",
            "fixtures/migrate/{f} is no direction's input"
        );
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/migrate");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for (case, target) in DIRECTIONS {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out_dir = tmp.path().join("out");
        let o = migrate_into(&format!("fixtures/migrate/{case}"), target, &out_dir);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{case} to {target}: {}",
            text(&o.stderr)
        );
        let written = listing(&out_dir);
        let main_file = match *target {
            "kubernetes" => "kustomization.yaml",
            "compose" => "compose.yaml",
            "swarm" => "docker-stack.yml",
            _ => "dokku-setup.sh",
        };
        assert!(written.contains(main_file), "{case} to {target}");
        assert!(written.contains("MIGRATION.md"), "{case} to {target}");
        settings.bind(|| insta::assert_snapshot!(snapshot_name(case, target), written));
        // What migrate writes, orchlint's own check accepts: no error at all
        // (warnings such as missing probes are the source's own gaps).
        let errors = check_errors(&out_dir);
        assert!(errors.is_empty(), "{case} to {target}: {errors:#?}");
    }
}

/// A file of the one project folder under `dir`.
fn spec_in(dir: &Path, name: &str) -> String {
    let project = std::fs::read_dir(dir)
        .expect("out dir")
        .flatten()
        .next()
        .expect("one project folder")
        .path();
    std::fs::read_to_string(project.join(name)).expect("spec written")
}

#[test]
fn a_swarm_stack_goes_to_compose_and_back_keeping_copies_and_resources() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let compose = tmp.path().join("compose");
    let o = migrate_into("fixtures/migrate/swarm-stack", "compose", &compose);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let one_host = spec_in(&compose, "compose.yaml");
    // Compose honours replicas and resources; placement and global mode are gone.
    for want in ["replicas: 3", "cpus: \"0.25\"", "memory: 1G", "\"80:8080\""] {
        assert!(one_host.contains(want), "{want} in\n{one_host}");
    }
    // The overlay network is a bridge network of the one host.
    assert!(one_host.contains("monitoring: {}"), "{one_host}");
    for gone in [
        "placement",
        "mode: global",
        "update_config",
        "version:",
        "overlay",
    ] {
        assert!(!one_host.contains(gone), "{gone} in\n{one_host}");
    }
    let guide = spec_in(&compose, "MIGRATION.md");
    for left in [
        "docker-stack.yml:14:13: placement `node.role == worker`",
        "docker-stack.yml:10:7: service \"api\" sets `deploy.update_config`",
        "docker-stack.yml:27:7: service \"agent\" runs one copy on every node",
    ] {
        assert!(guide.contains(left), "{left} in\n{guide}");
    }
    // And back to a stack: the same copies, resources and health check.
    let stack = tmp.path().join("stack");
    let o = migrate_into(compose.to_str().expect("utf-8"), "swarm", &stack);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let back = spec_in(&stack, "docker-stack.yml");
    for want in [
        "version: \"3.8\"",
        "replicas: 3",
        "cpus: \"1\"",
        "memory: 512M",
        "- wget",
        "\"80:8080\"",
        "driver: overlay",
    ] {
        assert!(back.contains(want), "{want} in\n{back}");
    }
}

#[test]
fn compose_to_a_stack_moves_restart_and_leaves_the_build_for_a_person() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = migrate_into("fixtures/migrate/compose-shop", "swarm", &out);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let stack = spec_in(&out, "docker-stack.yml");
    // `restart: "no"` becomes the stack's restart policy; `build` is not written
    // (the stack ignores it), nor is `depends_on`.
    assert!(stack.contains("condition: none"), "{stack}");
    assert!(!stack.contains("build"), "{stack}");
    assert!(!stack.contains("depends_on"), "{stack}");
    let guide = spec_in(&out, "MIGRATION.md");
    assert!(
        guide.contains(
            "compose.yaml:4:12: service \"front\" is built from `./front` and names no image"
        ),
        "{guide}"
    );
    assert!(
        guide.contains("docker stack deploy -c docker-stack.yml fixtures-migrate-compose-shop"),
        "{guide}"
    );
}

#[test]
fn fig_keys_become_the_compose_specification() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = migrate_into("fixtures/migrate/fig-data-container", "compose", &out);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let spec = spec_in(&out, "compose.yaml");
    for want in [
        // `net` with Fig's name for the app's container: the service itself.
        "network_mode: \"service:app\"",
        "volumes_from:\n      - data",
        "external_links:\n      - \"registry_cache_1:registry\"",
        "links:\n      - \"db:database\"",
        // The data container's anonymous volume, named so `down` keeps it.
        "data-data:/var/lib/postgresql/data",
        // Fig did not interpolate: a `$` stays a `$`.
        "SECRET: pa$$word",
    ] {
        assert!(spec.contains(want), "{want} in\n{spec}");
    }
    assert!(!spec.contains("privileged"), "{spec}");
    // A stack supports neither: both are left for a person, with their place.
    let stack_out = tmp.path().join("stack");
    let o = migrate_into("fixtures/migrate/fig-data-container", "swarm", &stack_out);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let guide = spec_in(&stack_out, "MIGRATION.md");
    for want in [
        "fig.yml:12:7: service \"db\" mounts the volumes of `data`: `docker stack deploy` does not support `volumes_from`",
        "fig.yml:28:3: service \"logs\" uses `network_mode: service:app`, which `docker stack deploy` ignores",
    ] {
        assert!(guide.contains(want), "{want} in\n{guide}");
    }
}

#[test]
fn a_kubernetes_project_coupled_to_kubernetes_is_refused_with_its_objects() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = migrate_into("fixtures/migrate/kubernetes-coupled", "compose", &out);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    for want in [
        "not migrated to compose: the project is coupled to what only Kubernetes runs (2 objects)",
        "app.yaml:26:9 VirtualService \"api\" (networking.istio.io/v1) (service-mesh routing and policy (Istio))",
        "app.yaml:37:9 Role \"api-config-reader\"",
    ] {
        assert!(err.contains(want), "{want} in {err}");
    }
    assert!(!out.exists() || std::fs::read_dir(&out).expect("dir").next().is_none());
}

#[test]
fn directions_that_make_no_sense_are_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (src, target, why) in [
        ("compose-shop", "compose", "already written for Compose"),
        ("swarm-stack", "swarm", "already a Swarm stack"),
        ("procfile-app", "swarm", "move it to Compose first"),
        (
            "compose-shop",
            "dokku",
            "Dokku deploys an app from its git repository",
        ),
    ] {
        let out = tmp.path().join(format!("{src}-{target}"));
        let o = migrate_into(&format!("fixtures/migrate/{src}"), target, &out);
        assert_eq!(o.status.code(), Some(1), "{src} to {target}");
        assert!(
            text(&o.stderr).contains(why),
            "{src} to {target}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn a_procfile_app_on_heroku_stays_and_dokku_is_written_on_request() {
    // The fixture's app.json names Heroku's stack, where the advisor keeps it (an
    // unnamed Procfile app ranking Dokku first is the advise scenario
    // procfile-paas-unnamed); `--to dokku` writes its commands.
    let tmp = tempfile::tempdir().expect("temp dir");
    let kept = orchlint(&[
        "migrate",
        "fixtures/migrate/procfile-app",
        "--out",
        tmp.path().join("kept").to_str().expect("utf-8"),
    ]);
    assert!(
        text(&kept.stdout).contains("stays on Heroku"),
        "{}",
        text(&kept.stdout)
    );
    assert!(
        !tmp.path().join("kept").exists(),
        "nothing is written when the app stays"
    );
    let out = tmp.path().join("out");
    let o = orchlint(&[
        "migrate",
        "fixtures/migrate/procfile-app",
        "--to",
        "dokku",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("files for dokku"),
        "{}",
        text(&o.stdout)
    );
    let script = spec_in(&out, "dokku-setup.sh");
    for want in [
        "dokku postgres:create \"$APP-postgres\"",
        "dokku redis:link \"$APP-redis\" \"$APP\"",
        "dokku ps:scale --skip-deploy \"$APP\" web=2 worker=1",
    ] {
        assert!(script.contains(want), "{want} in\n{script}");
    }
}

#[test]
fn the_output_folder_must_be_empty_and_never_a_source() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = tmp.path().join("app");
    std::fs::create_dir_all(&src).expect("mkdir");
    let spec = "services:\n  web:\n    image: nginx:1.27\n";
    std::fs::write(src.join("compose.yaml"), spec).expect("spec");
    // A folder that holds files (here: the sources) is refused without --force.
    let o = orchlint(&[
        "migrate",
        src.to_str().expect("utf-8"),
        "--to",
        "kubernetes",
        "--out",
        src.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("is not empty"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(src.join("compose.yaml")).expect("spec"),
        spec
    );
    // An empty folder is written; a second run into it needs --force.
    let out = tmp.path().join("out");
    let args = |force: bool| {
        let mut a = vec![
            "migrate".to_string(),
            src.display().to_string(),
            "--to".into(),
            "kubernetes".into(),
            "--out".into(),
            out.display().to_string(),
        ];
        if force {
            a.push("--force".into());
        }
        a
    };
    let run = |a: Vec<String>| {
        Command::new(env!("CARGO_BIN_EXE_orchlint"))
            .args(a)
            .current_dir(tmp.path())
            .output()
            .expect("runs")
    };
    assert_eq!(run(args(false)).status.code(), Some(0));
    assert!(
        out.join("app/web-deployment.yaml").is_file(),
        "{}",
        listing(&out)
    );
    assert_eq!(run(args(false)).status.code(), Some(2));
    assert_eq!(run(args(true)).status.code(), Some(0));
}

#[test]
fn directions_it_does_not_write_are_refused_with_the_reason() {
    let o = orchlint(&[
        "migrate",
        "fixtures/migrate/fig-v1",
        "--to",
        "nomad",
        "--out",
    ]);
    assert_eq!(o.status.code(), Some(2), "--out needs a value");
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = orchlint(&[
        "migrate",
        "fixtures/example/kubernetes",
        "--to",
        "nomad",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("not migrated to nomad"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.join("fixtures-example-kubernetes").exists());
    // A Kubernetes project is not migrated to Kubernetes.
    let o = orchlint(&[
        "migrate",
        "fixtures/example/kubernetes",
        "--to",
        "kubernetes",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("already written for Kubernetes"));
}

#[test]
fn without_to_the_advisor_decides_and_a_fitting_project_stays() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    // A one-host Compose project fits Compose: nothing is written.
    let o = orchlint(&[
        "migrate",
        "fixtures/migrate/compose-shop",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("stays on"), "{}", text(&o.stdout));
    assert!(!out.exists() || std::fs::read_dir(&out).expect("dir").next().is_none());
}
