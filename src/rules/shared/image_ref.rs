//! Splitting an image reference into repository, tag and digest.

/// `registry:5000/team/app:1.2@sha256:...` → repository, tag, digest.
pub(crate) struct ImageRef<'a> {
    pub(crate) repository: &'a str,
    pub(crate) tag: Option<&'a str>,
    pub(crate) digest: Option<&'a str>,
}

pub fn parse(image: &str) -> ImageRef<'_> {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    // A colon after the last slash separates the tag; one before it is a registry port.
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[last_slash..].rfind(':') {
        Some(i) => ImageRef {
            repository: &rest[..last_slash + i],
            tag: Some(&rest[last_slash + i + 1..]),
            digest,
        },
        None => ImageRef {
            repository: rest,
            tag: None,
            digest,
        },
    }
}

/// Whether the reference still holds unresolved template syntax (`${TAG}`, `{{ }}`).
pub(crate) fn is_templated(image: &str) -> bool {
    image.contains('$') || image.contains("{{") || image.contains('<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references() {
        let r = parse("localhost:5000/team/app");
        assert_eq!((r.repository, r.tag), ("localhost:5000/team/app", None));
        let r = parse("nginx:1.27@sha256:abc");
        assert_eq!(
            (r.repository, r.tag, r.digest),
            ("nginx", Some("1.27"), Some("sha256:abc"))
        );
        let r = parse("redis");
        assert_eq!(r.tag, None);
    }
}
