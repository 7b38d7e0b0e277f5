//! Compose projects of one scan share what the scan learned about folders on disk
//! (a folder's `.env`, checkout, ignore files): the findings that depend on them
//! are the same whether a project is scanned with others or alone.

use std::path::Path;
use std::process::Command;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The findings of `check` over `paths` (relative to `root`), one line each:
/// `file rule message`, in the order printed.
fn findings(root: &Path, paths: &[&str], threads: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args([
            "check",
            "--no-cache",
            "--isolated",
            "--format",
            "json",
            "--threads",
            threads,
            "--select",
            "missing-env-file,missing-build-context",
        ])
        .args(paths)
        .current_dir(root)
        .output()
        .expect("the binary runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d["file"].as_str().unwrap_or_default(),
                d["rule"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

const SPEC: &str = "services:\n  web:\n    image: example/web:1\n    env_file: ./${ENVDIR}/app.env\n    build: ./tmp\n";

#[test]
fn projects_of_one_scan_keep_their_own_env_checkout_and_ignore_files() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = t.path();
    std::fs::create_dir_all(root.join("repo/.git")).expect("mkdir");
    // `a` sets ENVDIR in its `.env`: its env_file resolves and is missing, and its
    // build folder is missing.
    write(root, "repo/a/compose.yaml", SPEC);
    write(root, "repo/a/.env", "ENVDIR=conf\n");
    // `b`, beside it, has no `.env` (the env_file uses an unset variable, not
    // checked) and a `.gitignore` of its own that ignores `tmp/` (made by a build).
    write(root, "repo/b/compose.yaml", SPEC);
    write(root, "repo/b/.gitignore", "tmp/\n");
    // `c` has the same files as `a` outside any checkout: nothing is checked.
    write(root, "outside/c/compose.yaml", SPEC);
    write(root, "outside/c/.env", "ENVDIR=conf\n");
    #[cfg(unix)]
    {
        // `d`'s `.env` is a link out of the checkout: it is not read.
        write(root, "outside/secret.env", "ENVDIR=leaked\n");
        write(root, "repo/d/compose.yaml", SPEC);
        std::os::unix::fs::symlink("../../outside/secret.env", root.join("repo/d/.env"))
            .expect("symlink");
    }

    let together = findings(root, &["repo", "outside"], "1");
    assert_eq!(
        together,
        [
            "repo/a/compose.yaml correctness/missing-env-file service \"web\" reads env_file \"./${ENVDIR}/app.env\" (\"./conf/app.env\"), which does not exist",
            "repo/a/compose.yaml correctness/missing-build-context service \"web\" builds from \"./tmp\", a folder that does not exist",
            #[cfg(unix)]
            "repo/d/compose.yaml correctness/missing-build-context service \"web\" builds from \"./tmp\", a folder that does not exist",
        ],
        "{together:#?}"
    );
    // Two threads, and each project scanned alone, find the same.
    assert_eq!(findings(root, &["repo", "outside"], "2"), together);
    let mut alone = Vec::new();
    for p in ["repo/a", "repo/b", "outside/c", "repo/d"] {
        if root.join(p).exists() {
            alone.extend(findings(root, &[p], "1"));
        }
    }
    alone.sort();
    let mut sorted = together.clone();
    sorted.sort();
    assert_eq!(alone, sorted);
    // Scanned in the other order, `b` (no `.env`, its own ignore file) first.
    assert_eq!(findings(root, &["repo/b", "repo/a"], "1").len(), 2);
}
