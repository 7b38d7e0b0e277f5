//! What kube-apiserver's validation rejects in an object that read into its
//! k8s-openapi type: values outside an enum or a form, and required fields left out.
//! The typed object gives the values; the tree, walked along the same path, gives
//! each value's place.

use k8s_openapi::api::core::v1::{Container, PodSpec, ServiceSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

use super::forms;
use crate::formats::kubernetes::tree::At;
use crate::formats::kubernetes::{Body, Object};
use crate::source::Span;
use crate::yaml::Node;

/// The findings of one object, by rule.
#[derive(Default)]
pub(super) struct Findings {
    /// Keys a custom resource's schema does not have.
    pub(super) unknown: Vec<(Span, String)>,
    pub(super) invalid: Vec<(Span, String)>,
    pub(super) missing: Vec<(Span, String)>,
}

const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];
const JOB_RESTART_POLICIES: &[&str] = &["OnFailure", "Never"];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
const SERVICE_TYPES: &[&str] = &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
const DNS_POLICIES: &[&str] = &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const DEPLOYMENT_STRATEGIES: &[&str] = &["RollingUpdate", "Recreate"];
const SET_UPDATE_STRATEGIES: &[&str] = &["RollingUpdate", "OnDelete"];
const POD_MANAGEMENT_POLICIES: &[&str] = &["OrderedReady", "Parallel"];
const CONCURRENCY_POLICIES: &[&str] = &["Allow", "Forbid", "Replace"];
const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

const LABEL_KEY_FORM: &str = "an optional DNS subdomain prefix and '/', then a name of at most 63 characters: alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
const LABEL_VALUE_FORM: &str = "at most 63 characters: empty, or alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
const DNS_LABEL_FORM: &str = "a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit";
const DNS_SUBDOMAIN_FORM: &str = "a DNS-1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit";
const DNS1035_FORM: &str = "a DNS-1035 label: at most 63 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit";
const PORT_NAME_FORM: &str = "an IANA service name: at most 15 lowercase letters, digits or '-', with at least one letter, no '-' at either end and no \"--\"";
const QUANTITY_FORM: &str = "a quantity: a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei; n, u, m, k, M, G, T, P, E; or an exponent such as e3), like 500m, 0.5 or 128Mi";

/// A form's test and its description.
type Form = (fn(&str) -> bool, &'static str);

/// How the name of a kind is validated, for the kinds whose rule is known: `None`
/// for the others, which are not checked.
fn name_form(group: &str, version: &str, kind: &str) -> Option<Form> {
    let core = group.is_empty() && version == "v1";
    let subdomain = (
        forms::dns1123_subdomain as fn(&str) -> bool,
        DNS_SUBDOMAIN_FORM,
    );
    Some(match (group, kind) {
        ("", "Service") if core => (forms::dns1035_label, DNS1035_FORM),
        ("", "Namespace") if core => (forms::dns1123_label, DNS_LABEL_FORM),
        (
            "",
            "Pod"
            | "ReplicationController"
            | "PersistentVolumeClaim"
            | "PersistentVolume"
            | "ConfigMap"
            | "Secret"
            | "ServiceAccount",
        ) if core => subdomain,
        ("apps", "Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet") => subdomain,
        ("batch", "Job" | "CronJob") => subdomain,
        ("autoscaling", "HorizontalPodAutoscaler") => subdomain,
        _ => return None,
    })
}

/// The owner of a pod template decides which restart policies it may have.
#[derive(Clone, Copy, PartialEq)]
enum Owner {
    Pod,
    /// Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers.
    Controller,
    /// Jobs and CronJobs.
    Job,
}

struct Check<'a> {
    who: String,
    anchor: Span,
    out: &'a mut Findings,
}

/// Where a finding about a mapping that lacks a key points: its first key (the
/// line the mapping starts on), or the node itself.
fn head(node: &Node) -> Span {
    node.as_mapping()
        .and_then(|m| m.first())
        .map_or(node.span, |(k, _)| k.span)
}

