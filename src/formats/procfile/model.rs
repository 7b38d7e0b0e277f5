//! The typed model of a Heroku-style app: the `Procfile` (read by a line parser
//! that keeps spans: it is not YAML) and the `app.json` manifest (read from the
//! span-keeping tree).
//!
//! Procfile grammar (Heroku's Dev Center "Procfile" article; Dokku's
//! `procfile-util` documents the strictest form): one `<process type>: <command>`
//! per line; blank lines and lines starting with `#` or `//` are comments; a
//! trailing comment needs whitespace before its `#` or `//`; a process type is
//! `[A-Za-z0-9_-]+`.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::builtin::INVALID_SYNTAX;
use crate::formats::util::Findings;
use crate::source::FileId;
use crate::source::{Span, Spanned};
use crate::yaml::{Node, Value};

/// A file of a Heroku-style app.
#[derive(Debug)]
pub enum ProcfileFile {
    Procfile(Procfile),
    Manifest(AppJson),
}

/// The process types of a `Procfile`, in file order (duplicates kept: a rule
/// reports them).
#[derive(Debug, Default)]
pub struct Procfile {
    pub(crate) entries: Vec<ProcessEntry>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) struct ProcessEntry {
    /// The process type (`web`).
    pub(crate) name: Spanned<String>,
    /// The command, without a trailing comment.
    pub(crate) command: Spanned<String>,
    /// The whole line.
    pub(crate) line: Span,
}

/// True for the characters a process type may hold.
pub(crate) fn is_type_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Parses a Procfile; lines that are not `<type>: <command>` are
/// `syntax/invalid-syntax` findings, and the other lines still count.
pub(crate) fn parse_procfile(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Procfile {
    let mut out = Procfile::default();
    let mut offset = 0usize;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') || body.starts_with("//") {
            continue;
        }
        let lead = line.len() - body.len();
        let line_span = Span::new(start + lead, start + line.len());
        let type_len = body.find(|c: char| !is_type_char(c)).unwrap_or(body.len());
        let rest = &body[type_len..];
        let Some(after_colon) = rest.strip_prefix(':').filter(|_| type_len > 0) else {
            let message = if type_len > 0
                && !rest.starts_with(char::is_whitespace)
                && !rest.is_empty()
            {
                format!(
                    "invalid Procfile line: a process type holds only letters, digits, `_` and `-`, found `{}`",
                    rest.chars().next().unwrap_or(' ')
                )
            } else {
                "invalid Procfile line: expected `<process type>: <command>`".to_string()
            };
            diags.push(
                Diagnostic::new(&INVALID_SYNTAX, file, line_span, message).with_help(
                    "each line is `<process type>: <command>`, a comment starting with `#` or `//`, or blank",
                ),
            );
            continue;
        };
        let name = Spanned::new(
            body[..type_len].to_string(),
            Span::new(start + lead, start + lead + type_len),
        );
        let cmd_start =
            start + lead + type_len + 1 + (after_colon.len() - after_colon.trim_start().len());
        let command = strip_trailing_comment(after_colon.trim_start()).trim_end();
        if command.is_empty() {
            diags.push(Diagnostic::new(
                &INVALID_SYNTAX,
                file,
                line_span,
                format!(
                    "invalid Procfile line: process type `{}` has no command",
                    name.value
                ),
            ));
            continue;
        }
        out.entries.push(ProcessEntry {
            name,
            command: Spanned::new(
                command.to_string(),
                Span::new(cmd_start, cmd_start + command.len()),
            ),
            line: line_span,
        });
    }
    out
}

/// The command without a trailing comment: `#` or `//` preceded by whitespace.
fn strip_trailing_comment(cmd: &str) -> &str {
    let bytes = cmd.as_bytes();
    for (i, w) in bytes.windows(2).enumerate() {
        if w[0].is_ascii_whitespace()
            && (w[1] == b'#' || (w[1] == b'/' && bytes.get(i + 2) == Some(&b'/')))
        {
            return &cmd[..i];
        }
    }
    cmd
}

