//! Rules for Helm charts.

super::register! {
    unrendered_helm_chart::UnrenderedHelmChart,
}
