//! The value constraints of a structural schema and its `allOf`/`anyOf`/`oneOf`
//! branches, as kube-apiserver applies them (the OpenAPI v3.0 dialect of
//! `apiextensions.k8s.io/v1` `JSONSchemaProps`: `exclusiveMinimum` and
//! `exclusiveMaximum` are flags, lengths count characters, `pattern` is a
//! regular expression of RE2's syntax, which the `regex-automata` engine shares).

use std::collections::HashMap;

use regex_automata::meta::Regex;

use super::super::kubernetes::Findings;
use super::Walk;
use crate::yaml::{Node, Resolved};

/// A non-negative integer keyword (`minLength: 3`).
fn count(schema: &Node, key: &str) -> Option<usize> {
    schema
        .get(key)
        .and_then(Node::as_i64)
        .and_then(|n| usize::try_from(n).ok())
}

fn number(schema: &Node, key: &str) -> Option<f64> {
    match schema.get(key)?.scalar()?.resolve() {
        Resolved::Int(i) => Some(i as f64),
        Resolved::Float(f) => Some(f),
        _ => None,
    }
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

impl Walk<'_> {
    /// `minimum`/`maximum`, string lengths, `pattern` and `format`, and the sizes
    /// of sequences and mappings.
    pub(super) fn constraints(&mut self, schema: &Node, node: &Node, path: &str) {
        match node.scalar().map(|s| s.resolve()) {
            Some(Resolved::Int(i)) => self.range(schema, node, path, i as f64),
            Some(Resolved::Float(f)) => self.range(schema, node, path, f),
            Some(Resolved::Str(s)) => self.string(schema, node, path, s),
            _ => {}
        }
        let size = match (node.as_sequence(), node.as_mapping()) {
            (Some(items), _) => Some((items.len(), "item", "Items")),
            (_, Some(entries)) => Some((entries.len(), "propert", "Properties")),
            _ => None,
        };
        if let Some((n, noun, suffix)) = size {
            let noun = |k: usize| match noun {
                "item" => plural(k, "item"),
                _ if k == 1 => "1 property".to_string(),
                _ => format!("{k} properties"),
            };
            if let Some(min) = count(schema, &format!("min{suffix}"))
                && n < min
            {
                let message = format!("has {}, at least {} required", noun(n), noun(min));
                self.invalid(node.span, path, message);
            }
            if let Some(max) = count(schema, &format!("max{suffix}"))
                && n > max
            {
                let message = format!("has {}, at most {} allowed", noun(n), noun(max));
                self.invalid(node.span, path, message);
            }
        }
    }

    fn range(&mut self, schema: &Node, node: &Node, path: &str, v: f64) {
        let exclusive = |key: &str| schema.get(key).and_then(Node::as_bool) == Some(true);
        if let Some(min) = number(schema, "minimum") {
            let (bad, want) = if exclusive("exclusiveMinimum") {
                (v <= min, format!("greater than {min}"))
            } else {
                (v < min, format!("at least {min}"))
            };
            if bad {
                self.invalid(node.span, path, format!("{v} is not {want}"));
            }
        }
        if let Some(max) = number(schema, "maximum") {
            let (bad, want) = if exclusive("exclusiveMaximum") {
                (v >= max, format!("less than {max}"))
            } else {
                (v > max, format!("at most {max}"))
            };
            if bad {
                self.invalid(node.span, path, format!("{v} is not {want}"));
            }
        }
    }

    fn string(&mut self, schema: &Node, node: &Node, path: &str, s: &str) {
        let len = s.chars().count();
        if let Some(min) = count(schema, "minLength")
            && len < min
        {
            let message = format!(
                "`{s}` is {}, at least {} required",
                plural(len, "character"),
                plural(min, "character")
            );
            self.invalid(node.span, path, message);
        }
        if let Some(max) = count(schema, "maxLength")
            && len > max
        {
            let message = format!(
                "`{s}` is {}, at most {} allowed",
                plural(len, "character"),
                plural(max, "character")
            );
            self.invalid(node.span, path, message);
        }
        if let Some(pattern) = schema.get("pattern").and_then(Node::as_str)
            && let Some(re) = compiled(&mut self.patterns, pattern)
            && !re.is_match(s)
        {
            let message = format!("`{s}` does not match the pattern `{pattern}`");
            self.invalid(node.span, path, message);
        }
        if let Some(format) = schema.get("format").and_then(Node::as_str)
            && let Some(ok) = formatted(format, s)
            && !ok
        {
            let message = format!("`{s}` is not a valid `{format}`");
            self.invalid(node.span, path, message);
        }
    }

    /// `allOf`: every branch must accept the value; `anyOf`: at least one;
    /// `oneOf`: exactly one. Branches are walked on their own (in a structural
    /// schema they only add value checks, never keys, so unknown keys they would
    /// see are not theirs to report).
    pub(super) fn combinators(&mut self, schema: &Node, node: &Node, path: &str, depth: usize) {
        let branches = |key: &str| schema.get(key).and_then(Node::as_sequence);
        if let Some(all) = branches("allOf") {
            for branch in all {
                let found = self.branch(branch, node, path, depth);
                self.out.invalid.extend(found.invalid);
                self.out.missing.extend(found.missing);
            }
        }
        for (key, exactly_one) in [("anyOf", false), ("oneOf", true)] {
            let Some(list) = branches(key).filter(|l| !l.is_empty()) else {
                continue;
            };
            let mut first_failure = None;
            let mut accepted = 0;
            for branch in list {
                let found = self.branch(branch, node, path, depth);
                match found.invalid.into_iter().chain(found.missing).next() {
                    None => accepted += 1,
                    Some((_, message)) => {
                        first_failure.get_or_insert(message);
                    }
                }
            }
            let at = if path.is_empty() {
                "the object"
            } else {
                "the value"
            };
            if accepted == 0 {
                let why = first_failure
                    .as_deref()
                    .map(|m| m.strip_prefix(&format!("{}: ", self.who)).unwrap_or(m))
                    .map(|m| m.strip_prefix(&format!("{path}: ")).unwrap_or(m))
                    .unwrap_or_default();
                let message = format!(
                    "{} of `{key}` accepts {at} (the first says: {why})",
                    match list.len() {
                        1 => "the schema".to_string(),
                        2 => "neither of the 2 schemas".to_string(),
                        n => format!("none of the {n} schemas"),
                    }
                );
                self.invalid(node.span, path, message);
            } else if exactly_one && accepted > 1 {
                let message = format!(
                    "{accepted} of the {} schemas of `oneOf` accept {at}; exactly one must",
                    list.len()
                );
                self.invalid(node.span, path, message);
            }
        }
    }

    fn branch(&mut self, schema: &Node, node: &Node, path: &str, depth: usize) -> Findings {
        let mut found = Findings::default();
        let mut walk = Walk {
            who: self.who.clone(),
            patterns: std::mem::take(&mut self.patterns),
            anchor: self.anchor,
            status_dropped: self.status_dropped,
            out: &mut found,
        };
        walk.value(schema, node, path, depth + 1);
        self.patterns = std::mem::take(&mut walk.patterns);
        found
    }
}

