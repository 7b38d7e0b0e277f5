//! What the rules' documentation shows is what they do: every rule's bad example gives
//! at least one finding of that rule and its good example none, each written to an
//! empty directory under its file name and scanned with only that rule selected.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use orchlint::config::{self, Config};
use orchlint::diagnostic::{Example, RuleMeta};
use orchlint::engine::{self, ScanRequest};
use orchlint::rules;
use orchlint::source::{FileId, Format};

/// Rules whose bad example describes a file instead of showing it (a file cannot
/// be too large or unreadable in a few lines of text); their good examples are
/// still checked.
const DESCRIBED_BAD_EXAMPLES: &[(&str, &str)] = &[
    (
        "file-too-large",
        "the example stands for a file above the 10 MiB size limit",
    ),
    (
        "unreadable-file",
        "the example stands for bytes that are not UTF-8, which a `&str` cannot hold",
    ),
];

/// Rules that compare two files: their examples show one file, and the other one,
/// which the rule's description names, is written beside it (a `.git` for the rules
/// that look for files only inside a git checkout). An `orchlint.toml`
/// companion is the configuration the examples are judged with (as the rule's
/// description says).
const COMPANION_FILES: &[(&str, &str, &str)] = &[
    (
        "api-version-too-new",
        "orchlint.toml",
        "[kubernetes]\nversion = \"1.22\"\n",
    ),
    (
        "deprecated-api-version",
        "orchlint.toml",
        "[kubernetes]\nversion = \"1.22\"\n",
    ),
    (
        "inline-forbidden",
        "orchlint.toml",
        "[suppressions]\ninline = false\n",
    ),
    (
        "missing-reason",
        "orchlint.toml",
        "[suppressions]\nrequire-reason = true\n",
    ),
    ("missing-build-context", ".git", "gitdir: elsewhere\n"),
    ("missing-env-file", ".git", "gitdir: elsewhere\n"),
    (
        "missing-kustomize-resource",
        "deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
    ),
    (
        "missing-kustomize-resource",
        "service.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
    ),
    (
        "multiple-flocker-volumes",
        "deployment.yml",
        "version: 1\nnodes:\n  \"10.0.0.1\": [db]\n",
    ),
    (
        "undefined-flocker-application",
        "application.yml",
        "version: 1\napplications:\n  postgres:\n    image: postgres:9.4\n",
    ),
    (
        "undefined-process-type",
        "Procfile",
        "web: node server.js\nworker: node worker.js\n",
    ),
];

/// Scans `example` written in an empty directory (with its companion files) and returns the findings
/// of `meta`'s rule as `line:column message`, and every finding of the scan for
/// messages. Suppression rules need the rules they suppress to run: then every
/// rule runs and only `meta`'s findings are kept.
fn findings(meta: &RuleMeta, example: &Example) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(example.file_name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, example.text).unwrap();
    for (_, name, text) in COMPANION_FILES.iter().filter(|(r, ..)| *r == meta.name) {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let code = meta.code();
    let own_config = dir.path().join("orchlint.toml");
    let cfg = if own_config.is_file() {
        config::load(&own_config).unwrap_or_else(|e| panic!("{}", e.0))
    } else {
        Config::default()
    };
    let req = ScanRequest {
        paths: vec![dir.path().to_path_buf()],
        configs: vec![cfg],
        cli_select: (!code.starts_with("suppression/")).then(|| vec![code.clone()]),
        ..Default::default()
    };
    let scan = engine::run(&req).unwrap_or_else(|e| panic!("{}: {e}", meta.name));
    let show = |d: &orchlint::diagnostic::Diagnostic| {
        let file = scan.file(d.file);
        let rel = file.path.strip_prefix(dir.path()).unwrap_or(Path::new(""));
        format!(
            "{} {}@{}: {}",
            d.rule.code(),
            rel.display(),
            d.span.start,
            d.message
        )
    };
    let own = scan
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == meta.name)
        .map(show)
        .collect();
    let all = scan.diagnostics.iter().map(show).collect();
    (own, all)
}

