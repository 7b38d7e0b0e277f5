//! The typed model of Marathon app and pod definitions, read with serde straight from
//! the span-keeping tree.
//!
//! Every field is optional: Marathon itself requires little more than `id`, PATCH
//! bodies carry only what changes, and keys orchlint does not know are ignored. A
//! value of the wrong type is an error at that value (see `read.rs`, which drops the
//! value and keeps reading the rest).
//!
//! Both generations of field locations are covered:
//! - up to Marathon 1.4 (2015-era files): `ports`, `container.docker.network`
//!   (`HOST`/`BRIDGE`/`USER`), `container.docker.portMappings`, `ipAddress`;
//! - from Marathon 1.5: `networks: [{mode}]`, `container.portMappings`,
//!   `portDefinitions` (1.0+).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::source::Spanned;

/// Reads `null` as the type's default (Marathon exports write `"cmd": null`,
/// `"env": null`, and so on).
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A mapping read as its entries in written order (keys keep their spans when `K`
/// is `Spanned<String>`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pairs<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Pairs<K, V> {
    fn default() -> Self {
        Pairs(Vec::new())
    }
}

impl<K, V> Pairs<K, V> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &(K, V)> {
        self.0.iter()
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Pairs<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PairsVisitor<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<K, V> {
            type Value = Pairs<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<K>()? {
                    out.push((k, map.next_value::<V>()?));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(PairsVisitor(std::marker::PhantomData))
    }
}

/// The value of an `env`/`environment` entry: a literal string or a reference to a
/// secret (`{"secret": "name"}`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EnvValue {
    Literal(String),
    Secret(String),
}

impl<'de> Deserialize<'de> for EnvValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EnvVisitor;
        impl<'de> Visitor<'de> for EnvVisitor {
            type Value = EnvValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a secret reference `{\"secret\": \"name\"}`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<EnvValue, E> {
                Ok(EnvValue::Literal(v.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EnvValue, A::Error> {
                let mut secret = None;
                while let Some(k) = map.next_key::<String>()? {
                    if k == "secret" {
                        secret = Some(map.next_value::<String>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                secret.map(EnvValue::Secret).ok_or_else(|| {
                    de::Error::custom("expected a secret reference with a `secret` key")
                })
            }
        }
        d.deserialize_any(EnvVisitor)
    }
}

/// A placement constraint in any of its written forms: the app array form
/// `["hostname", "UNIQUE"]`, the pod object form `{fieldName, operator, value}`, or
/// the colon-separated string of the old CLI (`"hostname:UNIQUE"`).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Constraint {
    pub(crate) field: String,
    pub(crate) operator: String,
    pub(crate) value: Option<String>,
}

impl Constraint {
    /// `field:OPERATOR[:value]`, the notation of Marathon's docs and CLI.
    pub(crate) fn text(&self) -> String {
        match &self.value {
            Some(v) => format!("{}:{}:{}", self.field, self.operator, v),
            None => format!("{}:{}", self.field, self.operator),
        }
    }

    /// True for the agent's host name (`hostname`, or `@hostname` from Marathon 1.7).
    pub(crate) fn on_hostname(&self) -> bool {
        matches!(self.field.as_str(), "hostname" | "@hostname")
    }

    pub(crate) fn operator_is(&self, op: &str) -> bool {
        self.operator.eq_ignore_ascii_case(op)
    }
}

impl<'de> Deserialize<'de> for Constraint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ConstraintVisitor;
        impl<'de> Visitor<'de> for ConstraintVisitor {
            type Value = Constraint;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a constraint such as `[\"hostname\", \"UNIQUE\"]`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Constraint, E> {
                let mut parts = v.splitn(3, ':');
                Ok(Constraint {
                    field: parts.next().unwrap_or_default().to_string(),
                    operator: parts.next().unwrap_or_default().to_string(),
                    value: parts.next().map(str::to_string),
                })
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Constraint, A::Error> {
                let field = seq.next_element::<String>()?.unwrap_or_default();
                let operator = seq.next_element::<String>()?.unwrap_or_default();
                let value = seq.next_element::<String>()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Constraint {
                    field,
                    operator,
                    value,
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Constraint, A::Error> {
                let mut c = Constraint::default();
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "fieldName" => {
                            c.field = map.next_value::<Option<String>>()?.unwrap_or_default()
                        }
                        "operator" => {
                            c.operator = map.next_value::<Option<String>>()?.unwrap_or_default()
                        }
                        "value" => c.value = map.next_value::<Option<String>>()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                if c.field.is_empty() && c.operator.is_empty() {
                    return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
                }
                Ok(c)
            }
        }
        d.deserialize_any(ConstraintVisitor)
    }
}

/// `upgradeStrategy` of an app, `scheduling.upgrade` of a pod.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpgradeStrategy {
    pub(crate) minimum_health_capacity: Option<Spanned<f64>>,
    pub(crate) maximum_over_capacity: Option<Spanned<f64>>,
}

/// A local persistent volume (`persistent`), sizes in MiB.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PersistentInfo {
    /// `root`, `path` or `mount`.
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    pub(crate) size: Option<Spanned<u64>>,
    pub(crate) max_size: Option<u64>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) constraints: Vec<Spanned<Constraint>>,
}

/// An external volume (`external`, DVDI or CSI); size in GiB.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExternalInfo {
    pub(crate) name: Option<Spanned<String>>,
    pub(crate) provider: Option<String>,
    pub(crate) size: Option<u64>,
    /// Provider options; CSI nests objects here, so values are kept only when scalar.
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) options: Pairs<String, Text>,
    pub(crate) shared: Option<bool>,
}

