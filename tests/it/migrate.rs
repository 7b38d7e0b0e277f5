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

/// The snapshots this module writes: one per source folder of `fixtures/migrate`.
pub(crate) fn snapshot_names() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir("fixtures/migrate")
        .expect("fixtures/migrate")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_direction_to_kubernetes_is_pinned_and_checks_without_error() {
    let cases = snapshot_names();
    assert!(cases.len() >= 6, "{cases:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/migrate");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for case in cases {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out_dir = tmp.path().join("out");
        let src = format!("fixtures/migrate/{case}");
        let o = orchlint(&[
            "migrate",
            &src,
            "--to",
            "kubernetes",
            "--out",
            out_dir.to_str().expect("utf-8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{case}: {}", text(&o.stderr));
        let written = listing(&out_dir);
        assert!(written.contains("kustomization.yaml"), "{case}");
        assert!(written.contains("MIGRATION.md"), "{case}");
        settings.bind(|| insta::assert_snapshot!(case.clone(), written));
        // What migrate writes, orchlint's own check accepts: no error at all
        // (warnings such as missing probes are the source's own gaps).
        let check = orchlint(&[
            "check",
            "--isolated",
            "--no-cache",
            "--format",
            "json",
            out_dir.to_str().expect("utf-8"),
        ]);
        let doc: serde_json::Value = serde_json::from_slice(&check.stdout).expect("check's JSON");
        let errors: Vec<&serde_json::Value> = doc["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{case}: {errors:#?}");
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
