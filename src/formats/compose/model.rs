//! The typed model of one Compose file, as written (before interpolation and before
//! merging with the project's other files).
//!
//! Scalars keep their text: a value may hold `${VAR}` and only gets its final type
//! after interpolation (see `lower`). Reading checks the shape (a number where a
//! number belongs, unless the value interpolates) and reports the rest as
//! `syntax/wrong-type`.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::source::{Span, Spanned};

/// A scalar value as written, with its span.
pub(crate) type Text = Spanned<String>;

/// A scalar read by hand, that also knows where its text sits in the source so parts
/// of it (the `db` of `db:/var/lib/db`) get their own span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Str {
    pub(crate) text: String,
    pub(crate) span: Span,
    /// Source offset of the text's first byte when the text maps byte for byte onto
    /// the source (plain or quoted without escapes).
    pub(crate) origin: Option<u32>,
}

impl Str {
    /// The span of `range` (byte offsets in `text`), or the whole value's span when
    /// the text does not map onto the source.
    pub(crate) fn sub(&self, range: Range<usize>) -> Span {
        match self.origin {
            Some(o) if range.start <= range.end && range.end <= self.text.len() => {
                Span::new(o as usize + range.start, o as usize + range.end)
            }
            _ => self.span,
        }
    }

    pub(crate) fn as_text(&self) -> Text {
        Spanned::new(self.text.clone(), self.span)
    }

    /// The text as a name, its span without the quotes when it has them.
    pub(crate) fn as_name(&self) -> Name {
        Spanned::new(self.text.clone(), self.sub(0..self.text.len()))
    }
}

/// A name with the span of the name (a part of `Str`, or a whole key).
pub(crate) type Name = Spanned<String>;

/// An integer as written: a number, a string holding one, or a value to interpolate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IntText(pub String);

/// A number (integer or decimal) as written, or a value to interpolate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NumText(pub String);

/// A boolean as written, or a value to interpolate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BoolText(pub String);

impl BoolText {
    /// The value when it is a literal boolean.
    pub(crate) fn literal(&self) -> Option<bool> {
        parse_bool(&self.0)
    }
}

/// Booleans as Compose loaders accept them (YAML 1.1 words included, which Compose
/// v1 read through PyYAML).
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            Some(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            Some(false)
        }
        _ => None,
    }
}

fn shorten(t: &str) -> String {
    if t.chars().count() > 40 {
        let s: String = t.chars().take(37).collect();
        format!("{s}...")
    } else {
        t.to_string()
    }
}

/// Implements `Deserialize` for a text newtype that accepts scalars passing `check`
/// (or holding `$`, to interpolate later).
macro_rules! text_newtype {
    ($ty:ident, $expected:literal, $check:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expected)
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }
                    fn visit_bool<E: de::Error>(self, v: bool) -> Result<$ty, E> {
                        self.visit_str(if v { "true" } else { "false" })
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        let check: fn(&str) -> bool = $check;
                        if v.contains('$') || check(v) {
                            Ok($ty(v.to_string()))
                        } else {
                            Err(E::custom(format!(
                                concat!("expected ", $expected, ", found `{}`"),
                                shorten(v)
                            )))
                        }
                    }
                    fn visit_unit<E: de::Error>(self) -> Result<$ty, E> {
                        Err(E::custom(concat!("expected ", $expected, ", found null")))
                    }
                    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<$ty, A::Error> {
                        Err(de::Error::custom(concat!(
                            "expected ",
                            $expected,
                            ", found a sequence"
                        )))
                    }
                    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<$ty, A::Error> {
                        Err(de::Error::custom(concat!(
                            "expected ",
                            $expected,
                            ", found a mapping"
                        )))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

text_newtype!(IntText, "an integer", |s| s.trim().parse::<i64>().is_ok());
text_newtype!(NumText, "a number", |s| s.trim().parse::<f64>().is_ok());
text_newtype!(BoolText, "a boolean", |s| parse_bool(s).is_some());

/// The typed model of one Compose file.
#[derive(Debug, Default)]
pub struct ComposeFile {
    /// Boxed, as the name: files are held in an enum with the other formats' models.
    pub(crate) version: Option<Box<Text>>,
    pub(crate) name: Option<Box<Text>>,
    /// Compose file format 1 (Fig): the services are the top-level keys.
    pub(crate) legacy_v1: bool,
    pub(crate) services: Vec<Service>,
    pub(crate) volumes: Vec<VolumeDecl>,
    pub(crate) networks: Vec<NetworkDecl>,
    pub(crate) secrets: Vec<ResourceDecl>,
    pub(crate) configs: Vec<ResourceDecl>,
    pub(crate) includes: Vec<Include>,
}

impl ComposeFile {
    pub(crate) fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().rev().find(|s| s.name.value == name)
    }
}

