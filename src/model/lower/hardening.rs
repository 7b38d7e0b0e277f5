//! Lowering of the Linux hardening settings (`model::Hardening`,
//! `model::WorkloadHardening`) of each format: Kubernetes security contexts and
//! their older annotations, Compose service keys, Marathon Docker parameters.

use k8s_openapi::api::core::v1 as core;

use crate::formats::compose::model::parse_bool;
use crate::formats::kubernetes::tree::At;
use crate::model::{Container, Hardening, Profile, Sysctl, Workload};
use crate::project::compose::view::{Layer, ProjectView, ResolvedService};
use crate::source::{FileId, Loc, Located, Span};
use crate::yaml::Node;

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

/// A Kubernetes profile type (`RuntimeDefault`, `Unconfined`, `Localhost`).
fn k8s_profile(kind: &str) -> Profile {
    match kind {
        "RuntimeDefault" => Profile::RuntimeDefault,
        "Unconfined" => Profile::Unconfined,
        _ => Profile::Custom,
    }
}

/// The entry of a profile field: `type: X` inside it, else the field itself.
fn profile_span(sc_at: At<'_>, key: &str, fallback: Span) -> Span {
    sc_at
        .key(key)
        .entry_span("type")
        .or_else(|| sc_at.entry_span(key))
        .unwrap_or(fallback)
}

/// An annotation of the pod template, with the span of its entry.
fn annotation<'n>(meta_at: At<'n>, name: &str) -> Option<(&'n str, Span)> {
    let annotations = meta_at.key("annotations");
    let value = annotations.key(name).str()?;
    Some((value, annotations.entry_span(name)?))
}

/// A Kubernetes container's settings, its own first, then its pod's.
#[allow(
    clippy::too_many_arguments,
    reason = "the typed values and their places in the tree travel together"
)]
pub(crate) fn kubernetes_container(
    c: &core::Container,
    c_at: At<'_>,
    pod: &core::PodSpec,
    pod_at: At<'_>,
    meta_at: At<'_>,
    file: FileId,
    here: Span,
) -> Hardening {
    let loc = |span: Span| Loc::new(file, span);
    let mut h = Hardening::default();
    let sc = c.security_context.as_ref();
    let sc_at = c_at.key("securityContext");
    let pod_sc = pod.security_context.as_ref();
    let pod_sc_at = pod_at.key("securityContext");

    let drop_at = sc_at.path(&["capabilities", "drop"]);
    for (i, cap) in sc
        .and_then(|s| s.capabilities.as_ref())
        .and_then(|c| c.drop.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        h.cap_drop
            .push(drop_at.index(i).spanned(cap.clone(), here).in_file(file));
    }
    if let Some(v) = sc.and_then(|s| s.allow_privilege_escalation) {
        let span = sc_at.entry_span("allowPrivilegeEscalation").unwrap_or(here);
        h.privilege_escalation = Some(Located::new(v, loc(span)));
    }
    if let Some(v) = sc.and_then(|s| s.read_only_root_filesystem) {
        let span = sc_at.entry_span("readOnlyRootFilesystem").unwrap_or(here);
        h.read_only_root = Some(Located::new(v, loc(span)));
    }
    if let Some(p) = sc.and_then(|s| s.proc_mount.as_ref()) {
        let span = sc_at.entry_span("procMount").unwrap_or(here);
        h.proc_mount = Some(Located::new(p.clone(), loc(span)));
    }

    h.seccomp = if let Some(p) = sc.and_then(|s| s.seccomp_profile.as_ref()) {
        let span = profile_span(sc_at, "seccompProfile", here);
        Some(Located::new(k8s_profile(&p.type_), loc(span)))
    } else if let Some(p) = pod_sc.and_then(|s| s.seccomp_profile.as_ref()) {
        let span = profile_span(pod_sc_at, "seccompProfile", here);
        Some(Located::new(k8s_profile(&p.type_), loc(span)))
    } else {
        let own = format!("{SECCOMP_CONTAINER_ANNOTATION}{}", c.name);
        annotation(meta_at, &own)
            .or_else(|| annotation(meta_at, SECCOMP_POD_ANNOTATION))
            .and_then(|(v, span)| Some(Located::new(Profile::from_text(v)?, loc(span))))
    };
    h.apparmor = if let Some(p) = sc.and_then(|s| s.app_armor_profile.as_ref()) {
        let span = profile_span(sc_at, "appArmorProfile", here);
        Some(Located::new(k8s_profile(&p.type_), loc(span)))
    } else if let Some(p) = pod_sc.and_then(|s| s.app_armor_profile.as_ref()) {
        let span = profile_span(pod_sc_at, "appArmorProfile", here);
        Some(Located::new(k8s_profile(&p.type_), loc(span)))
    } else {
        let own = format!("{APPARMOR_CONTAINER_ANNOTATION}{}", c.name);
        annotation(meta_at, &own)
            .and_then(|(v, span)| Some(Located::new(Profile::from_text(v)?, loc(span))))
    };
    h
}

