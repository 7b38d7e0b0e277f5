use super::*;
use crate::source::LineIndex;
use crate::yaml::Value;

/// Every node of the JSON reader's tree beside the YAML parser's, in the same
/// order: the first place they differ (span, scalar text or kind, shape). saphyr
/// counts the blanks before a flow collection's closing bracket (and after the
/// collection) into the last item's span; the JSON reader's spans end at the
/// value, so the YAML spans are compared without trailing white space.
fn first_difference(text: &str, a: &Node, b: &Node) -> Option<String> {
    let trimmed = |s: Span| {
        let piece = &text[s.start as usize..s.end as usize];
        Span::new(s.start as usize, s.start as usize + piece.trim_end().len())
    };
    let mut todo = vec![(a, b)];
    while let Some((x, y)) = todo.pop() {
        if x.span != trimmed(y.span) {
            return Some(format!("span {:?} vs {:?} at {x:?}", x.span, y.span));
        }
        match (&x.value, &y.value) {
            (Value::Scalar(s), Value::Scalar(t)) if s == t => {}
            (Value::Sequence(xs), Value::Sequence(ys)) if xs.len() == ys.len() => {
                todo.extend(xs.iter().zip(ys));
            }
            (Value::Mapping(xs), Value::Mapping(ys)) if xs.len() == ys.len() => {
                for ((xk, xv), (yk, yv)) in xs.iter().zip(ys) {
                    todo.push((xk, yk));
                    todo.push((xv, yv));
                }
            }
            _ => return Some(format!("{:?} vs {:?}", x.value, y.value)),
        }
    }
    None
}

/// The JSON reader and the YAML parser agree on every node and every duplicate.
fn same_as_yaml(text: &str) {
    let text = text.to_string();
    let json = parse(&text);
    let yaml = crate::yaml::parse(&text);
    assert!(!yaml.is_fatal(), "YAML reads {text:?}: {:?}", yaml.issues);
    assert_eq!(
        json.issues.len(),
        yaml.issues.len(),
        "{text:?}: {:?}",
        json.issues
    );
    for (j, y) in json.issues.iter().zip(&yaml.issues) {
        assert_eq!(
            (&j.kind, &j.message, j.span, j.related),
            (&y.kind, &y.message, y.span, y.related)
        );
    }
    assert_eq!(json.documents.len(), yaml.documents.len(), "{text:?}");
    for (j, y) in json.documents.iter().zip(&yaml.documents) {
        if let Some(d) = first_difference(&text, j, y) {
            panic!("{text:?}: JSON reader {d}");
        }
    }
}

#[test]
fn trees_and_spans_match_the_yaml_reading() {
    for text in [
        "{}",
        "[]",
        "  {\"a\": 1}\n",
        "{\"id\": \"/web\", \"instances\": 2, \"cpus\": 0.5, \"mem\": 1e3}",
        "{\"a\": [1, -2, 3.25, -0.5e-3, true, false, null, \"x\"], \"b\": {}}",
        "[{\"k\": \"v\"}, [], [[1]], {\"n\": {\"m\": []}}]",
        "{\n  \"env\": {\"A\": \"é ünï 😀\", \"B\": \"\"},\n  \"args\": [\"-c\", \"echo hi\"]\n}\n",
        "{\"s\": \"tab\\tnew\\nline \\\"q\\\" back\\\\slash \\/ \\u00e9\"}",
        "{ \"a\" : 1 , \"b\" :[ 2 ,3 ] }",
        "{\"a\":\t1}",
        "{\"a\": 1, \"b\": 2, \"a\": 3}",
        "{\"apps\": [{\"id\": \"a\", \"id\": \"b\"}]}",
        "\"just a string\"",
        "42",
    ] {
        same_as_yaml(text);
    }
}

/// The committed JSON fixtures and, when it is there, every JSON file of the
/// corpus read both ways.
#[test]
fn json_spec_files_read_the_same_both_ways() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![root.join("fixtures")];
    let corpus = root.join("../shared/corpus");
    if corpus.is_dir() {
        dirs.push(corpus);
    } else {
        eprintln!("../shared/corpus not found: only fixtures/ compared");
    }
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    let mut compared = 0;
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let yaml = crate::yaml::parse(&text);
        let json = parse(&text);
        if yaml.is_fatal() || json.is_fatal() {
            // Broken on purpose (fixtures of invalid syntax): both must say so.
            assert_eq!(
                yaml.is_fatal(),
                parse_or_yaml(&text).is_fatal(),
                "{}: {:?} / {:?}",
                p.display(),
                yaml.issues,
                json.issues
            );
            continue;
        }
        assert_eq!(
            json.documents.len(),
            yaml.documents.len(),
            "{}",
            p.display()
        );
        for (j, y) in json.documents.iter().zip(&yaml.documents) {
            if let Some(d) = first_difference(&text, j, y) {
                panic!("{}: JSON reader {d}", p.display());
            }
        }
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} JSON files compared");
}

fn line_col(text: &str, at: u32) -> (u32, u32) {
    let lc = LineIndex::new(text).line_col(text, at);
    (lc.line, lc.column)
}

