//! The content cache of `check`: a cached run prints byte for byte what an
//! uncached one prints, in every format, cold, warm and after an edit; an edit of a
//! Compose override re-lints its base; a broken cache is a miss; stdin is never
//! stored; `orchlint clean` removes it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn orchlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What the cache did, from `--verbose`: (files scanned, files reused).
fn cache_use(o: &Output) -> (usize, usize) {
    let err = stderr(o);
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix("orchlint: cache: "))
        .unwrap_or_else(|| panic!("no cache line in {err}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("readable").flatten() {
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_tree(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// Whether a file of the tree suppresses a finding (a scan with suppressed
/// findings is not stored: the cache keeps no suppressed findings).
fn suppresses(text: &str) -> bool {
    text.contains("orchlint-ignore") || text.contains("orchlint.dev/ignore")
}

/// Removes the files that suppress findings from a copied tree.
fn drop_suppressions(dir: &Path) {
    for e in std::fs::read_dir(dir).expect("readable").flatten() {
        let p = e.path();
        if p.is_dir() {
            drop_suppressions(&p);
        } else if std::fs::read_to_string(&p).is_ok_and(|t| suppresses(&t)) {
            std::fs::remove_file(&p).expect("remove");
        }
    }
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "bin"))
                .collect()
        })
        .unwrap_or_default()
}

const FORMATS: &[&str] = &[
    "concise", "human", "json", "sarif", "gitlab", "junit", "github",
];

/// Every format with and without the cache, compared byte for byte (stdout and
/// stderr, exit code).
fn assert_same_as_uncached(tree: &Path, cache: &Path, what: &str) {
    for format in FORMATS {
        let args = ["check", "fx", "--format", format, "--color", "never"];
        let plain = orchlint(tree, &[&args[..], &["--no-cache"]].concat());
        let cache_arg = cache.to_str().expect("utf-8 path");
        let cached = orchlint(tree, &[&args[..], &["--cache-dir", cache_arg]].concat());
        assert!(!plain.stdout.is_empty(), "{format}: the tree has findings");
        assert_eq!(
            String::from_utf8_lossy(&plain.stdout),
            String::from_utf8_lossy(&cached.stdout),
            "{what}: --format {format} differs with the cache"
        );
        assert_eq!(stderr(&plain), stderr(&cached), "{what}: {format} stderr");
        assert_eq!(
            plain.status.code(),
            cached.status.code(),
            "{what}: {format}"
        );
    }
}

#[test]
fn cached_runs_print_what_uncached_runs_print_over_the_fixture_tree() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = tmp.path().join("tree");
    copy_tree(Path::new("fixtures"), &tree.join("fx"));
    drop_suppressions(&tree.join("fx"));
    let cache = tmp.path().join("cache");
    let c = cache.to_str().expect("utf-8 path");

    let cold = orchlint(&tree, &["check", "fx", "-v", "--cache-dir", c]);
    let (scanned, reused) = cache_use(&cold);
    assert!(scanned > 100, "a cold run scans everything: {scanned}");
    assert_eq!(reused, 0);
    let warm = orchlint(&tree, &["check", "fx", "-v", "--cache-dir", c]);
    assert_eq!(cache_use(&warm), (0, scanned), "a warm run parses nothing");
    assert_same_as_uncached(&tree, &cache, "unchanged tree");

    // An edit in one Compose fixture: its cluster is scanned again, the rest
    // reused. (A cluster with Marathon or Kubernetes files would take every
    // Marathon cluster along, and every Kubernetes cluster when their Services
    // select pods of other fixtures, as they do here.)
    let edited = tree.join("fx/undefined-network/fail/compose.yaml");
    let mut text = std::fs::read_to_string(&edited).expect("fixture");
    text.push_str("# edited\n");
    std::fs::write(&edited, text).expect("edit");
    let after = orchlint(&tree, &["check", "fx", "-v", "--cache-dir", c]);
    let (rescanned, kept) = cache_use(&after);
    assert!(
        rescanned >= 1 && kept > scanned / 2,
        "{rescanned} scanned, {kept} reused"
    );
    assert_same_as_uncached(&tree, &cache, "one file edited");
    let (rescanned, kept) = cache_use(&after);
    assert!(
        rescanned < 10 && kept > scanned - 10,
        "{rescanned} scanned, {kept} reused"
    );
    // An edit beside Marathon and Kubernetes fixtures: rescanned widely, printed
    // the same.
    let edited = tree.join("fx/latest-image-tag/fail/compose.yaml");
    let mut text = std::fs::read_to_string(&edited).expect("fixture");
    text.push_str("# edited\n");
    std::fs::write(&edited, text).expect("edit");
    assert_same_as_uncached(&tree, &cache, "a file beside Kubernetes objects edited");

    // A new file changes the list of files: scanned whole, still the same output.
    std::fs::write(
        tree.join("fx/latest-image-tag/fail/docker-compose.extra.yml"),
        "services:\n  extra:\n    image: redis:latest\n",
    )
    .expect("new file");
    assert_same_as_uncached(&tree, &cache, "one file added");
}

