//! `correctness/undefined-brooklyn-component`: a `$brooklyn:component(...)` or
//! `$brooklyn:entity(...)` reference names no entity of the blueprint.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::formats::brooklyn::Entity;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedBrooklynComponent;

static META: RuleMeta = RuleMeta {
    name: "undefined-brooklyn-component",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Brooklyn],
    summary: "a `$brooklyn:component` reference names no entity of the blueprint",
    what: "Reports `$brooklyn:component(\"id\")` and `$brooklyn:entity(\"id\")` (with or without a scope argument) whose id is not the `id` of any entity of the same blueprint, children and cluster member specs included. Catalog items of type `entity` are building blocks whose references may point into the blueprints that use them, so they are not checked. The finding points at the id inside the reference.",
    why: "These references are how one entity waits for another's sensors (a database URL, a host name): with a wrong id the lookup never resolves, and the entity that needs the value waits until the deployment times out instead of failing at once.",
    bad: Example {
        file_name: "blueprint.yaml",
        text: r#"services:
- type: docker:mysql:8.0
  id: db
- type: docker:example/web:1.0
  env:
    DB_HOST: $brooklyn:component("database").attributeWhenReady("host.address")
"#,
    },
    good: Example {
        file_name: "blueprint.yaml",
        text: r#"services:
- type: docker:mysql:8.0
  id: db
- type: docker:example/web:1.0
  env:
    DB_HOST: $brooklyn:component("db").attributeWhenReady("host.address")
"#,
    },
};

impl Rule for UndefinedBrooklynComponent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(b) = f.brooklyn() else { continue };
            for bp in b.blueprints.iter().filter(|bp| !bp.building_block) {
                let entities: Vec<&Entity> = bp.services.iter().flat_map(Entity::walk).collect();
                let ids: Vec<&str> = entities
                    .iter()
                    .filter_map(|e| e.id.as_ref().map(|i| i.value.as_str()))
                    .collect();
                for e in &entities {
                    for r in &e.refs {
                        if ids.contains(&r.value.as_str()) {
                            continue;
                        }
                        let hint = crate::source::closest(&r.value, ids.iter().copied())
                            .map(|c| format!("; did you mean `{c}`?"))
                            .unwrap_or_default();
                        let d = cx.report(
                            f.id,
                            r.span,
                            format!(
                                "reference to entity \"{}\" matches no entity `id` of the blueprint{hint}",
                                r.value
                            ),
                        );
                        d.help =
                            Some("give the entity this `id`, or reference the `id` it has".into());
                    }
                }
            }
        }
    }
}
