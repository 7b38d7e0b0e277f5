//! Every rule has a folder `fixtures/<rule-name>/` with a failing case (`fail.*` or a
//! `fail/` folder) and a passing one (`pass.*` or `pass/`). The failing case's
//! findings, with exact lines and columns, are compared with a checked-in snapshot;
//! the passing case must give no finding at all. Only that rule runs.

use std::path::{Path, PathBuf};

use orchlint::config;
use orchlint::engine::{self, ScanRequest};
use orchlint::report;
use orchlint::rules;

fn fixtures_root() -> PathBuf {
    PathBuf::from("fixtures")
}

/// The fail/pass entries of a rule's fixture folder.
fn cases(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n == prefix || n.starts_with(&format!("{prefix}.")))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Lints with only `rule` selected, except for suppression rules, which need the
/// rules they suppress to run: then everything runs and only `rule`'s lines are kept.
fn lint(path: &Path, rule: &str) -> String {
    let cfg = config::find(path)
        .map(|p| config::load(&p).unwrap_or_else(|e| panic!("{}", e.0)))
        .unwrap_or_default();
    let req = ScanRequest {
        paths: vec![path.to_path_buf()],
        configs: vec![cfg],
        cli_select: (!rule.starts_with("suppression/")).then(|| vec![rule.to_string()]),
        ..Default::default()
    };
    let scan = engine::run(&req).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    report::concise::write(&mut out, &scan.files, &scan.diagnostics).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter(|l| l.contains(&format!("[{rule}]")))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn every_rule_has_fail_and_pass_fixtures() {
    let mut missing = Vec::new();
    for meta in rules::all_meta() {
        let dir = fixtures_root().join(meta.name);
        if cases(&dir, "fail").is_empty() || cases(&dir, "pass").is_empty() {
            missing.push(meta.name);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fail/pass fixtures: {missing:?}"
    );
}

#[test]
fn every_rule_has_documentation() {
    for meta in rules::all_meta() {
        assert!(
            !meta.summary.is_empty() && !meta.what.is_empty() && !meta.why.is_empty(),
            "{}",
            meta.name
        );
        assert!(
            !meta.bad.text.is_empty() && !meta.good.text.is_empty(),
            "{}",
            meta.name
        );
        assert_ne!(meta.bad.text, meta.good.text, "{}", meta.name);
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "rule names are kebab-case: {}",
            meta.name
        );
        assert!(
            !meta.summary.ends_with('.')
                && meta
                    .summary
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_lowercase()),
            "summaries start lowercase without a trailing period: {}",
            meta.name
        );
    }
}

#[test]
fn fixtures_match_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/fixtures");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    for meta in rules::all_meta() {
        let dir = fixtures_root().join(meta.name);
        for fail in cases(&dir, "fail") {
            let out = lint(&fail, &meta.code());
            assert!(
                out.contains(&format!("[{}]", meta.code())),
                "{}: the failing fixture gives no finding of the rule:\n{out}",
                fail.display()
            );
            let name = fail
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace('.', "_");
            insta::assert_snapshot!(format!("{}__{}", meta.name, name), out);
        }
        for pass in cases(&dir, "pass") {
            let out = lint(&pass, &meta.code());
            assert!(
                out.is_empty(),
                "{}: the passing fixture gives findings:\n{out}",
                pass.display()
            );
        }
    }
}
