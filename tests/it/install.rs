//! Installing without compiling: the GitHub Action's install step, run as the
//! runner would, downloads the release archive for its tag, verifies its
//! SHA-256 and puts the binary on `PATH`; it builds from source only when asked
//! or when its ref is not a release tag. The archive here is made the way the
//! release workflow lays it out, around the binary under test, and served from
//! a `file://` URL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The script of the action's "Install orchlint" step.
fn install_step() -> String {
    let text = std::fs::read_to_string("action.yml").expect("action.yml at the root");
    let parsed = orchlint::yaml::parse(&text);
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    let get = |node: &orchlint::yaml::Node, key: &str| {
        node.as_mapping()
            .and_then(|m| m.iter().find(|(k, _)| k.as_str() == Some(key)))
            .map(|(_, v)| v.clone())
    };
    let runs = get(&parsed.documents[0], "runs").expect("runs");
    let steps = get(&runs, "steps").expect("steps");
    let step = steps
        .as_sequence()
        .expect("a list of steps")
        .iter()
        .find(|s| {
            get(s, "name").and_then(|n| n.as_str().map(String::from))
                == Some("Install orchlint".into())
        })
        .expect("the install step")
        .clone();
    get(&step, "run")
        .and_then(|r| r.as_str().map(String::from))
        .expect("a script")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the command runs")
}

