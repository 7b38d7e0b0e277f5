//! `correctness/ingress-backend-missing`: an Ingress routes to a Service that is not
//! defined, or to a port that Service does not expose.

use super::{closest_name, hint_candidates, named_objects, suggest};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::diagnostic::{Example, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::diagnostic::{Family, Related, Severity};
use crate::formats::kubernetes::tree::At;
use crate::formats::kubernetes::{Body, Object};
use crate::model::PortRef;
use crate::project::SpecFile;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::source::Spanned;

pub(crate) struct IngressBackendMissing;

static META: RuleMeta = RuleMeta {
    name: "ingress-backend-missing",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("dangling-ingress"),
        Peer::KubeScore("ingress-targets-service"),
    ],
    formats: &[Format::Kubernetes],
    summary: "an Ingress routes to a Service that is not defined, or to a port it does not expose",
    what: "Reports an Ingress backend (`spec.defaultBackend`, `spec.backend` and every `rules[].http.paths[].backend`) whose Service — `service.name` in `networking.k8s.io/v1`, `serviceName` in `v1beta1` and `extensions/v1beta1` — neither the Ingress's project nor any other scanned file defines, pointing at the name; and a backend port (`service.port.number` or `service.port.name`, `servicePort`) that the project's Service of that name does not list in its `ports` as a `port` or a port `name`, pointing at the port. An Ingress whose project has no Service at all is left alone: it is kept apart from the Services it routes to, and what it sees says nothing about them. The port is not checked for Services that list no ports, ExternalName Services, or objects named Service that orchlint does not read (Knative Services); `resource` backends and the AWS Load Balancer Controller's `use-annotation` actions are not Services and are skipped. Namespaces are not compared.",
    why: "The ingress controller has no endpoint for such a backend: its requests get a 503 or a 404 from the default backend, while the Ingress itself looks healthy. It usually means a Service was renamed, or its port changed, on one side only.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 8080
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              name: http
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
"#,
    },
};

/// One backend as written: the Service's name and the port, when given.
struct Backend {
    service: Spanned<String>,
    port: Option<Spanned<PortRef>>,
}

/// The backend at `b`, when it names a Service (either API shape).
fn backend(b: At<'_>) -> Option<Backend> {
    let (name, port) = if b.key("service").exists() {
        let s = b.key("service");
        let port = s.path(&["port", "number"]);
        let port = if port.exists() {
            port
        } else {
            s.path(&["port", "name"])
        };
        (s.key("name"), port)
    } else {
        (b.key("serviceName"), b.key("servicePort"))
    };
    let service = name.spanned_str().filter(|n| !n.value.trim().is_empty())?;
    // A numeric string is read as a number, as ingress controllers do.
    let port = port.spanned_str().map(|p| {
        let value = match p.value.trim().parse::<u32>() {
            Ok(n) => PortRef::Number(n),
            Err(_) => PortRef::Name(p.value.trim().to_string()),
        };
        Spanned::new(value, p.span)
    });
    Some(Backend { service, port })
}

/// Every backend of an Ingress, in file order.
fn backends(ingress: At<'_>) -> Vec<Backend> {
    let spec = ingress.key("spec");
    let mut out: Vec<Backend> = ["defaultBackend", "backend"]
        .iter()
        .filter_map(|k| backend(spec.key(k)))
        .collect();
    let rules = spec.key("rules").node().and_then(|n| n.as_sequence());
    for rule in rules.unwrap_or_default() {
        let paths = At::new(rule).path(&["http", "paths"]).node();
        for path in paths.and_then(|n| n.as_sequence()).unwrap_or_default() {
            out.extend(backend(At::new(path).key("backend")));
        }
    }
    out
}

/// What a Service's ports are, when they can be checked: `None` for objects whose
/// ports orchlint cannot tell (untyped, ExternalName, no ports listed).
fn service_ports(obj: &Object) -> Option<Vec<(i32, Option<&str>)>> {
    let Body::Service(spec) = &obj.body else {
        return None;
    };
    if spec.type_.as_deref() == Some("ExternalName") {
        return None;
    }
    let ports: Vec<_> = spec
        .ports
        .iter()
        .flatten()
        .map(|p| (p.port, p.name.as_deref()))
        .collect();
    (!ports.is_empty()).then_some(ports)
}

