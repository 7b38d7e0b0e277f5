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
pub type Text = Spanned<String>;

/// A scalar read by hand, that also knows where its text sits in the source so parts
/// of it (the `db` of `db:/var/lib/db`) get their own span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    pub text: String,
    pub span: Span,
    /// Source offset of the text's first byte when the text maps byte for byte onto
    /// the source (plain or quoted without escapes).
    pub origin: Option<u32>,
}

impl Str {
    /// The span of `range` (byte offsets in `text`), or the whole value's span when
    /// the text does not map onto the source.
    pub fn sub(&self, range: Range<usize>) -> Span {
        match self.origin {
            Some(o) if range.start <= range.end && range.end <= self.text.len() => {
                Span::new(o as usize + range.start, o as usize + range.end)
            }
            _ => self.span,
        }
    }

    pub fn as_text(&self) -> Text {
        Spanned::new(self.text.clone(), self.span)
    }

    /// The text as a name, its span without the quotes when it has them.
    pub fn as_name(&self) -> Name {
        Spanned::new(self.text.clone(), self.sub(0..self.text.len()))
    }
}

/// A name with the span of the name (a part of `Str`, or a whole key).
pub type Name = Spanned<String>;

/// An integer as written: a number, a string holding one, or a value to interpolate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntText(pub String);

/// A number (integer or decimal) as written, or a value to interpolate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumText(pub String);

/// A boolean as written, or a value to interpolate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoolText(pub String);

impl BoolText {
    /// The value when it is a literal boolean.
    pub fn literal(&self) -> Option<bool> {
        parse_bool(&self.0)
    }
}

/// Booleans as Compose loaders accept them (YAML 1.1 words included, which Compose
/// v1 read through PyYAML).
pub fn parse_bool(s: &str) -> Option<bool> {
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
    pub version: Option<Box<Text>>,
    pub name: Option<Box<Text>>,
    /// Compose file format 1 (Fig): the services are the top-level keys.
    pub legacy_v1: bool,
    pub services: Vec<Service>,
    pub volumes: Vec<VolumeDecl>,
    pub networks: Vec<NetworkDecl>,
    pub secrets: Vec<ResourceDecl>,
    pub configs: Vec<ResourceDecl>,
    pub includes: Vec<Include>,
}

impl ComposeFile {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().rev().find(|s| s.name.value == name)
    }
}

/// A `key: value` entry whose whole extent findings may point at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<T> {
    pub key: Span,
    pub value: Spanned<T>,
}

impl<T> Entry<T> {
    /// The key and the value together (`privileged: true`).
    pub fn span(&self) -> Span {
        self.key.cover(self.value.span)
    }
}

#[derive(Clone, Debug)]
pub struct Service {
    /// The service's key.
    pub name: Name,
    /// The service's body.
    pub body: Span,
    pub image: Option<Text>,
    pub build: Option<Build>,
    pub command: Option<Command>,
    pub entrypoint: Option<Command>,
    pub container_name: Option<Entry<String>>,
    pub hostname: Option<Text>,
    pub ports: Vec<PortEntry>,
    pub expose: Vec<Text>,
    pub volumes: Vec<VolumeEntry>,
    pub tmpfs: Vec<Text>,
    pub volumes_from: Vec<Str>,
    pub depends_on: Vec<Dependency>,
    pub links: Vec<Str>,
    pub external_links: Vec<Text>,
    /// `network_mode`, or `net` in format 1.
    pub network_mode: Option<Entry<String>>,
    /// Where `network_mode` sits in its value (for `service:x`).
    pub network_mode_str: Option<Str>,
    pub networks: Vec<Name>,
    pub environment: Vec<EnvEntry>,
    pub env_file: Vec<Text>,
    pub secrets: Vec<ResourceRef>,
    pub configs: Vec<ResourceRef>,
    pub deploy: Option<Deploy>,
    pub scale: Option<Entry<IntText>>,
    pub healthcheck: Option<Healthcheck>,
    pub privileged: Option<Entry<BoolText>>,
    pub user: Option<Text>,
    pub restart: Option<Text>,
    pub extends: Option<Extends>,
    pub labels: Vec<Label>,
    pub cap_add: Vec<Text>,
    pub pid: Option<Entry<String>>,
    /// `ipc` (`host`, `shareable`, `service:x`, ...).
    pub ipc: Option<Entry<String>>,
    pub mem_limit: Option<Text>,
    pub mem_reservation: Option<Text>,
    pub cpus: Option<Spanned<NumText>>,
    pub profiles: Vec<Text>,
    /// Every key of the service as written (extension `x-` keys left out), for rules
    /// about keys one tool or another ignores, rejects or no longer knows.
    pub keys: Vec<Name>,
}