impl ExternalInfo {
    pub(crate) fn option(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.0.as_deref())
    }

    /// DVDI volumes (the 1.0-era REX-Ray integration) are the ones Marathon validates
    /// like local persistent volumes.
    pub(crate) fn is_dvdi(&self) -> bool {
        self.provider.as_deref() == Some("dvdi")
    }
}

/// The text of any scalar; a collection reads as `None` (for free-form values).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Text(pub Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
        }
        d.deserialize_any(TextVisitor)
    }
}

// ---------------------------------------------------------------------------
// Apps
// ---------------------------------------------------------------------------

/// An app definition (`POST /v2/apps`), an app inside a group, or a PATCH body.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct App {
    pub(crate) id: Option<Spanned<String>>,
    pub(crate) cmd: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) args: Vec<Spanned<String>>,
    pub(crate) user: Option<Spanned<String>>,
    pub(crate) instances: Option<Spanned<u32>>,
    /// CPU shares per instance (default 1).
    pub(crate) cpus: Option<Spanned<f64>>,
    /// Memory per instance in MiB (default 128).
    pub(crate) mem: Option<Spanned<f64>>,
    /// Sandbox disk per instance in MiB (default 0).
    pub(crate) disk: Option<Spanned<f64>>,
    pub(crate) gpus: Option<f64>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) constraints: Vec<Spanned<Constraint>>,
    pub(crate) container: Option<AppContainer>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) env: Pairs<Spanned<String>, Spanned<EnvValue>>,
    /// Secret name → source; only the names matter here.
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) secrets: Pairs<Spanned<String>, IgnoredAny>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) labels: Pairs<String, String>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) health_checks: Vec<Spanned<HealthCheck>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) readiness_checks: Vec<Spanned<ReadinessCheck>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) dependencies: Vec<Spanned<String>>,
    pub(crate) upgrade_strategy: Option<Spanned<UpgradeStrategy>>,
    /// Deprecated in later releases; stateful apps of the 1.0 era carry it.
    pub(crate) residency: Option<Spanned<Residency>>,
    /// Deprecated (`portDefinitions` replaces it): ports of `HOST` networking.
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) ports: Vec<Spanned<u32>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) port_definitions: Vec<Spanned<PortDefinition>>,
    /// With `true`, the numbers of `ports`/`portDefinitions` are host ports.
    pub(crate) require_ports: Option<Spanned<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) accepted_resource_roles: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) fetch: Vec<Artifact>,
    /// Deprecated (`fetch` replaces it).
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) uris: Vec<String>,
    /// Marathon 1.5+ networking.
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) networks: Vec<Spanned<Network>>,
    /// Deprecated IP-per-task networking (1.4 and before); only its presence matters.
    pub(crate) ip_address: Option<IgnoredAny>,
    pub(crate) executor: Option<String>,
}

impl App {
    /// A full definition names something to run; a body with none of `cmd`, `args`
    /// and `container` can only be a partial update (Marathon rejects it as a new
    /// app), so rules about what is missing leave it alone.
    pub(crate) fn is_partial(&self) -> bool {
        self.cmd.is_none() && self.args.is_empty() && self.container.is_none()
    }