#[test]
fn bad_examples_fire_and_good_examples_do_not() {
    let mut wrong = Vec::new();
    for meta in rules::all_meta() {
        if !DESCRIBED_BAD_EXAMPLES.iter().any(|(n, _)| *n == meta.name) {
            let (own, all) = findings(meta, &meta.bad);
            if own.is_empty() {
                wrong.push(format!(
                    "{}: the bad example gives no finding of the rule; the scan gave {all:#?}",
                    meta.name
                ));
            }
        }
        let (own, _) = findings(meta, &meta.good);
        if !own.is_empty() {
            wrong.push(format!(
                "{}: the good example gives findings: {own:#?}",
                meta.name
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn described_bad_examples_are_known_rules_and_still_descriptions() {
    for (name, reason) in DESCRIBED_BAD_EXAMPLES {
        let meta = rules::find(name).unwrap_or_else(|| panic!("{name} is not a rule"));
        assert!(
            meta.bad.text.starts_with('(') && meta.bad.text.ends_with(')'),
            "{name}'s bad example is a real file now ({reason} no longer holds): \
             remove it from DESCRIBED_BAD_EXAMPLES"
        );
    }
}

/// The fail cases of a rule's fixture folder: `fail` (a folder) or `fail.*` files.
fn fail_cases(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n == "fail" || n.starts_with("fail."))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The format the scan gives a file, or, for a file it does not read (too large, not
/// UTF-8, binary), the format the same file name and text would be detected as:
/// the readable text (invalid bytes replaced, NUL bytes dropped) is scanned alone.
fn format_of(scan: &engine::Scan, id: FileId) -> Option<Format> {
    let file = scan.file(id);
    if file.format.is_some() {
        return file.format;
    }
    let bytes = std::fs::read(&file.path).ok()?;
    let text = String::from_utf8_lossy(&bytes).replace('\0', "");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(file.path.file_name()?);
    std::fs::write(&copy, text).unwrap();
    let req = ScanRequest {
        paths: vec![copy],
        configs: vec![Config::default()],
        skip_rules: true,
        ..Default::default()
    };
    engine::run(&req).ok()?.files.first()?.format
}

/// The formats of the files in which the rule reports a finding when it runs
/// alone over its fixture's fail cases (with the fixture's configuration; every
/// rule for suppression rules), as `tests/fixtures.rs` runs them.
fn formats_with_findings(meta: &RuleMeta) -> BTreeSet<Format> {
    let code = meta.code();
    let mut out = BTreeSet::new();
    for case in fail_cases(&Path::new("fixtures").join(meta.name)) {
        let cfg = config::find(&case)
            .map(|p| config::load(&p).unwrap_or_else(|e| panic!("{}", e.0)))
            .unwrap_or_default();
        let req = ScanRequest {
            paths: vec![case.clone()],
            configs: vec![cfg],
            cli_select: (!code.starts_with("suppression/")).then(|| vec![code.clone()]),
            ..Default::default()
        };
        let scan = engine::run(&req).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        out.extend(
            scan.diagnostics
                .iter()
                .filter(|d| d.rule.name == meta.name)
                .filter_map(|d| format_of(&scan, d.file)),
        );
    }
    out
}

#[test]
fn every_claimed_format_has_a_failing_fixture() {
    let mut missing = Vec::new();
    for meta in rules::all_meta() {
        let found = formats_with_findings(meta);
        let lacking: Vec<&str> = meta
            .formats
            .iter()
            .filter(|f| !found.contains(f))
            .map(|f| f.as_str())
            .collect();
        if !lacking.is_empty() {
            missing.push(format!("{}: {}", meta.name, lacking.join(", ")));
        }
    }
    assert!(
        missing.is_empty(),
        "rules that claim formats their fixtures/<rule>/fail* never shows:\n{}",
        missing.join("\n")
    );
}

/// `docs/rules.md` is what `orchlint rules --format markdown` prints today, so the
/// catalog people read (severities, default set, peers) never drifts from the
/// rules. With `ORCHLINT_UPDATE_DOCS=1` the test rewrites the page instead.
#[test]
fn rules_catalog_page_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(["rules", "--format", "markdown"])
        .current_dir(root)
        .output()
        .expect("run orchlint rules");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = String::from_utf8(out.stdout).expect("UTF-8 catalog");
    let page = root.join("docs/rules.md");
    if std::env::var_os("ORCHLINT_UPDATE_DOCS").is_some() {
        std::fs::write(&page, &generated).expect("write docs/rules.md");
        return;
    }
    let committed = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is stale: run `ORCHLINT_UPDATE_DOCS=1 cargo test rules_catalog_page_is_current` \
         (or `orchlint rules --format markdown > docs/rules.md`) and commit it"
    );
    // Every rule has its row.
    for m in rules::all_meta() {
        assert!(
            committed.contains(&format!("| `{}` |", m.code())),
            "{}",
            m.code()
        );
    }
}
