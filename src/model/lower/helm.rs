//! Lowers a Helm chart: its values files' replica, autoscaling, persistence and
//! resource hints (the templates are not rendered).

use crate::formats::helm::HelmFile;
use crate::model::{DeploymentModel, ValueHint};
use crate::project::{Project, SpecFile};
use crate::source::Loc;

/// The values hints of a chart project; a chart has no workloads of its own until
/// rendered.
pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    let mut model = DeploymentModel::default();
    for id in &project.files {
        let Some(f) = files.get(id.0 as usize) else {
            continue;
        };
        if let Some(HelmFile::Values(v)) = f.helm() {
            model.value_hints.extend(v.hints.iter().map(|h| ValueHint {
                loc: Loc::new(f.id, h.value.span),
                path: h.path.clone(),
                kind: h.kind,
                value: h.value.value.clone(),
            }));
        }
    }
    model
}