    pub(crate) fn docker(&self) -> Option<&Docker> {
        self.container.as_ref()?.docker.as_ref()
    }

    /// Port mappings from `container.portMappings` (1.5+) or, in older files,
    /// `container.docker.portMappings`.
    pub(crate) fn port_mappings(&self) -> &[Spanned<PortMapping>] {
        let Some(c) = &self.container else {
            return &[];
        };
        if let Some(m) = &c.port_mappings {
            return m;
        }
        c.docker
            .as_ref()
            .and_then(|d| d.port_mappings.as_deref())
            .unwrap_or_default()
    }

    pub(crate) fn volumes(&self) -> &[Spanned<AppVolume>] {
        self.container
            .as_ref()
            .map(|c| c.volumes.as_slice())
            .unwrap_or_default()
    }
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Residency {
    pub(crate) relaunch_escalation_timeout_seconds: Option<f64>,
    pub(crate) task_lost_behavior: Option<String>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppContainer {
    /// `DOCKER` (default) or `MESOS`.
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    pub(crate) docker: Option<Docker>,
    /// 1.5+ location of port mappings (`None` when not written at all).
    pub(crate) port_mappings: Option<Vec<Spanned<PortMapping>>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) volumes: Vec<Spanned<AppVolume>>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Docker {
    pub(crate) image: Option<Spanned<String>>,
    /// Deprecated from 1.5: `HOST`, `BRIDGE`, `USER` or `NONE`.
    pub(crate) network: Option<Spanned<String>>,
    /// Pre-1.5 location of port mappings.
    pub(crate) port_mappings: Option<Vec<Spanned<PortMapping>>>,
    pub(crate) privileged: Option<Spanned<bool>>,
    /// Extra `docker run` options (`--key=value`).
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) parameters: Vec<Spanned<Parameter>>,
    pub(crate) force_pull_image: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Parameter {
    pub(crate) key: Option<Spanned<String>>,
    pub(crate) value: Option<Spanned<String>>,
}

impl Parameter {
    pub(crate) fn key(&self) -> &str {
        self.key.as_ref().map_or("", |k| k.value.as_str())
    }

    pub(crate) fn value(&self) -> &str {
        self.value.as_ref().map_or("", |v| v.value.as_str())
    }
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PortMapping {
    /// 0 means "the host port Marathon picks".
    pub(crate) container_port: Option<Spanned<u32>>,
    /// 0 means random; in `container` (USER) networking an absent value means none.
    pub(crate) host_port: Option<Spanned<u32>>,
    pub(crate) service_port: Option<u32>,
    /// `tcp`, `udp` or `udp,tcp`.
    pub(crate) protocol: Option<String>,
    pub(crate) name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PortDefinition {
    pub(crate) port: Option<Spanned<u32>>,
    pub(crate) protocol: Option<String>,
    pub(crate) name: Option<String>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Network {
    /// `host`, `container` or `container/bridge` (default `container`).
    pub(crate) mode: Option<String>,
    pub(crate) name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppVolume {
    pub(crate) container_path: Option<Spanned<String>>,
    /// An absolute path on the agent, or a path relative to the task's sandbox.
    pub(crate) host_path: Option<Spanned<String>>,
    /// `RO` or `RW`.
    pub(crate) mode: Option<String>,
    pub(crate) persistent: Option<Spanned<PersistentInfo>>,
    pub(crate) external: Option<Spanned<ExternalInfo>>,
    /// A secret projected as a file (Enterprise).
    pub(crate) secret: Option<String>,
}

impl AppVolume {
    pub(crate) fn container_path(&self) -> &str {
        self.container_path
            .as_ref()
            .map_or("", |p| p.value.as_str())
    }

    pub(crate) fn read_only(&self) -> bool {
        self.mode
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("RO"))
    }
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HealthCheck {
    /// HTTP (default), HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS, MESOS_TCP.
    pub(crate) protocol: Option<String>,
    pub(crate) port_index: Option<Spanned<u32>>,
    pub(crate) port: Option<Spanned<u32>>,
    pub(crate) path: Option<String>,
    /// `{"value": "..."}` for COMMAND checks.
    pub(crate) command: Option<IgnoredAny>,
    pub(crate) grace_period_seconds: Option<f64>,
    pub(crate) interval_seconds: Option<f64>,
    pub(crate) timeout_seconds: Option<f64>,
    pub(crate) max_consecutive_failures: Option<f64>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReadinessCheck {
    pub(crate) name: Option<String>,
    /// HTTP or HTTPS.
    pub(crate) protocol: Option<String>,
    pub(crate) path: Option<String>,
    pub(crate) port_name: Option<Spanned<String>>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Artifact {
    pub(crate) uri: Option<String>,
    pub(crate) executable: Option<bool>,
    pub(crate) extract: Option<bool>,
    pub(crate) cache: Option<bool>,
    pub(crate) dest_path: Option<String>,
}

// ---------------------------------------------------------------------------
// Pods (Marathon 1.4+)
// ---------------------------------------------------------------------------

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Pod {
    pub(crate) id: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) labels: Pairs<String, String>,
    pub(crate) user: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) environment: Pairs<Spanned<String>, Spanned<EnvValue>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) secrets: Pairs<Spanned<String>, IgnoredAny>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) volumes: Vec<Spanned<PodVolume>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) networks: Vec<Spanned<Network>>,
    pub(crate) scaling: Option<Scaling>,
    pub(crate) scheduling: Option<Scheduling>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) containers: Vec<Spanned<PodContainer>>,
}

impl Pod {
    pub(crate) fn instances(&self) -> Option<&Spanned<u32>> {
        self.scaling.as_ref()?.instances.as_ref()
    }

    pub(crate) fn constraints(&self) -> &[Spanned<Constraint>] {
        self.scheduling
            .as_ref()
            .and_then(|s| s.placement.as_ref())
            .map(|p| p.constraints.as_slice())
            .unwrap_or_default()
    }

    pub(crate) fn upgrade(&self) -> Option<&Spanned<UpgradeStrategy>> {
        self.scheduling.as_ref()?.upgrade.as_ref()
    }
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Scaling {
    /// Only `fixed` exists.
    pub(crate) kind: Option<String>,
    pub(crate) instances: Option<Spanned<u32>>,
    pub(crate) max_instances: Option<Spanned<u32>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Scheduling {
    pub(crate) upgrade: Option<Spanned<UpgradeStrategy>>,
    pub(crate) placement: Option<PodPlacement>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodPlacement {
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) constraints: Vec<Spanned<Constraint>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) accepted_resource_roles: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodVolume {
    pub(crate) name: Option<Spanned<String>>,
    /// Absolute agent path, or a path relative to the executor's sandbox.
    pub(crate) host: Option<String>,
    pub(crate) persistent: Option<Spanned<PersistentInfo>>,
    pub(crate) secret: Option<String>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodContainer {
    pub(crate) name: Option<Spanned<String>>,
    pub(crate) image: Option<PodImage>,
    pub(crate) resources: Option<PodResources>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) endpoints: Vec<Spanned<Endpoint>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) environment: Pairs<Spanned<String>, Spanned<EnvValue>>,
    pub(crate) user: Option<Spanned<String>>,
    pub(crate) health_check: Option<Spanned<PodHealthCheck>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) volume_mounts: Vec<Spanned<VolumeMount>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) artifacts: Vec<Artifact>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) labels: Pairs<String, String>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodImage {
    /// `DOCKER` or `APPC`.
    pub(crate) kind: Option<String>,
    pub(crate) id: Option<Spanned<String>>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodResources {
    pub(crate) cpus: Option<Spanned<f64>>,
    /// MiB.
    pub(crate) mem: Option<Spanned<f64>>,
    pub(crate) disk: Option<f64>,
    pub(crate) gpus: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Endpoint {
    pub(crate) name: Option<String>,
    pub(crate) container_port: Option<Spanned<u32>>,
    /// 0 (or absent outside `container` networking) means random.
    pub(crate) host_port: Option<Spanned<u32>>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) protocol: Vec<String>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodHealthCheck {
    pub(crate) http: Option<EndpointCheck>,
    pub(crate) tcp: Option<EndpointCheck>,
    pub(crate) exec: Option<IgnoredAny>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct EndpointCheck {
    pub(crate) endpoint: Option<Spanned<String>>,
    pub(crate) path: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VolumeMount {
    pub(crate) name: Option<String>,
    pub(crate) mount_path: Option<String>,
    pub(crate) read_only: Option<bool>,
}
