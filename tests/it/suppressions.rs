//! Suppressed findings on the command line: kept with the reason written after
//! ` -- `, shown by JSON (`suppressed`), SARIF (`suppressions`) and
//! `--statistics`, left out of the other formats and of the exit code.

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

/// Two findings, both suppressed: one with a reason, one without.
const COMPOSE: &str = "services:\n  web:\n    image: nginx:latest # orchlint-ignore: latest-image-tag -- pinned by the deploy job\n    privileged: true # orchlint-ignore: privileged-container\n    mem_limit: 256m\n    cpus: 0.5\n";

/// A Kubernetes object suppressed by its annotation, with a reason.
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  annotations:\n    orchlint.dev/ignore: \"privileged-container -- node agent\"\nspec:\n  containers:\n    - name: a\n      image: agent:1.0\n      securityContext:\n        privileged: true\n      resources:\n        limits: {cpu: 100m, memory: 64Mi}\n        requests: {cpu: 100m, memory: 64Mi}\n";

fn dir_with(name: &str, text: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("temp dir");
    std::fs::write(t.path().join(name), text).expect("write");
    t
}

/// The snapshots this module makes (for the orphan check in `conventions`).
pub(crate) fn snapshot_names() -> Vec<String> {
    vec!["suppressed_sarif".to_string()]
}

#[test]
fn suppressed_findings_leave_text_formats_and_exit_code() {
    let t = dir_with("compose.yaml", COMPOSE);
    for format in ["concise", "human", "github", "gitlab", "junit"] {
        let o = orchlint(t.path(), &["check", "--isolated", "--format", format]);
        let out = stdout(&o);
        assert!(!out.contains("latest-image-tag"), "{format}: {out}");
        assert!(!out.contains("privileged-container"), "{format}: {out}");
    }
    let o = orchlint(t.path(), &["check", "--isolated", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn json_lists_suppressed_findings_with_their_reason() {
    let t = dir_with("compose.yaml", COMPOSE);
    let o = orchlint(t.path(), &["check", "--isolated", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    assert_eq!(doc["summary"]["errors"], 0);
    let s = doc["suppressed"].as_array().expect("a suppressed array");
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[0]["rule"], "reliability/latest-image-tag");
    assert_eq!(s[0]["start"]["line"], 3);
    assert_eq!(
        s[0]["suppression"],
        serde_json::json!({"kind": "inSource", "justification": "pinned by the deploy job"})
    );
    assert_eq!(s[1]["rule"], "security/privileged-container");
    assert_eq!(
        s[1]["suppression"],
        serde_json::json!({"kind": "inSource", "justification": null})
    );
}

#[test]
fn annotation_reason_is_the_justification() {
    let t = dir_with("pod.yaml", POD);
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--format",
            "json",
            "--select",
            "privileged-container",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["diagnostics"], serde_json::json!([]), "{doc}");
    assert_eq!(
        doc["suppressed"][0]["rule"],
        "security/privileged-container"
    );
    assert_eq!(
        doc["suppressed"][0]["suppression"]["justification"],
        "node agent"
    );
}

#[test]
fn statistics_count_suppressed_findings_per_rule() {
    let t = dir_with("compose.yaml", COMPOSE);
    let o = orchlint(t.path(), &["check", "--isolated", "--statistics"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "    0  reliability/latest-image-tag   warning  (1 suppressed)\n    0  security/privileged-container  error    (1 suppressed)\n    0  findings (2 suppressed)\n"
    );
    let o = orchlint(
        t.path(),
        &["check", "--isolated", "--statistics", "--format", "json"],
    );
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(rows[0]["rule"], "reliability/latest-image-tag");
    assert_eq!(rows[0]["count"], 0);
    assert_eq!(rows[0]["suppressed"], 1);
}

#[test]
fn sarif_results_carry_suppressions() {
    let t = dir_with("compose.yaml", COMPOSE);
    let o = orchlint(t.path(), &["check", "--isolated", "--format", "sarif"]);
    let mut doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    // The working directory is a temporary one: name it the same every run.
    doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///src/".into();
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "pinned by the deploy job"}])
    );
    assert_eq!(
        results[1]["suppressions"],
        serde_json::json!([{"kind": "inSource"}])
    );
    // The version changes with releases; the rest is the snapshot.
    doc["runs"][0]["tool"]["driver"]["version"] = "VERSION".into();
    doc["runs"][0]["tool"]["driver"]["semanticVersion"] = "VERSION".into();
    // Rule help is each rule's documentation page, checked elsewhere.
    for r in doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .expect("rules")
    {
        r["help"] = "(rule documentation)".into();
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/suppressions");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    insta::assert_snapshot!(
        "suppressed_sarif",
        serde_json::to_string_pretty(&doc).expect("JSON")
    );
}

