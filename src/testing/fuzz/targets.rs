//! The fuzz targets: one per reader (YAML, JSON, Procfile, `.env`, Compose
//! interpolation) and one for the whole check of one file, each with what must
//! hold on any input: no panic, every span inside its text on char boundaries,
//! every line/column computable, and the time bound of `super::run`.

use std::path::PathBuf;

use super::mutate::{self, Rng};
use super::{Input, run, seeds};
use crate::diagnostic::Diagnostic;
use crate::engine::{ScanRequest, StdinInput};
use crate::formats::compose::interp::{self, Env};
use crate::formats::procfile::model::parse_procfile;
use crate::report::OutputFormat;
use crate::source::{FileId, LineIndex, Span};
use crate::yaml::{self, Node, Value};

/// The span lies within `text`, starts and ends on char boundaries, and its line
/// and column agree with a count made here from the text itself.
fn assert_span(text: &str, index: &LineIndex, span: Span, what: &str) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what}: span {start}..{end} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: span {start}..{end} cuts a character"
    );
    for at in [start, end] {
        let lc = index.line_col(text, at as u32);
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        assert_eq!(
            (lc.line as usize, lc.column as usize),
            (line, column),
            "{what}: line/column of offset {at}"
        );
    }
}

/// Checks at most this many spans of one input by recounting lines (the
/// recount is linear in the text, so all of them would make big inputs quadratic);
/// the rest are checked for bounds and boundaries only.
const RECOUNTED: usize = 64;

struct Spans<'t> {
    text: &'t str,
    index: LineIndex,
    seen: usize,
}

impl<'t> Spans<'t> {
    fn new(text: &'t str) -> Self {
        Spans {
            text,
            index: LineIndex::new(text),
            seen: 0,
        }
    }

    fn check(&mut self, span: Span, what: &str) {
        self.seen += 1;
        if self.seen <= RECOUNTED {
            assert_span(self.text, &self.index, span, what);
        } else {
            let (s, e) = (span.start as usize, span.end as usize);
            assert!(
                s <= e
                    && e <= self.text.len()
                    && self.text.is_char_boundary(s)
                    && self.text.is_char_boundary(e),
                "{what}: span {s}..{e} is not a char range of a text of {} bytes",
                self.text.len()
            );
        }
    }

    fn node(&mut self, node: &Node) {
        self.check(node.span, "node");
        match &node.value {
            Value::Scalar(_) => {}
            Value::Sequence(items) => items.iter().for_each(|n| self.node(n)),
            Value::Mapping(pairs) => pairs.iter().for_each(|(k, v)| {
                self.node(k);
                self.node(v);
            }),
        }
    }
}