/// The pattern compiled once per walk; `None` when the engine cannot compile it
/// (lookaround, backreferences), and then the pattern is not judged.
fn compiled<'a>(cache: &'a mut HashMap<String, Option<Regex>>, pattern: &str) -> Option<&'a Regex> {
    cache
        .entry(pattern.to_string())
        .or_insert_with(|| Regex::new(pattern).ok())
        .as_ref()
}

/// Whether `s` has the form of a `format` kube-apiserver checks; `None` for a
/// format this walk does not check (`int32`, `byte`, `uri`, `email`...).
fn formatted(format: &str, s: &str) -> Option<bool> {
    Some(match format {
        "date-time" | "datetime" => date_time(s),
        "date" => date(s).is_some_and(str::is_empty),
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        "uuid" => uuid(s),
        _ => return None,
    })
}

/// `n` ASCII digits at the start of `s`, as a number, and the rest.
fn digits(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}

/// A full date (`2024-02-29`); the rest of `s` after it.
fn date(s: &str) -> Option<&str> {
    let (_, rest) = digits(s, 4)?;
    let (month, rest) = digits(rest.strip_prefix('-')?, 2)?;
    let (day, rest) = digits(rest.strip_prefix('-')?, 2)?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(rest)
}

/// The date-times Kubernetes' `strfmt` reads: RFC 3339 and the ISO 8601 forms it
/// also takes (seconds or zone left out, a space for the `T`).
fn date_time(s: &str) -> bool {
    let Some(rest) = date(s) else { return false };
    let Some(rest) = rest.strip_prefix(['T', 't', ' ']).filter(|r| !r.is_empty()) else {
        return false;
    };
    let Some((hour, rest)) = digits(rest, 2) else {
        return false;
    };
    let Some((minute, mut rest)) = rest.strip_prefix(':').and_then(|r| digits(r, 2)) else {
        return false;
    };
    if let Some((second, r)) = rest.strip_prefix(':').and_then(|r| digits(r, 2)) {
        if second > 60 {
            return false;
        }
        rest = r;
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            rest = &frac[n..];
        }
    }
    if hour > 23 || minute > 59 {
        return false;
    }
    match rest {
        "" | "Z" | "z" => true,
        zone => {
            let Some(z) = zone.strip_prefix(['+', '-']) else {
                return false;
            };
            let z = z.replace(':', "");
            z.len() == 4 && z.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(formatted("date-time", "2024-02-29T10:15:00Z"), Some(true));
        assert_eq!(
            formatted("date-time", "2024-02-29T10:15:00.123+02:00"),
            Some(true)
        );
        assert_eq!(formatted("date-time", "2024-02-29 10:15"), Some(true));
        assert_eq!(formatted("date-time", "2024-13-01T00:00:00Z"), Some(false));
        assert_eq!(formatted("date-time", "yesterday"), Some(false));
        assert_eq!(formatted("date-time", "2024-02-29"), Some(false));
        assert_eq!(formatted("date", "2024-02-29"), Some(true));
        assert_eq!(formatted("date", "2024-02-29T00:00:00Z"), Some(false));
        assert_eq!(formatted("ipv4", "10.0.0.1"), Some(true));
        assert_eq!(formatted("ipv4", "10.0.0.256"), Some(false));
        assert_eq!(formatted("ipv6", "fe80::1"), Some(true));
        assert_eq!(
            formatted("uuid", "123e4567-e89b-12d3-a456-426614174000"),
            Some(true)
        );
        assert_eq!(formatted("uuid", "123e4567"), Some(false));
        assert_eq!(formatted("int32", "12"), None);
    }

    #[test]
    fn patterns_that_do_not_compile_are_not_judged() {
        let mut cache = HashMap::new();
        assert!(compiled(&mut cache, "^(?!kube-).*$").is_none());
        let re = compiled(&mut cache, "^[a-z]+$").map(|r| r.is_match("abc"));
        assert_eq!(re, Some(true));
    }
}
