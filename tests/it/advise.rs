//! `orchlint advise` and `orchlint graph` over the scenarios of `fixtures/advise/`
//! (one per scale class, per spec format, stateful and stateless, ephemeral data):
//! the JSON and human reports of each, byte for byte, plus Markdown and graphs of a
//! few. Runs from the crate root, so paths print relative.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn orchlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The one-project scenarios; folders named `multi-*` hold several projects and
/// have tests of their own.
fn scenarios() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("fixtures/advise")
        .expect("fixtures/advise exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !name(p).starts_with("multi-"))
        .collect();
    dirs.sort();
    dirs
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots/advise");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

/// The scenarios whose Markdown report is pinned.
const MARKDOWN: [&str; 6] = [
    "compose-micro-outgrown",
    "kubernetes-coupled",
    "marathon-micro-stateful",
    "flocker-nano-dataset",
    "procfile-heroku-dokku",
    "kubernetes-crds-only",
];

/// The scenarios whose graph is pinned, and in which format.
const GRAPHS: [(&str, &str); 6] = [
    ("compose-nano-stateful", "mermaid"),
    ("kubernetes-micro-stateful", "mermaid"),
    ("marathon-micro-stateful", "dot"),
    ("swarm-micro", "dot"),
    ("multi-graph", "mermaid"),
    ("multi-graph", "dot"),
];

/// The snapshots this module makes (for the orphan check in `conventions`).
pub(crate) fn snapshot_names() -> Vec<String> {
    let mut names = Vec::new();
    for dir in scenarios() {
        names.push(format!("{}__json", name(&dir)));
        names.push(format!("{}__human", name(&dir)));
    }
    names.extend(MARKDOWN.iter().map(|s| format!("{s}__markdown")));
    names.extend(GRAPHS.iter().map(|(s, f)| format!("{s}__{f}")));
    names
}

#[test]
fn every_scenario_as_json_and_human() {
    let _guard = settings().bind_to_scope();
    let dirs = scenarios();
    assert!(dirs.len() >= 10, "only {} scenarios", dirs.len());
    for dir in &dirs {
        let path = dir.to_string_lossy();
        let json = orchlint(&["advise", &path, "--format", "json"]);
        assert_eq!(json.status.code(), Some(0), "{path}");
        let text = stdout(&json);
        // The issue's shape, whatever the scenario.
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let projects = doc["projects"].as_array().expect("projects");
        if label(dir).is_some_and(|l| l.get("left_out").is_some()) {
            // A folder with nothing to place: listed with why, never dropped.
            assert!(projects.is_empty(), "{path}");
            assert_eq!(doc["left_out"].as_array().map(Vec::len), Some(1), "{path}");
            insta::assert_snapshot!(format!("{}__json", name(dir)), text);
            let human = orchlint(&["advise", &path]);
            insta::assert_snapshot!(format!("{}__human", name(dir)), stdout(&human));
            continue;
        }
        assert_eq!(projects.len(), 1, "{path}: one project");
        let p = &projects[0];
        assert!(p["root"].is_string() && p["files"].is_array());
        assert!(p["current"].is_string());
        let class = p["scale"]["class"].as_str().unwrap();
        assert!(["nano", "micro", "medium", "large"].contains(&class));
        assert!(p["scale"]["estimated_hosts"].as_u64().unwrap() >= 1);
        assert!(p["scale"]["evidence"].is_array());
        assert!(p["stateful"].is_boolean() && p["state_evidence"].is_array());
        assert!(p["fit"]["fits"].is_boolean() || p["fit"]["fits"].is_null());
        assert_eq!(p["summary"].as_array().map(Vec::len), Some(3), "{path}");
        let r = &p["recommendation"];
        assert!(r["orchestrator"].is_string() && r["keeps_current"].is_boolean());
        assert_eq!(r["fits_current"], r["keeps_current"], "{path}");
        assert!(
            r["reasons"].is_array() && r["alternatives"].is_array() && r["migration"].is_array()
        );
        insta::assert_snapshot!(format!("{}__json", name(dir)), text);
        let human = orchlint(&["advise", &path]);
        assert_eq!(human.status.code(), Some(0), "{path}");
        if r["keeps_current"] == false {
            assert!(!stdout(&human).contains("stays on"), "{path}: a move");
        }
        insta::assert_snapshot!(format!("{}__human", name(dir)), stdout(&human));
    }
}

/// `check`'s advice findings agree with the verdict: a project whose orchestrator
/// fits gets no outgrown or end-of-life finding; one that does not fit because of
/// its scale or its end of life gets that finding; `oversized-orchestrator` fires
/// only on an orchestrator that fits.
#[test]
fn advice_findings_agree_with_the_verdict() {
    for dir in scenarios() {
        let path = dir.to_string_lossy().into_owned();
        let json = orchlint(&["advise", &path, "--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        let Some(p) = doc["projects"].as_array().and_then(|a| a.first()) else {
            continue;
        };
        let check = orchlint(&["check", &path, "--select", "advice", "--format", "concise"]);
        let findings = stdout(&check);
        let has = |rule: &str| findings.contains(&format!("[advice/{rule}]"));
        let reason = p["fit"]["reason"].as_str().unwrap_or("");
        match p["fit"]["fits"].as_bool() {
            Some(true) => {
                assert!(!has("outgrown-orchestrator"), "{path}: {findings}");
                assert!(!has("end-of-life-orchestrator"), "{path}: {findings}");
            }
            Some(false) => {
                assert!(!has("oversized-orchestrator"), "{path}: {findings}");
                if reason.contains("too small") {
                    assert!(has("outgrown-orchestrator"), "{path}: {findings}");
                }
                if reason.contains("end-of-life") {
                    assert!(has("end-of-life-orchestrator"), "{path}: {findings}");
                }
            }
            None => assert!(!has("oversized-orchestrator"), "{path}"),
        }
        if has("oversized-orchestrator") {
            assert_eq!(p["fit"]["oversized"], true, "{path}");
        }
    }
}

/// A scenario's hand label (`label.toml`): what a platform engineer signs for it,
/// each value with its arithmetic in a comment.
fn label(dir: &Path) -> Option<toml::Table> {
    let text = std::fs::read_to_string(dir.join("label.toml")).ok()?;
    Some(text.parse::<toml::Table>().expect("label.toml parses"))
}

#[test]
fn labelled_scenarios_get_their_labels() {
    let mut labelled = 0;
    for dir in scenarios() {
        let Some(l) = label(&dir) else { continue };
        labelled += 1;
        let path = dir.to_string_lossy().into_owned();
        let out = orchlint(&["advise", &path, "--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        if let Some(why) = l.get("left_out").and_then(|v| v.as_str()) {
            let reason = doc["left_out"][0]["reason"].as_str().unwrap_or("");
            assert!(reason.contains(why), "{path}: left out because {reason:?}");
            continue;
        }
        let p = &doc["projects"][0];
        let s = |k: &str| l[k].as_str().unwrap().to_string();
        assert_eq!(p["current"], s("current"), "{path}: current");
        assert_eq!(p["scale"]["class"], s("class"), "{path}: class");
        assert_eq!(
            p["scale"]["estimated_hosts"].as_i64(),
            l["hosts"].as_integer(),
            "{path}: hosts"
        );
        assert_eq!(
            p["stateful"].as_bool(),
            l["stateful"].as_bool(),
            "{path}: stateful"
        );
        let fits = match &l["fits"] {
            toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
            _ => serde_json::Value::Null,
        };
        assert_eq!(p["fit"]["fits"], fits, "{path}: fits");
        assert_eq!(
            p["recommendation"]["orchestrator"],
            s("recommended"),
            "{path}: recommended"
        );
        if let Some(n) = l.get("risks").and_then(|v| v.as_integer()) {
            assert_eq!(
                p["ephemeral_data"].as_array().map(|a| a.len() as i64),
                Some(n),
                "{path}: risks"
            );
        }
    }
    assert!(labelled >= 10, "only {labelled} labelled scenarios");
}

#[test]
fn scenarios_cover_every_class_format_and_state() {
    let mut classes = Vec::new();
    let mut currents = Vec::new();
    let (mut stateful, mut stateless, mut ephemeral) = (false, false, false);
    for dir in scenarios() {
        let out = orchlint(&["advise", &dir.to_string_lossy(), "--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        for p in doc["projects"].as_array().unwrap() {
            classes.push(p["scale"]["class"].as_str().unwrap().to_string());
            currents.push(p["current"].as_str().unwrap().to_string());
            if p["stateful"].as_bool().unwrap() {
                stateful = true;
            } else {
                stateless = true;
            }
            ephemeral |= !p["ephemeral_data"].as_array().unwrap().is_empty();
        }
    }
    for c in ["nano", "micro", "medium", "large"] {
        assert!(classes.iter().any(|x| x == c), "no {c} scenario");
    }
    for f in ["compose", "swarm", "kubernetes", "marathon"] {
        assert!(currents.iter().any(|x| x == f), "no {f} scenario");
    }
    assert!(stateful && stateless && ephemeral);
}

#[test]
fn markdown_reports() {
    let _guard = settings().bind_to_scope();
    for scenario in MARKDOWN {
        let out = orchlint(&[
            "advise",
            &format!("fixtures/advise/{scenario}"),
            "--format",
            "markdown",
        ]);
        assert_eq!(out.status.code(), Some(0));
        insta::assert_snapshot!(format!("{scenario}__markdown"), stdout(&out));
    }
}

#[test]
fn graphs() {
    let _guard = settings().bind_to_scope();
    for (scenario, format) in GRAPHS {
        let out = orchlint(&[
            "graph",
            &format!("fixtures/advise/{scenario}"),
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(0));
        insta::assert_snapshot!(format!("{scenario}__{format}"), stdout(&out));
    }
    // Mermaid is the default.
    let default = orchlint(&["graph", "fixtures/advise/compose-nano-stateless"]);
    assert!(stdout(&default).contains("flowchart LR"));
}

#[test]
fn the_advisor_section_of_the_config_sets_the_reference_host() {
    // compose-micro-outgrown has its own orchlint.toml (16 vCPU / 64 GiB hosts).
    let found = orchlint(&[
        "advise",
        "fixtures/advise/compose-micro-outgrown",
        "--format",
        "json",
    ]);
    let isolated = orchlint(&[
        "advise",
        "fixtures/advise/compose-micro-outgrown",
        "--format",
        "json",
        "--isolated",
    ]);
    let hosts = |o: &Output| {
        let doc: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
        doc["projects"][0]["scale"]["estimated_hosts"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(hosts(&found), 3);
    assert_eq!(hosts(&isolated), 6);
}

#[test]
fn nothing_to_advise() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n",
    )
    .unwrap();
    let dir = t.path().to_string_lossy().into_owned();
    let out = orchlint(&["advise", &dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["projects"].as_array().unwrap().len(), 0);
    assert_eq!(doc["projects_left_out"], 1);
    let graph = orchlint(&["graph", &dir]);
    assert_eq!(graph.status.code(), Some(2), "no graph to draw is an error");
}

/// The `advise` JSON of a fixture folder.
fn advise_json(dir: &str) -> serde_json::Value {
    let out = orchlint(&["advise", dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{dir}");
    serde_json::from_str(&stdout(&out)).expect("valid JSON")
}

fn roots(doc: &serde_json::Value) -> Vec<String> {
    doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["root"].as_str().unwrap().to_string())
        .collect()
}

fn ties(doc: &serde_json::Value) -> Vec<String> {
    doc["projects"][0]["grouped"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| t["why"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn sibling_folders_tied_by_references_are_one_project() {
    let doc = advise_json("fixtures/advise/kubernetes-sibling-ties");
    assert_eq!(roots(&doc), ["fixtures/advise/kubernetes-sibling-ties"]);
    assert_eq!(
        ties(&doc),
        [
            r#"HorizontalPodAutoscaler "web" scales Deployment "web""#,
            r#"Deployment "web" addresses Service "redis" as `redis`"#,
        ]
    );
    let p = &doc["projects"][0];
    // 6 web copies (the HPA's maxReplicas) + 1 redis.
    assert_eq!(p["scale"]["peak"]["copies"], 7);
    assert_eq!(p["stateful"], true);
    // `files` says the same.
    let files = stdout(&orchlint(&[
        "files",
        "fixtures/advise/kubernetes-sibling-ties",
    ]));
    assert!(files.contains(
        "  grouped: fixtures/advise/kubernetes-sibling-ties/autoscaling/hpa.yaml -> fixtures/advise/kubernetes-sibling-ties/web/deployment.yaml: HorizontalPodAutoscaler \"web\" scales Deployment \"web\"\n"
    ), "{files}");
    let json = orchlint(&[
        "files",
        "fixtures/advise/kubernetes-sibling-ties",
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let hpa = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("hpa.yaml"))
        .unwrap();
    assert_eq!(
        hpa["grouped"][0]["to"],
        "fixtures/advise/kubernetes-sibling-ties/web/deployment.yaml"
    );
}

#[test]
fn a_kustomize_component_is_judged_with_the_base_its_user_deploys() {
    let dir = "fixtures/advise/kubernetes-kustomize-component";
    let doc = advise_json(dir);
    assert_eq!(roots(&doc), [format!("{dir}/base")]);
    let p = &doc["projects"][0];
    let files: Vec<&str> = p["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        files.contains(
            &"fixtures/advise/kubernetes-kustomize-component/components/tracing/collector.yaml"
        ),
        "{files:?}"
    );
    // quotes-api and the component's trace-collector.
    assert_eq!(p["scale"]["peak"]["copies"], 2);
    let why = ties(&doc).join("\n");
    assert!(
        why.contains("lists component `../../components/tracing`"),
        "{why}"
    );
    // The overlay holds no object of its own; a Component nobody lists is left
    // out as one that cannot be deployed alone.
    let left: Vec<(String, String)> = doc["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["root"].to_string(), l["reason"].to_string()))
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left[0].0.ends_with("components/debug-logging\""),
        "{left:?}"
    );
    assert!(left[0].1.contains("cannot be deployed alone"), "{left:?}");
    assert!(left[1].0.ends_with("overlays/prod\""), "{left:?}");
}

#[test]
fn an_ambiguous_reference_ties_nothing() {
    let doc = advise_json("fixtures/advise/multi-ambiguous-siblings");
    assert_eq!(
        roots(&doc),
        [
            "fixtures/advise/multi-ambiguous-siblings/a",
            "fixtures/advise/multi-ambiguous-siblings/b",
            "fixtures/advise/multi-ambiguous-siblings/c",
        ]
    );
    assert!(
        doc["projects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p.get("grouped").is_none())
    );
}

#[test]
fn alternative_manifests_are_judged_once() {
    let doc = advise_json("fixtures/advise/kubernetes-dual-stack");
    let p = &doc["projects"][0];
    let alternatives: Vec<&str> = p["alternative_manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        alternatives,
        [
            "fixtures/advise/kubernetes-dual-stack/deployment-ipv6.yaml",
            "fixtures/advise/kubernetes-dual-stack/service-ipv6.yaml",
        ]
    );
    // 3 copies of one Deployment, not 3 + 3.
    assert_eq!(p["scale"]["peak"]["copies"], 3);
    assert_eq!(p["scale"]["estimated_hosts"], 1);
    // Marathon files defining one app id are two projects, not one.
    let doc = advise_json("fixtures/advise/multi-marathon-variants");
    assert_eq!(doc["projects"].as_array().unwrap().len(), 2);
}

#[test]
fn marathon_and_brooklyn_files_tied_by_references() {
    let doc = advise_json("fixtures/advise/marathon-tied");
    assert_eq!(roots(&doc), ["fixtures/advise/marathon-tied"]);
    assert_eq!(doc["projects"][0]["files"].as_array().unwrap().len(), 4);
    assert_eq!(
        ties(&doc),
        [
            "addresses `/db` by its Mesos-DNS name `db.marathon.mesos`",
            "exposes apps through marathon-lb group `shop`, which the marathon-lb there serves",
            "`/shop/web` and `/shop/worker` are in group `/shop`",
        ]
    );
    assert_eq!(doc["projects"][0]["scale"]["peak"]["copies"], 5);
    let doc = advise_json("fixtures/advise/brooklyn-tied");
    assert_eq!(
        ties(&doc),
        ["refers to entity `db`, defined there; both deploy to `localhost`"]
    );
}

#[test]
fn platform_coupling_is_a_need() {
    let doc = advise_json("fixtures/advise/kubernetes-coupled");
    let p = &doc["projects"][0];
    let coupled: Vec<&str> = p["needs"]["platform_coupling"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(coupled.len(), 8, "{coupled:?}");
    assert!(
        coupled.contains(
            &r#"CustomResourceDefinition "quotas.example.com" (apiextensions.k8s.io/v1)"#
        )
    );
    let candidates = p["candidates"].as_array().unwrap();
    for c in candidates {
        let id = c["orchestrator"].as_str().unwrap();
        if ["compose", "dokku", "nomad"].contains(&id) {
            assert_eq!(c["fits"], false, "{id} cannot express the objects");
        }
    }
    // Kubernetes fits and moving costs a step: it is kept over k3s.
    assert_eq!(p["recommendation"]["orchestrator"], "kubernetes");
    let human = stdout(&orchlint(&["advise", "fixtures/advise/kubernetes-coupled"]));
    assert!(human.contains(
        "  fixtures/advise/kubernetes-coupled/crd.yaml:4:9  CustomResourceDefinition \"quotas.example.com\" (apiextensions.k8s.io/v1): custom resource definition\n"
    ), "{human}");
}

#[test]
fn one_diagram_for_several_projects() {
    let mermaid = stdout(&orchlint(&["graph", "fixtures/advise/multi-graph"]));
    assert_eq!(mermaid.matches("flowchart LR").count(), 1);
    assert_eq!(mermaid.matches("\n  subgraph p").count(), 3);
    assert_eq!(mermaid.matches("\n  end\n").count(), 3);
    assert!(mermaid.contains(r#"p1_e2(["Ingress shop<br/>shop.example.com"])"#));
    assert!(mermaid.contains(r#"p2_e1(["marathon-lb external"])"#));
    let dot = stdout(&orchlint(&[
        "graph",
        "fixtures/advise/multi-graph",
        "--format",
        "dot",
    ]));
    assert_eq!(dot.matches("digraph ").count(), 1);
    assert_eq!(dot.matches("subgraph cluster_").count(), 3);
    assert!(dot.contains(r#"p1_e4 -> p1_s1 [label="routes"];"#));
}
