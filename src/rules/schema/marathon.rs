//! What Marathon's validation rejects in an app or pod definition, on the typed
//! model: ids that are not paths of DNS-style segments, upgrade capacities outside
//! 0-1 and an unknown Docker network; plus what the reader found against Marathon's
//! API types (`formats::marathon::schema`: enums and ranges of nested objects).

use super::forms;
use crate::formats::marathon::MarathonFile;
use crate::formats::marathon::model::UpgradeStrategy;
use crate::source::{Span, Spanned};

const DOCKER_NETWORKS: &[&str] = &["BRIDGE", "HOST", "USER", "NONE"];

fn id(out: &mut Vec<(Span, String)>, who: &str, id: Option<&Spanned<String>>) {
    let Some(id) = id else { return };
    if forms::templated(&id.value) {
        return;
    }
    if let Some(bad) = id
        .value
        .split('/')
        .find(|s| !s.is_empty() && !forms::marathon_id_segment(s))
    {
        out.push((
            id.span,
            format!(
                "{who}: id: the segment `{bad}` of `{}` is not a path segment Marathon accepts: lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit (or `.` and `..`)",
                id.value
            ),
        ));
    }
}

fn capacities(out: &mut Vec<(Span, String)>, who: &str, path: &str, s: &UpgradeStrategy) {
    let fields = [
        ("minimumHealthCapacity", &s.minimum_health_capacity),
        ("maximumOverCapacity", &s.maximum_over_capacity),
    ];
    for (key, v) in fields {
        if let Some(v) = v
            && !(0.0..=1.0).contains(&v.value)
        {
            out.push((
                v.span,
                format!(
                    "{who}: {path}.{key}: {} is not a fraction between 0 and 1",
                    v.value
                ),
            ));
        }
    }
}

/// The invalid values of a file's apps and pods.
pub(super) fn invalid(file: &MarathonFile) -> Vec<(Span, String)> {
    let mut out = file.invalid.clone();
    for a in &file.apps {
        let app = &a.app;
        let who = match (&a.path, &app.id) {
            (Some(p), _) => format!("app \"{p}\""),
            (None, Some(id)) => format!("app \"{}\"", id.value),
            _ => "app".to_string(),
        };
        id(&mut out, &who, app.id.as_ref());
        if let Some(s) = &app.upgrade_strategy {
            capacities(&mut out, &who, "upgradeStrategy", &s.value);
        }
        if let Some(network) = app.docker().and_then(|d| d.network.as_ref())
            && !DOCKER_NETWORKS.contains(&network.value.as_str())
            && !forms::templated(&network.value)
        {
            out.push((
                network.span,
                format!(
                    "{who}: container.docker.network: `{}` is not one of {}",
                    network.value,
                    DOCKER_NETWORKS.join(", ")
                ),
            ));
        }
    }
    for p in &file.pods {
        let pod = &p.pod;
        let who = match (&p.path, &pod.id) {
            (Some(path), _) => format!("pod \"{path}\""),
            (None, Some(id)) => format!("pod \"{}\"", id.value),
            _ => "pod".to_string(),
        };
        id(&mut out, &who, pod.id.as_ref());
        if let Some(s) = pod.upgrade() {
            capacities(&mut out, &who, "scheduling.upgrade", &s.value);
        }
    }
    out
}
