//! Variable interpolation as Compose does it (`12-interpolation.md`): `$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`,
//! `${VAR+alt}`, nesting inside the default, and `$$` for a literal `$`.
//!
//! Variables come from the project's `.env` file only (the linter does not read the
//! shell environment). An unset variable without a default becomes the empty string,
//! as Compose does after its warning; `:?`/`?` do not stop anything here.

use std::collections::BTreeMap;
use std::path::Path;

/// Variables of one project (from its `.env` file).
#[derive(Clone, Debug, Default)]
pub(crate) struct Env {
    vars: BTreeMap<String, String>,
}

/// The result of interpolating one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Interpolated {
    pub(crate) value: String,
    /// Some variable's value came from outside the spec (the `.env` file).
    pub(crate) external: bool,
    /// Some variable was unset and had no default, so it became empty.
    pub(crate) unset: bool,
}

impl Interpolated {
    /// True when the whole value is text written in the spec itself (literal text,
    /// defaults and alternatives), with no value from the environment.
    pub(crate) fn is_literal(&self) -> bool {
        !self.external && !self.unset
    }
}

/// Whether `path` is no symbolic link, or one whose target lies inside the git
/// repository holding `dir` (inside `dir` when there is none).
fn link_stays_inside(path: &Path, dir: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return true;
    }
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return false;
    };
    let Ok(target) = std::fs::canonicalize(path) else {
        return false;
    };
    let boundary = dir
        .ancestors()
        .find(|a| a.join(".git").exists())
        .unwrap_or(&dir);
    target.starts_with(boundary)
}

impl Env {
    #[cfg(test)]
    pub(crate) fn new() -> Self {
        Env::default()
    }

    pub(crate) fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }

    /// No variable at all: the project has no `.env` file (or an empty one).
    pub(crate) fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Reads the `.env` file of a directory; a missing or unreadable file gives an
    /// empty environment, and so does a symbolic link that leads out of the
    /// repository (or, outside any repository, out of the directory): the scan
    /// follows no link out of the tree it was given, and a `.env` can hold secrets.
    pub(crate) fn load_dir(dir: &Path) -> Env {
        let path = dir.join(".env");
        // Most projects have no `.env`: one failed `lstat` says so.
        if std::fs::symlink_metadata(&path).is_err() || !link_stays_inside(&path, dir) {
            return Env::default();
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Env::parse(&text),
            Err(_) => Env::default(),
        }
    }

    /// Parses a dotenv text: `KEY=VALUE` lines, `#` comments, an optional `export `
    /// prefix, single quotes (literal), double quotes (escapes and interpolation) and
    /// unquoted values (trailing ` #` comment dropped, interpolated).
    pub fn parse(text: &str) -> Env {
        let mut env = Env::default();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let line = line.trim_start_matches('\u{feff}').trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line
                .strip_prefix("export ")
                .map(str::trim_start)
                .unwrap_or(line);
            let Some((key, rest)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim();
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
            {
                continue;
            }
            let rest = rest.trim_start();
            let value = if let Some(body) = rest.strip_prefix('\'') {
                match body.find('\'') {
                    Some(end) => body[..end].to_string(),
                    None => read_multiline(body, '\'', &mut lines),
                }
            } else if let Some(body) = rest.strip_prefix('"') {
                let raw = match closing_double_quote(body) {
                    Some(end) => body[..end].to_string(),
                    None => read_multiline(body, '"', &mut lines),
                };
                let unescaped = unescape_double(&raw);
                interpolate(&unescaped, &env).value
            } else {
                let value = match rest.find(" #") {
                    Some(i) => &rest[..i],
                    None => rest,
                };
                interpolate(value.trim_end(), &env).value
            };
            env.set(key, &value);
        }
        env
    }
}