/// An `app.json` manifest (Heroku's app.json schema; Dokku reads a subset and
/// adds keys of its own).
#[derive(Debug, Default)]
pub struct AppJson {
    pub(crate) name: Option<Spanned<String>>,
    /// `stack` (`heroku-24`, ...).
    pub(crate) stack: Option<Spanned<String>>,
    pub(crate) formation: Vec<Formation>,
    pub(crate) addons: Vec<Addon>,
    /// Buildpack URLs or names.
    pub(crate) buildpacks: Vec<Spanned<String>>,
    pub(crate) env: Vec<AppEnv>,
    /// Keys that only Heroku reads (`addons`, `stack`, `environments`,
    /// `success_url`, ...), with their spans.
    pub(crate) heroku_keys: Vec<Spanned<String>>,
    /// Keys that only Dokku reads (`cron`, `healthchecks`, `dokku.*` scripts,
    /// formation `autoscaling`/`max_parallel`).
    pub(crate) dokku_keys: Vec<Spanned<String>>,
}

/// `formation.<type>`: how many of a process type run, and on what size.
#[derive(Clone, Debug)]
pub(crate) struct Formation {
    pub(crate) name: Spanned<String>,
    pub(crate) quantity: Option<Spanned<u32>>,
    pub(crate) size: Option<Spanned<String>>,
}

/// An add-on: a data store or service the platform provisions for the app.
#[derive(Clone, Debug)]
pub(crate) struct Addon {
    /// `heroku-postgresql`, `heroku-redis:mini`.
    pub(crate) plan: Spanned<String>,
}

/// `env.<NAME>`: a config var with an optional default.
#[derive(Clone, Debug)]
pub(crate) struct AppEnv {
    pub(crate) name: Spanned<String>,
    /// A literal default written in the manifest (`value`, or the string itself).
    pub(crate) value: Option<Spanned<String>>,
}

/// Keys a Heroku `app.json` may hold; a file named `app.json` is a manifest when it
/// has one of the keys only such manifests use.
pub(crate) const MANIFEST_KEYS: &[&str] = &[
    "formation",
    "addons",
    "buildpacks",
    "scripts",
    "environments",
    "stack",
    "success_url",
    "cron",
    "healthchecks",
];

/// True when a parsed `app.json` document is a Heroku-style manifest (not an Expo or
/// React Native `app.json`, and not a Marathon app).
pub(crate) fn is_manifest(doc: &Node) -> bool {
    let Some(entries) = doc.as_mapping() else {
        return false;
    };
    if doc.get("id").is_some() && doc.get("cmd").is_some() {
        return false;
    }
    let has = |k: &str| entries.iter().any(|(key, _)| key.as_str() == Some(k));
    MANIFEST_KEYS.iter().any(|k| has(k))
        || (has("env") && (has("repository") || has("website") || has("keywords")))
}

const HEROKU_ONLY: &[&str] = &["addons", "stack", "environments", "success_url", "logo"];

