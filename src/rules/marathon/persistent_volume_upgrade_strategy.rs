//! `reliability/persistent-volume-upgrade-strategy`: a stateful app or pod whose
//! upgrade strategy lets Marathon start instances beyond the target count.
//!
//! Facts (Marathon `persistent-volumes.md`, `external-volumes.md`, and the
//! validators of `UpgradeStrategy`): an app with local persistent volumes (or
//! `residency`, or DVDI external volumes) must have `maximumOverCapacity` 0, because
//! a new instance can only take over a volume and its reservation after the old one
//! is gone; Marathon refuses other values. A strategy left out entirely is fine:
//! Marathon then applies `minimumHealthCapacity` 0.5 and `maximumOverCapacity` 0.
//! A strategy written without `maximumOverCapacity` gets 1, the general default.
//! The docs also ask for `minimumHealthCapacity` at most 0.5; Marathon 1.0–1.4
//! enforced that, later releases accept any value (they kill one old instance
//! first), so the rule does not report it.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::formats::marathon::model::UpgradeStrategy;
use crate::rules::{Context, Rule};
use crate::source::{FileId, Format};
use crate::source::{Span, Spanned};

pub(crate) struct PersistentVolumeUpgradeStrategy;

static META: RuleMeta = RuleMeta {
    name: "persistent-volume-upgrade-strategy",
    family: Family::Reliability,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "a stateful app's upgrade strategy allows extra instances",
    what: "Reports a Marathon app or pod with local persistent volumes (or `residency`, or DVDI external volumes) whose written upgrade strategy (`upgradeStrategy`, pod `scheduling.upgrade`) has a `maximumOverCapacity` above 0, or leaves it out (it then defaults to 1). The finding points at the value, or at the strategy's key when the value is missing. A definition without any strategy is not reported: Marathon gives stateful apps `minimumHealthCapacity` 0.5 and `maximumOverCapacity` 0 by itself.",
    why: "A persistent volume is reserved on one agent for one instance; a new instance can only take it over once the old one has stopped. Marathon therefore refuses stateful definitions whose upgrades would start extra instances, so the deployment is rejected.",
    bad: Example {
        file_name: "postgres.json",
        text: r#"{
  "id": "/postgres",
  "container": {
    "type": "DOCKER",
    "docker": { "image": "postgres:16.4" },
    "volumes": [{ "containerPath": "pgdata", "mode": "RW", "persistent": { "size": 1024 } }]
  },
  "upgradeStrategy": { "minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.5 }
}
"#,
    },
    good: Example {
        file_name: "postgres.json",
        text: r#"{
  "id": "/postgres",
  "container": {
    "type": "DOCKER",
    "docker": { "image": "postgres:16.4" },
    "volumes": [{ "containerPath": "pgdata", "mode": "RW", "persistent": { "size": 1024 } }]
  },
  "upgradeStrategy": { "minimumHealthCapacity": 0.5, "maximumOverCapacity": 0 }
}
"#,
    },
};

impl Rule for PersistentVolumeUpgradeStrategy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            for a in &m.apps {
                let app = &a.app;
                let volumes = app.volumes();
                let reason = if volumes.iter().any(|v| v.value.persistent.is_some()) {
                    "a local persistent volume"
                } else if volumes
                    .iter()
                    .any(|v| v.value.external.as_ref().is_some_and(|x| x.value.is_dvdi()))
                {
                    "an external volume"
                } else if app.residency.is_some() {
                    "`residency`"
                } else {
                    continue;
                };
                let (Some(id), Some(strategy)) = (&app.id, &app.upgrade_strategy) else {
                    continue;
                };
                let name = format!("app \"{}\"", a.path.as_deref().unwrap_or(&id.value));
                let key = a.entries.upgrade_strategy_key.unwrap_or(strategy.span);
                check(cx, file.id, &name, reason, strategy, key, "upgradeStrategy");
            }
            for p in &m.pods {
                let pod = &p.pod;
                if !pod.volumes.iter().any(|v| v.value.persistent.is_some()) {
                    continue;
                }
                let (Some(id), Some(strategy)) = (&pod.id, pod.upgrade()) else {
                    continue;
                };
                let name = format!("pod \"{}\"", p.path.as_deref().unwrap_or(&id.value));
                let key = p.entries.upgrade_key.unwrap_or(strategy.span);
                check(
                    cx,
                    file.id,
                    &name,
                    "a local persistent volume",
                    strategy,
                    key,
                    "scheduling.upgrade",
                );
            }
        }
    }
}