/// A quoted value that goes on over several lines, up to the closing quote.
fn read_multiline<'a>(
    first: &str,
    quote: char,
    lines: &mut impl Iterator<Item = &'a str>,
) -> String {
    let mut value = first.to_string();
    for line in lines.by_ref() {
        value.push('\n');
        let end = if quote == '"' {
            closing_double_quote(line)
        } else {
            line.find(quote)
        };
        match end {
            Some(end) => {
                value.push_str(&line[..end]);
                return value;
            }
            None => value.push_str(line),
        }
    }
    value
}

fn closing_double_quote(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The first `${NAME:?message}` or `${NAME?message}` of `s` (outside `$$`) whose
/// variable `env` leaves unset (or, for `:?`, empty): Compose stops with "required
/// variable NAME is missing a value". Returns the name and the `${...}` as written.
pub(crate) fn required_unset<'s>(s: &'s str, env: &Env) -> Option<(&'s str, &'s str)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(rel) = s[i..].find('$') {
        i += rel;
        match bytes.get(i + 1) {
            Some(b'$') => i += 2,
            Some(b'{') => {
                let end = braced_end(s, i + 2)?;
                let body = &s[i + 2..end];
                let name = &body[..name_len(body)];
                let rest = &body[name.len()..];
                let missing = if rest.starts_with(":?") {
                    env.get(name).is_none_or(str::is_empty)
                } else if rest.starts_with('?') {
                    env.get(name).is_none()
                } else {
                    false
                };
                if !name.is_empty() && missing {
                    return Some((name, &s[i..=end]));
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// Interpolates one value.
pub(crate) fn interpolate(s: &str, env: &Env) -> Interpolated {
    let mut out = Interpolated {
        value: String::with_capacity(s.len()),
        external: false,
        unset: false,
    };
    expand(s, env, &mut out, 0);
    out
}

/// Deepest nesting of `${A:-${B:-...}}` followed.
const MAX_NESTING: usize = 16;

fn expand(s: &str, env: &Env, out: &mut Interpolated, depth: usize) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let Some(rel) = s[i..].find('$') else {
            out.value.push_str(&s[i..]);
            break;
        };
        out.value.push_str(&s[i..i + rel]);
        i += rel;
        match bytes.get(i + 1) {
            Some(b'$') => {
                out.value.push('$');
                i += 2;
            }
            Some(b'{') => match braced_end(s, i + 2) {
                Some(end) if depth < MAX_NESTING => {
                    substitute(&s[i + 2..end], env, out, depth);
                    i = end + 1;
                }
                _ => {
                    // Unterminated or too deep: kept as written.
                    out.value.push_str(&s[i..]);
                    break;
                }
            },
            Some(&c) if c == b'_' || c.is_ascii_alphabetic() => {
                let len = name_len(&s[i + 1..]);
                let name = &s[i + 1..i + 1 + len];
                lookup(name, env, out);
                i += 1 + len;
            }
            _ => {
                out.value.push('$');
                i += 1;
            }
        }
    }
}

fn name_len(s: &str) -> usize {
    s.bytes()
        .take_while(|b| *b == b'_' || b.is_ascii_alphanumeric())
        .count()
}

/// The index of the `}` closing a `${` whose body starts at `start`.
fn braced_end(s: &str, start: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
                continue;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn lookup(name: &str, env: &Env, out: &mut Interpolated) {
    match env.get(name) {
        Some(v) => {
            out.value.push_str(v);
            out.external = true;
        }
        None => out.unset = true,
    }
}

/// One `${...}` body: a name, optionally followed by an operator and a word.
fn substitute(body: &str, env: &Env, out: &mut Interpolated, depth: usize) {
    let len = name_len(body);
    let (name, rest) = body.split_at(len);
    if name.is_empty() {
        // `${}` or `${1}`: not a variable; Compose rejects it, we keep the text.
        out.value.push_str("${");
        out.value.push_str(body);
        out.value.push('}');
        return;
    }
    let value = env.get(name);
    let set = value.is_some();
    let non_empty = value.is_some_and(|v| !v.is_empty());
    let (op, word) = if let Some(w) = rest.strip_prefix(":-") {
        (":-", w)
    } else if let Some(w) = rest.strip_prefix(":?") {
        (":?", w)
    } else if let Some(w) = rest.strip_prefix(":+") {
        (":+", w)
    } else if let Some(w) = rest.strip_prefix('-') {
        ("-", w)
    } else if let Some(w) = rest.strip_prefix('?') {
        ("?", w)
    } else if let Some(w) = rest.strip_prefix('+') {
        ("+", w)
    } else {
        ("", rest)
    };
    match op {
        ":-" | "-" => {
            let use_value = if op == ":-" { non_empty } else { set };
            if use_value {
                lookup(name, env, out);
            } else {
                expand(word, env, out, depth + 1);
            }
        }
        ":+" | "+" => {
            let use_word = if op == ":+" { non_empty } else { set };
            if use_word {
                expand(word, env, out, depth + 1);
            }
        }
        // `:?` and `?` stop Compose with the message when unset; here the
        // variable is looked up (empty when unset).
        _ => lookup(name, env, out),
    }
}

/// The first `${...}` of a value that Compose refuses ("invalid interpolation
/// format"): a `${` not followed by a variable name and then `}` or one of the
/// operators (`:-`, `-`, `:?`, `?`, `:+`, `+`) with a `}` after it. Returns the
/// offending text from its `${` (cut at the closing brace when there is one).
/// `$$` is an escaped `$`; a `$` followed by anything else is kept as written,
/// as Compose does. What a valid `${...}` holds is not looked into.
pub(crate) fn invalid_braced(s: &str) -> Option<&str> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'$') => i += 2,
            Some(b'{') => {
                let body = &s[i + 2..];
                let len = match body.as_bytes().first() {
                    Some(c) if *c == b'_' || c.is_ascii_alphabetic() => name_len(body),
                    _ => 0,
                };
                let rest = &body[len..];
                let op = rest.strip_prefix(':').unwrap_or(rest);
                let valid = len > 0
                    && (rest.starts_with('}')
                        || (op.starts_with(['-', '+', '?']) && op.contains('}')));
                if !valid {
                    let end = body.find('}').map_or(s.len(), |e| i + 2 + e + 1);
                    return Some(&s[i..end]);
                }
                // Skip the whole substitution, nested ones included.
                i = braced_end(s, i + 2).map_or(s.len(), |e| e + 1);
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {

    #[test]
    fn required_variables_left_unset() {
        let env = Env::parse("DOMAIN=example.com\nEMPTY=\n");
        assert_eq!(required_unset("a.${DOMAIN:?set it}", &env), None);
        assert_eq!(
            required_unset("${USER?who} at ${DOMAIN}", &env),
            Some(("USER", "${USER?who}"))
        );
        // `:?` refuses an empty value too, `?` only an unset one.
        assert_eq!(
            required_unset("${EMPTY:?needed}", &env),
            Some(("EMPTY", "${EMPTY:?needed}"))
        );
        assert_eq!(required_unset("${EMPTY?needed}", &env), None);
        assert_eq!(required_unset("$${USER?no} ${OTHER:-x}", &env), None);
    }
    use super::*;

    fn env() -> Env {
        let mut e = Env::new();
        e.set("TAG", "1.27");
        e.set("EMPTY", "");
        e
    }

    fn i(s: &str) -> String {
        interpolate(s, &env()).value
    }

    #[test]
    fn forms() {
        assert_eq!(i("nginx:${TAG}"), "nginx:1.27");
        assert_eq!(i("nginx:$TAG"), "nginx:1.27");
        assert_eq!(i("${MISSING:-x}"), "x");
        assert_eq!(i("${EMPTY:-x}"), "x");
        assert_eq!(i("${EMPTY-x}"), "");
        assert_eq!(i("${MISSING-x}"), "x");
        assert_eq!(i("${TAG:?must be set}"), "1.27");
        assert_eq!(i("${MISSING?err}"), "");
        assert_eq!(i("${TAG:+alt}"), "alt");
        assert_eq!(i("${EMPTY:+alt}"), "");
        assert_eq!(i("${EMPTY+alt}"), "alt");
        assert_eq!(i("${MISSING+alt}"), "");
        assert_eq!(i("$$TAG and $$"), "$TAG and $");
        assert_eq!(i("${A:-${B:-inner}}"), "inner");
        assert_eq!(i("${IP:-fd4d::/64}"), "fd4d::/64");
        assert_eq!(i("cost: 5$"), "cost: 5$");
        assert_eq!(i("${UNTERMINATED"), "${UNTERMINATED");
    }

    #[test]
    fn invalid_templates() {
        for ok in [
            "${A}",
            "$A and $$B",
            "${a_1:-x}",
            "${A-}",
            "${A:?must be set}",
            "${A:+${B}}",
            "cost: 5$",
            "$1 $",
            "$${not checked",
            "${A:-{\"json\": 1}}",
        ] {
            assert_eq!(invalid_braced(ok), None, "{ok}");
        }
        assert_eq!(invalid_braced("x ${1} y"), Some("${1}"));
        assert_eq!(invalid_braced("${}"), Some("${}"));
        assert_eq!(invalid_braced("${A//x/y}"), Some("${A//x/y}"));
        assert_eq!(invalid_braced("${#A}"), Some("${#A}"));
        assert_eq!(invalid_braced("${A:0:3}"), Some("${A:0:3}"));
        assert_eq!(invalid_braced("${ A }"), Some("${ A }"));
        assert_eq!(invalid_braced("${A"), Some("${A"));
        assert_eq!(invalid_braced("${A:-x"), Some("${A:-x"));
    }

    #[test]
    fn literal_tracking() {
        assert!(interpolate("${X:-admin}", &env()).is_literal());
        assert!(!interpolate("${TAG}", &env()).is_literal());
        let unset = interpolate("${NOPE}", &env());
        assert!(unset.unset && unset.value.is_empty());
    }

    #[test]
    #[cfg(unix)]
    fn dotenv_links_are_followed_only_inside_the_repository() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let outside = tmp.path().join("outside");
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
        std::fs::create_dir_all(repo.join("app")).expect("mkdir");
        std::fs::create_dir_all(repo.join("api")).expect("mkdir");
        std::fs::write(outside.join(".env"), "TOKEN=from-outside\n").expect("write");
        std::fs::write(repo.join(".env"), "TOKEN=from-repo\n").expect("write");
        std::os::unix::fs::symlink("../../outside/.env", repo.join("app/.env")).expect("link");
        std::os::unix::fs::symlink("../.env", repo.join("api/.env")).expect("link");
        assert!(Env::load_dir(&repo.join("app")).is_empty());
        assert_eq!(
            Env::load_dir(&repo.join("api")).get("TOKEN"),
            Some("from-repo")
        );
        assert_eq!(Env::load_dir(&repo).get("TOKEN"), Some("from-repo"));
    }

    #[test]
    fn dotenv() {
        let e = Env::parse(
            "# comment\nexport A=1\nB = 'single ${A}'\nC=\"double ${A}\\n\"\nD=plain # note\nE=${A}2\n\nF\nG=\"two\nlines\"\n",
        );
        assert_eq!(e.get("A"), Some("1"));
        assert_eq!(e.get("B"), Some("single ${A}"));
        assert_eq!(e.get("C"), Some("double 1\n"));
        assert_eq!(e.get("D"), Some("plain"));
        assert_eq!(e.get("E"), Some("12"));
        assert_eq!(e.get("F"), None);
        assert_eq!(e.get("G"), Some("two\nlines"));
    }
}
