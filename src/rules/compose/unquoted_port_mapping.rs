//! `correctness/unquoted-port-mapping`: a port mapping written as a plain scalar
//! that YAML 1.1 readers take for a base-60 number.

use crate::diagnostic::Tier;
use crate::diagnostic::{Applicability, Example, Family, Peer, RuleMeta, Severity};
use crate::formats::compose::model::PortEntry;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnquotedPortMapping;

static META: RuleMeta = RuleMeta {
    name: "unquoted-port-mapping",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::OptIn(
        "only YAML 1.1 readers (docker-compose v1, tools built on PyYAML) misread it; Compose v2 reads YAML 1.2, where it is text",
    ),
    peers: &[Peer::Dclint("require-quotes-in-ports")],
    formats: &[Format::Compose],
    summary: "an unquoted port mapping reads as a base-60 number in YAML 1.1",
    what: "Reports a short-syntax `ports` entry written without quotes whose text is digits separated by colons, every part after the first below 60 (`22:22`, `53:53`, `2:30:45`): YAML 1.1 reads such a plain scalar as a sexagesimal integer. Quoted entries, and entries with a part of 60 or more (`8080:80`), read as text everywhere and are not reported. The finding points at the entry; the fix quotes it.",
    why: "docker-compose v1 and other YAML 1.1 readers (PyYAML, Ansible) read `22:22` as the number 1342 (22 × 60 + 22) and publish container port 1342 on a random host port, or refuse the file, with no hint that quoting is the cure.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  git:
    image: gitea/gitea:1.22
    ports:
      - 22:22
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  git:
    image: gitea/gitea:1.22
    ports:
      - "22:22"
      - 3000:3000
"#,
    },
};

/// A YAML 1.1 base-60 integer: `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`.
fn is_sexagesimal(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let mut parts = t.split(':');
    let Some(first) = parts.next() else {
        return false;
    };
    let first_ok = first.starts_with(|c: char| ('1'..='9').contains(&c))
        && first.chars().all(|c| c.is_ascii_digit() || c == '_');
    let mut rest = 0;
    for p in parts {
        rest += 1;
        let ok = match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    first_ok && rest > 0
}

impl Rule for UnquotedPortMapping {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(c) = f.compose() else { continue };
            for s in &c.services {
                for p in &s.ports {
                    let PortEntry::Short(v) = p else { continue };
                    let start = v.span.start as usize;
                    let plain = v.origin == Some(v.span.start)
                        && !matches!(f.text.as_bytes().get(start), Some(b'"' | b'\''));
                    if !plain || !is_sexagesimal(&v.text) {
                        continue;
                    }
                    let d = cx.report(
                        f.id,
                        v.span,
                        format!(
                            "service \"{}\" maps port `{}` unquoted: YAML 1.1 readers take it for a base-60 number",
                            s.name.value, v.text
                        ),
                    );
                    d.help = Some(format!("quote it: `\"{}\"`", v.text));
                    d.fix_with(
                        "Quote the port mapping",
                        Applicability::Safe,
                        [(v.span, format!("\"{}\"", v.text))],
                    );
                }
            }
        }
    }

    fn fix(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }
}

#[cfg(test)]
mod tests {
    use super::is_sexagesimal;

    #[test]
    fn base_60_integers_as_yaml_1_1_reads_them() {
        for t in ["22:22", "53:53", "1:2", "2:30:45", "21:05", "+9:59"] {
            assert!(is_sexagesimal(t), "{t}");
        }
        for t in ["8080:80", "80:60", "0:22", "22", "127.0.0.1:22:22", "22:22/udp", "22:", "22:123", "a:22"] {
            assert!(!is_sexagesimal(t), "{t}");
        }
    }
}
