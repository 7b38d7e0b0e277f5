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
    let args = [
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
    ];
    let o = orchlint(t.path(), &args);
    // out/ does not exist: that output fails, with exit code 2 and no partial file.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot write out/orchlint.sarif"),
        "{}",
        stderr(&o)
    );
    std::fs::create_dir(t.path().join("out")).expect("mkdir");
    let o = orchlint(t.path(), &args);
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
    assert_eq!(stdout(&w), "No findings.\n");
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
    assert_eq!(stdout(&o), "No findings.\n");
    assert_eq!(stderr(&o), "");
    // Move lines (a comment, a new service before it, keys reordered): still matched.
    write(
        dir,
        "app/compose.yaml",
        "# moved around\nservices:\n  db:\n    image: postgres:16\n    mem_limit: 1g\n    cpus: 1\n  web:\n    mem_limit: 256m\n    privileged: true\n    cpus: 0.5\n    image: nginx\n",
    );
    let o = check(dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "No findings.\n");
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
        "k8s/pods.yaml:9:25: error [security/privileged-container] container \"sidecar\" of Pod \"a\" runs privileged\nFound 1 finding (1 error, 0 warnings, 0 info).\n"
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
        stdout(&o)
            .lines()
            .filter(|l| !l.starts_with("Found "))
            .count(),
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
        "app/compose.override.yaml:3:5: error [security/privileged-container] service \"web\" runs privileged\nnew/compose.yaml:3:12: warning [reliability/latest-image-tag] image \"example/api\" has no tag, so it means \"latest\"\nFound 2 findings (1 error, 1 warning, 0 info).\n",
        "{}",
        stderr(&o)
    );
    // Nothing changed since the revision: nothing to report.
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "more"]);
    let o = orchlint(dir, &["check", "--isolated", "--changed-since", "HEAD"]);
    assert_eq!(
        (o.status.code(), stdout(&o).as_str()),
        (Some(0), "No findings.\n")
    );
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
    // With its context, only the finding in the named file is reported (the
    // base's untagged `postgres` is not).
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
        "compose.override.yaml:4:5: error [security/privileged-container] service \"web\" runs privileged\nFound 1 finding (1 error, 0 warnings, 0 info).\n"
    );
    let none = orchlint(
        dir,
        &["check", "--isolated", "--context", "missing", "x.yaml"],
    );
    assert_eq!(none.status.code(), Some(2));
    let typo = orchlint(
        dir,
        &[
            "check",
            "--isolated",
            "--context",
            ".",
            "compose.overide.yaml",
        ],
    );
    assert_eq!(
        typo.status.code(),
        Some(2),
        "a named file that does not exist is an error"
    );
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

fn mapping_get<'a>(node: &'a orchlint::yaml::Node, key: &str) -> Option<&'a orchlint::yaml::Node> {
    node.as_mapping()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

