//! Runs the whole scan over `../shared/corpus` (real specs from public repositories)
//! when it is present: no panic, every file detected, and no `syntax/wrong-type`
//! finding outside template files (a valid spec read with a wrong type means our
//! model is wrong; `{{ }}` templates and `<PLACEHOLDER>` values really are wrong).
//! The stricter check against Python's own YAML and JSON readers is
//! `scripts/corpus-check.py`, which `.ci/run` runs.

use std::io::Write as _;
use std::path::PathBuf;

use orchlint::engine::{self, ScanRequest};

#[test]
fn corpus_scans_without_crash_or_type_errors() {
    let corpus = PathBuf::from("../shared/corpus");
    if !corpus.is_dir() {
        // Straight to stderr, past the test harness's capture, so the skip shows.
        let _ = writeln!(
            std::io::stderr(),
            "corpus_scans_without_crash_or_type_errors: skipped, ../shared/corpus is not here"
        );
        return;
    }
    let req = ScanRequest {
        paths: vec![corpus],
        ..Default::default()
    };
    let scan = engine::run(&req).expect("the scan runs");
    let specs = scan.files.iter().filter(|f| f.format.is_some()).count();
    assert!(specs > 500, "only {specs} spec files detected");
    // The legacy, Swarm and Helm folders hold nothing but specs of the formats
    // orchlint reads, plus two files it recognises and sets aside with a reason: a
    // `.env` and Flynn's own bootstrap manifest (a Go template).
    let mut tally: std::collections::BTreeMap<String, usize> = Default::default();
    let mut unknown = Vec::new();
    for f in &scan.files {
        let path = f.path.to_string_lossy().replace('\\', "/");
        let Some(folder) = ["/legacy/", "/swarm/", "/helm/"]
            .into_iter()
            .find(|d| path.contains(&format!("corpus{d}")))
        else {
            continue;
        };
        let kind = match (f.format, &f.skipped) {
            (Some(k), _) => k.as_str().to_string(),
            (None, Some(r))
                if r.starts_with("environment file") || r.starts_with("Flynn bootstrap") =>
            {
                "set aside".to_string()
            }
            (None, r) => {
                unknown.push(format!("{}: {r:?}", f.display));
                "skipped".to_string()
            }
        };
        *tally
            .entry(format!("{}{kind}", folder.trim_start_matches('/')))
            .or_default() += 1;
    }
    eprintln!("legacy/swarm/helm detection: {tally:?}");
    assert!(
        unknown.is_empty(),
        "files not detected:\n{}",
        unknown.join("\n")
    );
    assert!(!tally.contains_key("swarm/skipped") && tally.contains_key("swarm/compose"));
    let wrong: Vec<String> = scan
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "wrong-type")
        .filter(|d| !scan.file(d.file).text.contains("{{") && !d.message.contains("`<"))
        .map(|d| format!("{}: {}", scan.file(d.file).display, d.message))
        .collect();
    assert!(
        wrong.is_empty(),
        "wrong-type findings in the corpus:\n{}",
        wrong.join("\n")
    );
}
