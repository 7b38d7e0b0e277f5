//! `correctness/undefined-volume`: a service mounts a named volume the project does
//! not declare.

use super::{NameRef, Seen, report_undefined, whole_view};
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::compose::view::MountSource;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedVolume;

static META: RuleMeta = RuleMeta {
    name: "undefined-volume",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service mounts a named volume the project does not declare",
    what: "Reports a named volume in a service's `volumes` (short syntax `name:/path`, or long syntax `type: volume` with a `source`) that no top-level `volumes:` of the project declares. Sources starting with `.`, `/` or `~` are host paths and not checked; a source whose variable is unset is not checked either. Format 1 files, which had no top-level volumes, are skipped. The finding points at the source. A project that includes a file orchlint did not scan, or that is only an override file (a snippet meant for a main file elsewhere), is skipped: the name may be defined there.",
    why: "Compose refuses the project (\"service refers to undefined volume\"). Often the source was meant as a host path and lacks its leading `./`.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    volumes:
      - pgdata:/var/lib/postgresql/data
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

impl Rule for UndefinedVolume {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(view) = whole_view(cx) else { return };
        let declared: Vec<&str> = view
            .declaring_files()
            .flat_map(|(_, f)| &f.compose.volumes)
            .chain(view.beside.iter().flat_map(|c| &c.volumes))
            .map(|d| d.name.value.as_str())
            .collect();
        let mut seen = Seen::default();
        for s in &view.services {
            for (layer, entry) in s.each(|x| &x.volumes) {
                let file = view.file(&layer);
                if file.compose.legacy_v1 {
                    continue;
                }
                let Some(m) = view.mount(&layer, entry) else {
                    continue;
                };
                let Some(source) = m.source.as_deref() else {
                    continue;
                };
                if m.source_kind != MountSource::Volume || m.source_unset {
                    continue;
                }
                let owner = &layer.svc.name.value;
                report_undefined(
                    cx,
                    &mut seen,
                    &declared,
                    NameRef {
                        file: file.id(),
                        span: m.source_span,
                        name: source,
                    },
                    || format!("service \"{owner}\" mounts undefined volume \"{source}\""),
                    || {
                        format!(
                            "declare it under the top-level `volumes:` key (`{source}: {{}}`), or write `./{source}` to mount a directory of the host"
                        )
                    },
                );
            }
        }
    }
}