/// The composite action's "Run orchlint" step, run as the runner would: its
/// script with the inputs in the environment, and `$GITHUB_OUTPUT` to write to.
#[test]
fn the_github_action_runs_orchlint_with_its_inputs() {
    let text = std::fs::read_to_string("action.yml").expect("action.yml at the root");
    let parsed = orchlint::yaml::parse(&text);
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    let doc = &parsed.documents[0];
    let inputs = mapping_get(doc, "inputs").expect("inputs");
    for input in [
        "paths",
        "format",
        "fail-level",
        "baseline",
        "upload-sarif",
        "version",
    ] {
        assert!(mapping_get(inputs, input).is_some(), "input {input}");
    }
    let steps = mapping_get(mapping_get(doc, "runs").expect("runs"), "steps")
        .and_then(|s| s.as_sequence())
        .expect("steps");
    let step = steps
        .iter()
        .find(|s| mapping_get(s, "id").and_then(|i| i.as_str()) == Some("run"))
        .expect("the run step");
    let script = mapping_get(step, "run")
        .and_then(|r| r.as_str())
        .expect("a script");
    let uses: Vec<&str> = steps
        .iter()
        .filter_map(|s| mapping_get(s, "uses").and_then(|u| u.as_str()))
        .collect();
    assert_eq!(uses, ["github/codeql-action/upload-sarif@v4"]);

    let t = tempfile::tempdir().expect("temp dir");
    write(t.path(), "specs/compose.yaml", COMPOSE);
    write(t.path(), "other/compose.yaml", COMPOSE);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_orchlint"))
        .parent()
        .expect("the binary's folder");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |envs: &[(&str, &str)]| {
        let output = t.path().join("github-output");
        let _ = std::fs::remove_file(&output);
        let o = Command::new("bash")
            .args(["-c", script])
            .current_dir(t.path())
            .env("PATH", &path)
            .env("GITHUB_OUTPUT", &output)
            .envs(envs.iter().copied())
            .output()
            .expect("bash runs");
        (o, std::fs::read_to_string(&output).unwrap_or_default())
    };
    let defaults = [
        ("PATHS", "specs"),
        ("FORMAT", "github"),
        ("FAIL_LEVEL", "warning"),
        ("BASELINE", ""),
        ("UPLOAD_SARIF", "true"),
        ("SARIF_FILE", "orchlint.sarif"),
        ("EXTRA_ARGS", "--isolated"),
    ];
    let (o, outputs) = run(&defaults);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the step itself succeeds: {}",
        stderr(&o)
    );
    assert_eq!(outputs, "sarif-file=orchlint.sarif\nexit-code=1\n");
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    assert!(stdout(&o).starts_with("::warning file=specs/compose.yaml,"));
    assert!(t.path().join("orchlint.sarif").is_file());
    // A baseline and a fail level that lets warnings pass; no SARIF asked for.
    let w = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "privileged-container",
            "--write-baseline",
            "base.json",
            "specs",
        ],
    );
    assert_eq!(w.status.code(), Some(0), "{}", stderr(&w));
    let mut envs = defaults.to_vec();
    envs[3] = ("BASELINE", "base.json");
    envs[4] = ("UPLOAD_SARIF", "false");
    envs[2] = ("FAIL_LEVEL", "error");
    let (o, outputs) = run(&envs);
    assert_eq!(outputs, "exit-code=0\n", "{}", stdout(&o));
    assert!(stdout(&o).contains("latest-image-tag") && !stdout(&o).contains("privileged"));
    // Several paths, and no extra arguments.
    envs[0] = ("PATHS", "specs other");
    envs[6] = ("EXTRA_ARGS", "");
    envs[3] = ("BASELINE", "");
    let (o, outputs) = run(&envs);
    assert_eq!(outputs, "exit-code=1\n", "{}", stderr(&o));
    assert!(stdout(&o).contains("file=other/compose.yaml"));
}