/// A runner's world in a temporary directory: a release of this version for
/// `x86_64-unknown-linux-musl` under `releases/`, and a `fake-bin/` first on
/// `PATH` whose `cargo` records its arguments (and whose `orchlint` answers for
/// the binary cargo would have installed).
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let name = "orchlint-x86_64-unknown-linux-musl";
        let stage = root.join("stage").join(name);
        std::fs::create_dir_all(&stage).expect("mkdir");
        std::fs::copy(env!("CARGO_BIN_EXE_orchlint"), stage.join("orchlint")).expect("copy");
        let release = root.join(format!("releases/o/r/releases/download/v{VERSION}"));
        std::fs::create_dir_all(&release).expect("mkdir");
        let archive = format!("{name}.tar.gz");
        let tar = run(Command::new("tar")
            .arg("-czf")
            .arg(release.join(&archive))
            .arg("-C")
            .arg(root.join("stage"))
            .arg(name));
        assert!(tar.status.success(), "{}", text(&tar.stderr));
        let sum = run(Command::new("sha256sum")
            .arg(&archive)
            .current_dir(&release));
        assert!(sum.status.success(), "{}", text(&sum.stderr));
        std::fs::write(release.join(format!("{archive}.sha256")), &sum.stdout).expect("write");

        let fake = root.join("fake-bin");
        std::fs::create_dir_all(&fake).expect("mkdir");
        let cargo = format!(
            "#!/bin/sh\necho \"$*\" > '{}'\n",
            root.join("cargo-args").display()
        );
        for (file, script) in [
            ("cargo", cargo.as_str()),
            ("orchlint", "#!/bin/sh\necho orchlint from source\n"),
        ] {
            std::fs::write(fake.join(file), script).expect("write");
            let chmod = run(Command::new("chmod").arg("+x").arg(fake.join(file)));
            assert!(chmod.status.success());
        }
        std::fs::create_dir_all(root.join("runner-temp")).expect("mkdir");
        Runner { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs the install step with the action's inputs and context.
    fn install(&self, version_input: &str, action_ref: &str) -> Output {
        let _ = std::fs::remove_file(self.path("github-path"));
        let path = format!(
            "{}:{}",
            self.path("fake-bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        run(Command::new("bash")
            .args(["-c", &install_step()])
            .current_dir(self.dir.path())
            .env("PATH", path)
            .env("ORCHLINT_VERSION", version_input)
            .env("ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("ACTION_REF", action_ref)
            .env("ACTION_REPOSITORY", "o/r")
            .env(
                "GITHUB_SERVER_URL",
                format!("file://{}", self.path("releases").display()),
            )
            .env("GITHUB_PATH", self.path("github-path"))
            .env("RUNNER_TEMP", self.path("runner-temp"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64"))
    }

    fn github_path(&self) -> String {
        std::fs::read_to_string(self.path("github-path")).unwrap_or_default()
    }
}

#[test]
fn the_action_installs_the_release_archive_of_its_tag() {
    let runner = Runner::new();
    let o = runner.install("", &format!("v{VERSION}"));
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).contains("verified"), "{}", text(&o.stdout));
    assert!(
        text(&o.stdout).contains(&format!("orchlint {VERSION}")),
        "the installed binary runs: {}",
        text(&o.stdout)
    );
    let bin = runner.path("runner-temp/orchlint-bin");
    assert_eq!(runner.github_path(), format!("{}\n", bin.display()));
    let installed = std::fs::read(bin.join("orchlint")).expect("the installed binary");
    let built = std::fs::read(env!("CARGO_BIN_EXE_orchlint")).expect("the binary under test");
    assert!(
        installed == built,
        "the archive's binary is installed unchanged"
    );
    assert!(!runner.path("cargo-args").exists(), "nothing is compiled");

    // The version input wins over the ref, with or without its `v`.
    let o = runner.install(VERSION, "main");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(runner.github_path(), format!("{}\n", bin.display()));
    assert!(!runner.path("cargo-args").exists(), "nothing is compiled");
}

#[test]
fn the_action_refuses_an_archive_whose_checksum_does_not_match() {
    let runner = Runner::new();
    let sum = runner.path(&format!(
        "releases/o/r/releases/download/v{VERSION}/orchlint-x86_64-unknown-linux-musl.tar.gz.sha256"
    ));
    let good = std::fs::read_to_string(&sum).expect("the checksum");
    let bad = format!(
        "{}{}",
        if good.starts_with('0') { "1" } else { "0" },
        &good[1..]
    );
    std::fs::write(&sum, bad).expect("write");
    let o = runner.install("", &format!("v{VERSION}"));
    assert!(!o.status.success(), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("checksum mismatch"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(runner.github_path(), "", "nothing is put on PATH");

    // A release that does not exist fails the step too, naming the URL.
    let o = runner.install("9.9.9", "main");
    assert!(!o.status.success());
    assert!(
        text(&o.stdout).contains("/v9.9.9/orchlint-x86_64-unknown-linux-musl.tar.gz"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn the_action_builds_from_source_when_asked_or_on_a_branch() {
    let runner = Runner::new();
    let expected = format!("install --locked --path {}\n", env!("CARGO_MANIFEST_DIR"));
    let o = runner.install("source", &format!("v{VERSION}"));
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(runner.path("cargo-args")).expect("cargo ran"),
        expected
    );
    assert!(text(&o.stdout).contains("orchlint from source"));

    let _ = std::fs::remove_file(runner.path("cargo-args"));
    let o = runner.install("", "main");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("::notice title=orchlint::"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(runner.path("cargo-args")).expect("cargo ran"),
        expected
    );
    assert_eq!(runner.github_path(), "");
}

/// The installer picks the archive for each platform the releases cover, and
/// says what to do on one they do not.
#[test]
fn the_installer_names_the_archive_for_each_platform() {
    let t = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "Linux",
            "ARM64",
            "orchlint-aarch64-unknown-linux-musl.tar.gz",
        ),
        ("macOS", "X64", "orchlint-x86_64-apple-darwin.tar.gz"),
        ("macOS", "ARM64", "orchlint-aarch64-apple-darwin.tar.gz"),
        ("Windows", "X64", "orchlint-x86_64-pc-windows-msvc.zip"),
    ];
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install-release.sh");
    for (os, arch, archive) in cases {
        let o = run(Command::new("bash")
            .arg(&script)
            .args(["v1.2.3", "bin"])
            .current_dir(t.path())
            .env(
                "ORCHLINT_RELEASES",
                format!("file://{}", t.path().display()),
            )
            .env("ORCHLINT_OS", os)
            .env("ORCHLINT_ARCH", arch));
        // Nothing is published there, so the download fails, after naming it.
        assert!(!o.status.success());
        assert!(
            text(&o.stdout).contains(&format!("/v1.2.3/{archive}")),
            "{os}/{arch}: {}",
            text(&o.stdout)
        );
    }
    let o = run(Command::new("bash")
        .arg(&script)
        .args(["1.2.3", "bin"])
        .current_dir(t.path())
        .env("ORCHLINT_RELEASES", "file:///nowhere")
        .env("ORCHLINT_OS", "FreeBSD")
        .env("ORCHLINT_ARCH", "X64"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("no release archive for FreeBSD/X64"),
        "{}",
        text(&o.stderr)
    );
}