/// Whether a key is written with a value other than null, empty or zero: then a
/// typed value that is empty or zero was taken out by the reader as a value of
/// the wrong type (`syntax/wrong-type` says so), not left out.
fn written(at: At<'_>, key: &str) -> bool {
    at.key(key).node().is_some_and(|n| {
        !n.is_null() && n.as_str().is_none_or(|t| !t.trim().is_empty() && t != "0")
    })
}

/// The span of a key in the mapping at `at`.
fn key_span(at: At<'_>, key: &str) -> Option<Span> {
    at.node()?.entry(key).map(|(k, _)| k.span)
}

fn list(values: &[&str]) -> String {
    values.join(", ")
}

impl Check<'_> {
    fn invalid(&mut self, span: Span, path: &str, message: String) {
        self.out
            .invalid
            .push((span, format!("{}: {path}: {message}", self.who)));
    }

    fn missing(&mut self, span: Span, path: &str, message: &str) {
        let text = if message.is_empty() {
            format!("{}: {path} is required", self.who)
        } else {
            format!("{}: {path} is required: {message}", self.who)
        };
        self.out.missing.push((span, text));
    }

    /// Where a finding about a missing key of the mapping at `at` points.
    fn lacking(&self, at: At<'_>) -> Span {
        at.node().map_or(self.anchor, head)
    }

    fn one_of(&mut self, at: At<'_>, path: &str, value: Option<&str>, allowed: &[&str]) {
        let Some(v) = value else { return };
        if allowed.contains(&v) || forms::templated(v) {
            return;
        }
        let span = at.span_or(self.anchor);
        let message = if allowed.len() == 1 {
            format!(
                "`{v}` is not accepted here; the only accepted value is {}",
                allowed[0]
            )
        } else {
            format!("`{v}` is not one of {}", list(allowed))
        };
        self.invalid(span, path, message);
    }

    fn form(&mut self, at: At<'_>, path: &str, value: &str, ok: fn(&str) -> bool, form: &str) {
        if ok(value) || forms::templated(value) {
            return;
        }
        let span = at.span_or(self.anchor);
        self.invalid(span, path, format!("`{value}` is not {form}"));
    }

    fn port_number(&mut self, at: At<'_>, path: &str, n: i32) {
        if !(1..=65535).contains(&n) {
            let span = at.span_or(self.anchor);
            self.invalid(span, path, format!("{n} is not a port number (1-65535)"));
        }
    }

    fn labels(&mut self, at: At<'_>, path: &str, labels: Option<&BTreeMap<String, String>>) {
        let Some(labels) = labels else { return };
        // The tree is searched only for a label that is wrong: a search per label
        // would cost quadratic time on objects with thousands of labels.
        for (k, v) in labels {
            let entry = || at.node().and_then(|n| n.entry(k));
            if !forms::label_key(k) && !forms::templated(k) {
                let key_at = entry().map_or(At(None), |(k, _)| At(Some(k)));
                let span = key_at.span_or(at.span_or(self.anchor));
                self.invalid(
                    span,
                    &format!("{path}.{k}"),
                    format!("the label key `{k}` is not {LABEL_KEY_FORM}"),
                );
            }
            if !forms::label_value(v) && !forms::templated(v) {
                let value_at = entry().map_or(At(None), |(_, v)| At(Some(v)));
                let span = value_at.span_or(at.span_or(self.anchor));
                self.invalid(
                    span,
                    &format!("{path}.{k}"),
                    format!("the label value `{v}` is not {LABEL_VALUE_FORM}"),
                );
            }
        }
    }

    fn quantities(&mut self, at: At<'_>, path: &str, map: Option<&BTreeMap<String, Quantity>>) {
        let Some(map) = map else { return };
        for (name, q) in map {
            let value = &q.0;
            if forms::templated(value) {
                continue;
            }
            let here = at.key(name);
            let p = format!("{path}.{name}");
            match forms::quantity(value) {
                None => {
                    let span = here.span_or(self.anchor);
                    self.invalid(span, &p, format!("`{value}` is not {QUANTITY_FORM}"));
                }
                Some(true) => {
                    let span = here.span_or(self.anchor);
                    self.invalid(
                        span,
                        &p,
                        format!("`{value}` is negative; it must be 0 or more"),
                    );
                }
                Some(false) => {}
            }
        }
    }

    fn access_modes(&mut self, at: At<'_>, path: &str, modes: Option<&Vec<String>>) {
        for (i, m) in modes.into_iter().flatten().enumerate() {
            self.one_of(at.index(i), &format!("{path}[{i}]"), Some(m), ACCESS_MODES);
        }
    }

    fn pod_spec(&mut self, spec: &PodSpec, at: At<'_>, key: Span, path: &str, owner: Owner) {
        let restart = spec.restart_policy.as_deref();
        let restart_at = at.key("restartPolicy");
        let restart_path = format!("{path}.restartPolicy");
        match owner {
            Owner::Pod => self.one_of(restart_at, &restart_path, restart, RESTART_POLICIES),
            Owner::Controller => self.one_of(restart_at, &restart_path, restart, &["Always"]),
            Owner::Job => match restart {
                Some(_) => self.one_of(restart_at, &restart_path, restart, JOB_RESTART_POLICIES),
                None => {
                    self.missing(
                        key,
                        &restart_path,
                        "OnFailure or Never (the default, Always, is rejected for a Job's pods)",
                    );
                }
            },
        }
        self.one_of(
            at.key("dnsPolicy"),
            &format!("{path}.dnsPolicy"),
            spec.dns_policy.as_deref(),
            DNS_POLICIES,
        );
        if spec.containers.is_empty() {
            let span = key_span(at, "containers").unwrap_or(key);
            self.missing(
                span,
                &format!("{path}.containers"),
                "at least one container",
            );
        }
        let groups = [
            ("containers", Some(&spec.containers)),
            ("initContainers", spec.init_containers.as_ref()),
        ];
        for (key, containers) in groups {
            for (i, c) in containers.into_iter().flatten().enumerate() {
                self.container(c, at.key(key).index(i), &format!("{path}.{key}[{i}]"));
            }
        }
    }

    fn container(&mut self, c: &Container, at: At<'_>, path: &str) {
        if c.name.is_empty() && !written(at, "name") {
            let span = self.lacking(at);
            self.missing(span, &format!("{path}.name"), "");
        } else if !c.name.is_empty() {
            self.form(
                at.key("name"),
                &format!("{path}.name"),
                &c.name,
                forms::dns1123_label,
                DNS_LABEL_FORM,
            );
        }
        if c.image.as_deref().is_none_or(str::is_empty) && !written(at, "image") {
            let span = self.lacking(at);
            self.missing(span, &format!("{path}.image"), "");
        }
        self.one_of(
            at.key("imagePullPolicy"),
            &format!("{path}.imagePullPolicy"),
            c.image_pull_policy.as_deref(),
            PULL_POLICIES,
        );
        for (i, p) in c.ports.iter().flatten().enumerate() {
            let p_at = at.key("ports").index(i);
            let p_path = format!("{path}.ports[{i}]");
            if p.container_port != 0 {
                self.port_number(
                    p_at.key("containerPort"),
                    &format!("{p_path}.containerPort"),
                    p.container_port,
                );
            } else if !written(p_at, "containerPort") {
                let span = self.lacking(p_at);
                self.missing(span, &format!("{p_path}.containerPort"), "");
            }
            if let Some(h) = p.host_port.filter(|h| *h != 0) {
                self.port_number(p_at.key("hostPort"), &format!("{p_path}.hostPort"), h);
            }
            if let Some(name) = &p.name {
                self.form(
                    p_at.key("name"),
                    &format!("{p_path}.name"),
                    name,
                    forms::iana_svc_name,
                    PORT_NAME_FORM,
                );
            }
            self.one_of(
                p_at.key("protocol"),
                &format!("{p_path}.protocol"),
                p.protocol.as_deref(),
                PROTOCOLS,
            );
        }
        for (i, e) in c.env.iter().flatten().enumerate() {
            let e_at = at.key("env").index(i);
            if e.name.is_empty() && !written(e_at, "name") {
                let span = self.lacking(e_at);
                self.missing(span, &format!("{path}.env[{i}].name"), "");
            }
        }
        for (i, m) in c.volume_mounts.iter().flatten().enumerate() {
            let m_at = at.key("volumeMounts").index(i);
            for (key, value) in [("name", &m.name), ("mountPath", &m.mount_path)] {
                if value.is_empty() && !written(m_at, key) {
                    let span = self.lacking(m_at);
                    self.missing(span, &format!("{path}.volumeMounts[{i}].{key}"), "");
                }
            }
        }
        if let Some(r) = &c.resources {
            let r_at = at.key("resources");
            for (key, map) in [
                ("requests", r.requests.as_ref()),
                ("limits", r.limits.as_ref()),
            ] {
                self.quantities(r_at.key(key), &format!("{path}.resources.{key}"), map);
            }
        }
    }

    fn service(&mut self, spec: &ServiceSpec, at: At<'_>, key: Span) {
        self.one_of(
            at.key("type"),
            "spec.type",
            spec.type_.as_deref(),
            SERVICE_TYPES,
        );
        let ports = spec.ports.as_deref().unwrap_or_default();
        let headless = spec.cluster_ip.as_deref() == Some("None");
        let external = spec.type_.as_deref() == Some("ExternalName");
        if ports.is_empty() && !headless && !external {
            let span = key_span(at, "ports").unwrap_or(key);
            self.missing(
                span,
                "spec.ports",
                "at least one port, unless the Service is headless (clusterIP: None) or an ExternalName",
            );
        }
        for (i, p) in ports.iter().enumerate() {
            let p_at = at.key("ports").index(i);
            let path = format!("spec.ports[{i}]");
            if p.port != 0 {
                self.port_number(p_at.key("port"), &format!("{path}.port"), p.port);
            } else if !written(p_at, "port") {
                let span = self.lacking(p_at);
                self.missing(span, &format!("{path}.port"), "");
            }
            match &p.name {
                Some(name) if !name.is_empty() => {
                    self.form(
                        p_at.key("name"),
                        &format!("{path}.name"),
                        name,
                        forms::dns1123_label,
                        DNS_LABEL_FORM,
                    );
                }
                _ if ports.len() > 1 && !written(p_at, "name") => {
                    let span = self.lacking(p_at);
                    self.missing(
                        span,
                        &format!("{path}.name"),
                        "every port of a Service with several ports needs a name",
                    );
                }
                _ => {}
            }
            match &p.target_port {
                Some(IntOrString::Int(n)) if *n != 0 => {
                    self.port_number(p_at.key("targetPort"), &format!("{path}.targetPort"), *n);
                }
                Some(IntOrString::String(s)) => {
                    self.form(
                        p_at.key("targetPort"),
                        &format!("{path}.targetPort"),
                        s,
                        forms::iana_svc_name,
                        PORT_NAME_FORM,
                    );
                }
                _ => {}
            }
            if let Some(n) = p.node_port.filter(|n| *n != 0) {
                self.port_number(p_at.key("nodePort"), &format!("{path}.nodePort"), n);
            }
            self.one_of(
                p_at.key("protocol"),
                &format!("{path}.protocol"),
                p.protocol.as_deref(),
                PROTOCOLS,
            );
        }
    }
}