fn check(
    cx: &mut Context<'_>,
    file: FileId,
    name: &str,
    reason: &str,
    strategy: &Spanned<UpgradeStrategy>,
    key: Span,
    field: &str,
) {
    match &strategy.value.maximum_over_capacity {
        Some(v) if v.value > 0.0 => {
            cx.report(
                file,
                v.span,
                format!(
                    "{name} has {reason} but its `{field}.maximumOverCapacity` is {}; Marathon requires 0",
                    v.value
                ),
            )
            .help = Some(
                "set `maximumOverCapacity` to 0: a new instance can only take over the volume once the old one has stopped".into(),
            );
        }
        Some(_) => {}
        None => {
            cx.report(
                file,
                key,
                format!(
                    "{name} has {reason} but its `{field}` leaves out `maximumOverCapacity`, which then defaults to 1; Marathon requires 0"
                ),
            )
            .help = Some(
                "add `\"maximumOverCapacity\": 0`, or drop the strategy to get Marathon's defaults for stateful apps".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{messages, run, scan};

    fn findings(text: &str) -> Vec<String> {
        let (files, diags) = scan(&[("app.json", text)]);
        assert!(diags.is_empty());
        messages(&files, &run(&PersistentVolumeUpgradeStrategy, &files))
    }

    #[test]
    fn reports_over_capacity_of_stateful_apps_and_pods() {
        let text = r#"{
  "id": "/data",
  "apps": [
    { "id": "pg", "container": { "volumes": [{ "containerPath": "pg", "mode": "RW", "persistent": { "size": 100 } }] },
      "upgradeStrategy": { "minimumHealthCapacity": 0, "maximumOverCapacity": 0.2 } },
    { "id": "es", "container": { "volumes": [{ "containerPath": "es", "mode": "RW", "persistent": { "size": 100 } }] },
      "upgradeStrategy": { "minimumHealthCapacity": 0.5 } },
    { "id": "rex", "container": { "volumes": [{ "containerPath": "/d", "mode": "RW",
      "external": { "name": "v", "provider": "dvdi", "options": { "dvdi/driver": "rexray" } } }] },
      "upgradeStrategy": { "minimumHealthCapacity": 0, "maximumOverCapacity": 1 } },
    { "id": "fine", "container": { "volumes": [{ "containerPath": "f", "mode": "RW", "persistent": { "size": 1 } }] },
      "upgradeStrategy": { "minimumHealthCapacity": 1, "maximumOverCapacity": 0 } },
    { "id": "defaults", "container": { "volumes": [{ "containerPath": "g", "mode": "RW", "persistent": { "size": 1 } }] } },
    { "id": "stateless", "cmd": "serve", "upgradeStrategy": { "minimumHealthCapacity": 1, "maximumOverCapacity": 1 } }
  ],
  "pods": [
    { "id": "kv", "volumes": [{ "name": "d", "persistent": { "size": 10 } }],
      "scheduling": { "upgrade": { "minimumHealthCapacity": 0 } },
      "containers": [{ "name": "kv" }] }
  ]
}"#;
        assert_eq!(
            findings(text),
            vec![
                "app.json:5:79: app \"/data/pg\" has a local persistent volume but its `upgradeStrategy.maximumOverCapacity` is 0.2; Marathon requires 0",
                "app.json:7:7: app \"/data/es\" has a local persistent volume but its `upgradeStrategy` leaves out `maximumOverCapacity`, which then defaults to 1; Marathon requires 0",
                "app.json:10:79: app \"/data/rex\" has an external volume but its `upgradeStrategy.maximumOverCapacity` is 1; Marathon requires 0",
                "app.json:18:23: pod \"/data/kv\" has a local persistent volume but its `scheduling.upgrade` leaves out `maximumOverCapacity`, which then defaults to 1; Marathon requires 0",
            ]
        );
    }
}