fn check_only(dir: &Path, cache: &Path, rule: &str) -> Output {
    let c = cache.to_str().expect("utf-8 path");
    orchlint(
        dir,
        &["check", ".", "-v", "--cache-dir", c, "--select", rule],
    )
}

fn check(dir: &Path, cache: &Path) -> Output {
    let c = cache.to_str().expect("utf-8 path");
    orchlint(dir, &["check", ".", "-v", "--cache-dir", c])
}

#[test]
fn editing_a_compose_override_relints_its_base() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("app");
    let cache = tmp.path().join("cache");
    std::fs::create_dir_all(&dir).expect("mkdir");
    // A stack (`deploy.update_config`): a scheduler places it, so limits are asked for.
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      update_config:\n        parallelism: 1\n",
    )
    .expect("base");
    std::fs::write(
        dir.join("compose.override.yaml"),
        "services:\n  web:\n    environment:\n      A: \"1\"\n",
    )
    .expect("override");
    let first = check_only(&dir, &cache, "missing-resource-limits");
    let out = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(
        out.contains("compose.yaml:2:3: warning [reliability/missing-resource-limits]"),
        "{out}"
    );
    // The override now sets the limits the base lacks: the base's finding goes.
    std::fs::write(
        dir.join("compose.override.yaml"),
        "services:\n  web:\n    deploy:\n      resources:\n        limits: {memory: 256m, cpus: \"0.5\"}\n",
    )
    .expect("override");
    let second = check_only(&dir, &cache, "missing-resource-limits");
    assert_eq!(cache_use(&second), (2, 0), "both files scanned again");
    assert_eq!(String::from_utf8_lossy(&second.stdout), "No findings.\n");
    assert_eq!(second.status.code(), Some(0));
    // Back to the first override: the finding is back, the same as uncached.
    std::fs::write(
        dir.join("compose.override.yaml"),
        "services:\n  web:\n    environment:\n      A: \"1\"\n",
    )
    .expect("override");
    let third = check_only(&dir, &cache, "missing-resource-limits");
    assert_eq!(String::from_utf8_lossy(&third.stdout), out);
}

#[test]
fn a_broken_cache_is_a_miss_and_stdin_is_never_stored() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("app");
    let cache = tmp.path().join("cache");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  web:\n    image: nginx:latest\n",
    )
    .expect("spec");
    let first = check(&dir, &cache);
    let stored = entries(&cache);
    assert_eq!(stored.len(), 1, "one entry per request");
    for broken in [&b""[..], b"\x05ab", b"\xff\xff\xff\xff\x0f not an entry"] {
        std::fs::write(&stored[0], broken).expect("break the entry");
        let again = check(&dir, &cache);
        assert_eq!(again.stdout, first.stdout);
        assert_eq!(cache_use(&again), (1, 0), "a broken entry is a miss");
    }

    let stdin_cache = tmp.path().join("stdin-cache");
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args([
            "check",
            "-",
            "--cache-dir",
            stdin_cache.to_str().expect("utf-8"),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    {
        use std::io::Write;
        let mut input = child.stdin.take().expect("stdin");
        input
            .write_all(b"services:\n  web:\n    image: nginx:latest\n")
            .expect("write");
    }
    let o = child.wait_with_output().expect("exits");
    assert!(String::from_utf8_lossy(&o.stdout).contains("latest-image-tag"));
    assert!(entries(&stdin_cache).is_empty(), "stdin is never cached");
}

#[test]
fn clean_removes_the_cache_and_says_so() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("app");
    let cache = tmp.path().join("cache");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  web:\n    image: a\n",
    )
    .expect("spec");
    check(&dir, &cache);
    assert_eq!(entries(&cache).len(), 1);
    let c = cache.to_str().expect("utf-8 path");
    let o = orchlint(&dir, &["clean", "--cache-dir", c]);
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(said.starts_with("removed 1 cache entry ("), "{said}");
    assert!(said.contains(c), "{said}");
    assert!(!cache.exists());
    let o = orchlint(&dir, &["clean", "--cache-dir", c]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("no cache in "));
    // --no-cache writes nothing.
    orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert!(!cache.exists());
}