#[test]
fn require_reason_reports_bare_suppressions_which_still_apply() {
    let t = dir_with("compose.yaml", COMPOSE);
    // Without the setting a bare suppression is fine.
    let o = orchlint(t.path(), &["check", "--format", "concise"]);
    assert!(!stdout(&o).contains("missing-reason"), "{}", stdout(&o));
    std::fs::write(
        t.path().join("orchlint.toml"),
        "[suppressions]\nrequire-reason = true\n",
    )
    .expect("write");
    let o = orchlint(t.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let found = doc["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(found.len(), 1, "{doc}");
    assert_eq!(found[0]["rule"], "suppression/missing-reason");
    assert_eq!(found[0]["start"]["line"], 4);
    // The suppression without a reason still silences its finding.
    assert_eq!(doc["suppressed"].as_array().map(Vec::len), Some(2));
}

#[test]
fn inline_false_ignores_and_reports_suppressions() {
    let t = dir_with("compose.yaml", COMPOSE);
    std::fs::write(
        t.path().join("orchlint.toml"),
        "[suppressions]\ninline = false\n",
    )
    .expect("write");
    let o = orchlint(t.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let rules: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    // The findings come back, each suppression is reported, nothing is suppressed.
    assert_eq!(
        rules,
        [
            "reliability/latest-image-tag",
            "suppression/inline-forbidden",
            "security/privileged-container",
            "suppression/inline-forbidden",
        ],
        "{doc}"
    );
    assert!(doc.get("suppressed").is_none(), "{doc}");
    assert_eq!(o.status.code(), Some(1));
}

/// A DaemonSet of `kube-system` and a Pod of `default`, both privileged.
const TWO_OBJECTS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: node-exporter\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels: {app: ne}\n  template:\n    metadata:\n      labels: {app: ne}\n    spec:\n      containers:\n        - name: ne\n          image: prom/node-exporter:v1.8.0\n          securityContext: {privileged: true}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: other\nspec:\n  containers:\n    - name: o\n      image: busybox:1.36\n      securityContext: {privileged: true}\n";

#[test]
fn exemptions_by_object_and_by_path_are_external_suppressions() {
    let t = dir_with("ds.yaml", TWO_OBJECTS);
    std::fs::create_dir_all(t.path().join("legacy")).expect("mkdir");
    std::fs::write(
        t.path().join("legacy/compose.yaml"),
        "services:\n  web:\n    image: nginx\n",
    )
    .expect("write");
    std::fs::write(
        t.path().join("orchlint.toml"),
        "[[exempt]]\nrule = \"privileged-container\"\nkind = \"DaemonSet\"\nnamespace = \"kube-system\"\nname = \"node-exporter\"\nreason = \"node agent\"\n\n[[exempt]]\nrule = \"latest-image-tag\"\npath = \"legacy/**\"\nreason = \"frozen until the move\"\n",
    )
    .expect("write");
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "privileged-container,latest-image-tag",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    // The Pod is not exempted: only its finding is left.
    let left = doc["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(left.len(), 1, "{doc}");
    assert_eq!(left[0]["start"]["line"], 26);
    let s = doc["suppressed"].as_array().expect("suppressed");
    assert_eq!(s.len(), 2, "{doc}");
    assert_eq!(s[0]["file"], "ds.yaml");
    assert_eq!(s[0]["start"]["line"], 16);
    assert_eq!(
        s[0]["suppression"],
        serde_json::json!({"kind": "external", "justification": "node agent"})
    );
    assert_eq!(s[1]["rule"], "reliability/latest-image-tag");
    assert_eq!(
        s[1]["suppression"],
        serde_json::json!({"kind": "external", "justification": "frozen until the move"})
    );
    // The same exemption for another namespace leaves the DaemonSet's finding.
    std::fs::write(
        t.path().join("orchlint.toml"),
        "[[exempt]]\nrule = \"privileged-container\"\nnamespace = \"monitoring\"\nname = \"node-exporter\"\nreason = \"node agent\"\n",
    )
    .expect("write");
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "privileged-container",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(
        doc["diagnostics"].as_array().map(Vec::len),
        Some(2),
        "{doc}"
    );
}

#[test]
fn an_exemption_needs_a_reason_and_a_target() {
    let t = dir_with("ds.yaml", TWO_OBJECTS);
    for (toml, says) in [
        (
            "[[exempt]]\nrule = \"privileged-container\"\nname = \"a\"\nreason = \" \"\n",
            "`reason` must say why",
        ),
        (
            "[[exempt]]\nrule = \"privileged-container\"\nreason = \"why\"\n",
            "names no `path`, `kind`, `namespace` or `name`",
        ),
        (
            "[[exempt]]\nrule = \"privileged-container\"\nname = \"a\"\n",
            "reason",
        ),
    ] {
        std::fs::write(t.path().join("orchlint.toml"), toml).expect("write");
        let o = orchlint(t.path(), &["check"]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{toml}: {err}");
    }
}