/// A `key: value` entry whose whole extent findings may point at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry<T> {
    pub(crate) key: Span,
    pub(crate) value: Spanned<T>,
}

impl<T> Entry<T> {
    /// The key and the value together (`privileged: true`).
    pub(crate) fn span(&self) -> Span {
        self.key.cover(self.value.span)
    }
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) struct Service {
    /// The service's key.
    pub(crate) name: Name,
    /// The service's body.
    pub(crate) body: Span,
    pub(crate) image: Option<Text>,
    pub(crate) build: Option<Build>,
    pub(crate) command: Option<Command>,
    pub(crate) entrypoint: Option<Command>,
    pub(crate) container_name: Option<Entry<String>>,
    pub(crate) hostname: Option<Text>,
    pub(crate) ports: Vec<PortEntry>,
    pub(crate) expose: Vec<Text>,
    pub(crate) volumes: Vec<VolumeEntry>,
    pub(crate) tmpfs: Vec<Text>,
    pub(crate) volumes_from: Vec<Str>,
    pub(crate) depends_on: Vec<Dependency>,
    pub(crate) links: Vec<Str>,
    pub(crate) external_links: Vec<Text>,
    /// `network_mode`, or `net` in format 1.
    pub(crate) network_mode: Option<Entry<String>>,
    /// Where `network_mode` sits in its value (for `service:x`).
    pub(crate) network_mode_str: Option<Str>,
    pub(crate) networks: Vec<Name>,
    pub(crate) environment: Vec<EnvEntry>,
    pub(crate) env_file: Vec<EnvFile>,
    pub(crate) secrets: Vec<ResourceRef>,
    pub(crate) configs: Vec<ResourceRef>,
    pub(crate) deploy: Option<Deploy>,
    pub(crate) scale: Option<Entry<IntText>>,
    pub(crate) healthcheck: Option<Healthcheck>,
    pub(crate) privileged: Option<Entry<BoolText>>,
    pub(crate) user: Option<Text>,
    pub(crate) restart: Option<Text>,
    pub(crate) extends: Option<Extends>,
    pub(crate) labels: Vec<Label>,
    pub(crate) cap_add: Vec<Text>,
    pub(crate) pid: Option<Entry<String>>,
    /// `ipc` (`host`, `shareable`, `service:x`, ...).
    pub(crate) ipc: Option<Entry<String>>,
    pub(crate) mem_limit: Option<Text>,
    pub(crate) mem_reservation: Option<Text>,
    pub(crate) cpus: Option<Spanned<NumText>>,
    pub(crate) profiles: Vec<Text>,
    /// Every key of the service as written (extension `x-` keys left out), for rules
    /// about keys one tool or another ignores, rejects or no longer knows.
    pub(crate) keys: Vec<Name>,
    pub(crate) logging: Option<Logging>,
}

impl Service {
    pub(crate) fn new(name: Name, body: Span) -> Self {
        Service {
            name,
            body,
            image: None,
            build: None,
            command: None,
            entrypoint: None,
            container_name: None,
            hostname: None,
            ports: Vec::new(),
            expose: Vec::new(),
            volumes: Vec::new(),
            tmpfs: Vec::new(),
            volumes_from: Vec::new(),
            depends_on: Vec::new(),
            links: Vec::new(),
            external_links: Vec::new(),
            network_mode: None,
            network_mode_str: None,
            networks: Vec::new(),
            environment: Vec::new(),
            env_file: Vec::new(),
            secrets: Vec::new(),
            configs: Vec::new(),
            deploy: None,
            scale: None,
            healthcheck: None,
            privileged: None,
            user: None,
            restart: None,
            extends: None,
            labels: Vec::new(),
            cap_add: Vec::new(),
            pid: None,
            ipc: None,
            mem_limit: None,
            mem_reservation: None,
            cpus: None,
            profiles: Vec::new(),
            keys: Vec::new(),
            logging: None,
        }
    }
}

