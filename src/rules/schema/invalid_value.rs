//! `schema/invalid-value`: a value the API server rejects, outside the field's enum
//! or form.

use crate::diagnostic::{RuleMeta, builtin};
use crate::rules::{Context, Rule};

/// The Kubernetes and Marathon half of `schema/invalid-value`, checked on the typed
/// objects of a project (Kustomize patches left out); the Compose reader reports
/// the Compose half while it reads. One rule, documented in `diagnostic::builtin`.
pub(crate) struct InvalidValue;


impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &builtin::INVALID_VALUE
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report(cx, |f| &f.invalid);
    }
}