impl Service {
    pub fn new(name: Name, body: Span) -> Self {
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
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Build {
    /// The `build` value (filled by the reader, not read from the file).
    #[serde(skip)]
    pub span: Span,
    pub context: Option<Text>,
    pub dockerfile: Option<Text>,
    pub target: Option<Text>,
}

/// `command`/`entrypoint`: a shell string or an exec list.
#[derive(Clone, Debug)]
pub enum Command {
    Shell(Text),
    Exec(Vec<Text>, Span),
}

/// One entry of `ports`.
#[derive(Clone, Debug)]
pub enum PortEntry {
    /// `"8080:80"`, `80`, `"127.0.0.1:8080:80/udp"`.
    Short(Str),
    Long(LongPort, Span),
}

impl PortEntry {
    pub fn span(&self) -> Span {
        match self {
            PortEntry::Short(s) => s.span,
            PortEntry::Long(_, span) => *span,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct LongPort {
    pub name: Option<Text>,
    pub target: Option<Spanned<IntText>>,
    /// A port or a range, as a number or a string.
    pub published: Option<Text>,
    pub host_ip: Option<Text>,
    pub protocol: Option<Text>,
    pub mode: Option<Text>,
}

/// One entry of a service's `volumes`.
#[derive(Clone, Debug)]
pub enum VolumeEntry {
    /// `./data:/data:ro`, `db:/var/lib/db`, `/scratch`.
    Short(Str),
    Long(LongVolume, Span),
}

impl VolumeEntry {
    pub fn span(&self) -> Span {
        match self {
            VolumeEntry::Short(s) => s.span,
            VolumeEntry::Long(_, span) => *span,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct LongVolume {
    #[serde(rename = "type")]
    pub kind: Option<Text>,
    pub source: Option<Text>,
    pub target: Option<Text>,
    pub read_only: Option<Spanned<BoolText>>,
}

#[derive(Clone, Debug)]
pub struct Dependency {
    pub name: Name,
    /// `service_started`, `service_healthy`, `service_completed_successfully`.
    pub condition: Option<Text>,
    /// `required: false` makes the dependency optional.
    pub required: Option<Spanned<BoolText>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DependencyLong {
    pub condition: Option<Text>,
    pub required: Option<Spanned<BoolText>>,
    pub restart: Option<Spanned<BoolText>>,
}

#[derive(Clone, Debug)]
pub struct EnvEntry {
    pub name: Name,
    /// The value as written; `None` for `- NAME` or `NAME:` (taken from the shell).
    pub value: Option<Text>,
    /// The whole list item or mapping entry.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Label {
    pub name: Name,
    pub value: Option<Text>,
}

/// A service's use of a secret or config.
#[derive(Clone, Debug)]
pub struct ResourceRef {
    pub source: Name,
    pub target: Option<Text>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResourceRefLong {
    pub source: Option<Text>,
    pub target: Option<Text>,
}

#[derive(Clone, Debug, Default)]
pub struct Deploy {
    pub span: Span,
    pub mode: Option<Entry<String>>,
    pub replicas: Option<Entry<IntText>>,
    pub resources: Option<DeployResources>,
    pub placement: Option<Placement>,
    pub restart_policy: Option<RestartPolicy>,
    pub labels: Vec<Label>,
    pub endpoint_mode: Option<Text>,
    /// The `placement` key and value.
    pub placement_span: Option<Span>,
    /// The `update_config` key and value.
    pub update_config: Option<Span>,
    /// The `rollback_config` key and value.
    pub rollback_config: Option<Span>,
    /// The `endpoint_mode` key and value.
    pub endpoint_mode_span: Option<Span>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeployResources {
    pub limits: Option<ResourceSpec>,
    pub reservations: Option<ResourceSpec>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResourceSpec {
    pub cpus: Option<Spanned<NumText>>,
    pub memory: Option<Text>,
    pub pids: Option<Spanned<IntText>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Placement {
    pub constraints: Vec<Text>,
    pub preferences: Vec<PlacementPreference>,
    pub max_replicas_per_node: Option<Spanned<IntText>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlacementPreference {
    pub spread: Option<Text>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RestartPolicy {
    pub condition: Option<Text>,
    pub delay: Option<Text>,
    pub max_attempts: Option<Spanned<IntText>>,
    pub window: Option<Text>,
}

#[derive(Clone, Debug, Default)]
pub struct Healthcheck {
    /// The `healthcheck` key and its value.
    pub span: Span,
    pub test: Option<Command>,
    pub disable: Option<Spanned<BoolText>>,
}

impl Healthcheck {
    /// `disable: true`, or `test: ["NONE"]`.
    pub fn is_disabled(&self) -> bool {
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

#[derive(Clone, Debug)]
pub struct Extends {
    pub service: Name,
    pub file: Option<Text>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExtendsLong {
    pub service: Option<Text>,
    pub file: Option<Text>,
}

/// A top-level volume.
#[derive(Clone, Debug)]
pub struct VolumeDecl {
    pub name: Name,
    pub driver: Option<Text>,
    pub external: bool,
    /// `driver_opts.type` (`nfs`, `cifs`, ...), when given.
    pub driver_type: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct VolumeDeclBody {
    pub driver: Option<Text>,
    pub external: Option<ExternalFlag>,
    pub driver_opts: Option<std::collections::BTreeMap<String, Option<Text>>>,
    pub name: Option<Text>,
}

/// `external: true`, or the legacy `external: {name: x}`.
#[derive(Clone, Debug)]
pub struct ExternalFlag(pub bool);

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
#[derive(Clone, Debug)]
pub struct NetworkDecl {
    pub name: Name,
    pub driver: Option<Text>,
    pub external: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NetworkDeclBody {
    pub driver: Option<Text>,
    pub external: Option<ExternalFlag>,
    pub name: Option<Text>,
}

/// A top-level secret or config.
#[derive(Clone, Debug)]
pub struct ResourceDecl {
    pub name: Name,
    pub external: bool,
    pub file: Option<Text>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResourceDeclBody {
    pub file: Option<Text>,
    pub external: Option<ExternalFlag>,
    pub environment: Option<Text>,
    pub name: Option<Text>,
}

/// One `include` entry: the files it pulls in.
#[derive(Clone, Debug)]
pub struct Include {
    pub paths: Vec<Text>,
    pub span: Span,
}