#[test]
fn the_pre_commit_hook_is_declared() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").expect("hooks file at the root");
    let parsed = orchlint::yaml::parse(&text);
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    let hooks = parsed.documents[0].as_sequence().expect("a list of hooks");
    let hook = &hooks[0];
    let get = |k| {
        mapping_get(hook, k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(get("id"), "orchlint");
    // Installed with pip: the wheel of pyproject.toml, or the prebuilt one from PyPI.
    assert_eq!(get("language"), "python");
    assert_eq!(get("pass_filenames"), "true");
    assert!(get("entry").starts_with("orchlint check"));
    // The entry works as pre-commit runs it: the repository as working directory,
    // file names appended.
    let t = tempfile::tempdir().expect("temp dir");
    write(t.path(), "compose.yaml", COMPOSE);
    let mut args: Vec<String> = get("entry")
        .split_whitespace()
        .skip(1)
        .map(String::from)
        .collect();
    args.extend(["--isolated".to_string(), "compose.yaml".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = orchlint(t.path(), &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("compose.yaml:4:5: error [security/privileged-container]"));
}

#[test]
fn concise_ends_with_the_human_summary_and_ci_formats_do_not() {
    let t = tempfile::tempdir().expect("temp dir");
    write(t.path(), "compose.yaml", COMPOSE);
    let run = |format: &str| {
        stdout(&orchlint(
            t.path(),
            &["check", "--isolated", "--exit-zero", "--format", format],
        ))
    };
    let concise = run("concise");
    let human = run("human");
    let last = |s: &str| s.trim_end().lines().last().unwrap_or_default().to_string();
    assert!(last(&concise).starts_with("Found "), "{concise}");
    assert!(last(&concise).ends_with(" info)."), "{concise}");
    assert_eq!(last(&concise), last(&human));
    // Every other line is a finding.
    let findings = concise.lines().count() - 1;
    assert!(last(&concise).starts_with(&format!("Found {findings} finding")));
    // The machine formats carry no summary line.
    for format in ["json", "sarif", "github", "gitlab", "junit"] {
        let out = run(format);
        assert!(!out.contains("Found "), "{format}: {out}");
        assert!(!out.contains("No findings."), "{format}: {out}");
    }
    // A clean run says so, as the human format does.
    let clean = tempfile::tempdir().expect("temp dir");
    write(
        clean.path(),
        "notes.yaml",
        "services:\n  web:\n    image: nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
    );
    let out = orchlint(
        clean.path(),
        &[
            "check",
            "--isolated",
            "--format",
            "concise",
            "--select",
            "undefined-network",
        ],
    );
    assert_eq!(stdout(&out), "No findings.\n");
}

#[test]
fn a_run_without_spec_files_says_so_on_stderr() {
    let t = tempfile::tempdir().expect("temp dir");
    let none = orchlint(t.path(), &["check", "--isolated"]);
    assert!(
        stderr(&none).contains("no spec file found: no .yaml"),
        "{}",
        stderr(&none)
    );
    write(t.path(), "notes.yaml", "title: not a spec\n");
    let aside = orchlint(t.path(), &["check", "--isolated"]);
    assert!(
        stderr(&aside).contains("no spec file found: 1 candidate file was set aside"),
        "{}",
        stderr(&aside)
    );
    write(t.path(), "compose.yaml", COMPOSE);
    let some = orchlint(t.path(), &["check", "--isolated", "--exit-zero"]);
    assert!(!stderr(&some).contains("no spec file"), "{}", stderr(&some));
}

#[test]
fn color_follows_the_flag_then_no_color_then_clicolor_force() {
    let t = tempfile::tempdir().expect("temp dir");
    write(t.path(), "compose.yaml", COMPOSE);
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_orchlint"));
        cmd.args(["check", "--isolated", "--exit-zero", "--format", "human"])
            .args(args)
            .current_dir(t.path())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("the binary runs");
        String::from_utf8_lossy(&out.stdout).contains('\u{1b}')
    };
    // Not a terminal: no colour unless asked.
    assert!(!run(&[], &[]));
    assert!(run(&["--color", "always"], &[]));
    assert!(run(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!run(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!run(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(run(&["--color", "always"], &[("NO_COLOR", "1")]));
    let bad = Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(["check", "--color", "sometimes"])
        .current_dir(t.path())
        .output()
        .expect("the binary runs");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn alternative_compose_files_merge_only_when_the_project_says_so() {
    let t = tempfile::tempdir().expect("temp dir");
    let dir = t.path();
    write(
        dir,
        "docker-compose.yml",
        "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 256m\n    cpus: 0.5\n",
    );
    write(
        dir,
        "docker-compose.prod.yml",
        "services:\n  web:\n    restart: always\n    deploy:\n      update_config:\n        parallelism: 1\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            ".",
            "--format",
            "concise",
            "--select",
            "missing-resource-limits",
        ];
        args.extend_from_slice(extra);
        stdout(&orchlint(dir, &args))
    };
    // Alone, the alternative file is a project of its own (a stack, by its
    // `deploy.update_config`): its service sets no limits.
    let alone = run(&["--isolated"]);
    assert!(
        alone.starts_with(
            "docker-compose.prod.yml:2:3: warning [reliability/missing-resource-limits]"
        ),
        "{alone}"
    );
    assert_eq!(alone.lines().count(), 2, "{alone}");
    // Named by the configuration, it is merged onto the base, as `-f` would.
    write(
        dir,
        "orchlint.toml",
        "[compose]\nprojects = [[\"docker-compose.yml\", \"docker-compose.prod.yml\"]]\n",
    );
    assert_eq!(run(&[]), "No findings.\n");
    // So it is when `.env` names it in COMPOSE_FILE.
    std::fs::remove_file(dir.join("orchlint.toml")).expect("rm");
    write(
        dir,
        ".env",
        "COMPOSE_FILE=docker-compose.yml:docker-compose.prod.yml\n",
    );
    assert_eq!(run(&["--isolated"]), "No findings.\n");
}

/// A Compose project of about 1.5 KB: each service has a `latest` image, the
/// last one also runs privileged.
fn project(n: usize) -> String {
    let mut text = format!("name: p{n}\nservices:\n");
    for s in 0..12 {
        text.push_str(&format!(
            "  svc{s}:\n    image: registry.example/app{n}-{s}:latest\n    mem_limit: 256m\n    cpus: 0.5\n"
        ));
    }
    text.push_str("    privileged: true\n");
    text
}

#[test]
fn baselines_match_with_and_without_the_cache() {
    // Some 300 KB of specs, scanned in chunks: without the cache, and through it
    // (a first run that records, then reruns that read its findings back).
    // Baselines written and applied must be the same.
    let t = tempfile::tempdir().expect("temp dir");
    let dir = t.path();
    for n in 0..200 {
        write(dir, &format!("p{n:03}/compose.yaml"), &project(n));
    }
    let cache = tempfile::tempdir().expect("temp dir");
    let cache = cache.path().to_str().expect("utf-8 path");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--isolated",
            "--select",
            "latest-image-tag,privileged-container",
        ];
        args.extend(extra);
        orchlint(dir, &args)
    };
    let streamed = run(&["--no-cache", "--write-baseline", "streamed.json"]);
    let whole = run(&["--cache-dir", cache, "--write-baseline", "whole.json"]);
    assert_eq!(streamed.status.code(), Some(0), "{}", stderr(&streamed));
    assert_eq!(stdout(&streamed), stdout(&whole));
    assert!(
        stderr(&streamed).contains("recorded 2600 findings in 2600 baseline entries"),
        "{}",
        stderr(&streamed)
    );
    assert_eq!(
        stderr(&streamed).replace("streamed.json", "whole.json"),
        stderr(&whole)
    );
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("baseline written");
    assert_eq!(read("streamed.json"), read("whole.json"));
    // A new finding in the first project, one gone from the last.
    write(
        dir,
        "p000/compose.yaml",
        &project(0).replace(
            "cpus: 0.5\n  svc1:",
            "cpus: 0.5\n    privileged: true\n  svc1:",
        ),
    );
    write(
        dir,
        "p199/compose.yaml",
        &project(199).replace("app199-3:latest", "app199-3:1.0"),
    );
    let streamed = run(&["--no-cache", "--baseline", "streamed.json"]);
    let whole = run(&["--cache-dir", cache, "--baseline", "streamed.json"]);
    assert_eq!(streamed.status.code(), Some(1), "{}", stderr(&streamed));
    assert_eq!(
        stdout(&streamed),
        "p000/compose.yaml:7:5: error [security/privileged-container] service \"svc0\" runs privileged\nFound 1 finding (1 error, 0 warnings, 0 info).\n"
    );
    assert_eq!(stdout(&streamed), stdout(&whole));
    assert!(
        stderr(&streamed)
            .contains("reliability/latest-image-tag p199/compose.yaml at services.svc3.image"),
        "{}",
        stderr(&streamed)
    );
    assert_eq!(stderr(&streamed), stderr(&whole));
}