/// A Kubernetes pod's settings for all its containers.
pub(crate) fn kubernetes_pod(w: &mut Workload, pod: &core::PodSpec, pod_at: At<'_>) {
    let file = w.file();
    let fallback = w.at.span;
    let sysctls_at = pod_at.path(&["securityContext", "sysctls"]);
    for (i, s) in pod
        .security_context
        .as_ref()
        .and_then(|s| s.sysctls.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        w.hardening.sysctls.push(Sysctl {
            name: s.name.replace('/', "."),
            loc: Loc::new(file, sysctls_at.index(i).span_or(fallback)),
        });
    }
    w.hardening.windows = pod.os.as_ref().is_some_and(|os| os.name == "windows");
    w.hardening.own_user_namespace = pod.host_users == Some(false);
}

/// The raw node of one definition of a Compose service (under `services:`, or at the
/// top level of a version 1 file), found by the span of its body.
fn compose_node<'a>(view: &ProjectView<'a>, layer: &Layer<'_>) -> Option<&'a Node> {
    let root = view.files[layer.file].spec.docs.first()?;
    let body = layer.svc.body;
    // Entries sit in source order: a binary search keeps a file of many services
    // linear.
    let find = |entries: &'a [(Node, Node)]| {
        let i = entries
            .binary_search_by_key(&body.start, |(_, v)| v.span.start)
            .ok()?;
        entries.get(i).map(|(_, v)| v).filter(|v| v.span == body)
    };
    root.get("services")
        .and_then(Node::as_mapping)
        .and_then(find)
        .or_else(|| root.as_mapping().and_then(find))
}

/// A Compose value after interpolation; `None` when the scan cannot know it.
fn compose_text(view: &ProjectView<'_>, layer: &Layer<'_>, node: &Node) -> Option<String> {
    let text = node.as_str()?;
    let i = view.interp(layer, text);
    (i.is_literal() || !i.value.trim().is_empty()).then_some(i.value)
}

/// The items of a Compose list key (`cap_drop`, `security_opt`, `devices`).
fn compose_list<'n>(node: &'n Node, key: &str) -> impl Iterator<Item = &'n Node> {
    node.get(key)
        .and_then(Node::as_sequence)
        .into_iter()
        .flatten()
}

/// A Compose service's settings, merged over its layers as Compose merges them:
/// lists add up, a scalar of a later file replaces an earlier one.
pub(crate) fn compose_service(
    view: &ProjectView<'_>,
    s: &ResolvedService<'_>,
    w: &mut Workload,
    c: &mut Container,
) {
    let h = &mut c.hardening;
    // A service completed elsewhere (an `extends` that could not be followed, an
    // override snippet, a file given with `-f` after a base beside it that defines
    // the same service) may get its settings there.
    let defined_beside = view
        .beside
        .iter()
        .any(|f| f.services.iter().any(|x| x.name.value == s.name));
    if s.incomplete || view.is_fragment() || defined_beside {
        h.unresolved = true;
    }
    for layer in &s.layers {
        let Some(node) = compose_node(view, layer) else {
            continue;
        };
        let file = view.file_id(layer);
        let loc = |span: Span| Loc::new(file, span);
        for item in compose_list(node, "cap_drop") {
            match compose_text(view, layer, item) {
                Some(cap) if !cap.trim().is_empty() => {
                    h.cap_drop.push(Located::new(cap, loc(item.span)));
                }
                Some(_) => {}
                None => h.unresolved = true,
            }
        }
        for item in compose_list(node, "security_opt") {
            let Some(opt) = compose_text(view, layer, item) else {
                h.unresolved = true;
                continue;
            };
            security_opt(h, &opt, loc(item.span));
        }
        for item in compose_list(node, "devices") {
            let text = match item.as_mapping() {
                Some(_) => item
                    .get("source")
                    .and_then(|n| compose_text(view, layer, n)),
                None => compose_text(view, layer, item),
            };
            if let Some(d) = text.filter(|d| !d.trim().is_empty()) {
                h.devices.push(Located::new(d, loc(item.span)));
            }
        }
        if let Some((k, v)) = node.entry("read_only") {
            let span = k.span.cover(v.span);
            match compose_text(view, layer, v).as_deref().and_then(parse_bool) {
                Some(b) => h.read_only_root = Some(Located::new(b, loc(span))),
                None => h.unresolved = true,
            }
        }
        for (key, slot) in [
            ("uts", &mut w.hardening.host_uts),
            ("userns_mode", &mut w.hardening.host_userns),
        ] {
            if let Some((k, v)) = node.entry(key) {
                let host = compose_text(view, layer, v).is_some_and(|t| t.trim() == "host");
                *slot = host.then(|| loc(k.span.cover(v.span)));
            }
        }
        compose_sysctls(view, layer, node, w, file);
    }
}

