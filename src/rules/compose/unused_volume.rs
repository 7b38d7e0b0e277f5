//! `best-practice/unused-volume`: a top-level volume that no service uses.

use super::unused::{Kind, report_unused};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnusedVolume;

static META: RuleMeta = RuleMeta {
    name: "unused-volume",
    family: Family::BestPractice,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a top-level volume that no service uses",
    what: "Reports a top-level `volumes:` entry that no service mounts (short syntax `name:/path`, or long syntax with `source: name`), with override files merged. External volumes are reported too: this project does not use them. Declarations in the base file, its override files and included files count, and so do the services of Compose files beside the base that are given after it with `-f` (`docker-compose.prod.yml`). Projects that include a file orchlint did not scan, override snippets alone, services whose `extends` cannot be followed and references through unset variables are skipped: the use may be there. The finding points at the declared name.",
    why: "A volume nobody mounts is dead configuration: it hides which service keeps which data, and a leftover from a removed service misleads whoever reads the file (`docker compose up` still creates it). Often it shows a typo: the service mounts a host path (`./pgdata`) where the volume (`pgdata`) was meant.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  db:
    image: postgres:16
    volumes:
      - ./pgdata:/var/lib/postgresql/data
volumes:
  pgdata: {}
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

impl Rule for UnusedVolume {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_unused(cx, Kind::Volume);
    }
}