fn exposes(ports: &[(i32, Option<&str>)], port: &PortRef) -> bool {
    ports.iter().any(|(number, name)| match port {
        PortRef::Number(n) => i64::from(*number) == i64::from(*n),
        PortRef::Name(s) => *name == Some(s.as_str()),
        PortRef::Index(_) => true,
    })
}

fn show_ports(ports: &[(i32, Option<&str>)]) -> String {
    let shown: Vec<String> = ports
        .iter()
        .map(|(n, name)| match name {
            Some(name) => format!("{n} ({name})"),
            None => n.to_string(),
        })
        .collect();
    shown.join(", ")
}

impl Rule for IngressBackendMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let objects = project_objects(cx.project, cx.files);
        let services: Vec<(&SpecFile, &Object)> = objects
            .iter()
            .filter(|(_, o)| o.kind.value == "Service" && o.name.is_some())
            .copied()
            .collect();
        for (file, ingress) in &objects {
            if ingress.kind.value != "Ingress" {
                continue;
            }
            for b in backends(ingress.at(&file.docs)) {
                if matches!(&b.port, Some(p) if p.value == PortRef::Name("use-annotation".into())) {
                    continue;
                }
                let found = named_objects(cx, "Service", &b.service.value);
                if found.is_empty() {
                    if services.is_empty() {
                        continue;
                    }
                    let near = closest_name(hint_candidates(cx, "Service"), &b.service.value);
                    let d = cx.report(
                        file.id,
                        b.service.span,
                        format!(
                            "{} routes to Service \"{}\", which is not defined in the project or any scanned file",
                            ingress.describe(),
                            b.service.value
                        ),
                    );
                    d.help = Some("name a Service of the project, or define the Service".into());
                    suggest(d, near);
                    continue;
                }
                // A Service of the same name in another project may be another
                // app's: only the project's own Services have their ports checked.
                let own = found.iter().all(|(f, _)| cx.project.files.contains(&f.id));
                let Some(port) = b.port.as_ref().filter(|_| own) else {
                    continue;
                };
                let checked: Option<Vec<_>> = found
                    .iter()
                    .map(|(f, o)| service_ports(o).map(|p| (*f, *o, p)))
                    .collect();
                let Some(checked) = checked else {
                    continue;
                };
                if checked
                    .iter()
                    .any(|(_, _, ports)| exposes(ports, &port.value))
                {
                    continue;
                }
                let Some((f, svc, ports)) = checked.first() else {
                    continue;
                };
                let shown = match &port.value {
                    PortRef::Number(n) => format!("port {n}"),
                    PortRef::Name(s) => format!("port \"{s}\""),
                    PortRef::Index(i) => format!("port index {i}"),
                };
                let d = cx.report(
                    file.id,
                    port.span,
                    format!(
                        "{} routes to {shown} of Service \"{}\", which exposes only {}",
                        ingress.describe(),
                        b.service.value,
                        show_ports(ports)
                    ),
                );
                d.help = Some(
                    "use one of the Service's `port` numbers or port names (not the pods' `targetPort`)".into(),
                );
                // The number of a `targetPort`: the Service's port was meant.
                if let (PortRef::Number(n), Body::Service(spec)) = (&port.value, &svc.body)
                    && let Some(p) = spec.ports.iter().flatten().find(|p| {
                        p.target_port == Some(IntOrString::Int(i32::try_from(*n).unwrap_or(-1)))
                    })
                {
                    d.help = Some(format!(
                        "{n} is the pods' `targetPort`; the Service exposes it as port {}",
                        p.port
                    ));
                }
                let at = svc.at(&f.docs);
                d.related.push(Related {
                    file: f.id,
                    span: at.path(&["spec", "ports"]).span_or(svc.anchor()),
                    message: format!("the ports of {}", svc.describe()),
                });
            }
        }
    }
}
