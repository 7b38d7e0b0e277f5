//! ClusterHQ Flocker (1.0, 2015): an application config says what runs, a
//! deployment config says on which nodes; `flocker-deploy` makes the cluster
//! match both. Flocker moved each application's dataset (its one volume) with it.
//! ClusterHQ shut down in December 2016; the container API was removed in 1.13.
//!
//! - `model`: both configs and the Fig-compatible application config.
//! - `group`: an application config with the deployment configs that place its
//!   applications (`x-application.yml` with `x-deployment.yml` and
//!   `x-deployment-moved.yml`).
//! - `lower`: one workload per application; a dataset is a named volume owned by
//!   the app; the node lists are host counts; the first deployment config places
//!   the applications.

pub(crate) mod model;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::yaml::Node;

pub(crate) use model::{AppConfig, DeploymentConfig, FlockerFile};

pub(crate) fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> FlockerFile {
    model::read(file, docs, diags)
}
