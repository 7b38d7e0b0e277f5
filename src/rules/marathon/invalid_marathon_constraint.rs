//! `correctness/invalid-marathon-constraint`: a placement constraint whose operator
//! and value do not fit together.
//!
//! Facts (Marathon `constraints.md` and its constraint validation,
//! `SchedulingValidation`): `UNIQUE` takes no value ("Value specified but not
//! used"); `MAX_PER` needs an integer ("MAX_PER must have an integer value");
//! `GROUP_BY` takes no value or an integer; `LIKE` and `UNLIKE` need a value that
//! compiles as a Java regular expression; `IS` (1.5+) needs the value to compare
//! with; `CLUSTER` takes a value or none. Operators are looked up by their exact
//! upper-case name. Constraints with a wrong number of fields or an unknown
//! operator in the array and object forms are `schema/invalid-value`'s findings;
//! this rule checks the same operators in the `field:OPERATOR:value` strings of old
//! command-line tools, which the schema leaves alone.

use regex_automata::meta::Regex;

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::formats::marathon::model::Constraint;
use crate::formats::marathon::schema::CONSTRAINT_OPERATORS;
use crate::rules::{Context, Rule};
use crate::source::{FileId, Format, Span, Spanned};
use crate::yaml::{Node, Value};

pub(crate) struct InvalidMarathonConstraint;

static META: RuleMeta = RuleMeta {
    name: "invalid-marathon-constraint",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "a Marathon placement constraint's operator and value do not fit together",
    what: "Reports an app or pod placement constraint (the array form `[field, OPERATOR, value]`, the pod object form `{fieldName, operator, value}` and the `field:OPERATOR:value` string of old command-line tools) that Marathon refuses: `UNIQUE` with a value, `MAX_PER` without a value or with one that is not an integer, `GROUP_BY` with a value that is not an integer, `LIKE` or `UNLIKE` without a value or with a regular expression that does not compile, `IS` without a value, an operator written in lower or mixed case, and in the string form an operator Marathon does not know. The finding points at the value or the operator. Values with template placeholders are left alone, and a regular expression that uses a construct only Java's engine knows (lookaround, possessive quantifiers, back-references, `\\p{...}` classes) is not judged.",
    why: "Marathon refuses the app or pod with a validation error, so the deployment fails; a constraint copied from another app with its value (`[\"hostname\", \"UNIQUE\", \"true\"]`) or a `MAX_PER` written without its limit usually means the placement rule meant is not the one written.",
    bad: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "cmd": "./serve",
  "instances": 3,
  "constraints": [["hostname", "UNIQUE", "true"], ["rack_id", "MAX_PER"]]
}
"#,
    },
    good: Example {
        file_name: "web.json",
        text: r#"{
  "id": "/web",
  "cmd": "./serve",
  "instances": 3,
  "constraints": [["hostname", "UNIQUE"], ["rack_id", "MAX_PER", "2"]]
}
"#,
    },
};

/// Where the parts of one constraint are written.
struct Parts {
    operator: Option<Span>,
    value: Option<Span>,
    /// The `field:OPERATOR:value` string form.
    string: bool,
}

/// The parts of the constraint node with exactly `span`.
fn parts(docs: &[Node], span: Span) -> Option<Parts> {
    let node = docs.iter().find_map(|d| find(d, span))?;
    Some(match &node.value {
        Value::Sequence(items) => Parts {
            operator: items.get(1).map(|n| n.span),
            value: items.get(2).map(|n| n.span),
            string: false,
        },
        Value::Mapping(_) => Parts {
            operator: node.get("operator").map(|n| n.span),
            value: node.get("value").filter(|n| !n.is_null()).map(|n| n.span),
            string: false,
        },
        Value::Scalar(_) => Parts {
            operator: Some(node.span),
            value: Some(node.span),
            string: true,
        },
    })
}

/// The node with exactly `span`, searching only the collections around it.
fn find(node: &Node, span: Span) -> Option<&Node> {
    if node.span == span {
        return Some(node);
    }
    if node.span.start > span.start || span.end > node.span.end {
        return None;
    }
    match &node.value {
        Value::Mapping(entries) => entries.iter().find_map(|(_, v)| find(v, span)),
        Value::Sequence(items) => items.iter().find_map(|n| find(n, span)),
        Value::Scalar(_) => None,
    }
}

