//! The CI side of the command line: several formats in one run, baselines,
//! `--exit-zero`, `--changed-since`, `--context`, `--statistics`, completions
//! and man pages.

use std::path::Path;
use std::process::{Command, Output};

fn orchlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// Two findings: an untagged image and a privileged service.
const COMPOSE: &str = "services:\n  web:\n    image: nginx\n    privileged: true\n    mem_limit: 256m\n    cpus: 0.5\n";

#[test]
fn several_formats_in_one_run() {
    let t = tempfile::tempdir().expect("temp dir");
    write(t.path(), "compose.yaml", COMPOSE);
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--format",
            "github",
            "--format",
            "sarif=out/orchlint.sarif",
            "--format",
            "junit=junit.xml",
            "--format",
            "gitlab=gl.json",
        ],
    );
    // out/ does not exist: that output fails, with exit code 2 and no partial file.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot write out/orchlint.sarif"),
        "{}",
        stderr(&o)
    );
    std::fs::create_dir(t.path().join("out")).expect("mkdir");
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--format",
            "github",
            "--format",
            "sarif=out/orchlint.sarif",
            "--format",
            "junit=junit.xml",
            "--format",
            "gitlab=gl.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("::warning file=compose.yaml,line=3"),
        "{}",
        stdout(&o)
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(t.path().join("out/orchlint.sarif")).expect("sarif written"),
    )
    .expect("valid JSON");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(
        std::fs::read_to_string(t.path().join("junit.xml"))
            .expect("junit")
            .contains("<testcase name=\"compose.yaml\"")
    );
    assert!(
        std::fs::read_to_string(t.path().join("gl.json"))
            .expect("gitlab")
            .contains("\"check_name\": \"security/privileged-container\"")
    );
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(t.path().join("out"))
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    let two_stdout = orchlint(
        t.path(),
        &["check", "--format", "json", "--format", "github"],
    );
    assert_eq!(two_stdout.status.code(), Some(2));
    assert!(stderr(&two_stdout).contains("at most one --format can go to stdout"));
    let unknown = orchlint(t.path(), &["check", "--format", "xml"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("unknown format `xml`"),
        "{}",
        stderr(&unknown)
    );
    // The single-format forms keep working.
    let concise = orchlint(t.path(), &["check", "--isolated", "--format", "concise"]);
    assert!(
        stdout(&concise).starts_with("compose.yaml:3:12: warning [reliability/latest-image-tag]")
    );
    // No --format: concise when stdout is not a terminal.
    assert_eq!(
        stdout(&orchlint(t.path(), &["check", "--isolated"])),
        stdout(&concise)
    );
}

