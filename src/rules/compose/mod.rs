//! Rules for compose specs. They read the project as Compose assembles it
//! (`formats::compose::ProjectView`): overrides, `extends` and `include` merged, each
//! value with the file it came from.

pub(super) mod local;
#[cfg(test)]
mod tests;
mod unused;

use std::collections::HashSet;

use super::Context;
use crate::diagnostic::Applicability;
use crate::formats::compose::model::{Name, Service};
use crate::project::SpecFile;
use crate::project::compose::ProjectView;
use crate::source::Span;
use crate::source::{FileId, Format};

super::register! {
    undefined_service_reference::UndefinedServiceReference,
    undefined_volume::UndefinedVolume,
    undefined_network::UndefinedNetwork,
    undefined_secret::UndefinedSecret,
    duplicate_host_port::DuplicateHostPort,
    healthcheck_condition_without_healthcheck::HealthcheckConditionWithoutHealthcheck,
    container_name_with_replicas::ContainerNameWithReplicas,
    legacy_compose_format::LegacyComposeFormat,
    removed_compose_key::RemovedComposeKey,
    obsolete_compose_version::ObsoleteComposeVersion,
    legacy_service_link::LegacyServiceLink,
    swarm_ignored_key::SwarmIgnoredKey,
    swarm_rejected_key::SwarmRejectedKey,
    swarm_only_key::SwarmOnlyKey,
    unsupported_stack_version::UnsupportedStackVersion,
    flocker_volume_driver::FlockerVolumeDriver,
    missing_env_file::MissingEnvFile,
    missing_build_context::MissingBuildContext,
    duplicate_container_name::DuplicateContainerName,
    profile_dependency::ProfileDependency,
    port_on_all_interfaces::PortOnAllInterfaces,
    data_store_port_on_all_interfaces::DataStorePortOnAllInterfaces,
    unquoted_port_mapping::UnquotedPortMapping,
    missing_restart_policy::MissingRestartPolicy,
    missing_project_name::MissingProjectName,
    unused_volume::UnusedVolume,
    unused_network::UnusedNetwork,
    unused_secret::UnusedSecret,
    missing_compose_healthcheck::MissingComposeHealthcheck,
    missing_logging_config::MissingLoggingConfig,
    missing_update_config::MissingUpdateConfig,
    build_and_image::BuildAndImage,
}

/// True when the context's project is a Swarm stack, meant for `docker stack
/// deploy` (see `formats::compose::swarm`; classic Swarm ran `docker-compose up`).
fn is_swarm(cx: &Context<'_>) -> bool {
    cx.project.format == Format::Compose
        && cx.model.platform.as_ref().is_some_and(|p| p.id == "swarm")
}

/// A fix as a rule builds it: what it does, how safe it is, and its edits in the
/// finding's file.
type FixEdits = (String, Applicability, Vec<(Span, String)>);

/// Reports each service key of the project's Compose files for which `finding`
/// (given the service's name and the key) returns a message and a help, with the
/// fix `fix` returns (given the file, the service and the key); the finding points
/// at the key.
fn report_service_keys(
    cx: &mut Context<'_>,
    finding: impl Fn(&str, &str) -> Option<(String, String)>,
    fix: impl Fn(&SpecFile, &Service, &Name) -> Option<FixEdits>,
) {
    let files: Vec<_> = cx.project_files().collect();
    for f in files {
        let Some(c) = f.compose() else { continue };
        for s in &c.services {
            for k in &s.keys {
                let Some((message, help)) = finding(&s.name.value, &k.value) else {
                    continue;
                };
                let d = cx.report(f.id, k.span, message);
                d.help = Some(help);
                if let Some((message, applicability, edits)) = fix(f, s, k) {
                    d.fix_with(message, applicability, edits);
                }
            }
        }
    }
}

/// The fix that deletes a service key (its whole entry, line by line), when the
/// key stands on lines of its own and is not the service's only key.
fn remove_key_fix(f: &SpecFile, key: &Name, applicability: Applicability) -> Option<FixEdits> {
    let lines = crate::yaml::edit::removal(&f.text, &f.docs, key.span)?;
    Some((
        format!("Remove `{}`", key.value),
        applicability,
        vec![(lines, String::new())],
    ))
}