/// Compose `sysctls`, as a mapping or a list of `name=value`; a later file's value
/// for a name replaces an earlier one.
fn compose_sysctls(
    view: &ProjectView<'_>,
    layer: &Layer<'_>,
    node: &Node,
    w: &mut Workload,
    file: FileId,
) {
    let Some(sysctls) = node.get("sysctls") else {
        return;
    };
    let mut found: Vec<Sysctl> = Vec::new();
    if let Some(entries) = sysctls.as_mapping() {
        for (k, v) in entries {
            let Some(name) = k.as_str() else { continue };
            found.push(Sysctl {
                name: name.trim().replace('/', "."),
                loc: Loc::new(file, k.span.cover(v.span)),
            });
        }
    } else if let Some(items) = sysctls.as_sequence() {
        for item in items {
            let Some(text) = compose_text(view, layer, item) else {
                continue;
            };
            let name = text.split_once('=').map_or(text.as_str(), |(n, _)| n);
            found.push(Sysctl {
                name: name.trim().replace('/', "."),
                loc: Loc::new(file, item.span),
            });
        }
    }
    for s in found {
        w.hardening.sysctls.retain(|old| old.name != s.name);
        w.hardening.sysctls.push(s);
    }
}

/// One `--security-opt` value (`seccomp=unconfined`, `apparmor:unconfined`,
/// `no-new-privileges`, `no-new-privileges:true`); Compose and Docker take `:` or `=`.
fn security_opt(h: &mut Hardening, opt: &str, at: Loc) {
    let opt = opt.trim();
    let (key, value) = match opt.find([':', '=']) {
        Some(i) => (&opt[..i], Some(&opt[i + 1..])),
        None => (opt, None),
    };
    match key.trim().to_ascii_lowercase().as_str() {
        "seccomp" => {
            if let Some(p) = value.and_then(Profile::from_text) {
                h.seccomp = Some(Located::new(p, at));
            }
        }
        "apparmor" => {
            if let Some(p) = value.and_then(Profile::from_text) {
                h.apparmor = Some(Located::new(p, at));
            }
        }
        "no-new-privileges" => {
            let on = value.map_or(Some(true), parse_bool);
            if let Some(on) = on {
                h.privilege_escalation = Some(Located::new(!on, at));
            }
        }
        _ => {}
    }
}

