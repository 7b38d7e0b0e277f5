//! `best-practice/unused-secret`: a top-level secret that no service uses.

use super::unused::{Kind, report_unused};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnusedSecret;

static META: RuleMeta = RuleMeta {
    name: "unused-secret",
    family: Family::BestPractice,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a top-level secret that no service uses",
    what: "Reports a top-level `secrets:` entry that no service lists under its `secrets`, with override files merged. External secrets are reported too: this project does not use them. Declarations in the base file, its override files and included files count, and so do the services of Compose files beside the base that are given after it with `-f` (`docker-compose.prod.yml`). Projects that include a file orchlint did not scan, override snippets alone, services whose `extends` cannot be followed and references through unset variables are skipped: the use may be there. The finding points at the declared name.",
    why: "A secret no service receives is never mounted: the service that needs it reads nothing at `/run/secrets/<name>` and falls back to a default or an environment variable, while the file still names a credential for readers to trust.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    environment:
      DB_PASSWORD_FILE: /run/secrets/db_password
secrets:
  db_password:
    file: ./db_password.txt
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    environment:
      DB_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
secrets:
  db_password:
    file: ./db_password.txt
"#,
    },
};

impl Rule for UnusedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_unused(cx, Kind::Secret);
    }
}
