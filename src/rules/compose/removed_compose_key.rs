//! `correctness/removed-compose-key`: a service uses a key of the old Compose
//! formats that today's Compose refuses.

use crate::diagnostic::{Applicability, Severity};
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct RemovedComposeKey;

/// Keys of file format 1 that later formats renamed or removed, with the
/// conversion (Compose 1.5 fields schema; "Upgrading" in the Compose versioning
/// docs).
const REMOVED: &[(&str, &str)] = &[
    (
        "net",
        "use `network_mode` (`net: \"container:x\"` becomes `network_mode: \"service:x\"` or `\"container:x\"`)",
    ),
    ("log_driver", "use `logging: {driver: ...}`"),
    ("log_opt", "use `logging: {options: {...}}`"),
    ("dockerfile", "use `build: {context: ., dockerfile: ...}`"),
    (
        "volume_driver",
        "declare a top-level named volume with `driver` and mount it by name",
    ),
];

static META: RuleMeta = RuleMeta {
    name: "removed-compose-key",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a service uses a Compose format 1 key that today's Compose refuses",
    what: "Reports the service keys of Compose file format 1 that version 2 renamed or removed: `net`, `log_driver`, `log_opt`, service-level `dockerfile` and `volume_driver`. The finding points at the key and gives its replacement. The fix (unsafe: the setting is lost) deletes the key, when it stands on lines of its own and is not the service's only key.",
    why: "The Compose Specification has no such keys, and Compose v2 validates services against it: the file is rejected (\"additional property ... is not allowed\") before anything starts. The settings they carried (a network mode, a log driver, a Dockerfile, a volume driver) now live in `network_mode`, `logging`, `build` and top-level volumes.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  app:
    image: example/app:1.0
    log_driver: syslog
    net: host
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  app:
    image: example/app:1.0
    logging:
      driver: syslog
    network_mode: host
"#,
    },
};

impl Rule for RemovedComposeKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Deleting the key lets Compose load the file, but drops the setting it
    /// carried (a network mode, a log driver): unsafe.
    fn fix(&self) -> Option<Applicability> {
        Some(Applicability::Unsafe)
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(c) = f.compose() else { continue };
            for s in &c.services {
                for k in &s.keys {
                    let Some((_, help)) = REMOVED.iter().find(|(key, _)| *key == k.value) else {
                        continue;
                    };
                    let d = cx.report(
                        f.id,
                        k.span,
                        format!(
                            "service \"{}\" uses `{}`, a Compose format 1 key that Compose v2 refuses",
                            s.name.value, k.value
                        ),
                    );
                    d.help = Some((*help).to_string());
                    if let Some((message, a, edits)) =
                        super::remove_key_fix(f, k, Applicability::Unsafe)
                    {
                        d.fix_with(message, a, edits);
                    }
                }
            }
        }
    }
}