#[test]
fn the_configuration_picks_the_entry() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("app");
    let cache = tmp.path().join("cache");
    std::fs::create_dir_all(dir.join("legacy")).expect("mkdir");
    let spec = "services:\n  web:\n    image: nginx:latest\n";
    std::fs::write(dir.join("compose.yaml"), spec).expect("spec");
    std::fs::write(dir.join("legacy/compose.yaml"), spec).expect("spec");
    let config = |severity: &str| {
        format!(
            "[[overrides]]\npaths = [\"legacy/**\"]\nseverity = {{ latest-image-tag = \"{severity}\" }}\n"
        )
    };
    std::fs::write(dir.join("orchlint.toml"), config("info")).expect("config");
    let first = check(&dir, &cache);
    let again = check(&dir, &cache);
    assert_eq!(cache_use(&again), (0, 2), "per-path overrides keep one key");
    assert_eq!(first.stdout, again.stdout);
    assert!(String::from_utf8_lossy(&first.stdout).contains("legacy/compose.yaml:3:12: info"));
    // Another severity is another request: scanned, and reported as configured.
    std::fs::write(dir.join("orchlint.toml"), config("error")).expect("config");
    let changed = check(&dir, &cache);
    assert_eq!(cache_use(&changed), (2, 0));
    assert!(String::from_utf8_lossy(&changed.stdout).contains("legacy/compose.yaml:3:12: error"));
}

const API_AND_HPA: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: nginx:1.27
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 3
";

fn web_deployment(name: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"
    )
}

#[test]
fn a_renamed_workload_in_another_directory_relints_what_looked_it_up() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("repo");
    let cache = tmp.path().join("cache");
    std::fs::create_dir_all(dir.join("app")).expect("mkdir");
    // Not a sibling of app/: the two projects are not tied, the HPA looks its
    // target up across the scan.
    std::fs::create_dir_all(dir.join("other/deep")).expect("mkdir");
    std::fs::write(dir.join("app/k.yaml"), API_AND_HPA).expect("spec");
    std::fs::write(dir.join("other/deep/web.yaml"), web_deployment("web")).expect("spec");
    let first = check(&dir, &cache);
    assert!(!String::from_utf8_lossy(&first.stdout).contains("hpa-target-missing"));
    // An image edit shows other projects nothing new: only its cluster is scanned.
    let edited = web_deployment("web").replace("nginx:1.27", "nginx:1.28");
    std::fs::write(dir.join("other/deep/web.yaml"), edited).expect("spec");
    assert_eq!(cache_use(&check(&dir, &cache)), (1, 1));
    // The HPA's target is renamed away in another directory: the HPA's file,
    // unchanged, now has a finding, as an uncached run says.
    std::fs::write(dir.join("other/deep/web.yaml"), web_deployment("web2")).expect("spec");
    let renamed = check(&dir, &cache);
    let out = String::from_utf8_lossy(&renamed.stdout).into_owned();
    assert!(
        out.contains("app/k.yaml:24:11: warning [correctness/hpa-target-missing]"),
        "{out}"
    );
    let c = cache.to_str().expect("utf-8 path");
    let plain = orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert_eq!(renamed.stdout, plain.stdout);
}