/// A service's `logging`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Logging {
    /// The `logging` key.
    pub(crate) span: Span,
    pub(crate) driver: Option<Text>,
    /// The names of `options` (`max-size`, `max-file`, ...).
    pub(crate) options: Vec<Name>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Build {
    /// The `build` value (filled by the reader, not read from the file).
    #[serde(skip)]
    pub(crate) span: Span,
    pub(crate) context: Option<Text>,
    pub(crate) dockerfile: Option<Text>,
    pub(crate) dockerfile_inline: Option<Text>,
    pub(crate) target: Option<Text>,
}

/// `command`/`entrypoint`: a shell string or an exec list.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) enum Command {
    Shell(Text),
    Exec(Vec<Text>, Span),
}

/// One entry of `ports`.
#[derive(Clone, Debug)]
pub(crate) enum PortEntry {
    /// `"8080:80"`, `80`, `"127.0.0.1:8080:80/udp"`.
    Short(Str),
    Long(LongPort, Span),
}

impl PortEntry {
    #[cfg(test)]
    pub(crate) fn span(&self) -> Span {
        match self {
            PortEntry::Short(s) => s.span,
            PortEntry::Long(_, span) => *span,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LongPort {
    pub(crate) name: Option<Text>,
    pub(crate) target: Option<Spanned<IntText>>,
    /// A port or a range, as a number or a string.
    pub(crate) published: Option<Text>,
    pub(crate) host_ip: Option<Text>,
    pub(crate) protocol: Option<Text>,
    pub(crate) mode: Option<Text>,
}

/// One entry of a service's `volumes`.
#[derive(Clone, Debug)]
pub(crate) enum VolumeEntry {
    /// `./data:/data:ro`, `db:/var/lib/db`, `/scratch`.
    Short(Str),
    Long(LongVolume, Span),
}

impl VolumeEntry {
    #[cfg(test)]
    pub(crate) fn span(&self) -> Span {
        match self {
            VolumeEntry::Short(s) => s.span,
            VolumeEntry::Long(_, span) => *span,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LongVolume {
    #[serde(rename = "type")]
    pub(crate) kind: Option<Text>,
    pub(crate) source: Option<Text>,
    pub(crate) target: Option<Text>,
    pub(crate) read_only: Option<Spanned<BoolText>>,
}

#[derive(Clone, Debug)]
pub(crate) struct Dependency {
    pub(crate) name: Name,
    /// `service_started`, `service_healthy`, `service_completed_successfully`.
    pub(crate) condition: Option<Text>,
    /// `required: false` makes the dependency optional.
    pub(crate) required: Option<Spanned<BoolText>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DependencyLong {
    pub(crate) condition: Option<Text>,
    pub(crate) required: Option<Spanned<BoolText>>,
    pub(crate) restart: Option<Spanned<BoolText>>,
}

#[derive(Clone, Debug)]
pub(crate) struct EnvEntry {
    pub(crate) name: Name,
    /// The value as written; `None` for `- NAME` or `NAME:` (taken from the shell).
    pub(crate) value: Option<Text>,
    /// The whole list item or mapping entry.
    pub(crate) span: Span,
}

/// One `env_file` entry: a path, or the long form `{path, required}`.
#[derive(Clone, Debug)]
pub(crate) struct EnvFile {
    pub(crate) path: Text,
    /// `required: false` lets Compose go on when the file is missing.
    pub(crate) required: Option<Spanned<BoolText>>,
}

impl EnvFile {
    /// False only for a literal `required: false`.
    pub(crate) fn is_required(&self) -> bool {
        self.required
            .as_ref()
            .is_none_or(|r| r.value.literal() != Some(false))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Label {
    pub(crate) name: Name,
    pub(crate) value: Option<Text>,
}

/// A service's use of a secret or config.
#[derive(Clone, Debug)]
pub(crate) struct ResourceRef {
    pub(crate) source: Name,
    pub(crate) target: Option<Text>,
    pub(crate) span: Span,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ResourceRefLong {
    pub(crate) source: Option<Text>,
    pub(crate) target: Option<Text>,
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug, Default)]
pub(crate) struct Deploy {
    pub(crate) span: Span,
    pub(crate) mode: Option<Entry<String>>,
    pub(crate) replicas: Option<Entry<IntText>>,
    pub(crate) resources: Option<DeployResources>,
    pub(crate) placement: Option<Placement>,
    pub(crate) restart_policy: Option<RestartPolicy>,
    pub(crate) labels: Vec<Label>,
    pub(crate) endpoint_mode: Option<Text>,
    /// The `placement` key and value.
    pub(crate) placement_span: Option<Span>,
    /// The `update_config` key and value.
    pub(crate) update_config: Option<Span>,
    /// The `rollback_config` key and value.
    pub(crate) rollback_config: Option<Span>,
    /// The `endpoint_mode` key and value.
    pub(crate) endpoint_mode_span: Option<Span>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DeployResources {
    pub(crate) limits: Option<ResourceSpec>,
    pub(crate) reservations: Option<ResourceSpec>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ResourceSpec {
    pub(crate) cpus: Option<Spanned<NumText>>,
    pub(crate) memory: Option<Text>,
    pub(crate) pids: Option<Spanned<IntText>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Placement {
    pub constraints: Vec<Text>,
    pub(crate) preferences: Vec<PlacementPreference>,
    pub(crate) max_replicas_per_node: Option<Spanned<IntText>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PlacementPreference {
    pub(crate) spread: Option<Text>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RestartPolicy {
    pub(crate) condition: Option<Text>,
    pub(crate) delay: Option<Text>,
    pub(crate) max_attempts: Option<Spanned<IntText>>,
    pub(crate) window: Option<Text>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Healthcheck {
    /// The `healthcheck` key and its value.
    pub(crate) span: Span,
    pub(crate) test: Option<Command>,
    pub(crate) disable: Option<Spanned<BoolText>>,
}

impl Healthcheck {
    /// `disable: true`, or `test: ["NONE"]`.
    pub(crate) fn is_disabled(&self) -> bool {
        let disabled = self
            .disable
            .as_ref()
            .is_some_and(|d| d.value.literal() == Some(true));
        let none = match &self.test {
            Some(Command::Exec(args, _)) => args.first().is_some_and(|a| a.value == "NONE"),
            Some(Command::Shell(t)) => t.value == "NONE",
            None => false,
        };
        disabled || none
    }
}

#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) struct Extends {
    pub(crate) service: Name,
    pub(crate) file: Option<Text>,
    pub(crate) span: Span,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ExtendsLong {
    pub(crate) service: Option<Text>,
    pub(crate) file: Option<Text>,
}

/// A top-level volume.
#[derive(Clone, Debug)]
pub(crate) struct VolumeDecl {
    pub name: Name,
    pub driver: Option<Text>,
    pub(crate) external: bool,
    /// `driver_opts.type` (`nfs`, `cifs`, ...), when given.
    pub(crate) driver_type: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VolumeDeclBody {
    pub(crate) driver: Option<Text>,
    pub(crate) external: Option<ExternalFlag>,
    pub(crate) driver_opts: Option<std::collections::BTreeMap<String, Option<Text>>>,
    pub(crate) name: Option<Text>,
}

/// `external: true`, or the legacy `external: {name: x}`.
#[derive(Clone, Debug)]
pub(crate) struct ExternalFlag(pub bool);

impl<'de> Deserialize<'de> for ExternalFlag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ExternalFlag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a mapping with `name`")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ExternalFlag, E> {
                Ok(ExternalFlag(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ExternalFlag, E> {
                match parse_bool(v) {
                    Some(b) => Ok(ExternalFlag(b)),
                    None if v.contains('$') => Ok(ExternalFlag(false)),
                    None => Err(E::custom(format!(
                        "expected a boolean or a mapping with `name`, found `{}`",
                        shorten(v)
                    ))),
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<ExternalFlag, E> {
                Ok(ExternalFlag(false))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ExternalFlag, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(ExternalFlag(true))
            }
        }
        d.deserialize_any(V)
    }
}

/// A top-level network.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) struct NetworkDecl {
    pub(crate) name: Name,
    pub(crate) driver: Option<Text>,
    pub(crate) external: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NetworkDeclBody {
    pub(crate) driver: Option<Text>,
    pub(crate) external: Option<ExternalFlag>,
    pub(crate) name: Option<Text>,
}

/// A top-level secret or config.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) struct ResourceDecl {
    pub(crate) name: Name,
    pub(crate) external: bool,
    pub(crate) file: Option<Text>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ResourceDeclBody {
    pub(crate) file: Option<Text>,
    pub(crate) external: Option<ExternalFlag>,
    pub(crate) environment: Option<Text>,
    pub(crate) name: Option<Text>,
}

/// One `include` entry: the files it pulls in.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) struct Include {
    pub(crate) paths: Vec<Text>,
    pub(crate) span: Span,
}
