//! One fixed set of diagnostics through every output format, byte for byte, and
//! the escaping of the annotation formats checked by reading their output back
//! (GitHub workflow commands, JUnit XML with an XML parser, GitLab JSON).
//!
//! The set is built directly, so it covers what real rules rarely produce
//! together: a finding after multi-byte characters (UTF-16 columns differ from
//! character columns), a message with every character the formats must escape,
//! a multi-line span, related places in another file, an info finding and a
//! file-level finding in a file that was not linted.

use std::path::{Path, PathBuf};

use orchlint::diagnostic::builtin;
use orchlint::diagnostic::{Diagnostic, Severity};
use orchlint::project::{SpecFile, Typed};
use orchlint::report::{self, OutputFormat};
use orchlint::rules;
use orchlint::source::Span;
use orchlint::source::{FileId, Format};

const K8S: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {team: \"équipe-😀\", tier: front}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n";
const COMPOSE: &str = "services:\n  web:\n    image: nginx\n    # orchlint-ignore: run-as-root\n    cap_add: [NET_ADMIN]\n";

/// The message with every character some format must escape.
const NASTY: &str = "value \"a,b\" at 50%: <x> & 'y'\r\nsecond line\u{1b}[0m";

fn file(id: u32, display: &str, text: &str, format: Option<Format>) -> SpecFile {
    SpecFile {
        id: FileId(id),
        path: PathBuf::from(display),
        display: display.to_string(),
        text: text.to_string(),
        format,
        skipped: format
            .is_none()
            .then(|| "unreadable: Permission denied (os error 13)".to_string()),
        docs: orchlint::yaml::parse(text).documents,
        typed: Typed::None,
    }
}

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in text");
    Span::new(start, start + needle.len())
}

trait Shrink {
    fn shrink(self, front: u32, back: u32) -> Span;
}

impl Shrink for Span {
    fn shrink(self, front: u32, back: u32) -> Span {
        Span {
            start: self.start + front,
            end: self.end - back,
        }
    }
}

fn fixture() -> (Vec<SpecFile>, Vec<Diagnostic>) {
    let files = vec![
        file(0, "compose.yaml", COMPOSE, Some(Format::Compose)),
        file(1, "deploy/app.yaml", K8S, Some(Format::Kubernetes)),
        file(2, "secret.yaml", "", None),
    ];
    let rule = |name| rules::find(name).expect("rule exists");
    let mut diags = vec![
        Diagnostic::new(
            rule("latest-image-tag"),
            FileId(0),
            span_of(COMPOSE, "image: nginx\n").shrink(7, 1),
            "image \"nginx\" has no tag, so it means \"latest\"".into(),
        )
        .with_help("pin a version tag"),
        Diagnostic::new(
            &builtin::UNUSED_SUPPRESSION,
            FileId(0),
            span_of(COMPOSE, "run-as-root"),
            "suppression of `run-as-root` matches no finding".into(),
        ),
        Diagnostic::new(
            rule("privileged-container"),
            FileId(1),
            span_of(K8S, "privileged: true"),
            NASTY.into(),
        )
        .with_help("drop it,\nor use capabilities")
        .with_related(
            FileId(0),
            span_of(COMPOSE, "cap_add"),
            "compare: with capabilities",
        ),
        Diagnostic::new(
            rule("latest-image-tag"),
            FileId(1),
            // After "équipe-😀": characters, UTF-16 units and bytes all differ.
            span_of(K8S, "front"),
            "a finding after multi-byte characters".into(),
        ),
        Diagnostic::new(
            rule("run-as-root"),
            FileId(1),
            // Spans two lines.
            span_of(K8S, "securityContext:\n        privileged"),
            "a span over two lines".into(),
        ),
        Diagnostic::new(
            &builtin::UNREADABLE_FILE,
            FileId(2),
            Span::empty(0),
            "cannot read the file: Permission denied (os error 13)".into(),
        ),
    ];
    diags[1].severity = Severity::Info;
    (files, diags)
}

fn render(format: OutputFormat) -> String {
    let (files, diags) = fixture();
    let mut out = Vec::new();
    if format == OutputFormat::Sarif {
        report::sarif::write_with_root(&mut out, &files, &diags, Path::new("/src/my repo"))
    } else {
        report::write(format, &mut out, &files, &diags, false)
    }
    .expect("writes");
    String::from_utf8(out).expect("UTF-8 output")
}

/// The snapshots this module makes (for the orphan check in `conventions`).
pub(crate) fn snapshot_names() -> Vec<String> {
    OutputFormat::ALL
        .iter()
        .map(|f| format!("formats_{}", f.as_str()))
        .chain(["formats_statistics".to_string()])
        .collect()
}