/// A Deployment in a sibling folder starts addressing Service "redis": the folders
/// are tied into one project (`project::kubernetes::ties`), judged once by the
/// advisor (one `oversized-orchestrator` note, not one per folder). Only the edited
/// folder changed and an environment value shows other projects nothing, yet a
/// cached run, which scans the folders beside a changed file with it, prints what
/// an uncached one prints; so does the edit back.
#[test]
fn a_tie_to_a_sibling_folder_formed_by_an_edit_is_seen_by_the_cache() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("repo");
    let cache = tmp.path().join("cache");
    std::fs::create_dir_all(dir.join("db")).expect("mkdir");
    std::fs::create_dir_all(dir.join("web")).expect("mkdir");
    let redis = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: redis\nspec:\n  selector:\n    matchLabels: {app: redis}\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n        - name: redis\n          image: redis:7.2\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: redis\nspec:\n  selector: {app: redis}\n  ports:\n    - port: 6379\n";
    std::fs::write(dir.join("db/redis.yaml"), redis).expect("spec");
    let web = web_deployment("web");
    let web_calling = format!(
        "{web}          env:\n            - name: CACHE\n              value: redis:6379\n"
    );
    std::fs::write(dir.join("web/web.yaml"), &web).expect("spec");
    let c = cache.to_str().expect("utf-8 path");
    let plain = |dir: &Path| orchlint(dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    check(&dir, &cache);
    for (text, tied) in [(&web_calling, true), (&web, false)] {
        std::fs::write(dir.join("web/web.yaml"), text).expect("spec");
        let files = String::from_utf8_lossy(&orchlint(&dir, &["files", "."]).stdout).into_owned();
        assert_eq!(
            files.contains("grouped: web/web.yaml -> db/redis.yaml"),
            tied,
            "{files}"
        );
        let cached = check(&dir, &cache);
        let out = String::from_utf8_lossy(&cached.stdout).into_owned();
        let notes = out.matches("advice/oversized-orchestrator").count();
        assert_eq!(notes, if tied { 1 } else { 2 }, "{out}");
        assert_eq!(cached.stdout, plain(&dir).stdout, "tied: {tied}");
    }
}

/// Folders side by side (`apps/a0`, `apps/a1`, ...) whose objects refer to
/// nothing of each other's: an edit of one is scanned alone, since no key its
/// objects offer or look up meets a sibling's; an edit that makes it address a
/// sibling's Service ties the two folders, and both are scanned, printed as an
/// uncached run prints them.
#[test]
fn an_edit_among_sibling_folders_rescans_only_the_folders_it_may_tie() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("repo");
    let cache = tmp.path().join("cache");
    let c = cache.to_str().expect("utf-8 path");
    for i in 0..6 {
        let d = dir.join(format!("apps/a{i}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(d.join("k.yaml"), app(&format!("a{i}"), &format!("a{i}"))).expect("spec");
    }
    check(&dir, &cache);
    let edited = dir.join("apps/a3/k.yaml");
    std::fs::write(&edited, app("a3", "a3") + "# edited\n").expect("edit");
    let alone = check(&dir, &cache);
    assert_eq!(cache_use(&alone), (1, 5));
    let plain = orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert_eq!(alone.stdout, plain.stdout);
    // a3's Deployment now calls a5's Service by name: the folders are tied.
    let calling = app("a3", "a3").replacen(
        "          image: nginx:1.27\n",
        "          image: nginx:1.27\n          env:\n            - name: PEER\n              value: a5:80\n",
        1,
    );
    std::fs::write(&edited, calling).expect("edit");
    let tied = check(&dir, &cache);
    assert_eq!(cache_use(&tied), (2, 4));
    let files = String::from_utf8_lossy(&orchlint(&dir, &["files", "."]).stdout).into_owned();
    assert!(
        files.contains("apps/a3/k.yaml -> apps/a5/k.yaml"),
        "{files}"
    );
    let plain = orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert_eq!(tied.stdout, plain.stdout);
    // Edited again: the tie is in the stored clusters, the pair is scanned again.
    std::fs::write(
        &edited,
        std::fs::read_to_string(&edited).expect("read") + "# again\n",
    )
    .expect("edit");
    let again = check(&dir, &cache);
    assert_eq!(cache_use(&again), (2, 4));
    let plain = orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert_eq!(again.stdout, plain.stdout);
}

/// A tree with a suppressed finding is scanned whole each time (the cache keeps
/// no suppressed findings), and prints what an uncached run prints.
#[test]
fn suppressed_findings_are_never_served_from_the_cache() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = tmp.path().join("tree");
    let spec = "services:\n  web:\n    # orchlint-ignore: latest-image-tag -- pinned by the CI job\n    image: nginx\n";
    std::fs::create_dir_all(tree.join("fx")).expect("mkdir");
    std::fs::write(tree.join("fx/compose.yaml"), spec).expect("write");
    let cache = tmp.path().join("cache");
    let c = cache.to_str().expect("utf-8 path");
    let first = orchlint(&tree, &["check", "fx", "-v", "--cache-dir", c]);
    let second = orchlint(&tree, &["check", "fx", "-v", "--cache-dir", c]);
    assert_eq!(cache_use(&second), cache_use(&first), "scanned whole again");
    assert!(cache_use(&second).0 > 0);
    let args = ["check", "fx", "--format", "json", "--exit-zero"];
    let plain = orchlint(&tree, &[&args[..], &["--no-cache"]].concat());
    let cached = orchlint(&tree, &[&args[..], &["--cache-dir", c]].concat());
    let out = String::from_utf8_lossy(&cached.stdout).into_owned();
    assert!(out.contains("pinned by the CI job"), "{out}");
    assert_eq!(String::from_utf8_lossy(&plain.stdout), out);
}

