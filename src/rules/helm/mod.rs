//! Rules for Helm charts.

mod unrendered_helm_chart;

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&unrendered_helm_chart::UnrenderedHelmChart]
}