#[test]
fn one_set_of_diagnostics_in_every_format() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/formats");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    for format in OutputFormat::ALL {
        insta::assert_snapshot!(format!("formats_{}", format.as_str()), render(*format));
    }
    let (_, diags) = fixture();
    let mut stats = Vec::new();
    report::statistics::write_text(&mut stats, &diags).expect("writes");
    insta::assert_snapshot!(
        "formats_statistics",
        String::from_utf8(stats).expect("UTF-8")
    );
}

fn github_unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_commands_escape_data_and_properties() {
    let out = render(OutputFormat::Github);
    let (files, diags) = fixture();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), diags.len(), "one line per finding:\n{out}");
    let nasty = lines[2];
    assert!(nasty.starts_with("::error file=deploy/app.yaml,line=11,endLine=11,col=9,endColumn=25,title=security/privileged-container::"), "{nasty}");
    let (head, message) = nasty[2..].split_once("::").expect("command::message");
    // Properties are split on `,` and `=`; no value may contain a raw `,` or `:`.
    for prop in head.split_once(' ').expect("properties").1.split(',') {
        let (_, value) = prop.split_once('=').expect("key=value");
        assert!(!value.contains(':') && !value.contains(','), "{value}");
    }
    assert!(!message.contains('\r') && !message.contains('\n'));
    let expected = format!(
        "{NASTY}\nhelp: drop it,\nor use capabilities\ncompare: with capabilities: compose.yaml:5:5"
    );
    assert_eq!(github_unescape(message), expected);
    assert_eq!(
        orchlint::report::github::escape_property(&files[1].display),
        "deploy/app.yaml"
    );
    // Notices for info, and no columns for a span over two lines.
    assert!(lines[1].starts_with("::notice "));
    assert!(lines[4].starts_with("::warning file=deploy/app.yaml,line=10,endLine=11,title="));
}

#[test]
fn junit_reads_back_with_an_xml_parser() {
    let out = render(OutputFormat::Junit);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a test suite");
    assert_eq!(suite.attribute("tests"), Some("3"));
    assert_eq!(suite.attribute("failures"), Some("3"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<_> = cases.iter().filter_map(|c| c.attribute("name")).collect();
    assert_eq!(names, ["compose.yaml", "deploy/app.yaml", "secret.yaml"]);
    let failures: Vec<_> = cases[1]
        .children()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 3, "a failure per finding");
    // The escape character cannot appear in XML 1.0 at all; everything else
    // survives, CR and LF in the attribute included.
    let clean = NASTY.replace('\u{1b}', "\u{FFFD}");
    assert_eq!(
        failures[0].attribute("message"),
        Some(format!("11:9: [security/privileged-container] {clean}").as_str())
    );
    let text = failures[0].text().expect("failure text");
    assert!(
        text.starts_with(&format!(
            "deploy/app.yaml:11:9: error [security/privileged-container] {clean}\nhelp: drop it,\nor use capabilities"
        )),
        "{text:?}"
    );
    assert_eq!(failures[0].attribute("type"), Some("error"));
}

#[test]
fn gitlab_reads_back_as_json() {
    let out = render(OutputFormat::Gitlab);
    let issues: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let issues = issues.as_array().expect("an array");
    assert_eq!(issues.len(), 6);
    let nasty = &issues[2];
    assert_eq!(
        nasty["description"],
        format!("{NASTY} (help: drop it,\nor use capabilities)")
    );
    assert_eq!(nasty["severity"], "critical", "a security error");
    assert_eq!(nasty["location"]["path"], "deploy/app.yaml");
    assert_eq!(nasty["location"]["lines"]["begin"], 11);
    assert_eq!(issues[1]["severity"], "info");
    assert_eq!(issues[0]["severity"], "minor");
    assert_eq!(issues[5]["severity"], "blocker", "a scan error");
    let mut prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("fingerprint"))
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), 6, "fingerprints are unique");
}

#[test]
fn sarif_columns_count_utf16_units() {
    let sarif: serde_json::Value =
        serde_json::from_str(&render(OutputFormat::Sarif)).expect("valid JSON");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///src/my%20repo/"
    );
    let region = &run["results"][3]["locations"][0]["physicalLocation"]["region"];
    // `  labels: {team: "équipe-😀", tier: ` is 35 characters, 36 UTF-16 units.
    assert_eq!(region["startColumn"], 37);
    assert_eq!(region["endColumn"], 42);
    let concise = render(OutputFormat::Concise);
    assert!(
        concise.contains("deploy/app.yaml:5:36: warning"),
        "{concise}"
    );
}
