//! `check --fix`, `--diff` and `--unsafe-fixes` on the binary. Each fixable rule
//! has a folder `fixtures/fix/<rule>/` of files before fixing; for each, the diff
//! and the fixed text are snapshots, the fixed files are re-checked (they parse and
//! the rule no longer finds what it fixed), and a second `--fix` changes nothing and
//! rewrites no file. The rules that say they fix (`orchlint rules --format json`)
//! and the fixture folders must agree.

use std::collections::BTreeSet;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ROOT: &str = "fixtures/fix";

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

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots/fix");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

/// The rules with a folder of fix fixtures.
fn fixture_rules() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ROOT)
        .expect("fixtures/fix exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The snapshots this module makes (for the orphan check in `conventions`).
pub(crate) fn snapshot_names() -> Vec<String> {
    let mut names = Vec::new();
    for r in fixture_rules() {
        names.push(format!("{r}__diff"));
        names.push(format!("{r}__after"));
    }
    names
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d)
            .expect("a folder")
            .filter_map(Result::ok)
        {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// A copy of a fixture folder in a fresh temporary directory.
fn copy(from: &Path) -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("temp dir");
    for rel in files_under(from) {
        let to = t.path().join(&rel);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
        std::fs::copy(from.join(&rel), &to).expect("copy");
    }
    t
}

/// Each file's bytes, inode and modification time.
fn state(dir: &Path) -> Vec<(PathBuf, Vec<u8>, u64, i64, i64)> {
    files_under(dir)
        .into_iter()
        .map(|rel| {
            let p = dir.join(&rel);
            let m = std::fs::metadata(&p).expect("metadata");
            let bytes = std::fs::read(&p).expect("read");
            (rel, bytes, m.ino(), m.mtime(), m.mtime_nsec())
        })
        .collect()
}

/// Every file's text, each under a `== path ==` line.
fn texts(dir: &Path) -> String {
    let mut out = String::new();
    for rel in files_under(dir) {
        let text = std::fs::read_to_string(dir.join(&rel)).expect("text");
        out.push_str(&format!("== {} ==\n{text}", rel.display()));
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The findings of `rule` (and the files that do not parse) as JSON objects.
fn findings(dir: &Path, rule: &str) -> Vec<serde_json::Value> {
    let select = format!("{rule},syntax");
    let o = orchlint(
        dir,
        &[
            "check",
            "--isolated",
            "--select",
            &select,
            "--format",
            "json",
            ".",
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{rule}: JSON output: {e}: {}", stdout(&o)));
    doc["diagnostics"].as_array().cloned().unwrap_or_default()
}

/// `(name, "safe" | "unsafe")` of every rule that says it fixes.
fn declared_fixes() -> Vec<(String, String)> {
    let o = orchlint(Path::new("."), &["rules", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("rules JSON");
    rows.iter()
        .filter_map(|r| {
            let fix = r["fix"].as_str()?;
            Some((r["name"].as_str()?.to_string(), fix.to_string()))
        })
        .collect()
}

#[test]
fn the_rules_that_fix_are_the_ones_with_fix_fixtures() {
    let declared: BTreeSet<String> = declared_fixes().into_iter().map(|(n, _)| n).collect();
    let fixtures: BTreeSet<String> = fixture_rules().into_iter().collect();
    assert!(declared.len() >= 6, "{declared:?}");
    assert_eq!(
        declared, fixtures,
        "a rule that declares a fix (`Rule::fix`) needs fixtures/fix/<rule>/, and only such a rule has one"
    );
    // `rule NAME` says it too.
    let doc = stdout(&orchlint(
        Path::new("."),
        &["rule", "obsolete-compose-version"],
    ));
    assert!(doc.contains("Fix: safe"), "{doc}");
    let doc = stdout(&orchlint(Path::new("."), &["rule", "removed-compose-key"]));
    assert!(doc.contains("Fix: unsafe"), "{doc}");
    let doc = stdout(&orchlint(Path::new("."), &["rule", "latest-image-tag"]));
    assert!(!doc.contains("Fix:"), "{doc}");
}

#[test]
fn each_fixable_rule_fixes_its_fixtures_keeping_the_rest_of_the_text() {
    let _guard = settings().bind_to_scope();
    let safety: Vec<(String, String)> = declared_fixes();
    for rule in fixture_rules() {
        let src = Path::new(ROOT).join(&rule);
        let t = copy(&src);
        let dir = t.path();
        let unsafe_rule = safety.iter().any(|(n, a)| *n == rule && a == "unsafe");
        let before_findings = findings(dir, &rule);
        let fixable = before_findings
            .iter()
            .filter(|d| d["fix"].is_object())
            .count();
        assert!(
            fixable > 0,
            "{rule}: no finding of the fixtures carries a fix"
        );
        assert!(
            before_findings.iter().all(|d| d["family"] != "syntax"),
            "{rule}: a fixture does not parse"
        );
        let original = state(dir);

        // Unsafe fixes wait for --unsafe-fixes.
        if unsafe_rule {
            let o = orchlint(
                dir,
                &["check", "--isolated", "--select", &rule, "--fix", "."],
            );
            assert!(
                stderr(&o).contains("Fixed 0 findings"),
                "{rule}: {}",
                stderr(&o)
            );
            assert_eq!(
                state(dir),
                original,
                "{rule}: --fix alone applied an unsafe fix"
            );
        }

        // --diff writes nothing and exits 1.
        let mut args = vec!["check", "--isolated", "--select", &rule, "--diff", "."];
        if unsafe_rule {
            args.push("--unsafe-fixes");
        }
        let o = orchlint(dir, &args);
        assert_eq!(o.status.code(), Some(1), "{rule}: {}", stderr(&o));
        assert_eq!(state(dir), original, "{rule}: --diff wrote a file");
        insta::assert_snapshot!(format!("{rule}__diff"), stdout(&o));

        // --fix: the text after, re-checked.
        args.retain(|a| *a != "--diff");
        args.push("--fix");
        let o = orchlint(dir, &args);
        assert!(
            stderr(&o).contains(&format!("Fixed {fixable} finding")),
            "{rule}: {}",
            stderr(&o)
        );
        insta::assert_snapshot!(format!("{rule}__after"), texts(dir));
        let after = findings(dir, &rule);
        assert!(
            after.iter().all(|d| d["family"] != "syntax"),
            "{rule}: the fixed files do not parse: {after:?}"
        );
        assert!(
            after.iter().all(|d| !d["fix"].is_object()),
            "{rule}: a fixable finding is left: {after:?}"
        );
        assert_eq!(
            after.len() + fixable,
            before_findings.len(),
            "{rule}: the fixes did not remove exactly the findings they fixed"
        );

        // Idempotent: a second --fix changes nothing and rewrites no file.
        let fixed = state(dir);
        let o = orchlint(dir, &args);
        assert!(
            stderr(&o).contains("Fixed 0 findings"),
            "{rule}: {}",
            stderr(&o)
        );
        assert_eq!(state(dir), fixed, "{rule}: the second --fix touched a file");
    }
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

#[test]
fn overlapping_fixes_are_applied_over_several_passes() {
    // Moving the services under `services:` indents the `net` line that the
    // removal of `net` deletes: the two edits touch one place, so the removal
    // waits for the next pass, made on the re-checked text.
    let t = tempfile::tempdir().expect("temp dir");
    write(
        t.path(),
        "fig.yml",
        "web:\n  image: example/web:1.0\n  net: host\n  restart: always\n",
    );
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "legacy-compose-format,removed-compose-key",
            "--fix",
            "--unsafe-fixes",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("Fixed 2 findings (0 remaining)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("fig.yml")).expect("read"),
        "services:\n  web:\n    image: example/web:1.0\n    restart: always\n"
    );
}

#[test]
fn stdin_with_fix_prints_the_fixed_text_and_the_findings_on_stderr() {
    let t = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args([
            "check",
            "--isolated",
            "--fix",
            "-",
            "--stdin-filename",
            "compose.yaml",
            "--select",
            "obsolete-compose-version,latest-image-tag",
        ])
        .current_dir(t.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"# keep\nversion: \"3\"\nservices:\n  web:\n    image: nginx\n")
        .expect("write stdin");
    let o = child.wait_with_output().expect("output");
    assert_eq!(
        stdout(&o),
        "# keep\nservices:\n  web:\n    image: nginx\n",
        "{}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains("compose.yaml:4:12: warning [reliability/latest-image-tag]"),
        "{err}"
    );
    assert!(err.contains("Fixed 1 finding (1 remaining)"), "{err}");
    assert_eq!(o.status.code(), Some(1));
    // Nothing was written next to it.
    assert!(files_under(t.path()).is_empty());
}

#[test]
fn a_read_only_file_is_reported_and_left_alone() {
    let t = tempfile::tempdir().expect("temp dir");
    let text = "version: \"3\"\nservices:\n  web:\n    image: nginx:1.27\n";
    write(t.path(), "compose.yaml", text);
    let p = t.path().join("compose.yaml");
    let mut perms = std::fs::metadata(&p).expect("metadata").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&p, perms).expect("chmod");
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "obsolete-compose-version",
            "--fix",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("compose.yaml: the file is read-only"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&p).expect("read"), text);
    // What is reported is what stays on disk.
    assert!(
        stdout(&o).contains("obsolete-compose-version"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("Fixed 0 findings (1 remaining)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diff_exits_zero_without_changes_and_fix_skips_files_outside_the_scanned_paths() {
    let t = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(t.path().join("repo/.git")).expect("mkdir");
    let rbac = "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: Role\nmetadata:\n  name: r\nrules: []\n";
    write(t.path(), "repo/base/role.yaml", rbac);
    write(
        t.path(),
        "repo/base/kustomization.yaml",
        "resources:\n- role.yaml\n",
    );
    write(
        t.path(),
        "repo/overlay/kustomization.yaml",
        "resources:\n- ../base\n- role.yaml\n",
    );
    write(
        t.path(),
        "repo/overlay/role.yaml",
        &rbac.replace("name: r", "name: s"),
    );
    let repo = t.path().join("repo");
    let args = ["check", "--isolated", "--select", "removed-api-version"];
    let o = orchlint(&repo, &[&args[..], &["--diff", "overlay"]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("+++ overlay/role.yaml"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("base/role.yaml"), "{}", stdout(&o));
    let o = orchlint(&repo, &[&args[..], &["--fix", "overlay"]].concat());
    assert!(stderr(&o).contains("Fixed 1 finding"), "{}", stderr(&o));
    // The base was read for context, but is not the user's to have fixed.
    assert_eq!(
        std::fs::read_to_string(repo.join("base/role.yaml")).expect("read"),
        rbac
    );
    assert!(
        std::fs::read_to_string(repo.join("overlay/role.yaml"))
            .expect("read")
            .starts_with("apiVersion: rbac.authorization.k8s.io/v1\n")
    );
    // Nothing left to change in the overlay: --diff exits 0 and prints nothing.
    let o = orchlint(&repo, &[&args[..], &["--diff", "overlay"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn a_fix_that_makes_a_file_read_worse_is_undone() {
    // `secretName` is close to `secretRef`, but `secretRef` holds an object: the
    // renamed key would be a value of the wrong type. The pass is undone for the
    // file, and the user told why.
    let t = tempfile::tempdir().expect("temp dir");
    let text = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  capacity:\n    storage: 5Gi\n  accessModes: [ReadWriteOnce]\n  storageos:\n    volumeName: pv\n    secretName: storageos-secret\n";
    write(t.path(), "pv.yaml", text);
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "unknown-key",
            "--fix",
            "--unsafe-fixes",
            ".",
        ],
    );
    let err = stderr(&o);
    assert!(
        err.contains(
            "the fixes for pv.yaml were undone: they made it read worse (syntax/wrong-type:"
        ),
        "{err}"
    );
    assert!(err.contains("Fixed 0 findings (1 remaining)"), "{err}");
    assert_eq!(
        std::fs::read_to_string(t.path().join("pv.yaml")).expect("read"),
        text
    );
}

#[test]
fn fixing_keeps_crlf_line_endings_symlinks_and_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().expect("temp dir");
    write(
        t.path(),
        "real/fig.yml",
        "web:\r\n  image: example/web:1.0\r\n",
    );
    let real = t.path().join("real/fig.yml");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::fs::create_dir_all(t.path().join("app")).expect("mkdir");
    std::os::unix::fs::symlink(&real, t.path().join("app/fig.yml")).expect("symlink");
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "legacy-compose-format",
            "--follow-symlinks",
            "--fix",
            "app",
        ],
    );
    assert!(stderr(&o).contains("Fixed 1 finding"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&real).expect("read"),
        "services:\r\n  web:\r\n    image: example/web:1.0\r\n"
    );
    let link = std::fs::symlink_metadata(t.path().join("app/fig.yml")).expect("lstat");
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let mode = std::fs::metadata(&real)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn suppressed_and_unselected_findings_are_not_fixed() {
    let t = tempfile::tempdir().expect("temp dir");
    let text = "# orchlint-ignore: obsolete-compose-version -- the stack tooling reads it\nversion: \"3\"\nservices:\n  web:\n    image: nginx:1.27\n    links: [db]\n  db:\n    image: postgres:16\n";
    write(t.path(), "compose.yaml", text);
    let o = orchlint(
        t.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "obsolete-compose-version",
            "--fix",
            ".",
        ],
    );
    assert!(
        stderr(&o).contains("Fixed 0 findings (0 remaining)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("compose.yaml")).expect("read"),
        text
    );
}
