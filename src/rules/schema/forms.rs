//! The value forms kube-apiserver validates (apimachinery's `validation` package),
//! written as plain functions: DNS-1123 and DNS-1035 names, IANA service names,
//! label keys and values, and the resource quantity grammar.

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub(super) fn dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// DNS-1123 labels joined by dots, at most 253 characters.
pub(super) fn dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(dns1123_label)
}

/// `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub(super) fn dns1035_label(s: &str) -> bool {
    dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

/// An IANA service name (`IANA_SVC_NAME`): at most 15 lowercase letters, digits and
/// '-', with at least one letter, no '-' at either end and no "--".
pub(super) fn iana_svc_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 15
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.iter().any(u8::is_ascii_lowercase)
        && !s.contains("--")
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters (empty is
/// allowed only where the caller says so).
fn qualified_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// A label key: an optional DNS-1123 subdomain prefix and '/', then a name of at
/// most 63 characters.
pub(super) fn label_key(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => {
            !prefix.is_empty() && dns1123_subdomain(prefix) && qualified_part(name)
        }
        None => qualified_part(s),
    }
}

/// A label value: empty, or at most 63 alphanumerics with '-', '_' and '.' inside.
pub(super) fn label_value(s: &str) -> bool {
    s.is_empty() || qualified_part(s)
}

/// A segment of a Marathon path id: DNS-style labels (lowercase letters, digits and
/// '-', starting and ending with a letter or digit, no length limit) joined by dots,
/// or `.` or `..`.
pub(super) fn marathon_id_segment(s: &str) -> bool {
    let label = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    };
    s == "." || s == ".." || s.split('.').all(label)
}

/// A resource quantity as `resource.ParseQuantity` reads it: `Some(negative)` when
/// it parses, `None` when it does not.
pub(super) fn quantity(s: &str) -> Option<bool> {
    if s.is_empty() {
        return None;
    }
    if s == "0" {
        return Some(false);
    }
    let b = s.as_bytes();
    let mut pos = 0;
    let mut negative = false;
    match b[0] {
        b'-' => {
            negative = true;
            pos = 1;
        }
        b'+' => pos = 1,
        _ => {}
    }
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    pos = digits(pos);
    if pos < b.len() && b[pos] == b'.' {
        pos = digits(pos + 1);
    }
    let suffix = &s[pos..];
    // The parser takes suffix letters, then an optional sign and digits, and fails
    // on anything after them.
    let mut i = pos;
    while i < b.len() && b"eEinumkKMGTP".contains(&b[i]) {
        i += 1;
    }
    if i < b.len() && matches!(b[i], b'-' | b'+') {
        i += 1;
    }
    if digits(i) != b.len() {
        return None;
    }
    let known = matches!(
        suffix,
        "" | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
            | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
    );
    let exponent =
        suffix.len() > 1 && suffix.starts_with(['e', 'E']) && suffix[1..].parse::<i64>().is_ok();
    (known || exponent).then_some(negative)
}

/// A value written for a template engine or `envsubst` rather than for the API
/// server: it is not checked as written.
pub(super) fn templated(s: &str) -> bool {
    ["{{", "${", "%{", "<%", "(("].iter().any(|t| s.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(dns1123_label("web-1"));
        assert!(!dns1123_label("Web"));
        assert!(!dns1123_label("-web"));
        assert!(!dns1123_label(&"a".repeat(64)));
        assert!(dns1123_subdomain("web.example-1.com"));
        assert!(!dns1123_subdomain("web..x"));
        assert!(!dns1123_subdomain("web_x"));
        assert!(dns1035_label("web"));
        assert!(!dns1035_label("1web"));
    }

    #[test]
    fn port_names() {
        assert!(iana_svc_name("http"));
        assert!(iana_svc_name("http-2"));
        assert!(!iana_svc_name("8080"));
        assert!(!iana_svc_name("http--x"));
        assert!(!iana_svc_name("-http"));
        assert!(!iana_svc_name("HTTP"));
        assert!(!iana_svc_name("metrics-exporter"));
    }

    #[test]
    fn labels() {
        assert!(label_key("app"));
        assert!(label_key("app.kubernetes.io/name"));
        assert!(label_key("App_Name.1"));
        assert!(!label_key("/name"));
        assert!(!label_key("a/b/c"));
        assert!(!label_key("Example.com/name"));
        assert!(!label_key("name-"));
        assert!(label_value(""));
        assert!(label_value("v1.2_3-x"));
        assert!(!label_value("a b"));
        assert!(!label_value(&"a".repeat(64)));
    }

    #[test]
    fn marathon_ids() {
        assert!(marathon_id_segment("web"));
        assert!(marathon_id_segment("web.v2"));
        assert!(marathon_id_segment(".."));
        assert!(marathon_id_segment(&"a".repeat(80)));
        assert!(!marathon_id_segment("Web"));
        assert!(!marathon_id_segment("web_app"));
        assert!(!marathon_id_segment("-web"));
    }

    #[test]
    fn quantities() {
        for ok in [
            "1", "0", "100m", "0.5", ".5", "5.", "1Gi", "512Mi", "1e3", "1E-2", "2k", "1.5G", "+1",
            "10n", "3u",
        ] {
            assert_eq!(quantity(ok), Some(false), "{ok}");
        }
        assert_eq!(quantity("-1"), Some(true));
        for bad in [
            "", "1gb", "1Gb", "100mi", "1 Gi", "1,5", "abc", "1e", "1Kii", "1GiB",
        ] {
            assert_eq!(quantity(bad), None, "{bad}");
        }
    }
}
