//! The forms of service values that the Docker Engine (or Compose, when it builds
//! the container's configuration) parses and refuses when they do not read, while
//! the Compose Specification's schema types them as any string: image references,
//! container names, the mode of a short-syntax volume and `extra_hosts` entries.

/// An image reference as Docker's reference grammar (distribution's `reference`
/// package) reads it: `[domain[:port]/]path[:tag][@digest]`, where the path is
/// `/`-separated components of lowercase letters and digits joined by `.`, `_`,
/// `__` or dashes, the tag is a word character then at most 127 word characters,
/// `.` or `-`, and the digest is `algorithm:hex` with at least 32 hex digits.
/// The first component is the domain when it holds a `.` or a `:`, is
/// `localhost`, or has an uppercase letter; the name is at most 255 characters.
pub(crate) fn is_image_reference(s: &str) -> bool {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    if digest.is_some_and(|d| !is_digest(d)) {
        return false;
    }
    // The tag follows the last `:` that comes after the last `/`.
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) || name.is_empty() || name.len() > 255 {
        return false;
    }
    let path = match name.split_once('/') {
        Some((first, path))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            if !is_domain(first) {
                return false;
            }
            path
        }
        _ => name,
    };
    path.split('/').all(is_path_component)
}

/// `[a-z0-9]+` joined by `.`, `_`, `__` or one or more `-`.
fn is_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        match &c[start..i] {
            "." | "_" | "__" => {}
            sep if sep.bytes().all(|x| x == b'-') => {}
            _ => return false,
        }
    }
    true
}

/// `host[:port]`: dot-separated labels of letters, digits and inner `-`, or a
/// bracketed IPv6 address; the port is digits.
fn is_domain(d: &str) -> bool {
    let (host, port) = if let Some(v6) = d.strip_prefix('[') {
        let Some((addr, after)) = v6.split_once(']') else {
            return false;
        };
        if addr.is_empty() || !addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            p => ("", p.strip_prefix(':').unwrap_or("x")),
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, p),
            None => (d, "0"),
        }
    };
    let label = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    (host.is_empty() && d.starts_with('[') || host.split('.').all(label))
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
}

/// `[\w][\w.-]{0,127}`.
fn is_tag(t: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|&x| word(x) || x == b'.' || x == b'-')
}

/// `algorithm:hex`: algorithm components `[A-Za-z][A-Za-z0-9]*` joined by `+`,
/// `.`, `-` or `_`; at least 32 hex digits.
fn is_digest(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let component = |c: &str| {
        c.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && c.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    alg.split(['+', '.', '-', '_']).all(component)
        && hex.len() >= 32
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A container name as the Docker Engine takes it: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub(crate) fn is_container_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|&x| x.is_ascii_alphanumeric() || matches!(x, b'_' | b'.' | b'-'))
}

/// The mode of a short-syntax volume (`SOURCE:TARGET:MODE`), if it has one, as
/// `syntax::split_volume` splits it (Windows drive letters stay in their part);
/// an entry that does not split is the reader's finding, not this one's.
pub(crate) fn volume_mode(spec: &str) -> Option<String> {
    super::syntax::split_volume(spec).ok()?.mode
}

/// The mode options the Docker Engine takes on a bind or volume mount, by the
/// group of which a mode may hold one: access, SELinux relabelling, propagation,
/// copying, and macOS consistency.
const MODE_GROUPS: &[&[&str]] = &[
    &["ro", "rw"],
    &["z", "Z"],
    &[
        "shared", "slave", "private", "rshared", "rslave", "rprivate",
    ],
    &["nocopy"],
    &["consistent", "cached", "delegated"],
];

/// Every mode option the engine knows, for a "did you mean".
pub(crate) const MODE_WORDS: &[&str] = &[
    "ro",
    "rw",
    "z",
    "Z",
    "shared",
    "slave",
    "private",
    "rshared",
    "rslave",
    "rprivate",
    "nocopy",
    "consistent",
    "cached",
    "delegated",
];

/// A short-syntax volume whose mode, if it has one, the engine accepts: options
/// separated by commas, each known, at most one of each group.
pub(crate) fn is_volume_short(spec: &str) -> bool {
    let Some(mode) = volume_mode(spec) else {
        return true;
    };
    let mode = mode.as_str();
    let mut used = [false; MODE_GROUPS.len()];
    for opt in mode.split(',') {
        let Some(g) = MODE_GROUPS.iter().position(|g| g.contains(&opt)) else {
            return false;
        };
        if std::mem::replace(&mut used[g], true) {
            return false;
        }
    }
    true
}

/// An `extra_hosts` entry: `HOST:ADDRESS` or `HOST=ADDRESS` (the `=` form first,
/// as an IPv6 address holds colons), both parts present.
pub(crate) fn is_extra_host(s: &str) -> bool {
    let (host, addr) = match s.split_once('=') {
        Some(p) => p,
        None => match s.split_once(':') {
            Some(p) => p,
            None => return false,
        },
    };
    !host.trim().is_empty() && !addr.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "nginx:1.27-alpine",
            "library/nginx:latest",
            "docker.io/library/nginx",
            "localhost:5000/my-app:v1",
            "localhost/app",
            "registry.example.com:443/team/app_x__y:1.0",
            "Registry.Example.com/app",
            "ghcr.io/a/b/c@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "[::1]:5000/app",
            "my--app",
        ] {
            assert!(is_image_reference(ok), "{ok}");
        }
        for bad in [
            "nginx:1.27:alpine",
            "Nginx",
            "team/MyApp",
            "nginx:",
            "nginx:-x",
            "nginx@sha256:abc",
            "app_",
            "a..b",
            ":1.0",
            "example.com:port/app",
            "web server",
        ] {
            assert!(!is_image_reference(bad), "{bad}");
        }
    }

    #[test]
    fn container_names() {
        assert!(is_container_name("web-1.prod_x"));
        assert!(!is_container_name("web server!"));
        assert!(!is_container_name("-web"));
        assert!(!is_container_name("w"));
    }

    #[test]
    fn volume_modes() {
        for ok in [
            "./data:/data",
            "./data:/data:ro",
            "data:/data:rw,z",
            "/a:/b:ro,rshared,nocopy,cached",
            "/data",
            "C:\\data:C:\\data",
            "C:\\data:/data:ro",
        ] {
            assert!(is_volume_short(ok), "{ok}");
        }
        for bad in ["./data:/data:rwx", "/a:/b:ro,rw", "/a:/b:z,Z", "/a:/b:"] {
            assert!(!is_volume_short(bad), "{bad}");
        }
        // Too many parts is the reader's wrong-type finding, not a mode.
        assert!(is_volume_short("a:b:c:d"));
    }

    #[test]
    fn extra_hosts() {
        assert!(is_extra_host("somehost:162.242.195.82"));
        assert!(is_extra_host("myhostv6=::1"));
        assert!(is_extra_host("myhostv6:::1"));
        assert!(!is_extra_host("somehost"));
        assert!(!is_extra_host("somehost:"));
        assert!(!is_extra_host(":1.2.3.4"));
    }
}
