//! `best-practice/unused-network`: a top-level network that no service uses.

use super::unused::{Kind, report_unused};
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnusedNetwork;

static META: RuleMeta = RuleMeta {
    name: "unused-network",
    family: Family::BestPractice,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose],
    summary: "a top-level network that no service uses",
    what: "Reports a top-level `networks:` entry that no service joins, with override files merged. A network named `default` is used by every service that lists no `networks` and sets no `network_mode`. External networks are reported too: this project does not use them. Declarations in the base file, its override files and included files count, and so do the services of Compose files beside the base that are given after it with `-f` (`docker-compose.prod.yml`). Projects that include a file orchlint did not scan, override snippets alone, services whose `extends` cannot be followed and references through unset variables are skipped: the use may be there. The finding points at the declared name.",
    why: "A network nobody joins is dead configuration: `docker compose up` still creates it, and readers assume an isolation that no service has. Often a service was meant to join it and lists another network, or none, instead.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    networks: [front]
networks:
  front: {}
  back: {}
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  api:
    image: example/api:2.0
    networks: [front, back]
networks:
  front: {}
  back: {}
"#,
    },
};

impl Rule for UnusedNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_unused(cx, Kind::Network);
    }
}
