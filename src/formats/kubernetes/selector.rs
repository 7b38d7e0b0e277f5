//! Label selectors: whether a selector selects a set of labels, and which of its
//! requirements does not hold.

use std::collections::BTreeMap;

use super::model::Selector;

/// One requirement of a selector, written as kubectl shows it (`app=web`,
/// `tier in (a,b)`, `!canary`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unmet(pub String);

impl Selector<'_> {
    /// True when the selector has no requirement at all.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Selector::Map(m) => m.is_empty(),
            Selector::Label(s) => {
                s.match_labels.as_ref().is_none_or(|m| m.is_empty())
                    && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
            }
        }
    }

    /// The first requirement the labels do not meet, or `None` when the selector
    /// selects them. A requirement with an unknown operator counts as met: orchlint
    /// cannot tell.
    pub(crate) fn first_unmet(&self, labels: &BTreeMap<String, String>) -> Option<Unmet> {
        let match_labels = match self {
            Selector::Map(m) => Some(*m),
            Selector::Label(s) => s.match_labels.as_ref(),
        };
        for (k, v) in match_labels.into_iter().flatten() {
            if labels.get(k) != Some(v) {
                return Some(Unmet(format!("{k}={v}")));
            }
        }
        let Selector::Label(s) = self else {
            return None;
        };
        for e in s.match_expressions.iter().flatten() {
            let values = e.values.as_deref().unwrap_or_default();
            let have = labels.get(&e.key);
            let met = match e.operator.as_str() {
                "In" => have.is_some_and(|v| values.contains(v)),
                "NotIn" => have.is_none_or(|v| !values.contains(v)),
                "Exists" => have.is_some(),
                "DoesNotExist" => have.is_none(),
                _ => true,
            };
            if !met {
                let list = values.join(",");
                return Some(Unmet(match e.operator.as_str() {
                    "In" => format!("{} in ({list})", e.key),
                    "NotIn" => format!("{} notin ({list})", e.key),
                    "Exists" => e.key.clone(),
                    _ => format!("!{}", e.key),
                }));
            }
        }
        None
    }
}

/// Whether a Service-style selector (all pairs must be equal) selects the labels.
pub(crate) fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    selector
        .iter()
        .all(|(k, v)| labels.iter().any(|(lk, lv)| lk == k && lv == v))
}

/// `a=1,b=2`.
pub(crate) fn show_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expr(key: &str, op: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
        }
    }

    #[test]
    fn match_labels_and_expressions() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        let s = LabelSelector {
            match_labels: Some(labels(&[("app", "web")])),
            match_expressions: Some(vec![
                expr("tier", "In", &["front", "back"]),
                expr("canary", "DoesNotExist", &[]),
                expr("app", "Exists", &[]),
                expr("tier", "NotIn", &["db"]),
                expr("x", "Weird", &[]),
            ]),
        };
        assert_eq!(Selector::Label(&s).first_unmet(&l), None);
        let s = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![expr("tier", "In", &["db", "cache"])]),
        };
        assert_eq!(
            Selector::Label(&s).first_unmet(&l),
            Some(Unmet("tier in (db,cache)".into()))
        );
        let s = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![expr("app", "DoesNotExist", &[])]),
        };
        assert_eq!(
            Selector::Label(&s).first_unmet(&l),
            Some(Unmet("!app".into()))
        );
        let m = labels(&[("app", "api")]);
        assert_eq!(
            Selector::Map(&m).first_unmet(&l),
            Some(Unmet("app=api".into()))
        );
        assert!(Selector::Label(&LabelSelector::default()).is_empty());
    }

    #[test]
    fn service_selectors() {
        let sel = vec![("app".to_string(), "web".to_string())];
        let l = vec![
            ("app".to_string(), "web".to_string()),
            ("v".to_string(), "1".to_string()),
        ];
        assert!(selects(&sel, &l));
        assert!(!selects(&l, &sel));
        assert_eq!(show_pairs(&l), "app=web,v=1");
    }
}
