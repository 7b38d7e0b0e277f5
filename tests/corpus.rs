//! Runs the whole scan over `../shared/corpus` (real specs from public repositories)
//! when it is present: no panic, every file detected, and no `syntax/wrong-type`
//! finding (a valid file read with a wrong type means our model is wrong).
//! The stricter check against Python's own YAML and JSON readers is
//! `scripts/corpus-check.py`, which `.ci/run` runs.

use std::path::PathBuf;

use orchlint::engine::{self, ScanRequest};

#[test]
fn corpus_scans_without_crash_or_type_errors() {
    let corpus = PathBuf::from("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    }
    let req = ScanRequest {
        paths: vec![corpus],
        ..Default::default()
    };
    let scan = engine::run(&req).expect("the scan runs");
    let specs = scan.files.iter().filter(|f| f.format.is_some()).count();
    assert!(specs > 500, "only {specs} spec files detected");
    let wrong: Vec<String> = scan
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "wrong-type")
        .map(|d| format!("{}: {}", scan.file(d.file).display, d.message))
        .collect();
    assert!(
        wrong.is_empty(),
        "wrong-type findings in the corpus:\n{}",
        wrong.join("\n")
    );
}
