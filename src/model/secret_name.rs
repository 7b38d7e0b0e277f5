//! Whether an environment variable's name says it holds a secret: the one
//! judgement `security/secret-in-env` and `migrate` (which asks for a Secret)
//! share.

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PWD",
    "PASS",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CREDENTIALS",
    "CREDENTIAL",
];
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("API", "KEY"),
    ("PRIVATE", "KEY"),
    ("ACCESS", "KEY"),
    ("SECRET", "KEY"),
    ("AUTH", "TOKEN"),
    ("CLIENT", "SECRET"),
    ("ENCRYPTION", "KEY"),
    ("SIGNING", "KEY"),
];

/// Whether a variable name says it holds a secret.
pub(crate) fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let parts: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    // Variables that point at a secret or configure one are not secrets themselves.
    const NOT_SECRET: &[&str] = &[
        "FILE",
        "PATH",
        "DIR",
        "FILES",
        "LENGTH",
        "LEN",
        "POLICY",
        "EXPIRY",
        "EXPIRATION",
        "TTL",
        "TIMEOUT",
        "ENABLED",
        "REQUIRED",
        "ALLOW",
        "EMPTY",
        "RANDOM",
        "TYPE",
        "URL",
        "URI",
        "NAME",
        "HEADER",
        "MODE",
        "METHOD",
        "ROTATION",
        "HASH",
        "HASHING",
        "ALGORITHM",
        "SCHEME",
        "MIN",
        "MAX",
        "ID",
        "PORT",
        "HOST",
        "KEYS",
    ];
    // Identifiers that merely share a word with secrets (etcd's cluster token names
    // the cluster, it does not guard it).
    const NOT_SECRET_PAIRS: &[(&str, &str)] = &[("CLUSTER", "TOKEN"), ("DISCOVERY", "TOKEN")];
    if parts.iter().any(|p| NOT_SECRET.contains(p))
        || parts
            .windows(2)
            .any(|w| NOT_SECRET_PAIRS.contains(&(w[0], w[1])))
    {
        return false;
    }
    parts.iter().any(|p| SECRET_WORDS.contains(p))
        || parts
            .windows(2)
            .any(|w| SECRET_PAIRS.contains(&(w[0], w[1])))
        || parts.iter().any(|p| {
            p.ends_with("PASSWORD")
                || p.ends_with("SECRET")
                || p.ends_with("TOKEN")
                || p.ends_with("APIKEY")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "POSTGRES_PASSWORD",
            "db-password",
            "API_KEY",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "MYSQL_ROOT_PASSWORD",
            "client_secret",
            "REDIS_PASS",
            "SMTP_USER_PASSWORD",
            "USER_TOKEN",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in [
            "POSTGRES_PASSWORD_FILE",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
            "PASSWORD_MIN_LENGTH",
            "TOKEN_TTL",
            "DB_USER",
            "KEYCLOAK_HOSTNAME",
            "PATH",
            "MONKEY",
            "MAILCOW_PASS_SCHEME",
        ] {
            assert!(!secret_name(n), "{n}");
        }
    }
}