fn templated(s: &str) -> bool {
    ["{{", "${", "%{", "<%"].iter().any(|t| s.contains(t))
}

/// True when Java's `String.toInt` reads `s`.
fn is_int(s: &str) -> bool {
    s.parse::<i32>().is_ok()
}

/// Constructs Java's regular expressions have and the Rust engine used to check
/// the syntax does not: a pattern with one of them is not judged.
const JAVA_ONLY: &[&str] = &[
    "(?=", "(?!", "(?<=", "(?<!", "(?>", "*+", "++", "?+", "}+", "\\Q", "\\Z", "\\G", "\\h",
    "\\H", "\\R", "\\X", "\\p", "\\P", "\\k", "\\0", "\\c", "\\e", "\\u",
];

/// Why Marathon would refuse `pattern` as a regular expression, if it surely would.
fn regex_error(pattern: &str) -> Option<String> {
    if JAVA_ONLY.iter().any(|c| pattern.contains(c)) {
        return None;
    }
    // Back-references (`\1`) exist only in Java's engine.
    let bytes = pattern.as_bytes();
    if bytes
        .windows(2)
        .any(|w| w[0] == b'\\' && w[1].is_ascii_digit())
    {
        return None;
    }
    let err = Regex::new(pattern).err()?;
    // The innermost error says what is wrong; its last line without the caret
    // diagram above it.
    let mut inner: &dyn std::error::Error = &err;
    while let Some(next) = inner.source() {
        inner = next;
    }
    let text = inner.to_string();
    let last = text.lines().last().unwrap_or(&text).trim();
    Some(last.strip_prefix("error: ").unwrap_or(last).to_string())
}

/// The problem with one constraint, and the span it is at.
fn problem(c: &Constraint, p: &Parts) -> Option<(Option<Span>, String, String)> {
    let op = c.operator.as_str();
    let value = c.value.as_deref();
    if templated(op) || value.is_some_and(templated) {
        return None;
    }
    let Some(known) = CONSTRAINT_OPERATORS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(op))
    else {
        // The schema reports unknown operators of the array and object forms.
        return p.string.then(|| {
            (
                p.operator,
                format!("`{op}` is not a constraint operator"),
                format!("use one of {}", CONSTRAINT_OPERATORS.join(", ")),
            )
        });
    };
    if op != *known {
        return Some((
            p.operator,
            format!("the operator `{op}` must be written `{known}`: Marathon looks operators up by their exact name"),
            format!("write `{known}`"),
        ));
    }
    match (*known, value) {
        ("UNIQUE", Some(v)) => Some((
            p.value,
            format!("`UNIQUE` takes no value, but has `{v}`"),
            "remove the value: `UNIQUE` already means one task per value of the field".into(),
        )),
        ("MAX_PER", None) => Some((
            p.operator,
            "`MAX_PER` needs the largest number of tasks per value of the field".into(),
            "add the limit as the value, e.g. `[\"rack_id\", \"MAX_PER\", \"2\"]`".into(),
        )),
        ("MAX_PER" | "GROUP_BY", Some(v)) if !is_int(v.trim()) => Some((
            p.value,
            format!("`{known}` takes an integer, not `{v}`"),
            format!(
                "write the number as a string of digits{}",
                if *known == "GROUP_BY" {
                    ", or leave the value out"
                } else {
                    ""
                }
            ),
        )),
        ("LIKE" | "UNLIKE", None) => Some((
            p.operator,
            format!("`{known}` needs a regular expression to match the field's value against"),
            "add the regular expression as the value; `.*` matches any value".into(),
        )),
        ("LIKE" | "UNLIKE", Some(v)) => regex_error(v).map(|why| {
            (
                p.value,
                format!("`{v}` is not a valid regular expression: {why}"),
                "fix the regular expression (Marathon compiles it with Java's engine)".into(),
            )
        }),
        ("IS", None) => Some((
            p.operator,
            "`IS` needs the value the field must have".into(),
            "add the value, e.g. `[\"@region\", \"IS\", \"us-east-1\"]`".into(),
        )),
        _ => None,
    }
}

