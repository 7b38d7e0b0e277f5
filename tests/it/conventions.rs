//! The conventions that keep rules, their fixtures and the snapshots in step, each
//! its own test that names what breaks it: every rule declared in `src/rules/` is
//! registered; a rule's file, name and fixture folder agree; every fixture folder
//! belongs to a rule (or is one of the shared folders); no snapshot is left over.
//! Rule sources are read as text, so a rule that was written but never registered
//! is found.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use orchlint::rules;

/// Folders of `fixtures/` that are not a rule's: the README example, the spec
/// format cases, the advisor's scenarios, the CI repositories, the fixes' cases, the
/// migrations' sources.
const SHARED_FIXTURES: [&str; 6] = ["advise", "ci", "example", "fix", "formats", "migrate"];

/// A `RuleMeta` static found in a source file: its `name`, and the file.
struct Declared {
    name: String,
    file: PathBuf,
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The `name`s of the `static X: RuleMeta = RuleMeta { name: "...", ... }` in a
/// source text (the type may be written with its path).
fn declared_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_meta = false;
    for line in text.lines() {
        let t = line.trim_start();
        let t = t
            .strip_prefix("pub(crate) ")
            .or_else(|| t.strip_prefix("pub(super) "))
            .or_else(|| t.strip_prefix("pub "))
            .unwrap_or(t);
        if let Some(rest) = t.strip_prefix("static ") {
            in_meta = rest
                .split_once(':')
                .and_then(|(_, ty)| ty.split_once('='))
                .is_some_and(|(ty, _)| ty.trim().ends_with("RuleMeta"));
        } else if in_meta && let Some(rest) = t.strip_prefix("name: \"") {
            names.push(rest.split('"').next().unwrap_or_default().to_string());
            in_meta = false;
        }
    }
    names
}

/// Every rule declared under `src/rules/` (test modules and `mod.rs` aside), and
/// the scan's own findings in `src/diagnostic/builtin.rs`.
fn declared() -> Vec<Declared> {
    let mut files = rust_files(Path::new("src/rules"));
    files.push(Path::new("src/diagnostic/builtin.rs").to_path_buf());
    files
        .into_iter()
        .filter(|p| !p.ends_with("mod.rs") && !p.ends_with("tests.rs"))
        .flat_map(|file| {
            let text = std::fs::read_to_string(&file).expect("a readable source file");
            declared_names(&text).into_iter().map(move |name| Declared {
                name,
                file: file.clone(),
            })
        })
        .collect()
}

fn registered() -> BTreeSet<&'static str> {
    rules::all_meta().iter().map(|m| m.name).collect()
}

#[test]
fn the_source_scan_finds_rules() {
    // Guards the text scan itself: were the `RuleMeta` syntax to change, the
    // checks below would pass on nothing.
    let found = declared();
    assert!(
        found.len() >= rules::all_meta().len(),
        "found {} RuleMeta statics in src/rules/ but {} rules are registered; has the declaration syntax changed?",
        found.len(),
        rules::all_meta().len()
    );
}

#[test]
fn every_declared_rule_is_registered() {
    let registered = registered();
    let missing: Vec<String> = declared()
        .iter()
        .filter(|d| !registered.contains(d.name.as_str()))
        .map(|d| format!("{} (in {})", d.name, d.file.display()))
        .collect();
    assert!(
        missing.is_empty(),
        "rules declared but missing from rules::all_meta() (add a line for each to its group's `super::register! {{ ... }}` in src/rules/<group>/mod.rs):\n  {}",
        missing.join("\n  ")
    );
}

#[test]
fn rule_file_name_and_fixture_folder_agree() {
    let mut wrong = Vec::new();
    for file in rust_files(Path::new("src/rules")) {
        // Only a group's rule files: `src/rules/<group>/<rule>.rs`.
        if file.parent().and_then(Path::parent) != Some(Path::new("src/rules")) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let names = declared_names(&text);
        let stem = file.file_stem().unwrap().to_string_lossy();
        match names.as_slice() {
            [] => {} // mod.rs, tests.rs, helpers
            [name] => {
                if stem != name.replace('-', "_") {
                    wrong.push(format!(
                        "{}: the file of rule `{name}` is named `{}.rs`",
                        file.display(),
                        name.replace('-', "_")
                    ));
                }
                if !Path::new("fixtures").join(name).is_dir() {
                    wrong.push(format!(
                        "{}: rule `{name}` has no fixture folder fixtures/{name}/",
                        file.display()
                    ));
                }
            }
            many => wrong.push(format!(
                "{}: one rule per file, found {}",
                file.display(),
                many.join(", ")
            )),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let registered = registered();
    let mut strays: Vec<String> = std::fs::read_dir("fixtures")
        .expect("fixtures/ at the crate root")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !SHARED_FIXTURES.contains(&n.as_str()) && !registered.contains(n.as_str()))
        .map(|n| format!("fixtures/{n}/"))
        .collect();
    strays.sort();
    assert!(
        strays.is_empty(),
        "fixture folders named after no rule (rename them, or add shared folders to SHARED_FIXTURES in {}):\n  {}",
        file!(),
        strays.join("\n  ")
    );
}

#[test]
fn no_orphan_snapshots() {
    let root = Path::new("tests/it/snapshots");
    let expected: [(&str, Vec<String>); 9] = [
        ("advise", super::advise::snapshot_names()),
        ("example", super::example::snapshot_names()),
        ("fix", super::fix::snapshot_names()),
        ("fixtures", super::fixtures::snapshot_names()),
        ("formats", super::formats::snapshot_names()),
        ("migrate", super::migrate::snapshot_names()),
        ("migrate_nomad", super::migrate_nomad::snapshot_names()),
        ("spec_formats", super::spec_formats::snapshot_names()),
        ("suppressions", super::suppressions::snapshot_names()),
    ];
    let mut orphans = Vec::new();
    for e in std::fs::read_dir(root)
        .expect("tests/it/snapshots")
        .filter_map(Result::ok)
    {
        let folder = e.file_name().to_string_lossy().into_owned();
        let Some((_, names)) = expected.iter().find(|(f, _)| *f == folder) else {
            orphans.push(format!("{}: no test writes here", e.path().display()));
            continue;
        };
        for snap in std::fs::read_dir(e.path())
            .expect("a snapshot folder")
            .filter_map(Result::ok)
        {
            let file = snap.file_name().to_string_lossy().into_owned();
            // Pending snapshots (`.snap.new`, `.pending-snap`) are insta's, not ours.
            let Some(name) = file.strip_suffix(".snap") else {
                continue;
            };
            if !names.iter().any(|n| n == name) {
                orphans.push(format!(
                    "{}: no test makes this snapshot",
                    snap.path().display()
                ));
            }
        }
    }
    orphans.sort();
    assert!(
        orphans.is_empty(),
        "orphan snapshots (delete them, or restore what made them):\n  {}",
        orphans.join("\n  ")
    );
}