#[test]
fn syntax_errors_say_what_and_where() {
    /// Text, message, line/column of the error, and of the unclosed bracket.
    type Case<'a> = (&'a str, &'a str, (u32, u32), Option<(u32, u32)>);
    let cases: [Case; 9] = [
        (
            "{\n  \"a\": 1,\n  \"b\": 2\n",
            "the text ends where `,` or `}` was expected",
            (4, 1),
            Some((1, 1)),
        ),
        (
            "{\n  \"a\": 1\n  \"b\": 2\n}",
            "unexpected `\"`: expected `,` or `}`",
            (3, 3),
            Some((1, 1)),
        ),
        (
            "[1, 2,]",
            "unexpected `]`: expected a value",
            (1, 7),
            Some((1, 1)),
        ),
        (
            "{\"a\" 1}",
            "unexpected `1`: expected `:` after the key",
            (1, 6),
            Some((1, 1)),
        ),
        (
            "{a: 1}x",
            "unexpected `a`: expected a string key in double quotes",
            (1, 2),
            Some((1, 1)),
        ),
        (
            "{\"a\": tru}",
            "unexpected `t`: expected a value",
            (1, 7),
            Some((1, 1)),
        ),
        (
            "{\"a\": \"x\ny\"}",
            "a control character (\\n) inside a string must be escaped",
            (1, 9),
            Some((1, 7)),
        ),
        (
            "{\"a\": \"\\q\"}",
            "unknown escape in a string",
            (1, 8),
            None,
        ),
        (
            "{\"a\": 01}",
            "unexpected `1`: expected `,` or `}`",
            (1, 8),
            Some((1, 1)),
        ),
    ];
    for (text, message, at, related) in cases {
        let p = parse(text);
        let issue = p
            .issues
            .iter()
            .find(|i| i.kind == IssueKind::Syntax)
            .unwrap_or_else(|| panic!("{text:?}: no syntax issue"));
        assert!(
            issue.message.starts_with(message),
            "{text:?}: {}",
            issue.message
        );
        assert_eq!(line_col(text, issue.span.start), at, "{text:?}");
        assert_eq!(
            issue.related.map(|r| line_col(text, r.start)),
            related,
            "{text:?}"
        );
        assert!(issue.span.end as usize <= text.len());
    }
    // A value followed by more text is kept, with the rest refused.
    let p = parse("{\"a\": 1} {\"b\": 2}");
    assert_eq!(p.documents.len(), 1);
    assert!(
        p.issues[0].message.contains("after the JSON value"),
        "{:?}",
        p.issues
    );
}

#[test]
fn escapes_are_decoded_and_broken_ones_refused() {
    let p = parse("[\"\\u00e9\\ud83d\\ude00\\n\", \"\\ud83d\", \"\\u12\"]");
    assert!(p.documents.is_empty());
    assert!(p.issues[0].message.contains("surrogate"), "{:?}", p.issues);
    let p = parse("[\"\\u00e9\\ud83d\\ude00\\n\\/\"]");
    let Value::Sequence(items) = &p.documents[0].value else {
        panic!("{:?}", p.documents)
    };
    assert_eq!(items[0].as_str(), Some("é😀\n/"));
    let p = parse("\"\\u12\"");
    assert!(p.issues[0].message.contains("four hex digits"));
}

#[test]
fn duplicate_keys_are_findings_and_the_last_wins() {
    let text = "{\"id\": \"a\", \"cpus\": 1, \"id\": \"b\"}";
    let p = parse(text);
    assert!(!p.is_fatal());
    assert_eq!(p.issues.len(), 1);
    let issue = &p.issues[0];
    assert_eq!(issue.kind, IssueKind::DuplicateKey);
    assert!(issue.message.starts_with("duplicate key `id`"));
    assert_eq!(
        &text[issue.span.start as usize..issue.span.end as usize],
        "\"id\""
    );
    assert_eq!(issue.related.map(|r| r.start), Some(1));
    assert_eq!(p.documents[0].get("id").and_then(Node::as_str), Some("b"));
}

#[test]
fn nesting_and_size_budgets_hold() {
    let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
    let p = parse(&deep);
    assert_eq!(p.issues[0].kind, IssueKind::Budget);
    assert!(p.issues[0].message.contains("nesting deeper than 256"));
    // As deep as the budget allows is read.
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse(&ok).issues.is_empty());
    // Far deeper than any stack: no recursion, no overflow.
    let very = "{\"a\":".repeat(200_000);
    assert_eq!(parse(&very).issues[0].kind, IssueKind::Budget);
}

#[test]
fn yaml_that_looks_like_json_is_still_read_as_yaml() {
    let p = parse_or_yaml("{a: 1, b: [x, y,]}");
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.documents[0].get("a").and_then(Node::as_i64), Some(1));
    // Broken both ways: the JSON reader's finding stays.
    let p = parse_or_yaml("{\"a\": [1, 2}");
    assert!(p.is_fatal());
    assert!(
        p.issues[0].message.contains("expected `,` or `]`"),
        "{:?}",
        p.issues
    );
    assert!(is_json("app.JSON", "x: 1"));
    assert!(is_json("marathon", "\n  [1]"));
    assert!(!is_json("compose.yaml", "services: {}"));
}

#[test]
fn a_large_group_costs_about_its_size() {
    // A Marathon group of many apps: the tree is built in one pass.
    let mut text = String::from("{\"id\": \"/big\", \"apps\": [");
    for i in 0..20_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"id\": \"app{i}\", \"cpus\": 0.1, \"mem\": 64, \"env\": {{\"K\": \"v{i}\"}}, \"args\": [\"a\", \"b\"]}}"
        ));
    }
    text.push_str("]}");
    let p = parse(&text);
    assert!(p.issues.is_empty());
    let apps = p.documents[0].get("apps").expect("apps");
    let Value::Sequence(items) = &apps.value else {
        panic!("apps is not a list")
    };
    assert_eq!(items.len(), 20_000);
    let last = &items[19_999];
    let from = text.rfind("{\"id\": \"app19999\"").expect("last app");
    assert_eq!(last.span, Span::new(from, text.len() - 2));
}
