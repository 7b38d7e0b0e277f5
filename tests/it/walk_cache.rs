//! A cached rerun lists its files from the stored walk when no directory and no
//! ignore file it read has changed, and walks again otherwise: after a file is
//! added, removed or renamed, an ignore file appears or is edited (in the tree,
//! above it, in `.git/info/exclude`, the global excludes file), a folder is
//! added, a followed link is pointed elsewhere, or when a directory changed too
//! close to the recorded walk. Every run prints what `--no-cache` prints.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const LATEST: &str = "services:\n  web:\n    image: nginx:latest\n";

/// How a cached run found its files (`--verbose`).
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// It walked.
    Walked,
    /// It listed them from the stored walk.
    Listed,
}

struct Tree {
    tmp: tempfile::TempDir,
}

impl Tree {
    /// A tree `t/` with a Compose file in `a/` and `b/`, settled.
    fn new() -> Tree {
        let tree = Tree {
            tmp: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(tree.path("home/.config/git")).expect("mkdir");
        tree.write("t/a/compose.yaml", LATEST);
        tree.write("t/b/compose.yaml", LATEST);
        tree
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// orchlint in the tree's top, with a home of its own (no global git
    /// configuration from the machine).
    fn orchlint(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_orchlint"))
            .args(args)
            .current_dir(self.tmp.path())
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("home/.config"))
            .env_remove("GIT_CONFIG_GLOBAL")
            .env_remove("ORCHLINT_CACHE_DIR")
            .output()
            .expect("the binary runs")
    }

    /// `check` with the cache and without it: the same findings; returns them
    /// and how the cached run found its files.
    fn check(&self, extra: &[&str]) -> (String, Found) {
        let cache = self.path("cache");
        let cache = cache.to_str().expect("utf-8 path");
        let args = [
            &["check", "--format", "concise", "--color", "never"][..],
            extra,
        ]
        .concat();
        let cached = self.orchlint(&[&args[..], &["--verbose", "--cache-dir", cache]].concat());
        let plain = self.orchlint(&[&args[..], &["--no-cache"]].concat());
        let out = String::from_utf8_lossy(&cached.stdout).into_owned();
        assert_eq!(out, String::from_utf8_lossy(&plain.stdout), "{extra:?}");
        assert_eq!(cached.status.code(), plain.status.code());
        let err = String::from_utf8_lossy(&cached.stderr);
        let found = if err.contains("orchlint: walk: files listed from the cache") {
            Found::Listed
        } else {
            assert!(
                err.lines()
                    .any(|l| l.starts_with("orchlint: walk: ") && l.ends_with(" read")),
                "{err}"
            );
            Found::Walked
        };
        (out, found)
    }

    /// Settles the tree, records its walk, and checks that the next run lists
    /// its files from the record; returns the findings.
    fn warm(&self, extra: &[&str]) -> String {
        settle();
        let (first, _) = self.check(extra);
        let (again, found) = self.check(extra);
        assert_eq!(found, Found::Listed, "a settled, unchanged tree");
        assert_eq!(first, again);
        again
    }
}

/// Directories changed within two seconds of a walk are not trusted by their
/// stat: wait that out.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2_100));
}

fn t() -> &'static [&'static str] {
    &["t"]
}

