//! The command line as users meet it: exit codes, stdin, configuration discovery,
//! suppressions and broken input.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn orchlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, text: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const PRIVILEGED: &str = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n";
const CLEAN: &str =
    "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 256m\n    cpus: 0.5\n";

#[test]
fn exit_codes_follow_the_fail_level() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "clean/compose.yaml", CLEAN.as_bytes());
    write(t.path(), "bad/compose.yaml", PRIVILEGED.as_bytes());
    let clean = orchlint(t.path(), &["check", "clean"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert_eq!(stdout(&clean), "No findings.\n");
    let bad = orchlint(t.path(), &["check", "bad"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).contains("bad/compose.yaml:4:5: error [security/privileged-container]"),
        "{}",
        stdout(&bad)
    );
    let never = orchlint(t.path(), &["check", "bad", "--fail-level", "never"]);
    assert_eq!(never.status.code(), Some(0));
    let usage = orchlint(t.path(), &["check", "--no-such-flag"]);
    assert_eq!(usage.status.code(), Some(2));
    let unknown_rule = orchlint(
        t.path(),
        &["check", "bad", "--select", "privileged-contaner"],
    );
    assert_eq!(unknown_rule.status.code(), Some(2));
    assert!(stderr(&unknown_rule).contains("did you mean `privileged-container`"));
    let missing = orchlint(t.path(), &["check", "no-such-dir"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn select_and_ignore_take_names_codes_and_families() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "compose.yaml",
        b"services:\n  web:\n    image: nginx\n    privileged: true\n",
    );
    let by_family = stdout(&orchlint(t.path(), &["check", ".", "--select", "security"]));
    assert!(by_family.contains("privileged-container") && !by_family.contains("latest-image-tag"));
    let by_code = stdout(&orchlint(
        t.path(),
        &["check", ".", "--select", "reliability/latest-image-tag"],
    ));
    assert!(by_code.contains("latest-image-tag") && !by_code.contains("privileged"));
    let ignored = stdout(&orchlint(
        t.path(),
        &["check", ".", "--ignore", "privileged-container,reliability"],
    ));
    assert!(
        !ignored.contains("privileged") && !ignored.contains("latest-image-tag"),
        "{ignored}"
    );
}

#[test]
fn stdin_is_one_document_stream_named_by_stdin_filename() {
    let t = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args([
            "check",
            "-",
            "--stdin-filename",
            "rendered/compose.yaml",
            "--select",
            "privileged-container",
        ])
        .current_dir(t.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(PRIVILEGED.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "rendered/compose.yaml:4:5: error [security/privileged-container] service \"web\" runs privileged\nFound 1 finding (1 error, 0 warnings, 0 info).\n"
    );
}

#[test]
fn config_is_found_by_walking_up_and_isolated_ignores_it() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "orchlint.toml",
        b"ignore = [\"privileged-container\"]\n[severity]\nlatest-image-tag = \"error\"\n",
    );
    write(
        t.path(),
        "apps/web/compose.yaml",
        b"services:\n  web:\n    image: nginx\n    privileged: true\n",
    );
    let out = stdout(&orchlint(&t.path().join("apps"), &["check", "web"]));
    assert!(!out.contains("privileged-container"), "{out}");
    assert!(
        out.contains("error [reliability/latest-image-tag]"),
        "{out}"
    );
    let isolated = stdout(&orchlint(
        &t.path().join("apps"),
        &["check", "web", "--isolated"],
    ));
    assert!(isolated.contains("privileged-container"));
    assert!(isolated.contains("warning [reliability/latest-image-tag]"));
}

#[test]
fn config_errors_name_the_key_line_and_closest_key() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        ".orchlint.toml",
        b"select = [\"all\"]\nfail_level = \"error\"\n",
    );
    write(t.path(), "compose.yaml", CLEAN.as_bytes());
    let out = orchlint(t.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(".orchlint.toml:2:1: unknown key `fail_level`; did you mean `fail-level`?"),
        "{err}"
    );
}