/// What the cache did, from `--verbose`: files read to hash them.
fn hashed(o: &Output) -> usize {
    let err = stderr(o);
    err.lines()
        .find_map(|l| l.strip_prefix("orchlint: cache: "))
        .and_then(|l| l.split(", ").find_map(|p| p.strip_suffix(" hashed")))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no hashed count in {err}"))
}

/// Files changed within two seconds of a run are hashed again by the next one
/// (a change in the same timestamp tick would keep the stat key): wait that out.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2_100));
}

#[test]
fn unchanged_files_are_known_by_their_stat_and_same_size_edits_are_not_missed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("repo");
    let cache = tmp.path().join("cache");
    for d in ["a", "b"] {
        std::fs::create_dir_all(dir.join(d)).expect("mkdir");
        std::fs::write(
            dir.join(d).join("compose.yaml"),
            "services:\n  web:\n    image: nginx:1.27\n",
        )
        .expect("spec");
    }
    settle();
    let cold = check(&dir, &cache);
    assert_eq!((cache_use(&cold), hashed(&cold)), ((2, 0), 2));
    // Settled files: known by their stat key, not read.
    let warm = check(&dir, &cache);
    assert_eq!((cache_use(&warm), hashed(&warm)), ((0, 2), 0));
    assert_eq!(warm.stdout, cold.stdout);
    // Same size, same modification time, other bytes: the change time and the
    // stat key tell it apart, and its findings are the new bytes'.
    let a = dir.join("a/compose.yaml");
    let mtime = std::fs::metadata(&a)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(&a, "services:\n  web:\n    image: nginx:latest\n").expect("edit");
    std::fs::File::options()
        .write(true)
        .open(&a)
        .and_then(|f| f.set_modified(mtime))
        .expect("mtime put back");
    let edited = check(&dir, &cache);
    assert_eq!((cache_use(&edited), hashed(&edited)), ((1, 1), 1));
    let out = String::from_utf8_lossy(&edited.stdout).into_owned();
    assert!(
        out.contains("a/compose.yaml:3:12: warning [reliability/latest-image-tag]"),
        "{out}"
    );
    let c = cache.to_str().expect("utf-8 path");
    let plain = orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert_eq!(edited.stdout, plain.stdout);
    // Changed just now: hashed again (same bytes, nothing scanned) until it has
    // settled; then one run stores it settled, and the next reads nothing.
    let recent = check(&dir, &cache);
    assert_eq!(cache_use(&recent), (0, 2));
    assert!(hashed(&recent) <= 1);
    settle();
    let runs: Vec<(usize, (usize, usize))> = (0..2)
        .map(|_| {
            let o = check(&dir, &cache);
            assert_eq!(o.stdout, plain.stdout);
            (hashed(&o), cache_use(&o))
        })
        .collect();
    assert_eq!(runs[1], (0, (0, 2)), "{runs:?}");
}

fn app(name: &str, selects: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector: {{app: {selects}}}\n  ports:\n    - port: 80\n"
    )
}

