//! `correctness/container-name-with-replicas`: a service with a fixed container name
//! asks for several replicas.

use super::view;
use crate::diagnostic::{Example, RuleMeta};
use crate::diagnostic::Tier;
use crate::diagnostic::{Family, Related, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ContainerNameWithReplicas;

static META: RuleMeta = RuleMeta {
    name: "container-name-with-replicas",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service with a fixed `container_name` asks for more than one replica",
    what: "Reports `container_name` on a service whose `deploy.replicas` (or `scale`) is more than 1, after interpolation and with override files merged. The finding points at the `container_name` entry and names the replica count.",
    why: "Container names are unique on a host, so Compose cannot create a second container with that name and refuses to scale the service. (`docker stack deploy` ignores `container_name`, so the same file behaves differently there.)",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  worker:
    image: example/worker:2.3
    container_name: worker
    deploy:
      replicas: 3
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  worker:
    image: example/worker:2.3
    deploy:
      replicas: 3
"#,
    },
};

impl Rule for ContainerNameWithReplicas {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        for s in &view.services {
            let Some((name_layer, name)) = s.last(|x| x.container_name.as_ref()) else {
                continue;
            };
            let replicas = s
                .last(|x| x.deploy.as_ref()?.replicas.as_ref())
                .or_else(|| s.last(|x| x.scale.as_ref()));
            let Some((layer, entry)) = replicas else {
                continue;
            };
            let text = view.interp(&layer, &entry.value.value.0).value;
            let Ok(n) = text.trim().parse::<u32>() else {
                continue;
            };
            if n <= 1 {
                continue;
            }
            let container = view.interp(&name_layer, &name.value.value).value;
            let d = cx.report(
                view.file_id(&name_layer),
                name.span(),
                format!(
                    "service \"{}\" sets container_name \"{container}\" but asks for {n} replicas",
                    s.name
                ),
            );
            d.help = Some(
                "remove `container_name` (Compose names each replica itself), or run one replica"
                    .into(),
            );
            d.related.push(Related {
                file: view.file_id(&layer),
                span: entry.span(),
                message: format!("{n} replicas asked here"),
            });
        }
    }
}
