//! `security/secret-in-env`: a password, token or key written literally in the
//! environment of a container. The value is never printed.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::model::secret_name::secret_name;
use crate::model::{DeploymentModel, EnvVar, Workload};
use crate::project::SpecFile;
use crate::source::{Format, Located};

pub(crate) struct SecretInEnv;

static META: RuleMeta = RuleMeta {
    name: "secret-in-env",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("env-var-secret"),
        Peer::ComposeLint("CL-0020"),
        Peer::ComposeLint("CL-0021"),
    ],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Marathon,
        Format::Flocker,
        Format::Brooklyn,
        Format::Procfile,
    ],
    summary: "a secret is written literally in a container's environment",
    what: "Reports an environment variable whose name says it holds a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE_KEY*`, `*ACCESS_KEY*`, `*CREDENTIALS*`) and whose value is written in the spec (weak values such as `password` or `changeme` included), or as the default of a Compose `${VAR:-default}`; any value that has the shape of a well-known credential (cloud access keys, private key blocks, service tokens); and any URL with a literal password in it (`postgres://user:password@host`). References are fine: Compose `${VAR}` interpolation, Kubernetes `valueFrom`, Marathon secret references, `*_FILE` variables and paths under `/run/secrets/` that point at a mounted secret. The value is masked in every output.",
    why: "Specs are committed, copied into CI logs, and readable by everyone with access to the repository or the cluster API; a secret there is a secret shared with all of them and it cannot be rotated without a commit.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: hunter2
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
secrets:
  db_password:
    file: ./db_password.txt
"#,
    },
};

/// Values that are flags or placeholders rather than secrets.
fn trivial_value(v: &str) -> bool {
    const WORDS: [&str; 13] = [
        "yes",
        "no",
        "true",
        "false",
        "null",
        "none",
        "xxx",
        "xxxx",
        "redacted",
        "invalid",
        "unset",
        "disabled",
        "<password>",
    ];
    let t = v.trim();
    t.len() < 3
        || WORDS.iter().any(|w| t.eq_ignore_ascii_case(w))
        // A path to a mounted secret file is a reference, not the secret.
        || t.starts_with("/run/secrets/")
        || t.starts_with("/var/run/secrets/")
}

/// Whether a variable's name holds one of the words every name `secret_name`
/// accepts holds (any case): most names hold none, and this check allocates
/// nothing.
fn may_name_a_secret(name: &str) -> bool {
    const WORDS: [&[u8]; 6] = [b"PASS", b"PWD", b"SECRET", b"TOKEN", b"KEY", b"CREDENTIAL"];
    let name = name.as_bytes();
    WORDS.iter().any(|w| {
        name.windows(w.len())
            .any(|window| window.eq_ignore_ascii_case(w))
    })
}

/// The literal default of a value that is only `${NAME:-default}` or
/// `${NAME-default}` (Compose interpolation): what the container gets when the
/// variable is not set. `None` for any other shape, or a default that interpolates.
fn interpolation_default(raw: &str) -> Option<&str> {
    let t = raw.trim().trim_matches(|c| c == '"' || c == '\'');
    let inner = t.strip_prefix("${")?.strip_suffix('}')?;
    let at = inner.find('-')?;
    let name = inner[..at].strip_suffix(':').unwrap_or(&inner[..at]);
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let default = &inner[at + 1..];
    (!default.contains(['$', '{', '}'])).then_some(default)
}

/// The byte range of a password written in a URL's user information
/// (`postgres://user:password@host`), when it is a literal (no `$`, not a
/// placeholder).
fn url_password(v: &str) -> Option<std::ops::Range<usize>> {
    let scheme_end = v.find("://")?;
    let scheme = &v[..scheme_end];
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return None;
    }
    let rest_at = scheme_end + 3;
    let rest = &v[rest_at..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    if password.is_empty() || password.contains(['$', '{', '<']) || trivial_value(password) {
        return None;
    }
    let start = rest_at + colon + 1;
    Some(start..start + password.len())
}

/// Whether a value has the shape of a well-known credential.
pub(crate) fn credential_shape(v: &str) -> bool {
    let t = v.trim();
    let alnum_upper = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    (t.len() == 20 && (t.starts_with("AKIA") || t.starts_with("ASIA")) && alnum_upper(t))
        || t.contains("-----BEGIN") && t.contains("PRIVATE KEY")
        || [
            "ghp_",
            "gho_",
            "ghs_",
            "github_pat_",
            "glpat-",
            "xoxb-",
            "xoxp-",
            "sk_live_",
            "AIza",
        ]
        .iter()
        .any(|p| t.starts_with(p) && t.len() >= 20)
}

