//! `schema/unknown-key` for custom resources: a key the `openAPIV3Schema` of the
//! resource's CustomResourceDefinition does not have.

use crate::diagnostic::{Applicability, RuleMeta, builtin};
use crate::rules::{Context, Rule};

/// The custom-resource half of `schema/unknown-key`, checked on the objects of a
/// project against the CRDs of the whole scan; the readers report the keys of
/// Compose, Kubernetes and Marathon files while they read. One rule, documented in
/// `diagnostic::builtin`.
pub(crate) struct UnknownKey;

impl Rule for UnknownKey {
    fn meta(&self) -> &'static RuleMeta {
        &builtin::UNKNOWN_KEY
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report(cx, |f| &f.unknown);
    }

    /// The readers attach it (`formats::rename_key_fix`): renaming a misspelt
    /// key to the one close known key is unsafe, as its value then takes effect.
    fn fix(&self) -> Option<Applicability> {
        Some(Applicability::Unsafe)
    }
}