#[test]
fn exit_zero_and_statistics() {
    let t = tempfile::tempdir().expect("temp dir");
    write(t.path(), "compose.yaml", COMPOSE);
    let o = orchlint(t.path(), &["check", "--isolated", "--exit-zero"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("privileged-container"));
    let stats = orchlint(t.path(), &["check", "--isolated", "--statistics"]);
    assert_eq!(stats.status.code(), Some(1));
    assert_eq!(
        stdout(&stats),
        "    1  reliability/latest-image-tag   warning\n    1  security/privileged-container  error\n    2  findings\n"
    );
    let json = orchlint(
        t.path(),
        &["check", "--isolated", "--statistics", "--format", "json"],
    );
    let rows: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(rows[1]["rule"], "security/privileged-container");
    assert_eq!(rows[1]["count"], 1);
    // A usage error still exits 2 with --exit-zero.
    let bad = orchlint(t.path(), &["check", "--exit-zero", "--format", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn baseline_round_trip() {
    let t = tempfile::tempdir().expect("temp dir");
    let dir = t.path();
    write(dir, "app/compose.yaml", COMPOSE);
    write(
        dir,
        "k8s/pods.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: main\n      image: example/a:1.0\n      securityContext: {privileged: true}\n",
    );
    std::fs::create_dir(dir.join("ci")).expect("mkdir");
    // Write: today's findings are recorded and none is reported.
    let w = orchlint(
        dir,
        &[
            "check",
            "--isolated",
            "--select",
            "latest-image-tag,privileged-container",
            "--write-baseline",
            "ci/baseline.json",
        ],
    );
    assert_eq!(w.status.code(), Some(0), "{}{}", stdout(&w), stderr(&w));
    assert_eq!(stdout(&w), "");
    assert!(stderr(&w).contains("recorded 3 findings"), "{}", stderr(&w));
    let text = std::fs::read_to_string(dir.join("ci/baseline.json")).expect("baseline written");
    let b: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(b["version"], 1);
    let entries = b["entries"].as_array().expect("entries");
    let rows: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["rule"].as_str().unwrap_or(""),
                e["file"].as_str().unwrap_or(""),
                e["path"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "reliability/latest-image-tag ../app/compose.yaml services.web.image",
            "security/privileged-container ../app/compose.yaml services.web.privileged",
            "security/privileged-container ../k8s/pods.yaml Pod/a:spec.containers[name=main].securityContext.privileged",
        ],
        "paths are relative to the baseline's directory"
    );
    let check = |dir: &Path| {
        orchlint(
            dir,
            &[
                "check",
                "--isolated",
                "--select",
                "latest-image-tag,privileged-container",
                "--baseline",
                "ci/baseline.json",
            ],
        )
    };
    // Rescan: clean.
    let o = check(dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "");
    // Move lines (a comment, a new service before it, keys reordered): still matched.
    write(
        dir,
        "app/compose.yaml",
        "# moved around\nservices:\n  db:\n    image: postgres:16\n    mem_limit: 1g\n    cpus: 1\n  web:\n    mem_limit: 256m\n    privileged: true\n    cpus: 0.5\n    image: nginx\n",
    );
    let o = check(dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "");
    // Add a finding: only that one is reported; the same rule elsewhere stays covered.
    write(
        dir,
        "k8s/pods.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: sidecar\n      image: example/s:1.0\n      securityContext: {privileged: true}\n    - name: main\n      image: example/a:1.0\n      securityContext: {privileged: true}\n",
    );
    let o = check(dir);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "k8s/pods.yaml:9:25: error [security/privileged-container] container \"sidecar\" of Pod \"a\" runs privileged\n"
    );
    // Remove a finding: the rest is clean and the stale entry is named on stderr.
    write(
        dir,
        "app/compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    mem_limit: 256m\n    cpus: 0.5\n",
    );
    let o = check(dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stdout(&o).contains("compose.yaml"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("1 baseline finding in ci/baseline.json no longer occurs")
            && stderr(&o).contains(
                "  reliability/latest-image-tag ../app/compose.yaml at services.web.image"
            ),
        "{}",
        stderr(&o)
    );
    // A missing or broken baseline is an error, not an empty baseline.
    let bad = orchlint(dir, &["check", "--isolated", "--baseline", "missing.json"]);
    assert_eq!(bad.status.code(), Some(2));
    write(dir, "broken.json", "{\"version\": 1}");
    let bad = orchlint(dir, &["check", "--isolated", "--baseline", "broken.json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("not an orchlint baseline"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn baseline_counts_identical_keys() {
    let t = tempfile::tempdir().expect("temp dir");
    let dir = t.path();
    // Two findings of one rule at one key: an unused suppression listed twice.
    let two =
        "services:\n  web:\n    image: nginx:1.27 # orchlint-ignore: run-as-root, run-as-root\n";
    write(dir, "compose.yaml", two);
    let w = orchlint(
        dir,
        &[
            "check",
            "--isolated",
            "--select",
            "unused-suppression,run-as-root",
            "--write-baseline",
            "b.json",
        ],
    );
    assert_eq!(w.status.code(), Some(0), "{}", stderr(&w));
    let text = std::fs::read_to_string(dir.join("b.json")).expect("baseline");
    assert!(text.contains("\"count\": 2"), "{text}");
    let three = "services:\n  web:\n    image: nginx:1.27 # orchlint-ignore: run-as-root, run-as-root, run-as-root\n";
    write(dir, "compose.yaml", three);
    let o = orchlint(
        dir,
        &[
            "check",
            "--isolated",
            "--select",
            "unused-suppression,run-as-root",
            "--baseline",
            "b.json",
            "--fail-level",
            "info",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o).lines().count(),
        1,
        "only the third: {}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("compose.yaml:3:68:"), "{}", stdout(&o));
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn changed_since_reports_only_changed_files_but_reads_whole_projects() {
    let t = tempfile::tempdir().expect("temp dir");
    let dir = t.path();
    write(dir, "old/compose.yaml", COMPOSE);
    write(
        dir,
        "app/compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 256m\n    cpus: 0.5\n",
    );
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "start"]);
    // An override (changed) that only makes sense with its base (unchanged), and
    // an untracked file.
    write(
        dir,
        "app/compose.override.yaml",
        "services:\n  web:\n    privileged: true\n",
    );
    write(
        dir,
        "new/compose.yaml",
        "services:\n  api:\n    image: example/api\n    mem_limit: 1g\n    cpus: 1\n",
    );
    let o = orchlint(dir, &["check", "--isolated", "--changed-since", "HEAD"]);
    assert_eq!(
        stdout(&o),
        "app/compose.override.yaml:3:5: error [security/privileged-container] service \"web\" runs privileged\nnew/compose.yaml:3:12: warning [reliability/latest-image-tag] image \"example/api\" has no tag, so it means \"latest\"\n",
        "{}",
        stderr(&o)
    );
    // Nothing changed since the revision: nothing to report.
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "more"]);
    let o = orchlint(dir, &["check", "--isolated", "--changed-since", "HEAD"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), String::new()));
    let bad = orchlint(dir, &["check", "--changed-since", "no-such-rev"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("git"), "{}", stderr(&bad));
}

#[test]
fn context_reads_the_directory_and_reports_in_the_named_files() {
    let t = tempfile::tempdir().expect("temp dir");
    let dir = t.path();
    write(
        dir,
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 256m\n    cpus: 0.5\n  db:\n    image: postgres\n    mem_limit: 1g\n    cpus: 1\n",
    );
    write(
        dir,
        "compose.override.yaml",
        "services:\n  web:\n    depends_on: [db]\n    privileged: true\n",
    );
    // Alone, the override's service seems to have no resource limits.
    let alone = orchlint(dir, &["check", "--isolated", "compose.override.yaml"]);
    assert!(
        stdout(&alone).contains("missing-resource-limits"),
        "{}",
        stdout(&alone)
    );
    // With its context, only the real finding in the named file remains.
    let o = orchlint(
        dir,
        &[
            "check",
            "--isolated",
            "--context",
            ".",
            "compose.override.yaml",
        ],
    );
    assert_eq!(
        stdout(&o),
        "compose.override.yaml:4:5: error [security/privileged-container] service \"web\" runs privileged\n"
    );
    let none = orchlint(
        dir,
        &["check", "--isolated", "--context", "missing", "x.yaml"],
    );
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn completions_and_man_pages() {
    let t = tempfile::tempdir().expect("temp dir");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = orchlint(t.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("write-baseline"), "{shell}");
    }
    let man = orchlint(t.path(), &["man"]);
    assert_eq!(man.status.code(), Some(0));
    assert!(
        stdout(&man).starts_with(".ie \\n(.g .ds Aq \\(aq")
            || stdout(&man).contains(".TH orchlint 1"),
        "{}",
        stdout(&man)
    );
    let o = orchlint(t.path(), &["man", "--dir", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let check =
        std::fs::read_to_string(t.path().join("orchlint-check.1")).expect("a page per command");
    assert!(
        check.contains(".TH orchlint-check 1") && check.contains("write\\-baseline"),
        "{check}"
    );
    assert!(t.path().join("orchlint.1").is_file());
}
