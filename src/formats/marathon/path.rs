//! Marathon path ids: `/shop/db/mysql`, resolved against a group like file paths
//! (`../db`, `./web`, `web`).

/// Resolves `id` against the absolute path `base` (the enclosing group, `/` at top
/// level); absolute ids ignore `base`. The result is absolute, without a trailing
/// slash (`/` for the root).
pub(crate) fn resolve(base: &str, id: &str) -> String {
    let id = id.trim();
    let mut parts: Vec<&str> = Vec::new();
    if !id.starts_with('/') {
        parts.extend(base.split('/').filter(|s| !s.is_empty() && *s != "."));
    }
    for seg in id.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// True when `path` is `ancestor` itself or lies under it.
pub(crate) fn is_within(path: &str, ancestor: &str) -> bool {
    if ancestor == "/" {
        return true;
    }
    path == ancestor
        || path
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_marathon_path_ids() {
        assert_eq!(resolve("/", "web"), "/web");
        assert_eq!(resolve("/shop", "web"), "/shop/web");
        assert_eq!(resolve("/shop", "/other/web"), "/other/web");
        assert_eq!(
            resolve("/product/service", "../database"),
            "/product/database"
        );
        assert_eq!(
            resolve("/product/service", "specific/../../database"),
            "/product/database"
        );
        assert_eq!(resolve("/shop", "./web/"), "/shop/web");
        assert_eq!(resolve("/", ".."), "/");
        assert!(is_within("/a/b", "/a"));
        assert!(!is_within("/ab", "/a"));
        assert!(is_within("/a", "/"));
    }
}
