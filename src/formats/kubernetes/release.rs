//! The Kubernetes release a scan judges objects against (`--kubernetes-version`,
//! `[kubernetes] version`): which API versions it serves, which it removed. Only
//! minor releases matter (a patch release never adds or removes an API version).

use std::fmt;
use std::str::FromStr;

/// A Kubernetes minor release, `1.<minor>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    minor: u16,
}

impl Release {
    /// The newest release this build knows: the API of k8s-openapi's `v1_34`
    /// feature (Cargo.toml), which the typed model reads objects with.
    pub(crate) const NEWEST: Release = Release { minor: 34 };
    /// The oldest release orchlint judges. The API versions' introductions and
    /// removals (`rules/api-versions.toml`, `rules/removed-apis.toml`) come from the
    /// Deprecated API Migration Guide, which starts with the removals of 1.16.
    pub(crate) const OLDEST: Release = Release { minor: 16 };

    /// Reads `1.29` (or `v1.29`, `1.29.3`: the patch is ignored) from a table's
    /// `removed_in`/`introduced_in` or from the user; `None` when it is not one.
    pub(crate) fn parse_any(text: &str) -> Option<Release> {
        let t = text.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let mut parts = t.split('.');
        let major = parts.next()?;
        let minor = parts.next()?;
        let patch = parts.next();
        if parts.next().is_some() || major != "1" {
            return None;
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(minor) || patch.is_some_and(|p| !digits(p)) {
            return None;
        }
        Some(Release {
            minor: minor.parse().ok()?,
        })
    }

    /// Is this release at or after `other` (`1.25` in a table)? A table entry that
    /// does not read as a release counts as reached, so the finding is not lost.
    pub(crate) fn reaches(self, other: &str) -> bool {
        Release::parse_any(other).is_none_or(|r| self >= r)
    }
}

impl Default for Release {
    fn default() -> Self {
        Release::NEWEST
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

impl FromStr for Release {
    type Err = String;

    /// Reads a release the user names: `1.29` (a leading `v` and a patch number
    /// are accepted), between `OLDEST` and `NEWEST`.
    fn from_str(text: &str) -> Result<Release, String> {
        let range = format!("{} to {}", Release::OLDEST, Release::NEWEST);
        let Some(r) = Release::parse_any(text) else {
            return Err(format!(
                "`{}` is not a Kubernetes release; write MAJOR.MINOR, such as `{}` (orchlint knows {range})",
                text.trim(),
                Release::NEWEST
            ));
        };
        if r < Release::OLDEST {
            return Err(format!(
                "Kubernetes {r} is older than the releases orchlint's API data covers ({range})"
            ));
        }
        if r > Release::NEWEST {
            return Err(format!(
                "Kubernetes {r} is newer than the releases this build of orchlint knows ({range})"
            ));
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_releases_and_refuses_the_rest() {
        assert_eq!("1.24".parse::<Release>(), Ok(Release { minor: 24 }));
        assert_eq!("v1.29.3".parse::<Release>(), Ok(Release { minor: 29 }));
        assert_eq!(" 1.34 ".parse::<Release>(), Ok(Release::NEWEST));
        for bad in ["1.x", "banana", "", "1", "2.1", "1.2.3.4", "1.-3", "1.24.x"] {
            let err = bad.parse::<Release>().unwrap_err();
            assert!(err.contains("is not a Kubernetes release"), "{bad}: {err}");
        }
        let err = "1.15".parse::<Release>().unwrap_err();
        assert!(err.contains("older than"), "{err}");
        let err = "1.99".parse::<Release>().unwrap_err();
        assert!(err.contains("newer than"), "{err}");
        assert_eq!(Release::default().to_string(), "1.34");
    }

    #[test]
    fn compares_with_table_entries() {
        let r: Release = "1.24".parse().unwrap();
        assert!(r.reaches("1.22"));
        assert!(r.reaches("1.24"));
        assert!(!r.reaches("1.25"));
        assert!(r.reaches("1.5"));
        assert!(r.reaches("unknown"));
    }

    #[test]
    fn newest_is_the_api_the_build_reads() {
        let manifest = include_str!("../../../Cargo.toml");
        let feature = format!("\"v1_{}\"", Release::NEWEST.minor);
        assert!(
            manifest.contains(&feature),
            "k8s-openapi's feature in Cargo.toml is not {feature}: update Release::NEWEST"
        );
    }
}