/// `yaml::parse` on the text: spans of every node and every issue.
fn check_parse(input: &Input) {
    let text = &input.text;
    let parsed = yaml::parse(text);
    let mut spans = Spans::new(text);
    for doc in &parsed.documents {
        spans.node(doc);
    }
    for issue in &parsed.issues {
        spans.check(issue.span, "parse issue");
        if let Some(r) = issue.related {
            spans.check(r, "parse issue's related place");
        }
    }
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn gen_yaml(rng: &mut Rng) -> Input {
    Input {
        name: "gen.yaml".into(),
        text: mutate::tokens(rng, 40),
    }
}

#[test]
fn fuzz_yaml() {
    let seeds = seeds(is_yaml);
    let sum = run("yaml", &seeds, gen_yaml, check_parse);
    assert!(sum.executions > 0);
}

/// The JSON reader (`yaml::json`): spans of every node and issue, and agreement
/// with serde_json on what is JSON — a text serde_json reads must read without a
/// syntax issue, and a text read without any issue must be one serde_json reads
/// (past serde_json's own nesting limit of 128, and for numbers past f64's range,
/// only the first is asked). The
/// whole reading of a JSON spec (`parse_or_yaml`, with its YAML fallback) gets
/// the span checks too.
fn check_json(input: &Input) {
    let text = &input.text;
    let parsed = yaml::json::parse(text);
    let mut spans = Spans::new(text);
    for doc in &parsed.documents {
        spans.node(doc);
    }
    for issue in &parsed.issues {
        spans.check(issue.span, "JSON issue");
        if let Some(r) = issue.related {
            spans.check(r, "JSON issue's related place");
        }
    }
    let syntax: Vec<&String> = parsed
        .issues
        .iter()
        .filter(|i| i.kind != yaml::IssueKind::DuplicateKey)
        .map(|i| &i.message)
        .collect();
    let serde = serde_json::from_str::<serde_json::Value>(text);
    match &serde {
        Ok(_) => assert!(syntax.is_empty(), "valid JSON read as invalid: {syntax:?}"),
        // serde_json stops at nesting 128 and refuses numbers past f64's range
        // (`1e999`), which JSON's grammar allows and the tree keeps as written.
        Err(e) if syntax.is_empty() && !text.trim().is_empty() => assert!(
            e.to_string().contains("recursion limit")
                || e.to_string().contains("number out of range"),
            "serde_json refuses what the JSON reader took: {e}"
        ),
        Err(_) => {}
    }
    check_parse(&Input {
        name: input.name.clone(),
        text: text.clone(),
    });
    let whole = yaml::json::parse_or_yaml(text);
    let mut spans = Spans::new(text);
    for doc in &whole.documents {
        spans.node(doc);
    }
}

/// A random JSON value (objects, arrays, strings with escapes and non-ASCII,
/// numbers, literals, repeated keys), then now and then one byte-level cut,
/// insertion or swap so that broken JSON is read too.
fn gen_json(rng: &mut Rng) -> Input {
    fn value(rng: &mut Rng, depth: usize, out: &mut String) {
        let kind = if depth > 6 {
            2 + rng.below(4)
        } else {
            rng.below(6)
        };
        match kind {
            0 => {
                out.push('{');
                for i in 0..rng.below(5) {
                    if i > 0 {
                        out.push_str(rng.one(&[",", ", ", ",\n  "]));
                    }
                    out.push('"');
                    out.push_str(rng.one(&["id", "apps", "cpus", "env", "id", "é", "a\\tb"]));
                    out.push_str(rng.one(&["\":", "\" : ", "\":\t"]));
                    value(rng, depth + 1, out);
                }
                out.push('}');
            }
            1 => {
                out.push('[');
                for i in 0..rng.below(5) {
                    if i > 0 {
                        out.push_str(rng.one(&[",", ", ", " ,\n"]));
                    }
                    value(rng, depth + 1, out);
                }
                out.push(']');
            }
            2 => {
                out.push('"');
                out.push_str(rng.one(&[
                    "web",
                    "",
                    "\\n",
                    "\\u00e9",
                    "\\ud83d\\ude00",
                    "😀 x",
                    "\\\"",
                    "\\/",
                ]));
                out.push('"');
            }
            3 => out.push_str(rng.one(&["0", "-1", "3.25", "1e3", "-0.5E-2", "120"])),
            4 => out.push_str(rng.one(&["true", "false", "null"])),
            _ => out.push_str(rng.one(&["{}", "[]", "\"\""])),
        }
    }
    let mut text = String::new();
    value(rng, 0, &mut text);
    if rng.below(3) == 0 && !text.is_empty() {
        let mut bytes = text.into_bytes();
        let at = rng.below(bytes.len());
        match rng.below(3) {
            0 => bytes.truncate(at),
            1 => bytes.insert(at, *rng.pick(b"{],\"\\:\n")),
            _ => {
                bytes.remove(at);
            }
        }
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    Input {
        name: "gen.json".into(),
        text,
    }
}

#[test]
fn fuzz_json() {
    let seeds = seeds(|n| n.ends_with(".json"));
    let sum = run("json", &seeds, gen_json, check_json);
    assert!(sum.executions > 0);
}

/// The Procfile line parser: its findings' spans and its entries' spans.
fn check_procfile(input: &Input) {
    let mut diags = Vec::new();
    let p = parse_procfile(FileId(0), &input.text, &mut diags);
    let mut spans = Spans::new(&input.text);
    for e in &p.entries {
        spans.check(e.name.span, "process type");
        spans.check(e.command.span, "process command");
        spans.check(e.line, "process line");
    }
    for d in &diags {
        spans.check(d.span, &d.message);
    }
}

fn gen_procfile(rng: &mut Rng) -> Input {
    let mut text = String::new();
    for _ in 0..1 + rng.below(6) {
        text.push_str(rng.one(&["web", "worker", "release", "a-b_c", "", " web", "日本"]));
        text.push_str(rng.one(&[": ", ":", " : ", "", ":\t"]));
        text.push_str(&mutate::tokens(rng, 4));
        text.push_str(rng.one(&["\n", "\r\n", ""]));
    }
    Input {
        name: "Procfile".into(),
        text,
    }
}

#[test]
fn fuzz_procfile() {
    let seeds = seeds(|n| n == "Procfile" || n.starts_with("Procfile."));
    let sum = run("procfile", &seeds, gen_procfile, check_procfile);
    assert!(sum.executions > 0);
}

/// `.env` parsing: no panic, and a plain `NAME=word` on the text's first line is
/// read as written (when NAME is not set again further on: the last one wins).
fn check_dotenv(input: &Input) {
    let env = Env::parse(&input.text);
    let first = input.text.split('\n').next().unwrap_or("");
    if let Some((name, value)) = first.split_once('=') {
        let plain =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric());
        let once = input.text.matches(name).count() == 1;
        if once && plain(name) && plain(value) && !name.as_bytes()[0].is_ascii_digit() {
            assert_eq!(env.get(name), Some(value), "first line {first:?}");
        }
    }
}

fn gen_dotenv(rng: &mut Rng) -> Input {
    let mut text = String::new();
    for _ in 0..1 + rng.below(6) {
        text.push_str(rng.one(&["A", "DB_PASSWORD", "export B", "_x", "1A", "", "# c", " C"]));
        text.push_str(rng.one(&["=", " = ", "=\"", "='", ""]));
        text.push_str(&mutate::tokens(rng, 3));
        text.push_str(rng.one(&["\n", "\r\n", "\"\n", "'\n", ""]));
    }
    Input {
        name: ".env".into(),
        text,
    }
}

#[test]
fn fuzz_dotenv() {
    let seeds = seeds(|n| n == ".env" || n.ends_with(".env"));
    let sum = run("dotenv", &seeds, gen_dotenv, check_dotenv);
    assert!(sum.executions > 0);
}

/// Compose interpolation on each line of the input as one value, with a
/// `.env` of a few variables: no panic; a value without `$` is kept as written.
fn check_interp(input: &Input) {
    let mut env = Env::parse("A=1\nB=${A}x\nEMPTY=\n");
    env.set("日本", "v");
    for value in input.text.split('\n') {
        let out = interp::interpolate(value, &env);
        if !value.contains('$') {
            assert_eq!(out.value, value);
            assert!(out.is_literal());
        }
        if let Some((name, whole)) = interp::required_unset(value, &env) {
            assert!(value.contains(whole) && whole.contains(name));
        }
        if let Some(bad) = interp::invalid_braced(value) {
            assert!(value.contains(bad));
        }
    }
}

fn gen_interp(rng: &mut Rng) -> Input {
    let mut text = String::new();
    for _ in 0..1 + rng.below(4) {
        text.push_str(&mutate::tokens(rng, 12));
        text.push('\n');
    }
    Input {
        name: "values".into(),
        text: text.replace('\n', " ").replacen(' ', "\n", 3),
    }
}

#[test]
fn fuzz_interpolation() {
    // Compose files' lines that interpolate something.
    let seeds: Vec<Input> = seeds(|n| is_yaml(n) && n.contains("compose"))
        .into_iter()
        .filter_map(|s| {
            let text: Vec<&str> = s.text.lines().filter(|l| l.contains('$')).collect();
            (!text.is_empty()).then(|| Input {
                name: s.name,
                text: text.join("\n"),
            })
        })
        .collect();
    let sum = run("interpolation", &seeds, gen_interp, check_interp);
    assert!(sum.executions > 0);
}

/// The whole check of one in-memory file (as `--stdin-filename NAME`): every
/// finding's spans, related places, masked ranges and fix edits lie on char
/// boundaries of their file's text; every output format writes it.
fn check_file(input: &Input) {
    let req = ScanRequest {
        stdin: Some(StdinInput {
            name: PathBuf::from(&input.name),
            text: input.text.clone(),
        }),
        ..ScanRequest::default()
    };
    let scan = match crate::engine::run(&req) {
        Ok(scan) => scan,
        Err(e) => panic!("the scan failed: {e}"),
    };
    let mut per_file: Vec<Spans<'_>> = scan.files.iter().map(|f| Spans::new(&f.text)).collect();
    let mut check = |file: FileId, span: Span, what: &str| {
        let Some(spans) = per_file.get_mut(file.0 as usize) else {
            panic!("{what}: file id {} of {} files", file.0, scan.files.len());
        };
        spans.check(span, what);
    };
    for d in &scan.diagnostics {
        let what = format!("{}: {}", d.rule.name, d.message);
        check(d.file, d.span, &what);
        for r in &d.related {
            check(r.file, r.span, &format!("{what} (related: {})", r.message));
        }
        for r in &d.redact {
            check(d.file, *r, &format!("{what} (masked range)"));
        }
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            check(e.file, e.span, &format!("{what} (fix edit)"));
        }
    }
    write_all(&scan.files, &scan.diagnostics);
}