/// Checks one object (its file's documents given) and returns what it finds.
pub(super) fn check(obj: &Object, docs: &[Node]) -> Findings {
    let mut out = Findings::default();
    let at = obj.at(docs);
    let mut cx = Check {
        who: obj.describe(),
        anchor: obj.anchor(),
        out: &mut out,
    };
    let (group, version) = obj
        .api_version
        .value
        .split_once('/')
        .unwrap_or(("", &obj.api_version.value));
    let (group, version) = (group.trim(), version.trim());
    let kind = obj.kind.value.as_str();

    // metadata.name
    if let Some((ok, form)) = name_form(group, version, kind) {
        let generated = obj
            .metadata
            .generate_name
            .as_deref()
            .is_some_and(|g| !g.is_empty());
        match &obj.name {
            Some(name) => {
                let name_at = at.path(&["metadata", "name"]);
                cx.form(name_at, "metadata.name", &name.value, ok, form);
                if kind == "CronJob" && name.value.len() > 52 && !forms::templated(&name.value) {
                    cx.invalid(
                        name.span,
                        "metadata.name",
                        format!(
                            "`{}` is {} characters long; a CronJob's name may have at most 52",
                            name.value,
                            name.value.len()
                        ),
                    );
                }
            }
            None if !generated => {
                let span = key_span(at, "metadata").unwrap_or(obj.anchor());
                cx.missing(span, "metadata.name", "");
            }
            None => {}
        }
    }
    // metadata.namespace of the namespaced kinds that are checked.
    let cluster_scoped = matches!(kind, "Namespace" | "PersistentVolume");
    if name_form(group, version, kind).is_some()
        && !cluster_scoped
        && let Some(ns) = obj.metadata.namespace.as_deref().filter(|n| !n.is_empty())
    {
        cx.form(
            at.path(&["metadata", "namespace"]),
            "metadata.namespace",
            ns,
            forms::dns1123_label,
            DNS_LABEL_FORM,
        );
    }
    let meta_at = at.path(&["metadata", "labels"]);
    cx.labels(meta_at, "metadata.labels", obj.metadata.labels.as_ref());

    let spec_at = at.key("spec");
    let spec_key = key_span(at, "spec").unwrap_or(obj.anchor());
    let apps_v1 = group == "apps" && version == "v1";
    // The kinds whose spec is required and was left out entirely.
    if matches!(obj.body, Body::Untyped) && !spec_at.exists() {
        let needs_spec = match (group, kind) {
            ("", "Pod" | "ReplicationController" | "PersistentVolumeClaim") => version == "v1",
            ("apps", "Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet") => true,
            ("batch", "Job" | "CronJob") => true,
            _ => false,
        };
        if needs_spec {
            let span = obj.anchor();
            cx.missing(span, "spec", "");
        }
        return out;
    }

    // Each pod template, with its owner and whether the template was written.
    let template = obj.pod_template();
    let owner = match &obj.body {
        Body::Pod(_) => Owner::Pod,
        Body::Job(_) | Body::CronJob(_) => Owner::Job,
        _ => Owner::Controller,
    };
    match &obj.body {
        Body::Deployment(s) => {
            let t = s.strategy.as_ref().and_then(|s| s.type_.as_deref());
            cx.one_of(
                spec_at.path(&["strategy", "type"]),
                "spec.strategy.type",
                t,
                DEPLOYMENT_STRATEGIES,
            );
        }
        Body::StatefulSet(s) => {
            let t = s.update_strategy.as_ref().and_then(|s| s.type_.as_deref());
            cx.one_of(
                spec_at.path(&["updateStrategy", "type"]),
                "spec.updateStrategy.type",
                t,
                SET_UPDATE_STRATEGIES,
            );
            cx.one_of(
                spec_at.key("podManagementPolicy"),
                "spec.podManagementPolicy",
                s.pod_management_policy.as_deref(),
                POD_MANAGEMENT_POLICIES,
            );
            for (i, pvc) in s.volume_claim_templates.iter().flatten().enumerate() {
                let p_at = spec_at.key("volumeClaimTemplates").index(i);
                if let Some(ps) = &pvc.spec {
                    cx.access_modes(
                        p_at.path(&["spec", "accessModes"]),
                        &format!("spec.volumeClaimTemplates[{i}].spec.accessModes"),
                        ps.access_modes.as_ref(),
                    );
                }
            }
        }
        Body::DaemonSet(s) => {
            let t = s.update_strategy.as_ref().and_then(|s| s.type_.as_deref());
            cx.one_of(
                spec_at.path(&["updateStrategy", "type"]),
                "spec.updateStrategy.type",
                t,
                SET_UPDATE_STRATEGIES,
            );
        }
        Body::CronJob(s) => {
            cx.one_of(
                spec_at.key("concurrencyPolicy"),
                "spec.concurrencyPolicy",
                s.concurrency_policy.as_deref(),
                CONCURRENCY_POLICIES,
            );
            if s.schedule.trim().is_empty() && !written(spec_at, "schedule") {
                let span = key_span(spec_at, "schedule").unwrap_or(spec_key);
                cx.missing(
                    span,
                    "spec.schedule",
                    "a cron schedule such as \"*/5 * * * *\"",
                );
            }
            if !spec_at.key("jobTemplate").exists() {
                cx.missing(spec_key, "spec.jobTemplate", "");
                return out;
            }
        }
        Body::Service(s) => cx.service(s, spec_at, spec_key),
        Body::PersistentVolumeClaim(s) => {
            cx.access_modes(
                spec_at.key("accessModes"),
                "spec.accessModes",
                s.access_modes.as_ref(),
            );
            if let Some(r) = &s.resources {
                let r_at = spec_at.key("resources");
                for (key, map) in [
                    ("requests", r.requests.as_ref()),
                    ("limits", r.limits.as_ref()),
                ] {
                    cx.quantities(r_at.key(key), &format!("spec.resources.{key}"), map);
                }
            }
        }
        Body::PersistentVolume(s) => {
            cx.access_modes(
                spec_at.key("accessModes"),
                "spec.accessModes",
                s.access_modes.as_ref(),
            );
            cx.quantities(
                spec_at.key("capacity"),
                "spec.capacity",
                s.capacity.as_ref(),
            );
        }
        _ => {}
    }

    // The selector apps/v1 requires.
    if apps_v1
        && matches!(
            obj.body,
            Body::Deployment(_) | Body::StatefulSet(_) | Body::DaemonSet(_) | Body::ReplicaSet(_)
        )
        && spec_at.key("selector").node().is_none_or(Node::is_null)
    {
        cx.missing(
            spec_key,
            "spec.selector",
            "apps/v1 no longer derives it from the template's labels",
        );
    }
    let replicas = match &obj.body {
        Body::Deployment(s) => s.replicas,
        Body::StatefulSet(s) => s.replicas,
        Body::ReplicaSet(s) => s.replicas,
        Body::ReplicationController(s) => s.replicas,
        _ => None,
    };
    if let Some(n) = replicas.filter(|n| *n < 0) {
        let span = spec_at.key("replicas").span_or(spec_key);
        cx.invalid(
            span,
            "spec.replicas",
            format!("{n} is not a replica count: it must be 0 or more"),
        );
    }
    if let Some((crate::formats::kubernetes::model::Selector::Label(sel), path)) = obj.selector() {
        let sel_at = at.path(path).key("matchLabels");
        let p = format!("{}.matchLabels", path.join("."));
        cx.labels(sel_at, &p, sel.match_labels.as_ref());
    }

    let Some(t) = template else {
        return out;
    };
    if t.path.is_empty() {
        if let Some(spec) = t.spec {
            cx.pod_spec(spec, spec_at, spec_key, "spec", owner);
        }
        return out;
    }
    let t_at = at.path(t.path);
    let t_path = t.path.join(".");
    if t_at.node().is_none_or(Node::is_null) {
        // The key of the template's parent: `spec`, or a CronJob's
        // `spec.jobTemplate.spec`.
        let (last, parent) = t.path[..t.path.len() - 1]
            .split_last()
            .unwrap_or((&"spec", &[]));
        let span = key_span(at.path(parent), last).unwrap_or(spec_key);
        cx.missing(span, &t_path, "the pod template to run");
        return out;
    }
    cx.labels(
        t_at.path(&["metadata", "labels"]),
        &format!("{t_path}.metadata.labels"),
        t.labels,
    );
    match t.spec {
        Some(spec) => {
            let key = key_span(t_at, "spec").unwrap_or(spec_key);
            cx.pod_spec(
                spec,
                t_at.key("spec"),
                key,
                &format!("{t_path}.spec"),
                owner,
            );
        }
        None => {
            let span =
                key_span(at.path(&t.path[..t.path.len() - 1]), "template").unwrap_or(spec_key);
            cx.missing(
                span,
                &format!("{t_path}.spec.containers"),
                "at least one container",
            );
        }
    }
    out
}