/// The API versions of two objects: one removed in 1.25, one served since 1.23.
const OLD_AND_NEW_APIS: &str = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: backup\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n";

#[test]
fn the_kubernetes_release_comes_from_the_flag_or_the_config() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "k8s/objects.yaml", OLD_AND_NEW_APIS.as_bytes());
    let select = "removed-api-version,api-version-too-new";
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "k8s", "--format", "concise", "--select", select];
        args.extend_from_slice(extra);
        let out = orchlint(t.path(), &args);
        let rules: Vec<String> = stdout(&out)
            .lines()
            .filter(|l| !l.starts_with("Found ") && *l != "No findings.")
            .map(|l| {
                l.split(" [")
                    .nth(1)
                    .unwrap_or("")
                    .split(']')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        (out.status.code(), rules, stdout(&out))
    };
    // The newest release: batch/v1beta1 is removed, autoscaling/v2 is served.
    let (code, rules, out) = run(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(rules, ["correctness/removed-api-version"], "{out}");
    assert!(out.contains("which Kubernetes 1.25 removed"), "{out}");
    // 1.24 serves both.
    let (code, rules, out) = run(&["--kubernetes-version", "1.24"]);
    assert_eq!((code, rules.len()), (Some(0), 0), "{out}");
    // 1.22 serves batch/v1beta1 but not autoscaling/v2 yet.
    let (_, rules, out) = run(&["--kubernetes-version", "v1.22"]);
    assert_eq!(rules, ["schema/api-version-too-new"], "{out}");
    assert!(
        out.contains("serves since 1.23; the target release 1.22"),
        "{out}"
    );
    // The config key does the same; the flag wins over it.
    write(
        t.path(),
        "orchlint.toml",
        b"[kubernetes]\nversion = \"1.22\"\n",
    );
    let (_, rules, out) = run(&[]);
    assert_eq!(rules, ["schema/api-version-too-new"], "{out}");
    let (_, rules, out) = run(&["--kubernetes-version", "1.25"]);
    assert_eq!(rules, ["correctness/removed-api-version"], "{out}");
    // Values that are not a release it knows are usage errors.
    for (bad, says) in [
        ("1.x", "is not a Kubernetes release"),
        ("banana", "is not a Kubernetes release"),
        ("1.12", "older than the releases"),
    ] {
        let out = orchlint(t.path(), &["check", "k8s", "--kubernetes-version", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains(says), "{bad}: {}", stderr(&out));
    }
    write(
        t.path(),
        "orchlint.toml",
        b"[kubernetes]\nversion = \"1.x\"\n",
    );
    let out = orchlint(t.path(), &["check", "k8s"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "orchlint.toml:2:11: [kubernetes] version: `1.x` is not a Kubernetes release"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn suppressions_by_comment_file_and_annotation() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "a/compose.yaml",
        b"services:\n  web:\n    image: nginx:1.27\n    privileged: true # orchlint-ignore: privileged-container -- needs raw sockets\n  db:\n    # orchlint-ignore: latest-image-tag\n    image: postgres\n",
    );
    write(
        t.path(),
        "b/compose.yaml",
        b"# orchlint-ignore-file: security\nservices:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
    );
    write(
        t.path(),
        "c/pod.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    orchlint.dev/ignore: \"privileged-container\"\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext: {privileged: true}\n",
    );
    let out = stdout(&orchlint(
        t.path(),
        &[
            "check",
            ".",
            "--select",
            "privileged-container,latest-image-tag,suppression",
        ],
    ));
    assert!(!out.contains("privileged-container]"), "{out}");
    assert!(!out.contains("latest-image-tag]"), "{out}");
    assert!(!out.contains("unused-suppression"), "{out}");
}

#[test]
fn broken_inputs_give_one_finding_each_and_the_scan_goes_on() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path();
    write(
        p,
        "invalid/compose.yaml",
        b"services:\n  web:\n    image: [nginx\n",
    );
    write(
        p,
        "utf8/compose.yaml",
        b"services:\n  web:\n    image: caf\xe9\n",
    );
    write(p, "binary/compose.yaml", b"\x7fELF\x02\x01\x01\x00\x00\x00");
    write(p, "empty/compose.yaml", b"");
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("services: {web: {image: nginx}}\n");
    write(p, "bomb/compose.yaml", bomb.as_bytes());
    let deep_flow = "[".repeat(10_000) + &"]".repeat(10_000);
    write(p, "deepflow/compose.yaml", deep_flow.as_bytes());
    let mut deep_block = String::new();
    for i in 0..10_000 {
        deep_block.push_str(&" ".repeat(i));
        deep_block.push_str("k:\n");
    }
    write(p, "deepblock/compose.yaml", deep_block.as_bytes());
    write(p, "good/compose.yaml", PRIVILEGED.as_bytes());
    let out = orchlint(p, &["check", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    for dir in [
        "invalid",
        "utf8",
        "binary",
        "empty",
        "bomb",
        "deepflow",
        "deepblock",
    ] {
        let file = format!("{dir}/compose.yaml");
        let mine: Vec<_> = diags.iter().filter(|d| d["file"] == file).collect();
        assert_eq!(mine.len(), 1, "{file}: {mine:?}");
        assert!(mine[0]["start"]["line"].as_u64().unwrap() >= 1);
    }
    assert!(
        diags
            .iter()
            .any(|d| d["file"] == "good/compose.yaml"
                && d["rule"] == "security/privileged-container")
    );
}

#[test]
fn files_lists_kinds_and_skip_reasons() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "compose.yaml", CLEAN.as_bytes());
    write(
        t.path(),
        "k8s/svc.yaml",
        b"apiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
    );
    write(
        t.path(),
        "app.json",
        br#"{"id": "/web", "cmd": "serve", "instances": 1}"#,
    );
    write(
        t.path(),
        ".github/workflows/ci.yml",
        b"on: push\njobs: {}\n",
    );
    write(t.path(), "ignored/compose.yaml", CLEAN.as_bytes());
    write(t.path(), ".gitignore", b"ignored/\n");
    let out = orchlint(t.path(), &["files", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kind = |path: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == path)
            .map(|r| r["kind"].as_str().unwrap().to_string())
    };
    assert_eq!(kind("compose.yaml").as_deref(), Some("compose"));
    assert_eq!(kind("k8s/svc.yaml").as_deref(), Some("kubernetes"));
    assert_eq!(kind("app.json").as_deref(), Some("marathon"));
    assert_eq!(kind(".github/workflows/ci.yml").as_deref(), Some("skipped"));
    assert_eq!(kind("ignored/compose.yaml"), None, ".gitignore is honoured");
    let all = orchlint(t.path(), &["files", "--no-ignore", "--format", "json"]);
    assert!(stdout(&all).contains("ignored/compose.yaml"));
}

#[test]
fn rule_docs_render_and_unknown_rule_suggests() {
    let t = tempfile::tempdir().unwrap();
    let out = orchlint(t.path(), &["rule", "privileged-container"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for heading in [
        "# security/privileged-container",
        "## What it does",
        "## Why it matters",
        "## Example",
        "Use instead:",
    ] {
        assert!(text.contains(heading), "{heading}: {text}");
    }
    let missing = orchlint(t.path(), &["rule", "privileged"]);
    assert_eq!(missing.status.code(), Some(2));
    let rules: serde_json::Value =
        serde_json::from_slice(&orchlint(t.path(), &["rules", "--format", "json"]).stdout).unwrap();
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule"] == "security/privileged-container" && r["severity"] == "error")
    );
}

#[test]
fn human_output_masks_secrets() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "compose.yaml", b"services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2hunter2\n");
    for format in ["human", "concise", "json"] {
        let out = stdout(&orchlint(
            t.path(),
            &[
                "check",
                ".",
                "--format",
                format,
                "--select",
                "secret-in-env",
            ],
        ));
        assert!(out.contains("POSTGRES_PASSWORD"), "{format}: {out}");
        assert!(!out.contains("hunter2"), "{format} leaks the secret: {out}");
    }
}

#[test]
fn files_names_each_legacy_format_and_variant() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "paas/Procfile", b"web: bin/web\n");
    write(
        t.path(),
        "paas/app.json",
        br#"{"name": "x", "addons": ["heroku-redis"]}"#,
    );
    write(
        t.path(),
        "flocker/app-application.yml",
        b"version: 1\napplications:\n  db:\n    image: postgres:9.4\n",
    );
    write(
        t.path(),
        "flocker/app-deployment.yml",
        b"version: 1\nnodes:\n  \"10.0.0.1\": [db]\n",
    );
    write(
        t.path(),
        "brooklyn/catalog.bom",
        b"brooklyn.catalog:\n  items:\n  - id: x\n    item:\n      services:\n      - type: docker:nginx:1.27\n",
    );
    write(
        t.path(),
        "stack/docker-stack.yml",
        b"version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n",
    );
    write(t.path(), "fig/fig.yml", b"web:\n  image: nginx:1.27\n");
    write(
        t.path(),
        "chart/Chart.yaml",
        b"apiVersion: v2\nname: c\nversion: 1.0.0\n",
    );
    write(t.path(), "chart/values.yaml", b"replicaCount: 2\n");
    write(
        t.path(),
        "chart/templates/deploy.yaml",
        b"kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    // A macOS installer's bill of materials shares the extension: set aside quietly.
    write(t.path(), "pkg/Archive.bom", b"BOMStore\0\0\x01\x02");
    write(
        t.path(),
        "paas/Procfile.suppressed",
        b"not read: only the exact name `Procfile` is\n",
    );
    let out = orchlint(t.path(), &["files", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = |path: &str| {
        let r = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == path)
            .unwrap_or_else(|| panic!("{path} listed: {rows}"));
        format!(
            "{} {}",
            r["kind"].as_str().unwrap(),
            r["variant"].as_str().unwrap_or("-")
        )
    };
    assert_eq!(row("paas/Procfile"), "procfile Procfile");
    assert_eq!(row("paas/app.json"), "procfile app.json manifest");
    assert_eq!(
        row("flocker/app-application.yml"),
        "flocker application config"
    );
    assert_eq!(
        row("flocker/app-deployment.yml"),
        "flocker deployment config"
    );
    assert_eq!(row("brooklyn/catalog.bom"), "brooklyn catalog");
    assert_eq!(
        row("stack/docker-stack.yml"),
        "compose swarm stack, format 3.8"
    );
    assert_eq!(row("fig/fig.yml"), "compose format 1 (fig)");
    assert_eq!(row("chart/Chart.yaml"), "helm chart");
    assert_eq!(row("chart/values.yaml"), "helm values");
    assert_eq!(row("chart/templates/deploy.yaml"), "helm template");
    assert_eq!(row("pkg/Archive.bom"), "skipped -");
    assert!(!stdout(&out).contains("Procfile.suppressed"));
    let pkg = orchlint(t.path(), &["check", "pkg", "--format", "concise"]);
    assert_eq!(pkg.status.code(), Some(0), "{}", stdout(&pkg));
    // Procfile comments carry suppressions like YAML ones.
    write(
        t.path(),
        "proc/Procfile",
        b"web: bin/web\n# orchlint-ignore: process-type-not-dns-label -- Heroku only\nmail_worker: bin/mail\n",
    );
    let proc = orchlint(t.path(), &["check", "proc", "--format", "concise"]);
    assert_eq!(proc.status.code(), Some(0), "{}", stdout(&proc));
    // The chart is reported once, with the command that lints what it renders.
    let check = orchlint(t.path(), &["check", "chart", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{doc}");
    assert_eq!(diags[0]["rule"], "scan/unrendered-helm-chart");
    assert!(
        diags[0]["help"]
            .as_str()
            .unwrap()
            .contains("`helm template chart | orchlint check --stdin-filename chart.yaml -`"),
        "{doc}"
    );
}

#[test]
fn kustomize_bases_outside_the_scanned_path_join_inside_the_repository() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join("repo/.git")).unwrap();
    write(
        t.path(),
        "repo/base/deployment.yaml",
        b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n",
    );
    write(
        t.path(),
        "repo/base/kustomization.yaml",
        b"resources:\n- deployment.yaml\n",
    );
    write(
        t.path(),
        "repo/overlays/prod/kustomization.yaml",
        b"resources:\n- ../../base\n- service.yaml\n",
    );
    write(
        t.path(),
        "repo/overlays/prod/service.yaml",
        b"apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n",
    );
    // Outside the repository: never read.
    write(
        t.path(),
        "outside/kustomization.yaml",
        b"resources:\n- secret.yaml\n",
    );
    write(
        t.path(),
        "repo/overlays/dev/kustomization.yaml",
        b"resources:\n- ../../../outside\n",
    );
    let repo = t.path().join("repo");
    let files = stdout(&orchlint(&repo, &["files", "overlays/prod"]));
    assert!(files.contains("base/deployment.yaml"), "{files}");
    assert!(files.contains("base/kustomization.yaml"), "{files}");
    // The Service selects the base's pods: no `service-selects-nothing`.
    let check = orchlint(
        &repo,
        &[
            "check",
            "overlays/prod",
            "--select",
            "service-selects-nothing",
        ],
    );
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let dev = stdout(&orchlint(&repo, &["files", "overlays/dev"]));
    assert!(!dev.contains("outside"), "{dev}");
}

/// Runs orchlint from the crate root with stdout going into a pipe whose reader is
/// already closed, so the first write that reaches the pipe fails.
fn orchlint_into_closed_pipe(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs")
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    // `check` of every fixture would exit 1 for its findings; a reader that went away
    // ends it with 0, like `rules`. The completion script is written by clap_complete.
    for args in [
        &["rules"][..],
        &["check", "fixtures"],
        &["completions", "zsh"],
    ] {
        let o = orchlint_into_closed_pipe(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    // As `orchlint check fixtures | head -1` does it: the first line is read, then the
    // reader goes while far more output is still to come.
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(["check", "fixtures", "--format", "concise"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = String::new();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut reader, &mut first).unwrap();
    drop(reader);
    let o = child.wait_with_output().unwrap();
    assert!(
        first.contains(": error [") || first.contains(": warning ["),
        "{first}"
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// The platform is decided once, in the lowering: a plain Compose file whose name
/// only holds "stack" inside a word (`haystack.yml`) is Compose for `files`, for
/// `advise` and for the advice rules of `check` alike. The advisor used to decide it
/// again by its own reading of the name, said Swarm, and raised
/// `advice/oversized-orchestrator`.
#[test]
fn files_advise_and_check_agree_on_the_platform() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = "fixtures/formats/compose-haystack";
    let files = stdout(&orchlint(root, &["files", dir]));
    assert!(files.trim_end().ends_with("compose"), "{files}");
    let advise = stdout(&orchlint(root, &["advise", dir, "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&advise).expect("advise JSON");
    assert_eq!(json["projects"][0]["current"], "compose", "{advise}");
    let check = orchlint(
        root,
        &["check", dir, "--format", "concise", "--select", "advice"],
    );
    assert_eq!(
        stdout(&check),
        "No findings.\n",
        "no advice finding for a one-host Compose app"
    );
}

#[test]
fn a_secret_is_masked_in_every_excerpt_that_reaches_it() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "compose.yaml",
        b"services:\n  db:\n    environment:\n      DB_PASSWORD: s3cr3t-hunter2-value\n    image: postgres:latest\n",
    );
    // The neighbouring finding's excerpt shows the secret's line; the secret rule
    // itself is not even selected.
    for select in ["latest-image-tag", "all"] {
        let o = orchlint(
            t.path(),
            &[
                "check", ".", "--format", "human", "--color", "never", "--select", select,
            ],
        );
        let out = stdout(&o);
        assert!(out.contains("latest-image-tag"), "{out}");
        assert!(!out.contains("hunter2"), "the secret leaks:\n{out}");
        assert!(out.contains("DB_PASSWORD: ********\n"), "{out}");
        // The mask does not tell the value's length.
        assert!(!out.contains(&"*".repeat(20)), "{out}");
        // Lines and columns stay the file's own.
        assert!(out.contains("compose.yaml:5:12]"), "{out}");
    }
}

#[test]
fn a_minified_json_line_is_cut_around_the_finding() {
    let t = tempfile::tempdir().unwrap();
    let padding: String = (0..2000).map(|i| format!("\"L{i}\":\"v\",")).collect();
    let text = format!(
        "{{\"id\":\"/web\",\"labels\":{{{padding}\"z\":\"v\"}},\"container\":{{\"type\":\"DOCKER\",\"docker\":{{\"image\":\"nginx:latest\"}}}},\"instances\":1}}"
    );
    write(t.path(), "marathon.json", text.as_bytes());
    let o = orchlint(
        t.path(),
        &[
            "check",
            "marathon.json",
            "--format",
            "human",
            "--color",
            "never",
            "--select",
            "latest-image-tag",
        ],
    );
    let out = stdout(&o);
    assert!(out.contains("latest-image-tag"), "{out}");
    assert!(out.len() < 3000, "{} bytes of output", out.len());
    assert!(out.contains('…'), "{out}");
    let col = text.find("nginx:latest").unwrap();
    assert!(
        out.contains(&format!("marathon.json:1:{}]", col + 1))
            || out.contains(&format!("marathon.json:1:{}]", col)),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn report_files_keep_links_modes_and_devices_and_never_replace_an_input() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "specs/compose.yaml", PRIVILEGED.as_bytes());
    // A symbolic link is followed to its target, not replaced by a file.
    write(t.path(), "reports/real.json", b"old");
    symlink("reports/real.json", t.path().join("link.json")).unwrap();
    std::fs::set_permissions(
        t.path().join("reports/real.json"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let o = orchlint(t.path(), &["check", "specs", "--format", "json=link.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let link = std::fs::symlink_metadata(t.path().join("link.json")).unwrap();
    assert!(link.file_type().is_symlink());
    let real = t.path().join("reports/real.json");
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("privileged-container")
    );
    // ... and the file keeps its mode.
    let mode = std::fs::metadata(&real).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // A device is written into, not replaced.
    let o = orchlint(t.path(), &["check", "specs", "--format", "sarif=/dev/null"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // A FIFO is written into; its reader gets the report.
    let fifo = t.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let o = orchlint(t.path(), &["check", "specs", "--format", "json=fifo"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(reader.join().unwrap().contains("privileged-container"));
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
    // A scanned input is never the report's target.
    let o = orchlint(
        t.path(),
        &["check", "specs", "--format", "json=specs/compose.yaml"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("scanned inputs"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(t.path().join("specs/compose.yaml")).unwrap(),
        PRIVILEGED
    );
    // Two spellings of one file are one target.
    let o = orchlint(
        t.path(),
        &[
            "check",
            "specs",
            "--format",
            "json=a.json",
            "--format",
            "sarif=./a.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("target of two"), "{}", stderr(&o));
}

/// Runs orchlint with `input` on stdin.
fn orchlint_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn hostile_command_lines_are_usage_errors() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "compose.yaml", CLEAN.as_bytes());
    let o = orchlint(t.path(), &["check", ".", "--threads", "100000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("0..=256"), "{}", stderr(&o));
    let o = orchlint_stdin(t.path(), &["check", "-", "-"], CLEAN.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("only once"), "{}", stderr(&o));
    for args in [
        &["rules", "--format", "bogus"][..],
        &["rule", "privileged-container", "--format", "bogus"],
        &["files", ".", "--format", "bogus"],
    ] {
        let o = orchlint(t.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("unknown format `bogus`"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn empty_and_wrongly_encoded_inputs_say_what_they_are() {
    let t = tempfile::tempdir().unwrap();
    let o = orchlint_stdin(t.path(), &["check", "-"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("[scan/empty-file]"), "{}", stdout(&o));
    write(t.path(), "only/compose.yaml", b"---\n");
    let o = orchlint(t.path(), &["check", "only"]);
    assert!(
        stdout(&o).contains("only/compose.yaml:1:1: warning [scan/empty-file]"),
        "{}",
        stdout(&o)
    );
    write(t.path(), "wide/compose.yaml", b"\xff\xfes\x00:\x00\n\x00");
    let o = orchlint(t.path(), &["check", "wide"]);
    let out = stdout(&o);
    assert!(
        out.contains("UTF-16 is not supported: save it as UTF-8"),
        "{out}"
    );
    assert!(!out.contains("binary"), "{out}");
    write(t.path(), "json/marathon.json", b"{\"id\": \"/a\", ");
    let o = orchlint(t.path(), &["check", "json/marathon.json"]);
    let out = stdout(&o);
    assert!(out.contains("invalid JSON"), "{out}");
    assert!(!out.contains("invalid YAML"), "{out}");
}

#[cfg(unix)]
#[test]
fn a_named_link_loop_or_fifo_is_not_mistaken_for_a_missing_file() {
    let t = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("loop-b", t.path().join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", t.path().join("loop-b")).unwrap();
    let o = orchlint(t.path(), &["check", "loop-a"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("symlink loop"), "{}", stderr(&o));
    let fifo = t.path().join("compose.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped the FIFO case: mkfifo is not available");
        return;
    }
    let writer = std::thread::spawn(move || std::fs::write(fifo, PRIVILEGED).unwrap());
    let o = orchlint(t.path(), &["check", "compose.yaml"]);
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("privileged-container"),
        "{}",
        stdout(&o)
    );
}

/// A custom resource whose CRD lies outside the scanned tree: only a note
/// without the CRD, schema findings once `--crds` or `[kubernetes] crds` names it;
/// the CRD file itself is read, not linted, and a missing path is an error.
#[test]
fn crds_named_outside_the_scan_validate_custom_resources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              size: {type: integer}\n";
    write(dir.path(), "crds/widget.yaml", crd.as_bytes());
    let widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: large\n  colour: red\n";
    write(dir.path(), "app/widget.yaml", widget.as_bytes());
    write(dir.path(), "configured/widget.yaml", widget.as_bytes());
    write(
        dir.path(),
        "configured/orchlint.toml",
        b"[kubernetes]\ncrds = [\"../crds\"]\n",
    );
    let codes = |o: &Output| {
        let mut v: Vec<String> = stdout(o)
            .lines()
            .filter_map(|l| l.split('[').nth(1)?.split(']').next().map(str::to_string))
            .collect();
        v.sort();
        v
    };
    let plain = orchlint(dir.path(), &["check", "app", "--format", "concise"]);
    assert_eq!(
        codes(&plain),
        vec!["schema/unvalidated-kind"],
        "{}",
        stdout(&plain)
    );
    let named = orchlint(
        dir.path(),
        &["check", "app", "--crds", "crds", "--format", "concise"],
    );
    let out = stdout(&named);
    assert_eq!(
        codes(&named),
        vec!["schema/invalid-value", "schema/unknown-key"],
        "{out}"
    );
    assert!(out.contains("app/widget.yaml:6:9"), "{out}");
    assert!(!out.contains("crds/widget.yaml"), "{out}");
    let configured = orchlint(dir.path(), &["check", "configured", "--format", "concise"]);
    assert_eq!(
        codes(&configured),
        vec!["schema/invalid-value", "schema/unknown-key"],
        "{}",
        stdout(&configured)
    );
    let missing = orchlint(dir.path(), &["check", "app", "--crds", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nowhere"), "{}", stderr(&missing));
}