/// Every output format over the findings: none fails, and JSON and SARIF parse.
fn write_all(files: &[crate::project::SpecFile], diags: &[Diagnostic]) {
    for format in OutputFormat::ALL {
        let mut out = Vec::new();
        if let Err(e) = crate::report::write(*format, &mut out, files, diags, false) {
            panic!("{} output: {e}", format.as_str());
        }
        let json = matches!(format, OutputFormat::Json | OutputFormat::Sarif);
        if json && let Err(e) = serde_json::from_slice::<serde_json::Value>(&out) {
            panic!("{} output is not JSON: {e}", format.as_str());
        }
    }
}

fn gen_file(rng: &mut Rng) -> Input {
    let name = *rng.pick(&[
        "compose.yaml",
        "docker-compose.yml",
        "deployment.yaml",
        "marathon.json",
        "app.json",
        "Procfile",
        "docker-stack.yml",
        "Chart.yaml",
        "kustomization.yaml",
    ]);
    Input {
        name: name.into(),
        text: mutate::tokens(rng, 40),
    }
}

#[test]
fn fuzz_check_file() {
    let seeds =
        seeds(|n| is_yaml(n) || n.ends_with(".json") || n == "Procfile" || n.ends_with(".bom"));
    let sum = run("check", &seeds, gen_file, check_file);
    assert!(sum.executions > 0);
}

