//! The shared check of `unused-volume`, `unused-network` and `unused-secret`: a
//! top-level declaration that no service of the project refers to.

use std::collections::HashSet;

use super::whole_view;
use crate::formats::compose::model::{ComposeFile, Name, Service, VolumeEntry};
use crate::formats::compose::syntax::split_volume;
use crate::project::compose::view::MountSource;
use crate::rules::Context;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Volume,
    Network,
    Secret,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Volume => "volume",
            Kind::Network => "network",
            Kind::Secret => "secret",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Kind::Volume => "mounts",
            Kind::Network => "joins",
            Kind::Secret => "uses",
        }
    }

    /// Whether a file declares a top-level name of this kind.
    fn declares_any(self, c: &ComposeFile) -> bool {
        match self {
            Kind::Volume => !c.volumes.is_empty(),
            Kind::Network => !c.networks.is_empty(),
            Kind::Secret => !c.secrets.is_empty(),
        }
    }

    /// The top-level names a file declares, with whether each is external.
    fn declared(self, c: &ComposeFile) -> Vec<(&Name, bool)> {
        match self {
            Kind::Volume => c.volumes.iter().map(|d| (&d.name, d.external)).collect(),
            Kind::Network => c.networks.iter().map(|d| (&d.name, d.external)).collect(),
            Kind::Secret => c.secrets.iter().map(|d| (&d.name, d.external)).collect(),
        }
    }
}

/// The names a service of a file outside the project refers to, as written (an
/// alternative file beside the base, given after it with `-f`, uses the base's
/// declarations). `None` when one of them interpolates.
fn raw_refs(kind: Kind, s: &Service) -> Option<Vec<String>> {
    let names: Vec<String> = match kind {
        Kind::Volume => s
            .volumes
            .iter()
            .filter_map(|v| match v {
                VolumeEntry::Short(t) => split_volume(&t.text).ok()?.source.map(|s| s.0),
                VolumeEntry::Long(l, _) => l.source.as_ref().map(|t| t.value.clone()),
            })
            .collect(),
        Kind::Network => s.networks.iter().map(|n| n.value.clone()).collect(),
        Kind::Secret => s.secrets.iter().map(|r| r.source.value.clone()).collect(),
    };
    (!names.iter().any(|n| n.contains('$'))).then_some(names)
}

/// Reports each top-level declaration of `kind` that no service uses. Projects
/// whose use cannot be known are skipped: one that includes a file orchlint did not
/// scan, an override snippet alone, a service whose `extends` could not be
/// followed, a reference through an unset variable.
pub(super) fn report_unused(cx: &mut Context<'_>, kind: Kind) {
    let Some(view) = whole_view(cx) else { return };
    if view.services.iter().any(|s| s.incomplete) || view.files.iter().any(|f| f.compose.legacy_v1)
    {
        return;
    }
    // Nothing declared, nothing to report: skip the uses (and the look at every
    // scanned file for neighbours) that most projects would pay for nothing.
    if view
        .declaring_files()
        .all(|(_, f)| !kind.declares_any(f.compose))
    {
        return;
    }
    let mut used: HashSet<String> = HashSet::new();
    for s in &view.services {
        match kind {
            Kind::Volume => {
                for (layer, entry) in s.each(|x| &x.volumes) {
                    let Some(m) = view.mount(&layer, entry) else {
                        continue;
                    };
                    if m.source_unset {
                        return;
                    }
                    if m.source_kind == MountSource::Volume
                        && let Some(src) = m.source
                    {
                        used.insert(src);
                    }
                }
            }
            Kind::Network => {
                let names = s.all(|x| &x.networks);
                if names.is_empty() && s.last(|x| x.network_mode.as_ref()).is_none() {
                    used.insert("default".to_string());
                }
                for (layer, n) in names {
                    match view.name(&layer, n) {
                        Some(n) => used.insert(n.value),
                        None => return,
                    };
                }
            }
            Kind::Secret => {
                for (layer, r) in s.each(|x| &x.secrets) {
                    match view.name(&layer, &r.source) {
                        Some(n) => used.insert(n.value),
                        None => return,
                    };
                }
            }
        }
    }
    // Compose files beside the base that are projects of their own.
    let Some(base) = view.files.first() else {
        return;
    };
    let Some(dir) = base.spec.path.parent() else {
        return;
    };
    let members: HashSet<_> = view.files.iter().map(|f| f.id()).collect();
    for f in cx.compose_files_in(dir) {
        let Some(c) = f.compose() else { continue };
        if members.contains(&f.id) {
            continue;
        }
        for s in &c.services {
            match raw_refs(kind, s) {
                Some(names) => used.extend(names),
                None => return,
            }
        }
    }
    let mut reported: HashSet<&str> = HashSet::new();
    let mut found = Vec::new();
    for (_, f) in view.declaring_files() {
        for (name, external) in kind.declared(f.compose) {
            if used.contains(&name.value) || !reported.insert(&name.value) {
                continue;
            }
            found.push((f.id(), name, external));
        }
    }
    for (file, name, external) in found {
        let (noun, verb) = (kind.noun(), kind.verb());
        let d = cx.report(
            file,
            name.span,
            format!(
                "{noun} \"{}\" is declared but no service {verb} it",
                name.value
            ),
        );
        d.help = Some(if external {
            format!(
                "remove the declaration (the {noun} is external: the project that uses it declares it too)"
            )
        } else {
            format!("remove the declaration, or add the {noun} to the service meant to use it")
        });
    }
}