/// Each environment variable of the model whose value is a literal secret, with
/// the workload, the value and what kind of secret it is. The scan masks these values in every excerpt it
/// prints, whichever rule's finding shows them.
pub(crate) fn literal_secrets<'m>(
    model: &'m DeploymentModel,
    files: &[SpecFile],
) -> Vec<(&'m Workload, &'m EnvVar, &'m Located<String>, &'static str)> {
    let mut out = Vec::new();
    for w in &model.workloads {
        for c in &w.containers {
            for var in &c.env {
                let Some(value) = &var.value else { continue };
                let Some(file) = files.get(value.loc.file.0 as usize) else {
                    continue;
                };
                let raw = file
                    .text
                    .get(value.loc.span.start as usize..value.loc.span.end as usize)
                    .unwrap_or("");
                // Templated values are references.
                if raw.contains("{{") || value.value.contains("{{") {
                    continue;
                }
                let named = may_name_a_secret(&var.name.value) && secret_name(&var.name.value);
                let what = if raw.contains('$') {
                    // A reference (`${DB_PASSWORD}`); its literal default is what
                    // runs when the variable is unset.
                    match interpolation_default(raw) {
                        Some(d) if named && !trivial_value(d) => "a literal default secret",
                        _ => continue,
                    }
                } else if (named && !trivial_value(&value.value)) || credential_shape(&value.value) {
                    "a literal secret"
                } else if url_password(&value.value).is_some() {
                    "a URL with a literal password"
                } else {
                    continue;
                };
                out.push((w, var, value, what));
            }
        }
    }
    out
}

impl Rule for SecretInEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for (w, var, value, what) in literal_secrets(cx.model, cx.files) {
            let redact = value.loc.span;
            let d = cx.report_at(
                var.name.loc,
                format!(
                    "environment variable \"{}\" of {} holds {what} (value masked)",
                    var.name.value,
                    w.describe()
                ),
            );
            d.redact.push(redact);
            d.help = Some(match w.format {
                Format::Compose => "read it from a secret (`secrets:` and a `*_FILE` variable) or from the environment (`${VAR}` with a git-ignored .env)".into(),
                Format::Kubernetes => "store it in a Secret and use `valueFrom.secretKeyRef`".into(),
                Format::Marathon => "store it in the secret store and reference it (`{\"secret\": \"name\"}`)".into(),
                Format::Procfile => "set it as a config var on the platform (`heroku config:set`, `dokku config:set`) and keep only its description in app.json, with `\"generator\": \"secret\"` or `\"required\": true`".into(),
                Format::Flocker | Format::Brooklyn | Format::Helm => "keep it out of the spec: pass it from a secret store or the deployment environment".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_check_lets_every_secret_name_through() {
        for n in [
            "POSTGRES_PASSWORD",
            "db-password",
            "db_passwd",
            "API_KEY",
            "apiKey",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "client_secret",
            "REDIS_PASS",
            "ftp_pwd",
            "GOOGLE_CREDENTIALS",
            "private.key",
        ] {
            assert!(secret_name(n), "{n}");
            assert!(may_name_a_secret(n), "{n}");
        }
        // The word check passes names that are no secrets; `secret_name` decides.
        assert!(may_name_a_secret("PASSWORD_FILE") && !secret_name("PASSWORD_FILE"));
        for n in ["DB_USER", "PORT", "NODE_ENV", "TZ", "LANG", "PGDATA"] {
            assert!(!may_name_a_secret(n), "{n}");
            assert!(!secret_name(n), "{n}");
        }
        for v in ["YES", "None", "<PASSWORD>", "Disabled"] {
            assert!(trivial_value(v), "{v}");
        }
    }

    #[test]
    fn values() {
        for v in ["password", "changeme", "secret", "hunter2"] {
            assert!(!trivial_value(v), "{v}");
        }
        for v in [
            "/run/secrets/db-password",
            "/var/run/secrets/token",
            "true",
            "<password>",
            "invalid",
        ] {
            assert!(trivial_value(v), "{v}");
        }
        assert_eq!(interpolation_default("${DB_PASSWORD:-s3cr3t}"), Some("s3cr3t"));
        assert_eq!(interpolation_default("\"${DB_PASSWORD-s3cr3t}\""), Some("s3cr3t"));
        assert_eq!(interpolation_default("${DB_PASSWORD}"), None);
        assert_eq!(interpolation_default("${DB_PASSWORD:?required}"), None);
        assert_eq!(interpolation_default("${A:-${B}}"), None);
        assert_eq!(interpolation_default("x${A:-b}"), None);
        let url = "postgres://app:s3cr3t@db:5432/app";
        assert_eq!(url_password(url).map(|r| &url[r]), Some("s3cr3t"));
        for v in [
            "postgres://app@db/app",
            "postgres://app:${PW}@db/app",
            "https://example.com/a:b@c",
            "redis://:@cache",
            "http://user:<password>@host",
            "not a url",
        ] {
            assert_eq!(url_password(v), None, "{v}");
        }
    }

    #[test]
    fn shapes() {
        assert!(credential_shape("AKIAIOSFODNN7EXAMPLE"));
        assert!(!credential_shape("nginx"));
    }
}