/// The check of `swarm-ignored-key` and `swarm-rejected-key`: in a Swarm stack,
/// reports each service key that `keys` lists, with the help it gives; `verb` says
/// what `docker stack deploy` does with the key. With `removal`, each finding
/// carries the fix that deletes the key, of that applicability.
fn report_swarm_keys(
    cx: &mut Context<'_>,
    keys: &[(&str, &str)],
    verb: &str,
    removal: Option<Applicability>,
) {
    if !is_swarm(cx) {
        return;
    }
    report_service_keys(
        cx,
        |service, key| {
            let (_, help) = keys.iter().find(|(k, _)| *k == key)?;
            Some((
                format!("service \"{service}\" sets `{key}`, which `docker stack deploy` {verb}"),
                (*help).to_string(),
            ))
        },
        |f, _, key| removal.and_then(|a| remove_key_fix(f, key, a)),
    );
}

/// The Compose view of the context's project: the engine's, built once per
/// project, or a fresh one for a context built without it.
enum View<'a> {
    Shared(&'a ProjectView<'a>),
    Own(Box<ProjectView<'a>>),
}

impl<'a> std::ops::Deref for View<'a> {
    type Target = ProjectView<'a>;

    fn deref(&self) -> &ProjectView<'a> {
        match self {
            View::Shared(v) => v,
            View::Own(v) => v,
        }
    }
}

/// The Compose view of the context's project, or `None` for other formats.
fn view<'a>(cx: &Context<'a>) -> Option<View<'a>> {
    if cx.project.format != Format::Compose {
        return None;
    }
    Some(match cx.compose {
        Some(v) => View::Shared(v),
        None => View::Own(Box::new(ProjectView::new(cx.project, cx.files))),
    })
}

/// The Compose view of the context's project when it holds every definition its
/// names may refer to: `None` for other formats, for a project that includes a file
/// orchlint did not scan, and for an override file alone (a snippet meant for a main
/// file elsewhere). The `undefined-*` rules read only such a view.
fn whole_view<'a>(cx: &Context<'a>) -> Option<View<'a>> {
    view(cx).filter(|v| !v.missing_include && !v.is_fragment())
}

/// A name a service refers to, and where the reference stands.
struct NameRef<'n> {
    file: FileId,
    span: Span,
    name: &'n str,
}

/// The shared end of the `undefined-*` rules: reports `r` unless `declared` holds its
/// name or its place was already reported. `message` says what refers to the name;
/// the help is a did-you-mean when a declared name is close, `otherwise()` when none is.
fn report_undefined(
    cx: &mut Context<'_>,
    seen: &mut Seen,
    declared: &[&str],
    r: NameRef<'_>,
    message: impl FnOnce() -> String,
    otherwise: impl FnOnce() -> String,
) {
    if declared.contains(&r.name) || !seen.first(r.file, r.span) {
        return;
    }
    let help = match crate::source::closest(r.name, declared.iter().copied()) {
        Some(near) => format!("did you mean \"{near}\"?"),
        None => otherwise(),
    };
    cx.report(r.file, r.span, message()).help = Some(help);
}

/// Places already reported, so a value shared by several services (through
/// `extends`) is reported once.
#[derive(Default)]
struct Seen(HashSet<(FileId, Span)>);

impl Seen {
    fn first(&mut self, file: FileId, span: Span) -> bool {
        self.0.insert((file, span))
    }
}

/// Services that are only started under profiles, none of them shared: they never
/// run together unless both profiles are enabled.
fn exclusive_profiles(a: &[String], b: &[String]) -> bool {
    !a.is_empty() && !b.is_empty() && !a.iter().any(|p| b.contains(p))
}

/// The services that run once and exit: those another service waits for with
/// `condition: service_completed_successfully` (migrations, seeders, init jobs).
fn one_off_services<'v>(view: &'v ProjectView<'_>) -> HashSet<&'v str> {
    view.services
        .iter()
        .flat_map(|s| s.all(|x| &x.depends_on))
        .filter(|(_, d)| {
            d.condition
                .as_ref()
                .is_some_and(|c| c.value.trim() == "service_completed_successfully")
        })
        .map(|(_, d)| d.name.value.as_str())
        .collect()
}