pub(crate) fn read_manifest(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> AppJson {
    let mut f = Findings { file, diags };
    let mut out = AppJson::default();
    let Some(doc) = docs.iter().find(|d| !d.is_null()) else {
        return out;
    };
    let Some(entries) = doc.as_mapping() else {
        f.wrong(doc, "app.json", "a mapping");
        return out;
    };
    for (k, v) in entries {
        let Some(key) = k.as_str() else { continue };
        let key_span = Spanned::new(key.to_string(), k.span);
        if HEROKU_ONLY.contains(&key) {
            out.heroku_keys.push(key_span.clone());
        }
        match key {
            "name" => out.name = f.scalar(v, "name"),
            "stack" => out.stack = f.scalar(v, "stack"),
            "formation" => {
                for (name, body) in f.mapping(v, "formation") {
                    let path = format!("formation.{}", name.value);
                    let mut fm = Formation {
                        name,
                        quantity: None,
                        size: None,
                    };
                    for (k2, v2) in f.mapping(body, &path) {
                        match k2.value.as_str() {
                            "quantity" => fm.quantity = f.count(v2, &format!("{path}.quantity")),
                            "size" => fm.size = f.scalar(v2, &format!("{path}.size")),
                            "autoscaling" | "max_parallel" => out.dokku_keys.push(k2),
                            _ => {}
                        }
                    }
                    out.formation.push(fm);
                }
            }
            "addons" => {
                for (i, item) in f.sequence(v, "addons").iter().enumerate() {
                    let path = format!("addons[{i}]");
                    let plan = match &item.value {
                        Value::Mapping(_) => match item.get("plan") {
                            Some(p) => f.scalar(p, &format!("{path}.plan")),
                            None => {
                                f.wrong(item, &path, "a plan name or a mapping with `plan`");
                                None
                            }
                        },
                        _ => f.scalar(item, &path),
                    };
                    if let Some(plan) = plan {
                        out.addons.push(Addon { plan });
                    }
                }
            }
            "buildpacks" => {
                for (i, item) in f.sequence(v, "buildpacks").iter().enumerate() {
                    let path = format!("buildpacks[{i}]");
                    let url = match &item.value {
                        Value::Mapping(_) => item
                            .get("url")
                            .and_then(|u| f.scalar(u, &format!("{path}.url"))),
                        _ => f.scalar(item, &path),
                    };
                    out.buildpacks.extend(url);
                }
            }
            "env" => {
                for (name, body) in f.mapping(v, "env") {
                    let path = format!("env.{}", name.value);
                    let value = match &body.value {
                        Value::Mapping(_) => body
                            .get("value")
                            .and_then(|x| f.scalar(x, &format!("{path}.value"))),
                        Value::Scalar(_) => f.scalar(body, &path),
                        Value::Sequence(_) => {
                            f.wrong(body, &path, "a string or a mapping");
                            None
                        }
                    };
                    out.env.push(AppEnv { name, value });
                }
            }
            "scripts" => {
                for (name, _) in f.mapping(v, "scripts") {
                    if name.value.starts_with("dokku.") {
                        out.dokku_keys.push(name);
                    }
                }
            }
            "cron" | "healthchecks" => out.dokku_keys.push(key_span),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procfile_lines_keep_spans() {
        let text = "# comment\nweb: bundle exec puma -p $PORT  # trailing\n\n// other\nworker:rake jobs:work\nbad line\nclock:\n";
        let mut diags = Vec::new();
        let p = parse_procfile(FileId(0), text, &mut diags);
        let names: Vec<&str> = p.entries.iter().map(|e| e.name.value.as_str()).collect();
        assert_eq!(names, ["web", "worker"]);
        let web = &p.entries[0];
        assert_eq!(
            &text[web.name.span.start as usize..web.name.span.end as usize],
            "web"
        );
        assert_eq!(web.command.value, "bundle exec puma -p $PORT");
        assert_eq!(
            &text[web.command.span.start as usize..web.command.span.end as usize],
            "bundle exec puma -p $PORT"
        );
        assert_eq!(p.entries[1].command.value, "rake jobs:work");
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(
            diags[0].message.contains("expected"),
            "{}",
            diags[0].message
        );
        assert!(
            diags[1].message.contains("no command"),
            "{}",
            diags[1].message
        );
    }

    #[test]
    fn hash_without_space_is_part_of_the_command() {
        let mut diags = Vec::new();
        let p = parse_procfile(FileId(0), "web: echo a#b //c\r\n", &mut diags);
        assert_eq!(p.entries[0].command.value, "echo a#b");
        assert!(diags.is_empty());
    }

    #[test]
    fn manifests_are_told_from_other_app_json() {
        let doc = |t: &str| crate::yaml::parse(t).documents.remove(0);
        assert!(is_manifest(&doc(
            r#"{"name": "x", "addons": ["heroku-postgresql"]}"#
        )));
        assert!(is_manifest(&doc(
            r#"{"formation": {"web": {"quantity": 2}}}"#
        )));
        assert!(!is_manifest(&doc(r#"{"expo": {"name": "x"}}"#)));
        assert!(!is_manifest(&doc(r#"{"name": "x", "displayName": "X"}"#)));
    }
}