impl Rule for InvalidMarathonConstraint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut found: Vec<(FileId, Span, String, String)> = Vec::new();
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            let mut check = |name: String, constraints: &[Spanned<Constraint>]| {
                for c in constraints {
                    let Some(p) = parts(&file.docs, c.span) else {
                        continue;
                    };
                    if let Some((span, message, help)) = problem(&c.value, &p) {
                        found.push((
                            file.id,
                            span.unwrap_or(c.span),
                            format!("{name}: constraint `{}`: {message}", c.value.text()),
                            help,
                        ));
                    }
                }
            };
            for a in &m.apps {
                let name = format!("app \"{}\"", a.path.as_deref().unwrap_or("?"));
                check(name, &a.app.constraints);
            }
            for p in &m.pods {
                let name = format!("pod \"{}\"", p.path.as_deref().unwrap_or("?"));
                check(name, p.pod.constraints());
            }
        }
        for (file, span, message, help) in found {
            cx.report(file, span, message).help = Some(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{messages, run, scan};

    fn findings(text: &str) -> Vec<String> {
        let (files, _) = scan(&[("app.json", text)]);
        messages(&files, &run(&InvalidMarathonConstraint, &files))
    }

    #[test]
    fn reports_values_that_do_not_fit_the_operator() {
        let text = r#"{ "id": "/web", "cmd": "a", "constraints": [
  ["hostname", "UNIQUE", "true"],
  ["rack", "MAX_PER"],
  ["rack", "MAX_PER", "two"],
  ["rack", "GROUP_BY", "3.5"],
  ["rack", "LIKE"],
  ["rack", "UNLIKE", "rack-[1-3"],
  ["@region", "IS"],
  ["hostname", "unique"],
  "hostname:SPREAD"
] }"#;
        let got = findings(text);
        assert_eq!(got.len(), 9, "{got:#?}");
        assert_eq!(
            got[0],
            "app.json:2:26: app \"/web\": constraint `hostname:UNIQUE:true`: `UNIQUE` takes no value, but has `true`"
        );
        assert_eq!(
            got[1],
            "app.json:3:12: app \"/web\": constraint `rack:MAX_PER`: `MAX_PER` needs the largest number of tasks per value of the field"
        );
        assert!(got[2].ends_with("`MAX_PER` takes an integer, not `two`"));
        assert!(got[3].ends_with("`GROUP_BY` takes an integer, not `3.5`"));
        assert!(got[4].contains("`LIKE` needs a regular expression"));
        assert!(
            got[5].starts_with("app.json:7:22:")
                && got[5].contains("`rack-[1-3` is not a valid regular expression")
        );
        assert!(got[6].ends_with("`IS` needs the value the field must have"));
        assert!(got[7].ends_with(
            "the operator `unique` must be written `UNIQUE`: Marathon looks operators up by their exact name"
        ));
        assert!(got[8].ends_with("`SPREAD` is not a constraint operator"));
    }

    #[test]
    fn reads_the_pod_object_form() {
        let text = r#"{ "id": "/mq", "containers": [{ "name": "c" }], "scheduling": { "placement": {
  "constraints": [
    { "fieldName": "hostname", "operator": "MAX_PER", "value": "x" },
    { "fieldName": "hostname", "operator": "UNIQUE" }
  ] } } }"#;
        assert_eq!(
            findings(text),
            [
                "app.json:3:64: pod \"/mq\": constraint `hostname:MAX_PER:x`: `MAX_PER` takes an integer, not `x`"
            ]
        );
    }

    #[test]
    fn leaves_valid_templated_and_java_only_constraints_alone() {
        let text = r#"{ "id": "/web", "cmd": "a", "constraints": [
  ["hostname", "UNIQUE"], ["rack", "CLUSTER"], ["rack", "CLUSTER", "r1"],
  ["rack", "GROUP_BY"], ["rack", "GROUP_BY", "3"], ["rack", "MAX_PER", "2"],
  ["rack", "LIKE", "rack-[1-3]"], ["rack", "UNLIKE", "(?!rack-1).*"],
  ["rack", "LIKE", "\\p{Alpha}+"], ["@zone", "IS", "a"],
  ["rack", "MAX_PER", "{{MAX}}"], ["rack", "SPREAD"],
  "hostname:UNIQUE", "rack:GROUP_BY:2"
] }"#;
        // `SPREAD` in the array form is schema/invalid-value's finding.
        assert!(findings(text).is_empty(), "{:#?}", findings(text));
    }
}
