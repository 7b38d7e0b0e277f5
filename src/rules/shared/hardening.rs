//! What the hardening rules share: which containers a missing setting is asked of.

use crate::model::{Container, Workload, WorkloadKind};
use crate::source::Format;

/// Whether a rule about a hardening setting the spec leaves out applies to this
/// container: a Linux container of a Compose service or a Kubernetes pod whose
/// settings the scan can read. Privileged containers are left to
/// `security/privileged-container` (privileged mode overrides every such setting),
/// Windows pods have none of them, and a Compose service with a setting the scan
/// cannot resolve (`${VARIABLE}`) may well set it.
pub(crate) fn asks_for_settings(w: &Workload, c: &Container) -> bool {
    let format_has_them = match w.format {
        Format::Compose => w.kind == WorkloadKind::ComposeService,
        Format::Kubernetes => true,
        _ => false,
    };
    format_has_them && c.privileged.is_none() && !w.hardening.windows && !c.hardening.unresolved
}