/// The harness itself: a check that panics is caught and fails the run, and the
/// input is saved where the message says.
#[test]
fn a_panicking_check_fails_the_run_and_saves_the_input() {
    fn boom(input: &Input) {
        assert!(!input.text.contains("boom"), "found boom");
    }
    fn generate(_: &mut Rng) -> Input {
        Input {
            name: "boom.yaml".into(),
            text: "boom".into(),
        }
    }
    let failed = std::panic::catch_unwind(|| run("selftest", &[], generate, boom));
    let Err(payload) = failed else {
        panic!("the run did not fail");
    };
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    let saved = message.rsplit("saved to ").next().unwrap_or("");
    assert_eq!(
        std::fs::read_to_string(saved).ok().as_deref(),
        Some("boom"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(
        std::path::Path::new(saved)
            .parent()
            .unwrap_or(std::path::Path::new("/nonexistent")),
    );
}

/// A syntax error's span is the character it is at: none at the very end of the
/// text, both bytes of a character of two.
#[test]
fn syntax_error_span_at_the_end_of_the_text() {
    for text in ["a: [b", "a: b\n- é"] {
        let parsed = yaml::parse(text);
        let issue = parsed
            .issues
            .iter()
            .find(|i| i.kind == yaml::IssueKind::Syntax);
        let Some(issue) = issue else {
            panic!("{text:?} parses");
        };
        let (s, e) = (issue.span.start as usize, issue.span.end as usize);
        assert!(
            e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e),
            "{text:?}: {s}..{e}"
        );
    }
}

/// A tab after a mapping's `:` is white space, as JSON and YAML 1.2 have it.
#[test]
fn tab_after_colon_is_whitespace() {
    for (text, key, value) in [
        ("{\"instances\":\t1}", "instances", "1"),
        ("a:\tb\n", "a", "b"),
    ] {
        let parsed = yaml::parse(text);
        assert!(!parsed.is_fatal(), "{text:?}: {:?}", parsed.issues);
        let Some(node) = parsed.documents.first().and_then(|d| d.get(key)) else {
            panic!("{text:?}: no `{key}`");
        };
        assert_eq!(node.as_str(), Some(value));
        assert_eq!(
            &text[node.span.start as usize..node.span.end as usize],
            value
        );
    }
}

/// The whole check (scan and JSON output) of a text made of `unit` repeated `n`
/// times (`{i}` in it numbered) between `head` and `tail`.
fn time_check(name: &str, head: &str, unit: &str, tail: &str, n: usize) -> std::time::Duration {
    let body: String = (0..n)
        .map(|i| unit.replace("{i}", &i.to_string()))
        .collect();
    let text = format!("{head}{body}{tail}");
    let started = std::time::Instant::now();
    let req = ScanRequest {
        stdin: Some(StdinInput {
            name: PathBuf::from(name),
            text,
        }),
        ..ScanRequest::default()
    };
    let Ok(scan) = crate::engine::run(&req) else {
        panic!("the scan of {name} failed");
    };
    let mut out = Vec::new();
    let written = crate::report::write(
        OutputFormat::Json,
        &mut out,
        &scan.files,
        &scan.diagnostics,
        false,
    );
    assert!(written.is_ok() && !out.is_empty());
    started.elapsed()
}

/// The least time of the small and of the big input over three rounds, each
/// round timing one and then the other, so that a burst of load on a shared
/// machine hits both sizes alike rather than one of them.
fn best_of_interleaved(
    mut round: impl FnMut() -> (std::time::Duration, std::time::Duration),
) -> (std::time::Duration, std::time::Duration) {
    (0..3).map(|_| round()).fold(
        (std::time::Duration::MAX, std::time::Duration::MAX),
        |(s, b), (small, big)| (s.min(small), b.min(big)),
    )
}

/// Valid inputs of the shapes that once took super-linear time (issue: merge
/// keys, long multi-line quoted scalars, long lists, many documents, many
/// duplicate keys): eight times the input must cost well under 64 times the
/// time (quadratic); the bound, 24×, leaves room for a loaded machine.
#[test]
fn check_time_grows_linearly() {
    let shapes: &[(&str, &str, &str, &str, usize)] = &[
        (
            "compose.yaml",
            "x-base: &b\n  image: nginx:1.27\n  restart: always\nservices:\n",
            "  s{i}:\n    <<: *b\n    labels: [a]\n",
            "",
            200,
        ),
        (
            "compose.yaml",
            "services:\n  web:\n    image: nginx:1.27\n    command: \"a\n",
            "      word word word\n",
            "      \"\n",
            4000,
        ),
        (
            "compose.yaml",
            "services:\n  web:\n    image: nginx:1.27\n    labels:\n",
            "      - a.b.c=d\n",
            "",
            4000,
        ),
        (
            "deployment.yaml",
            "",
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n",
            "",
            200,
        ),
        (
            "deployment.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n",
            "  a: b\n",
            "",
            1000,
        ),
    ];
    for (name, head, unit, tail, n) in shapes {
        let (small, big) = best_of_interleaved(|| {
            (
                time_check(name, head, unit, tail, *n),
                time_check(name, head, unit, tail, n * 8),
            )
        });
        let ratio = big.as_secs_f64() / small.as_secs_f64().max(1e-4);
        eprintln!(
            "{name} {unit:?}: x{n} {small:?}, x{} {big:?} ({ratio:.1}x)",
            n * 8
        );
        assert!(
            ratio < 24.0 || big.as_millis() < 200,
            "{name}: 8x the input ({unit:?} x{}) took {ratio:.1}x the time ({small:?} -> {big:?})",
            n * 8
        );
    }
}

/// The human format stays linear in its findings: each excerpt is cut from the
/// file's line index, not searched for from the start of the file.
#[test]
fn human_format_time_grows_linearly() {
    let time = |n: usize| {
        let unit = "kind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:apiVersion: autoscaling/v2\n";
        let text = format!("apiVersion: autoscaling/v2\n{}spec:\n", unit.repeat(n));
        let req = ScanRequest {
            stdin: Some(StdinInput {
                name: "deployment.yaml".into(),
                text,
            }),
            ..ScanRequest::default()
        };
        let Ok(scan) = crate::engine::run(&req) else {
            panic!("the scan failed");
        };
        let started = std::time::Instant::now();
        let mut out = Vec::new();
        let written = crate::report::write(
            OutputFormat::Human,
            &mut out,
            &scan.files,
            &scan.diagnostics,
            false,
        );
        assert!(written.is_ok());
        started.elapsed()
    };
    let (small, big) = best_of_interleaved(|| (time(50), time(400)));
    let ratio = big.as_secs_f64() / small.as_secs_f64();
    // Below 200 ms for the big input the ratio is noise on a loaded machine.
    assert!(
        ratio < 24.0 || big.as_millis() < 200,
        "8x the findings took {ratio:.1}x the time ({small:?} -> {big:?})"
    );
}
