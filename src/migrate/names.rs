//! Names the target accepts, made from names the source allowed.

/// A DNS-1123 label (lowercase letters, digits and `-`, at most 63, starting and
/// ending with a letter or digit) from any name: other characters become `-`,
/// runs of `-` collapse; an empty result is `app`.
pub(crate) fn dns_label(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(63).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "app".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_dns_labels() {
        assert_eq!(dns_label("web"), "web");
        assert_eq!(dns_label("My_Service.v2"), "my-service-v2");
        assert_eq!(dns_label("/shop/api"), "shop-api");
        assert_eq!(dns_label("__"), "app");
        assert_eq!(dns_label(&"a".repeat(80)).len(), 63);
    }
}
