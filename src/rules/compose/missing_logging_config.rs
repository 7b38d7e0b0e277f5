//! `reliability/missing-logging-config`: a service logs through `json-file` without
//! rotation.

use super::{one_off_services, view};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingLoggingConfig;

static META: RuleMeta = RuleMeta {
    name: "missing-logging-config",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::OptIn(
        "the host's daemon.json may rotate every container's logs, which the file does not show",
    ),
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service's logs go to `json-file` without a size limit",
    what: "Reports a service whose logging driver is Docker's default `json-file` (no `logging`, or `logging.driver: json-file`, after interpolation and with override files merged) with no `max-size` among its `logging.options`. Other drivers (`local`, which rotates by itself, `journald`, `syslog`, `none`, ...) are not reported, nor are one-off services (waited for with `condition: service_completed_successfully`) and services only a profile enables. The finding points at the `logging` key, or at the service's name when it has none.",
    why: "`json-file` keeps every line a container writes in one file that never shrinks: a chatty or looping service fills the host's disk, and then every container on it fails.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    logging:
      driver: json-file
      options:
        max-size: 10m
        max-file: "3"
"#,
    },
};

impl Rule for MissingLoggingConfig {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = view(cx) else { return };
        if view.is_fragment() {
            return;
        }
        let jobs = one_off_services(&view);
        for s in &view.services {
            if s.incomplete || jobs.contains(s.name.as_str()) || !s.profiles().is_empty() {
                continue;
            }
            if let Some((layer, driver)) = s.last(|x| x.logging.as_ref()?.driver.as_ref()) {
                let i = view.interp(&layer, &driver.value);
                if i.unset || i.value.trim() != "json-file" {
                    continue;
                }
            }
            let rotated = s
                .layers
                .iter()
                .filter_map(|l| l.svc.logging.as_ref())
                .any(|l| l.options.iter().any(|o| o.value == "max-size"));
            if rotated {
                continue;
            }
            let (file, span) = match s.last(|x| x.logging.as_ref()) {
                Some((layer, logging)) => (view.file_id(&layer), logging.span),
                None => match view.files.get(s.home) {
                    Some(home) => (home.id(), s.at),
                    None => continue,
                },
            };
            let d = cx.report(
                file,
                span,
                format!(
                    "service \"{}\" logs to json-file without `max-size`: its log grows until the disk is full",
                    s.name
                ),
            );
            d.help = Some(
                "set `logging.options.max-size` (and `max-file`), or use the `local` driver, which rotates by itself"
                    .into(),
            );
        }
    }
}