/// A Marathon Docker parameter (`--key=value` of `docker run`) that sets a
/// hardening option. `key` is lowercase without leading dashes.
pub(crate) fn marathon_parameter(
    key: &str,
    value: &str,
    at: Loc,
    w: &mut Workload,
    c: &mut Container,
) {
    let h = &mut c.hardening;
    match key {
        "cap-drop" if !value.is_empty() => h.cap_drop.push(Located::new(value.to_string(), at)),
        "security-opt" => security_opt(h, value, at),
        "read-only" => {
            if let Some(b) = if value.is_empty() {
                Some(true)
            } else {
                parse_bool(value)
            } {
                h.read_only_root = Some(Located::new(b, at));
            }
        }
        "device" if !value.is_empty() => h.devices.push(Located::new(value.to_string(), at)),
        "sysctl" => {
            let name = value.split_once('=').map_or(value, |(n, _)| n);
            w.hardening.sysctls.push(Sysctl {
                name: name.trim().replace('/', "."),
                loc: at,
            });
        }
        "uts" if value.eq_ignore_ascii_case("host") => {
            w.hardening.host_uts.get_or_insert(at);
        }
        "userns" if value.eq_ignore_ascii_case("host") => {
            w.hardening.host_userns.get_or_insert(at);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::security_opt;
    use crate::model::{Hardening, Profile};
    use crate::source::{FileId, Loc, Span};

    fn read(opts: &[&str]) -> Hardening {
        let mut h = Hardening::default();
        for o in opts {
            security_opt(&mut h, o, Loc::new(FileId(0), Span::new(0, 1)));
        }
        h
    }

    #[test]
    fn security_options_in_both_spellings() {
        let h = read(&["seccomp=unconfined", "apparmor:unconfined"]);
        assert_eq!(h.seccomp.map(|p| p.value), Some(Profile::Unconfined));
        assert_eq!(h.apparmor.map(|p| p.value), Some(Profile::Unconfined));
        let h = read(&["seccomp:./profile.json", "label:disable"]);
        assert_eq!(h.seccomp.map(|p| p.value), Some(Profile::Custom));
        assert!(h.apparmor.is_none());
    }

    /// Lists add up over the override file, a scalar of the override replaces the
    /// base's, and each setting keeps the file it is written in.
    #[test]
    fn compose_settings_merge_over_override_files() {
        use crate::testing::compose::{at_loc, load, projects};
        let base = "services:\n  web:\n    image: nginx:1.27\n    read_only: false\n    cap_drop: [NET_RAW]\n    sysctls:\n      net.core.somaxconn: 128\n";
        let over = "services:\n  web:\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: [\"seccomp:unconfined\"]\n    uts: host\n    sysctls: [\"net.core.somaxconn=1024\"]\n";
        let (files, diags) = load(&[
            ("/p/compose.yaml", base),
            ("/p/compose.override.yaml", over),
        ]);
        assert!(diags.is_empty());
        let project = projects(&files).remove(0);
        let model = crate::model::lower::compose::lower(&project, &files);
        let w = &model.workloads[0];
        let h = &w.containers[0].hardening;
        let drops: Vec<&str> = h.cap_drop.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(drops, ["NET_RAW", "ALL"]);
        let ro = h.read_only_root.as_ref().unwrap();
        assert!(ro.value);
        assert_eq!(at_loc(&files, ro.loc), "read_only: true");
        assert_eq!(ro.loc.file, FileId(1));
        assert_eq!(
            h.seccomp.as_ref().map(|p| &p.value),
            Some(&Profile::Unconfined)
        );
        assert!(!h.unresolved);
        let uts = w.hardening.host_uts.unwrap();
        assert_eq!(at_loc(&files, uts), "uts: host");
        assert_eq!(
            w.hardening.sysctls.len(),
            1,
            "the override's value replaces the base's"
        );
        assert_eq!(
            at_loc(&files, w.hardening.sysctls[0].loc),
            "\"net.core.somaxconn=1024\""
        );
    }

    /// A container's own profile wins over its pod's; without either, the older
    /// annotations count.
    #[test]
    fn kubernetes_profiles_container_first_then_pod_then_annotations() {
        use crate::testing::kubernetes::spec_files;
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/b: unconfined\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n    sysctls:\n      - name: kernel/shm_rmid_forced\n        value: \"1\"\n  containers:\n    - name: a\n      image: x:1\n      securityContext:\n        seccompProfile:\n          type: Unconfined\n        allowPrivilegeEscalation: false\n        capabilities:\n          drop: [ALL]\n    - name: b\n      image: x:1\n";
        let (files, diags) = spec_files(&[("/p/pod.yaml", yaml)]);
        assert!(diags.is_empty(), "{diags:?}");
        let refs: Vec<&crate::project::SpecFile> = files.iter().collect();
        let project = crate::project::kubernetes::group(&refs).remove(0);
        let model = crate::model::lower::kubernetes::lower(&project, &files);
        let w = &model.workloads[0];
        let (a, b) = (&w.containers[0].hardening, &w.containers[1].hardening);
        assert_eq!(
            a.seccomp.as_ref().map(|p| &p.value),
            Some(&Profile::Unconfined)
        );
        assert_eq!(
            b.seccomp.as_ref().map(|p| &p.value),
            Some(&Profile::RuntimeDefault)
        );
        assert_eq!(
            a.privilege_escalation.as_ref().map(|p| p.value),
            Some(false)
        );
        assert_eq!(a.cap_drop.len(), 1);
        assert!(a.apparmor.is_none());
        assert_eq!(
            b.apparmor.as_ref().map(|p| &p.value),
            Some(&Profile::Unconfined)
        );
        assert_eq!(w.hardening.sysctls[0].name, "kernel.shm_rmid_forced");
    }

    #[test]
    fn no_new_privileges_with_or_without_value() {
        let value = |o: &str| read(&[o]).privilege_escalation.map(|p| p.value);
        assert_eq!(value("no-new-privileges"), Some(false));
        assert_eq!(value("no-new-privileges:true"), Some(false));
        assert_eq!(value("no-new-privileges=false"), Some(true));
        assert_eq!(value("no-new-privileges:maybe"), None);
    }
}
