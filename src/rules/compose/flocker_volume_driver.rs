//! `reliability/flocker-volume-driver`: a Compose volume uses the Flocker volume
//! plugin, whose maker shut down in 2016.

use super::view;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::formats::compose::interp::{Env, interpolate};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct FlockerVolumeDriver;

static META: RuleMeta = RuleMeta {
    name: "flocker-volume-driver",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a volume uses the `flocker` volume driver, which is no longer maintained",
    what: "Reports a top-level volume with `driver: flocker` and a service with `volume_driver: flocker`. The finding points at the driver value.",
    why: "ClusterHQ, which made Flocker, shut down in December 2016 and its last release (1.15.0) is from September 2016; Kubernetes removed its in-tree Flocker plugin in 1.25. The data of such a volume lives in datasets only a Flocker control service can attach, on Docker engines of that era: moving the app means moving the data to a maintained volume plugin or a CSI driver first.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata:
    driver: flocker
    driver_opts:
      size: 10GiB
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata: {}
"#,
    },
};

fn is_flocker(value: &str, env: &Env) -> bool {
    interpolate(value, env)
        .value
        .trim()
        .eq_ignore_ascii_case("flocker")
}

impl Rule for FlockerVolumeDriver {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        for fv in &view.files {
            let (f, c, env) = (fv.spec, fv.compose, &fv.env);
            for v in &c.volumes {
                let Some(driver) = &v.driver else { continue };
                if !is_flocker(&driver.value, env) {
                    continue;
                }
                let d = cx.report(
                    f.id,
                    driver.span,
                    format!(
                        "volume \"{}\" uses the `flocker` driver, unmaintained since ClusterHQ shut down in 2016",
                        v.name.value
                    ),
                );
                d.help = Some("move the data to a maintained volume plugin or, on Kubernetes or Nomad, a CSI driver; then change `driver`".into());
            }
            for s in &c.services {
                if !s.keys.iter().any(|k| k.value == "volume_driver") {
                    continue;
                }
                let Some(value) = f
                    .docs
                    .iter()
                    .find_map(|d| {
                        d.get("services")
                            .unwrap_or(d)
                            .get(&s.name.value)?
                            .get("volume_driver")
                    })
                    .filter(|n| n.as_str().is_some_and(|t| is_flocker(t, env)))
                else {
                    continue;
                };
                let d = cx.report(
                    f.id,
                    value.span,
                    format!(
                        "service \"{}\" mounts its volumes with the `flocker` driver, unmaintained since ClusterHQ shut down in 2016",
                        s.name.value
                    ),
                );
                d.help = Some("move the data to a maintained volume plugin or a CSI driver; declare named volumes with that `driver`".into());
            }
        }
    }
}
