//! "Did you mean": the known word closest to a misspelt one. One measure for the
//! whole tool, so a config key, a rule name in a suppression, an undefined
//! service, volume, component or object all get the same kind of hint.

/// The candidate closest to `word`, if any is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest_by(word, candidates, |c| c)
}

/// Of `candidates`, the one whose name (`name_of`) is closest to `word`, if any is
/// close enough to be a likely typo or rename. A candidate named exactly `word` is
/// not a suggestion.
pub(crate) fn closest_by<T>(
    word: &str,
    candidates: impl IntoIterator<Item = T>,
    name_of: impl Fn(&T) -> &str,
) -> Option<T> {
    let mut best: Option<((f64, usize), T)> = None;
    for c in candidates {
        let Some(score) = likeness(word, name_of(&c)) else {
            continue;
        };
        let better = best
            .as_ref()
            .is_none_or(|(b, _)| score.0 > b.0 || (score.0 == b.0 && score.1 < b.1));
        if better {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// How alike two names are (Jaro-Winkler similarity, edit distance), when they are
/// alike enough to suggest one for the other: similar by Jaro-Winkler (0.8 or
/// more), a few edits apart (at most a quarter of the word, and at least 2), or one
/// an abbreviation of the other (`db` for `database`).
fn likeness(word: &str, candidate: &str) -> Option<(f64, usize)> {
    if word == candidate || candidate.is_empty() {
        return None;
    }
    let similarity = strsim::jaro_winkler(word, candidate);
    let edits = strsim::levenshtein(word, candidate);
    let close = similarity >= 0.8
        || edits <= 2.max(word.chars().count() / 4)
        || abbreviates(word, candidate)
        || abbreviates(candidate, word);
    close.then_some((similarity, edits))
}

/// `short` is an abbreviation of `long`: at least two letters, the same first
/// letter, and every letter found in `long` in order.
fn abbreviates(short: &str, long: &str) -> bool {
    if short.chars().count() < 2
        || short.len() >= long.len()
        || short.chars().next() != long.chars().next()
    {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_and_not_strangers() {
        assert_eq!(closest("selct", ["select", "ignore"]), Some("select"));
        assert_eq!(
            closest(
                "privilege-container",
                ["privileged-container", "host-network"]
            ),
            Some("privileged-container")
        );
        assert_eq!(closest("web", ["web"]), None);
        assert_eq!(closest("database", ["cache", "queue"]), None);
        assert_eq!(closest("database", ["db", "queue"]), Some("db"));
        assert_eq!(
            closest_by("api-svc", [("a", "api-sv"), ("b", "web")], |c| c.1),
            Some(("a", "api-sv"))
        );
    }
}
