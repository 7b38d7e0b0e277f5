//! Generated specs written as YAML: a JSON value (what the writers build) turned
//! into saphyr's YAML tree and emitted in block style.

use std::borrow::Cow;

use saphyr::{Mapping, Scalar, Yaml, YamlEmitter};
use saphyr_parser::ScalarStyle;

/// Strings that a YAML 1.1 reader (kubectl's, PyYAML) takes for booleans but
/// saphyr's emitter leaves bare: quoted by hand.
const YAML11_SINGLE_LETTER_BOOLS: &[&str] = &["y", "Y", "n", "N"];

fn to_yaml(v: &serde_json::Value) -> Yaml<'_> {
    match v {
        serde_json::Value::Null => Yaml::Value(Scalar::Null),
        serde_json::Value::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Value(Scalar::Integer(i)),
            None => Yaml::Value(Scalar::FloatingPoint(n.as_f64().unwrap_or(0.0).into())),
        },
        serde_json::Value::String(s) if YAML11_SINGLE_LETTER_BOOLS.contains(&s.as_str()) => {
            Yaml::Representation(Cow::Borrowed(s), ScalarStyle::DoubleQuoted, None)
        }
        serde_json::Value::String(s) => Yaml::Value(Scalar::String(Cow::Borrowed(s))),
        serde_json::Value::Array(items) => Yaml::Sequence(items.iter().map(to_yaml).collect()),
        serde_json::Value::Object(map) => {
            let mut m = Mapping::new();
            for (k, v) in map {
                m.insert(Yaml::Value(Scalar::String(Cow::Borrowed(k))), to_yaml(v));
            }
            Yaml::Mapping(m)
        }
    }
}

/// One YAML document (no `---` line), ending with a line break.
pub(crate) fn document(v: &serde_json::Value) -> String {
    let mut out = String::new();
    let yaml = to_yaml(v);
    let mut emitter = YamlEmitter::new(&mut out);
    emitter.multiline(true);
    // The emitter's only failure is the writer's, and a String does not fail.
    let _ = emitter.dump(&yaml);
    let body = out.strip_prefix("---\n").unwrap_or(&out).to_string();
    body + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_read_as_other_types_are_quoted() {
        let v = serde_json::json!({
            "a": "yes", "b": "y", "c": "8080", "d": "1:20", "e": 3, "f": true,
            "g": ["x", "null"], "h": "plain text"
        });
        let text = document(&v);
        for want in [
            "a: \"yes\"",
            "b: \"y\"",
            "c: \"8080\"",
            "d: \"1:20\"",
            "e: 3",
            "f: true",
            "- x",
            "- \"null\"",
            "h: plain text",
        ] {
            assert!(text.contains(want), "{want} in\n{text}");
        }
        assert!(!text.starts_with("---"), "{text}");
        // What we write reads back as the same value.
        let back = crate::yaml::parse(&text);
        assert!(
            back.issues.is_empty() && back.documents.len() == 1,
            "{text}"
        );
    }
}
