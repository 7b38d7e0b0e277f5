//! The README's bundled example through every output format, byte for byte: the
//! human report (miette, without colour), concise lines and the JSON document.

use std::process::Command;

fn run(format: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_orchlint"))
        .args([
            "check",
            "fixtures/example",
            "--isolated",
            "--color",
            "never",
            "--format",
            format,
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const FORMATS: [&str; 3] = ["human", "concise", "json"];

/// The snapshots this module makes (for the orphan check in `conventions`).
pub(crate) fn snapshot_names() -> Vec<String> {
    FORMATS.iter().map(|f| format!("example_{f}")).collect()
}

#[test]
fn example_in_every_format() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/example");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    for format in FORMATS {
        let (code, out) = run(format);
        assert_eq!(code, 1, "findings at warning level fail the run");
        insta::assert_snapshot!(format!("example_{format}"), out);
    }
}

#[test]
fn two_runs_print_the_same_bytes() {
    assert_eq!(run("json"), run("json"));
}
