//! The span-keeping document tree every spec file is parsed into exactly once.
//!
//! Scalars keep their text and whether they were quoted; their type (null, bool,
//! number, string) is decided by whoever reads them, so a plain `80` can be read as
//! the string a Compose port expects or as the integer a Marathon port expects.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub(crate) span: Span,
    pub(crate) value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    pub(crate) text: Box<str>,
    /// Quoted, block (`|`, `>`) or tagged `!!str` scalars are always strings.
    pub(crate) plain: bool,
}

/// What a scalar means under the YAML 1.2 core schema (as Kubernetes and Compose
/// loaders read untyped values).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Scalar {
    pub(crate) fn resolve(&self) -> Resolved<'_> {
        let t = &*self.text;
        if !self.plain {
            return Resolved::Str(t);
        }
        match t {
            "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
            "true" | "True" | "TRUE" => return Resolved::Bool(true),
            "false" | "False" | "FALSE" => return Resolved::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
                return Resolved::Float(f64::INFINITY);
            }
            "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
            _ => {}
        }
        if let Some(i) = parse_int(t) {
            return Resolved::Int(i);
        }
        if let Some(f) = looks_like_float(t).then(|| t.parse::<f64>().ok()).flatten() {
            return Resolved::Float(f);
        }
        Resolved::Str(t)
    }
}

pub(crate) fn parse_int(t: &str) -> Option<i64> {
    let (neg, digits) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(if neg { -value } else { value })
}

fn looks_like_float(t: &str) -> bool {
    let body = t.trim_start_matches(['-', '+']);
    !body.is_empty()
        && body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
}

impl Node {
    pub(crate) fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar (whatever its type), `None` for collections.
    pub fn as_str(&self) -> Option<&str> {
        self.scalar().map(|s| &*s.text)
    }

    pub(crate) fn is_null(&self) -> bool {
        self.scalar()
            .is_some_and(|s| matches!(s.resolve(), Resolved::Null))
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self.scalar()?.resolve() {
            Resolved::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub(crate) fn as_i64(&self) -> Option<i64> {
        let s = self.scalar()?;
        match s.resolve() {
            Resolved::Int(i) => Some(i),
            Resolved::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(f as i64),
            Resolved::Str(t) => parse_int(t.trim()),
            _ => None,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self.scalar()?.resolve() {
            Resolved::Int(i) => Some(i as f64),
            Resolved::Float(f) => Some(f),
            Resolved::Str(t) => t.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_mapping(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Mapping(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Sequence(s) => Some(s),
            _ => None,
        }
    }

    /// The entry of a mapping whose key is the scalar `key` (the last one wins, as
    /// YAML loaders that accept duplicates do).
    pub(crate) fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_mapping()?
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Follows a path of mapping keys; a segment that parses as a number also indexes
    /// sequences.
    pub(crate) fn at(&self, path: &[&str]) -> Option<&Node> {
        let mut node = self;
        for seg in path {
            node = match &node.value {
                Value::Mapping(_) => node.get(seg)?,
                Value::Sequence(items) => items.get(seg.parse::<usize>().ok()?)?,
                Value::Scalar(_) => return None,
            };
        }
        Some(node)
    }

    /// The span of a key and its value together, e.g. `privileged: true`.
    pub(crate) fn entry_span(&self, key: &str) -> Option<Span> {
        self.entry(key).map(|(k, v)| k.span.cover(v.span))
    }

    /// A short word for the node's type, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Mapping(_) => "a mapping",
            Value::Sequence(_) => "a sequence",
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => "null",
                Resolved::Bool(_) => "a boolean",
                Resolved::Int(_) | Resolved::Float(_) => "a number",
                Resolved::Str(_) => "a string",
            },
        }
    }
}

/// A plain scalar that kubectl's YAML 1.1 reader takes for a boolean though YAML
/// 1.2 does not: `yes`, `off`, `Y`...
pub(crate) fn yaml11_bool(t: &str) -> bool {
    matches!(
        t,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: &str) -> Scalar {
        Scalar {
            text: t.into(),
            plain: true,
        }
    }

    #[test]
    fn core_schema_resolution() {
        assert_eq!(plain("~").resolve(), Resolved::Null);
        assert_eq!(plain("true").resolve(), Resolved::Bool(true));
        assert_eq!(plain("0x1F").resolve(), Resolved::Int(31));
        assert_eq!(plain("-12").resolve(), Resolved::Int(-12));
        assert_eq!(plain("1.5").resolve(), Resolved::Float(1.5));
        assert_eq!(plain("1.2.3").resolve(), Resolved::Str("1.2.3"));
        assert_eq!(plain("80:80").resolve(), Resolved::Str("80:80"));
        assert_eq!(plain("yes").resolve(), Resolved::Str("yes"));
        let quoted = Scalar {
            text: "1".into(),
            plain: false,
        };
        assert_eq!(quoted.resolve(), Resolved::Str("1"));
    }
}