#[test]
fn an_added_removed_or_renamed_file_is_seen() {
    let tree = Tree::new();
    let before = tree.warm(t());
    tree.write("t/a/more.yaml", LATEST);
    let (added, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert!(added.contains("t/a/more.yaml") && !before.contains("more.yaml"));

    tree.warm(t());
    std::fs::rename(tree.path("t/a/more.yaml"), tree.path("t/a/moved.yaml")).expect("rename");
    let (renamed, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert!(renamed.contains("t/a/moved.yaml") && !renamed.contains("more.yaml"));

    tree.warm(t());
    std::fs::remove_file(tree.path("t/a/moved.yaml")).expect("remove");
    let (removed, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert_eq!(removed, before);
}

#[test]
fn a_new_folder_and_a_file_beside_the_specs_are_seen_and_relisted() {
    let tree = Tree::new();
    tree.warm(t());
    tree.write("t/c/d/compose.yaml", LATEST);
    let (out, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert!(out.contains("t/c/d/compose.yaml"), "{out}");
    // A file that is no spec changes the folder all the same; once settled, one
    // walk records it again and the next run lists from that.
    tree.write("t/b/README", "notes\n");
    let (_, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    settle();
    let (_, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    let (again, found) = tree.check(t());
    assert_eq!(found, Found::Listed);
    assert_eq!(again, out);
}

#[test]
fn an_edited_gitignore_that_ignores_and_unignores_a_file_is_seen() {
    let tree = Tree::new();
    tree.write("t/.gitignore", "# nothing yet\n");
    let before = tree.warm(t());
    assert!(before.contains("t/b/compose.yaml"));
    // Edited in place: no directory changes, only the ignore file.
    tree.write("t/.gitignore", "b/\n");
    let (ignored, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert!(!ignored.contains("t/b/compose.yaml"), "{ignored}");
    tree.warm(t());
    tree.write("t/.gitignore", "# b/\n");
    let (back, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert_eq!(back, before);
}

#[test]
fn a_new_ignore_file_is_seen() {
    let tree = Tree::new();
    tree.warm(t());
    tree.write("t/a/.orchlintignore", "compose.yaml\n");
    let (out, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert!(!out.contains("t/a/compose.yaml") && out.contains("t/b/compose.yaml"));
}

#[test]
fn ignore_files_above_the_scanned_folder_and_git_excludes_are_seen() {
    let tree = Tree::new();
    std::fs::create_dir_all(tree.path(".git/info")).expect("mkdir");
    tree.write(".git/info/exclude", "# none\n");
    tree.write(".gitignore", "# none\n");
    let before = tree.warm(t());
    // The parent folder's .gitignore, edited in place.
    tree.write(".gitignore", "t/a/\n");
    let (out, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert!(!out.contains("t/a/compose.yaml"), "{out}");
    tree.write(".gitignore", "# none\n");
    assert_eq!(tree.warm(t()), before);
    // The repository's info/exclude.
    tree.write(".git/info/exclude", "compose.yaml\n");
    let (out, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert!(!out.contains("compose.yaml"), "{out}");
    tree.write(".git/info/exclude", "# none\n");
    assert_eq!(tree.warm(t()), before);
    // The global excludes file, created.
    tree.write("home/.config/git/ignore", "b/\n");
    let (out, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    assert!(!out.contains("t/b/compose.yaml") && out.contains("t/a/compose.yaml"));
}

#[cfg(unix)]
#[test]
fn a_followed_link_pointed_elsewhere_is_seen() {
    let tree = Tree::new();
    tree.write("elsewhere/one/compose.yaml", LATEST);
    tree.write("elsewhere/two/other.yaml", LATEST);
    std::os::unix::fs::symlink(tree.path("elsewhere/one"), tree.path("t/link")).expect("link");
    let args = ["t", "--follow-symlinks"];
    let before = tree.warm(&args);
    assert!(before.contains("t/link/compose.yaml"), "{before}");
    // A file added behind the link changes the folder the link leads to.
    tree.write("elsewhere/one/new.yaml", LATEST);
    let (out, found) = tree.check(&args);
    assert_eq!(found, Found::Walked);
    assert!(out.contains("t/link/new.yaml"), "{out}");
    tree.warm(&args);
    std::fs::remove_file(tree.path("t/link")).expect("unlink");
    std::os::unix::fs::symlink(tree.path("elsewhere/two"), tree.path("t/link")).expect("link");
    let (out, found) = tree.check(&args);
    assert_eq!(found, Found::Walked);
    assert!(out.contains("t/link/other.yaml") && !out.contains("t/link/new.yaml"));
    // Not followed, the link is no folder of the walk.
    let (plain, _) = tree.check(t());
    assert!(!plain.contains("t/link/"), "{plain}");
}

#[test]
fn a_folder_changed_close_to_the_recorded_walk_is_walked_again() {
    let tree = Tree::new();
    // Just written: the record cannot prove the folders unchanged since.
    let (first, found) = tree.check(t());
    assert_eq!(found, Found::Walked);
    let (again, found) = tree.check(t());
    assert_eq!(found, Found::Walked, "a racy folder is walked");
    assert_eq!(first, again);
}

#[test]
fn options_that_change_the_walk_have_their_own_record() {
    let tree = Tree::new();
    tree.write("t/.gitignore", "b/\n");
    tree.write("u/compose.yaml", LATEST);
    let ignoring = tree.warm(t());
    assert!(!ignoring.contains("t/b/compose.yaml"));
    // --no-ignore, another path, more paths: each walks once, then lists.
    for args in [&["t", "--no-ignore"][..], &["u"], &["t", "u"]] {
        let (out, found) = tree.check(args);
        assert_eq!(found, Found::Walked, "{args:?}");
        assert_ne!(out, ignoring, "{args:?}");
        let (again, found) = tree.check(args);
        assert_eq!((found, again), (Found::Listed, out), "{args:?}");
    }
    let (out, found) = tree.check(&["t", "--no-ignore"]);
    assert_eq!(found, Found::Listed);
    assert!(out.contains("t/b/compose.yaml"));
    let (out, found) = tree.check(t());
    assert_eq!((found, out), (Found::Listed, ignoring));
}

#[test]
fn a_named_file_is_listed_and_its_removal_is_a_walk() {
    let tree = Tree::new();
    let args = ["t/a/compose.yaml", "t/b"];
    let before = tree.warm(&args);
    assert!(before.contains("t/a/compose.yaml") && before.contains("t/b/compose.yaml"));
    std::fs::remove_file(tree.path("t/a/compose.yaml")).expect("remove");
    let cache = tree.path("cache");
    let out = tree.orchlint(&[
        "check",
        "t/a/compose.yaml",
        "t/b",
        "--cache-dir",
        cache.to_str().expect("utf-8"),
    ]);
    let plain = tree.orchlint(&["check", "t/a/compose.yaml", "t/b", "--no-cache"]);
    assert_eq!(out.stdout, plain.stdout);
    assert_eq!(out.stderr, plain.stderr);
    assert_eq!(out.status.code(), plain.status.code());
    assert!(!Path::new(&tree.path("t/a/compose.yaml")).exists());
}

#[test]
fn a_cache_inside_the_scanned_folder_does_not_spoil_the_record() {
    let tree = Tree::new();
    settle();
    let args = ["check", "t", "--verbose", "--cache-dir", "t/.cache"];
    let run = || {
        let o = tree.orchlint(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        (o.stdout, err.contains("files listed from the cache"))
    };
    // The first run creates the cache folder (its parent changes); once that
    // has settled, the next walks and records it; the one after lists, though
    // each run writes in the cache.
    let mut runs = vec![run()];
    settle();
    runs.push(run());
    runs.push(run());
    assert_eq!(
        runs.iter().map(|r| r.1).collect::<Vec<_>>(),
        [false, false, true]
    );
    let plain = tree.orchlint(&["check", "t", "--no-cache"]);
    assert!(runs.iter().all(|r| r.0 == plain.stdout));
}