#[test]
fn a_kubernetes_edit_rescans_its_cluster_alone_unless_a_lookup_crosses_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("repo");
    let cache = tmp.path().join("cache");
    let c = cache.to_str().expect("utf-8 path");
    // Each in a folder of its own parent (`a/app`, ...): folders side by side
    // are rescanned together, as references may tie them into one project.
    for (d, selects) in [("a", "a"), ("b", "b"), ("c", "c")] {
        std::fs::create_dir_all(dir.join(d).join("app")).expect("mkdir");
        std::fs::write(dir.join(d).join("app/k.yaml"), app(d, selects)).expect("spec");
    }
    check(&dir, &cache);
    // Services that select their own project's pods: an edit of one file
    // rescans its cluster only.
    let a = dir.join("a/app/k.yaml");
    std::fs::write(&a, app("a", "a") + "# edited\n").expect("edit");
    let edited = check(&dir, &cache);
    assert_eq!(cache_use(&edited), (1, 2));
    let plain = orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert_eq!(edited.stdout, plain.stdout);
    // c's Service now selects b's pods, found only in another directory: scanned
    // alone, c would seem to select nothing; it is scanned with b, which holds
    // the pods it now looks up, and a stays reused.
    std::fs::write(dir.join("c/app/k.yaml"), app("c", "b")).expect("edit");
    let crossed = check(&dir, &cache);
    assert_eq!(cache_use(&crossed), (2, 1));
    let plain = orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert_eq!(crossed.stdout, plain.stdout);
    assert!(!String::from_utf8_lossy(&crossed.stdout).contains("service-selects-nothing"));
    // b edited: c's reused Service looks up b's pods, and b's objects show the
    // same: b alone is rescanned. Renamed, they no longer match: c, whose lookup
    // b's old pods answered, is scanned with b (a is not), and c's Service now
    // selects nothing, as an uncached run says.
    let b = dir.join("b/app/k.yaml");
    std::fs::write(&b, app("b", "b") + "# edited\n").expect("edit");
    assert_eq!(cache_use(&check(&dir, &cache)), (1, 2));
    std::fs::write(&b, app("b2", "b2")).expect("rename");
    let renamed = check(&dir, &cache);
    assert_eq!(cache_use(&renamed), (2, 1));
    let out = String::from_utf8_lossy(&renamed.stdout).into_owned();
    assert!(
        out.contains("c/app/k.yaml") && out.contains("service-selects-nothing"),
        "{out}"
    );
    let plain = orchlint(&dir, &["check", ".", "--no-cache", "--cache-dir", c]);
    assert_eq!(renamed.stdout, plain.stdout);
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@localhost"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// `--changed-since` with the cache: the edited file's cluster is scanned, the
/// others reused, and the findings printed are the edited file's, as without it.
#[test]
fn changed_since_with_the_cache_scans_the_changed_cluster() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("repo");
    let cache = tmp.path().join("cache");
    let c = cache.to_str().expect("utf-8 path");
    for d in ["a", "b", "c"] {
        std::fs::create_dir_all(dir.join(d)).expect("mkdir");
        std::fs::write(
            dir.join(d).join("compose.yaml"),
            "services:\n  web:\n    image: nginx:latest\n",
        )
        .expect("spec");
    }
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "specs"]);
    let args = [
        "check",
        ".",
        "-v",
        "--changed-since",
        "HEAD",
        "--cache-dir",
        c,
    ];
    let none = orchlint(&dir, &args);
    assert_eq!(String::from_utf8_lossy(&none.stdout), "No findings.\n");
    std::fs::write(
        dir.join("b/compose.yaml"),
        "services:\n  web:\n    image: nginx:latest\n    privileged: true\n",
    )
    .expect("edit");
    let edited = orchlint(&dir, &args);
    assert_eq!(cache_use(&edited), (1, 2));
    let out = String::from_utf8_lossy(&edited.stdout).into_owned();
    assert!(out.contains("b/compose.yaml:3:12"), "{out}");
    assert!(
        !out.contains("a/compose.yaml") && !out.contains("c/compose.yaml"),
        "{out}"
    );
    let plain = orchlint(
        &dir,
        &["check", ".", "--changed-since", "HEAD", "--no-cache"],
    );
    assert_eq!(edited.stdout, plain.stdout);
}
