//! A serde `Deserializer` over the document tree, so typed models (k8s-openapi's
//! types, our Compose and Marathon structs) are read from the tree that was already
//! parsed, without re-serialising. An error carries the span of the innermost node
//! it concerns, so a value of the wrong type is reported exactly there.
//!
//! `Spanned<T>` fields receive the span of their node through a private struct name
//! that only this deserializer answers.
//!
//! Reading with `from_node_at` also keeps the key path down to each node (a list on
//! the stack, one link per level, nothing allocated), so an error names the full path
//! of its value (`spec.replicas`), and collects the keys of a struct's mapping that
//! the struct does not know (`deserialize_struct` receives its field names), each with
//! its path; nothing is allocated unless a key is unknown.

use std::cell::RefCell;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use super::node::{Node, Resolved, Value};
use crate::source::{Span, Spanned};

const SPANNED_NAME: &str = "$orchlint::Spanned";
const SPANNED_FIELDS: &[&str] = &["$start", "$end", "$value"];

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DeError {
    pub(crate) message: String,
    pub(crate) span: Option<Span>,
    /// The key path of the value the error is about (`spec.replicas`), when it was
    /// read with `from_node_at`.
    pub(crate) path: Option<String>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            span: None,
            path: None,
        }
    }
}

impl DeError {
    /// Gives the error the place of the innermost node it concerns (the first one
    /// set wins: errors are placed on their way out).
    fn at(mut self, node: &NodeDe<'_, '_>) -> Self {
        if self.span.is_none() {
            self.span = Some(node.0.span);
            self.path = node.path_text();
        }
        self
    }
}

/// A key of a mapping read as a struct that the struct does not know.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnknownKey {
    /// The key as written.
    pub(crate) key: String,
    /// The key's span.
    pub(crate) span: Span,
    /// The key path down to the key, the key included
    /// (`spec.template.spec.containers[0].imagePullPolicyy`).
    pub(crate) path: String,
    /// The name of the struct (`PodSpec`, `App`).
    pub(crate) owner: &'static str,
    /// The keys the struct knows.
    pub(crate) fields: &'static [&'static str],
}

/// Where unknown keys are collected while reading; one per read (or per object),
/// shared by every level of it.
#[derive(Debug, Default)]
pub(crate) struct UnknownKeys(RefCell<Vec<UnknownKey>>);

impl UnknownKeys {
    pub(crate) fn push(&self, key: UnknownKey) {
        let mut keys = self.0.borrow_mut();
        // A key read again (an alias, or a read repeated after a repair) counts once.
        if !keys.iter().any(|k| k.span == key.span) {
            keys.push(key);
        }
    }

    /// The keys collected, in the order they were met.
    pub(crate) fn into_inner(self) -> Vec<UnknownKey> {
        self.0.into_inner()
    }
}

/// Reads a `T` from a node.
pub(crate) fn from_node<'de, T: de::Deserialize<'de>>(node: &'de Node) -> Result<T, DeError> {
    let path = Path::ROOT;
    let de = NodeDe(node, &path, None);
    T::deserialize(de).map_err(|e: DeError| e.at(&de))
}

/// Reads a `T` from a node that sits at `root` (a key path, `spec`; empty for a
/// document): errors carry the full key path of their value, and keys of mappings
/// read as structs that the struct does not know go to `unknown`.
pub(crate) fn from_node_at<'de, T: de::Deserialize<'de>>(
    node: &'de Node,
    root: &str,
    unknown: &UnknownKeys,
) -> Result<T, DeError> {
    let path = Path {
        seg: Seg::Root(root),
        parent: None,
    };
    let de = NodeDe(node, &path, Some(unknown));
    T::deserialize(de).map_err(|e: DeError| e.at(&de))
}

/// One step of a key path: a linked list from the node up to the root, each link on
/// the stack of the read that went down that step.
#[derive(Clone, Copy)]
struct Path<'p> {
    seg: Seg<'p>,
    parent: Option<&'p Path<'p>>,
}

#[derive(Clone, Copy)]
enum Seg<'p> {
    /// The root of a read without paths.
    None,
    /// The root of a read with paths: the key path of its node.
    Root(&'p str),
    Key(&'p Node),
    Index(usize),
}

impl Path<'_> {
    const ROOT: Path<'static> = Path {
        seg: Seg::None,
        parent: None,
    };

    /// The path as text, `None` in a read without paths.
    fn text(&self) -> Option<String> {
        let mut segs = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            segs.push(p.seg);
            at = p.parent;
        }
        let mut out = String::new();
        for seg in segs.iter().rev() {
            match seg {
                Seg::None => return None,
                Seg::Root(r) => out.push_str(r),
                Seg::Key(k) => push_key(&mut out, k),
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        Some(out)
    }
}

/// Appends `.key`, or `["key"]` for a key that would not read back as one step.
fn push_key(out: &mut String, key: &Node) {
    let text = match &key.value {
        Value::Scalar(s) => &*s.text,
        _ => "?",
    };
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$' | '/'));
    if plain {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(text);
    } else {
        out.push_str("[\"");
        out.push_str(&text.replace('\\', "\\\\").replace('"', "\\\""));
        out.push_str("\"]");
    }
}

/// The deserializer of one node: the node, its key path and where unknown keys go.
#[derive(Clone, Copy)]
pub(crate) struct NodeDe<'de, 'p>(&'de Node, &'p Path<'p>, Option<&'p UnknownKeys>);

impl<'de, 'p> NodeDe<'de, 'p> {
    fn path_text(&self) -> Option<String> {
        self.2?;
        self.1.text()
    }

    /// The deserializer of a child node, one step down.
    fn child<'c>(&self, node: &'de Node, path: &'c Path<'c>) -> NodeDe<'de, 'c>
    where
        'p: 'c,
    {
        NodeDe(node, path, self.2)
    }

    fn type_error(&self, expected: &str) -> DeError {
        let found = match &self.0.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Str(t) => format!("`{}`", shorten(t)),
                _ => format!("`{}`", shorten(&s.text)),
            },
            _ => self.0.type_name().to_string(),
        };
        DeError {
            message: format!("expected {expected}, found {found}"),
            span: Some(self.0.span),
            path: self.path_text(),
        }
    }

    /// A read with paths (`from_node_at`: Kubernetes objects, Marathon apps) is as
    /// strict as the API servers it stands for: a quoted number or boolean is a
    /// string, which they refuse for an integer, number or boolean field. A read
    /// without paths (Compose, whose specification takes strings for numbers)
    /// converts it.
    fn strict(&self) -> bool {
        self.2.is_some()
    }

    /// The error for a quoted scalar in a strict read, when its text would have
    /// read as `expected` unquoted.
    fn quoted_error(&self, expected: &str, text: &str) -> DeError {
        let mut err = self.type_error(expected);
        err.message = format!(
            "expected {expected}, found the string \"{}\" (the API does not convert a quoted value: write {} without quotes)",
            shorten(text),
            text.trim()
        );
        err
    }

    fn int(&self) -> Result<i64, DeError> {
        let Some(s) = self.0.scalar() else {
            return Err(self.type_error("an integer"));
        };
        match s.resolve() {
            Resolved::Int(i) => Ok(i),
            Resolved::Float(f) if f.fract() == 0.0 && f.is_finite() => Ok(f as i64),
            Resolved::Str(t) => match super::node::parse_int(t.trim()) {
                Some(_) if self.strict() => Err(self.quoted_error("an integer", t)),
                Some(i) => Ok(i),
                None => Err(self.type_error("an integer")),
            },
            _ => Err(self.type_error("an integer")),
        }
    }

    fn float(&self) -> Result<f64, DeError> {
        if self.strict()
            && let Some(s) = self.0.scalar()
            && !s.plain
        {
            return Err(match s.text.trim().parse::<f64>() {
                Ok(_) => self.quoted_error("a number", &s.text),
                Err(_) => self.type_error("a number"),
            });
        }
        self.0.as_f64().ok_or_else(|| self.type_error("a number"))
    }

    fn str(&self) -> Result<&'de str, DeError> {
        match &self.0.value {
            Value::Scalar(s) => {
                if self.strict()
                    && !self.is_key()
                    && let Some(found) = unquoted_non_string(s)
                {
                    let mut err = self.type_error("a string");
                    err.message = format!(
                        "expected a string, found the {found} {} (the API reads it unquoted as a {found}: write \"{}\")",
                        shorten(&s.text),
                        s.text
                    );
                    return Err(err);
                }
                Ok(&s.text)
            }
            _ => Err(self.type_error("a string")),
        }
    }

    /// Whether this node is a mapping's key: keys are strings in the API's JSON
    /// whatever they look like (sigs.k8s.io/yaml writes `2:` as `"2"`).
    fn is_key(&self) -> bool {
        matches!(self.1.seg, Seg::Key(k) if std::ptr::eq(k, self.0))
    }
}

/// What a plain scalar is to kubectl when it is not a string: `number` or
/// `boolean`. kubectl turns YAML into JSON with sigs.k8s.io/yaml, which reads it
/// with its fork of go-yaml v2, a YAML 1.1 reader: besides the YAML 1.2 core
/// schema's numbers and `true`/`false`, `yes`/`no`, `on`/`off` and `y`/`n` (in
/// lower, title and upper case) are booleans there, and kube-apiserver refuses a
/// JSON number or boolean for a string field. Quoted scalars are strings; a null
/// reads as an absent field.
fn unquoted_non_string(s: &super::node::Scalar) -> Option<&'static str> {
    if !s.plain {
        return None;
    }
    match s.resolve() {
        Resolved::Int(_) | Resolved::Float(_) => Some("number"),
        Resolved::Bool(_) => Some("boolean"),
        Resolved::Str(t) => super::node::yaml11_bool(t).then_some("boolean"),
        Resolved::Null => None,
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

macro_rules! int_methods {
    ($($method:ident => $visit:ident as $ty:ty),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
                let i = self.int()?;
                let v = <$ty>::try_from(i).map_err(|_| {
                    self.type_error(concat!("an integer that fits ", stringify!($ty)))
                })?;
                visitor.$visit(v).map_err(|e: DeError| e.at(&self))
            }
        )*
    };
}

impl<'de> Deserializer<'de> for NodeDe<'de, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.0.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Int(i) => visitor.visit_i64(i),
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::Str(t) => visitor.visit_borrowed_str(t),
            },
            Value::Sequence(items) => visitor.visit_seq(Seq {
                parent: self,
                iter: items.iter().enumerate(),
            }),
            Value::Mapping(entries) => visitor.visit_map(Map {
                parent: self,
                iter: entries.iter(),
                entry: None,
            }),
        };
        r.map_err(|e: DeError| e.at(&self))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let b = match self.0.scalar().map(|s| &*s.text) {
            Some("true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON") => true,
            Some("false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF") => false,
            _ => return Err(self.type_error("a boolean")),
        };
        if let Some(s) = self.0.scalar().filter(|s| !s.plain && self.strict()) {
            return Err(self.quoted_error("a boolean", &s.text));
        }
        visitor.visit_bool(b).map_err(|e: DeError| e.at(&self))
    }

    int_methods! {
        deserialize_i8 => visit_i8 as i8,
        deserialize_i16 => visit_i16 as i16,
        deserialize_i32 => visit_i32 as i32,
        deserialize_i64 => visit_i64 as i64,
        deserialize_u8 => visit_u8 as u8,
        deserialize_u16 => visit_u16 as u16,
        deserialize_u32 => visit_u32 as u32,
        deserialize_u64 => visit_u64 as u64,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_f32(self.float()? as f32)
            .map_err(|e: DeError| e.at(&self))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_f64(self.float()?)
            .map_err(|e: DeError| e.at(&self))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_borrowed_str(self.str()?)
            .map_err(|e: DeError| e.at(&self))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_borrowed_bytes(self.str()?.as_bytes())
            .map_err(|e: DeError| e.at(&self))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self).map_err(|e: DeError| e.at(&self))
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_null() {
            visitor.visit_unit()
        } else {
            Err(self.type_error("null"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        // A resource quantity is a string in k8s-openapi, but the API server
        // takes a JSON number for it too (`cpu: 1`, `memory: 512`).
        if name == "Quantity"
            && let Some(s) = self.0.scalar()
            && s.plain
            && matches!(s.resolve(), Resolved::Int(_) | Resolved::Float(_))
        {
            return visitor
                .visit_newtype_struct(de::value::BorrowedStrDeserializer::<DeError>::new(&s.text))
                .map_err(|e: DeError| e.at(&self));
        }
        visitor
            .visit_newtype_struct(self)
            .map_err(|e: DeError| e.at(&self))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.value {
            Value::Sequence(items) => visitor
                .visit_seq(Seq {
                    parent: self,
                    iter: items.iter().enumerate(),
                })
                .map_err(|e: DeError| e.at(&self)),
            _ => Err(self.type_error("a sequence")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.value {
            Value::Mapping(entries) => visitor
                .visit_map(Map {
                    parent: self,
                    iter: entries.iter(),
                    entry: None,
                })
                .map_err(|e: DeError| e.at(&self)),
            _ => Err(self.type_error("a mapping")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED_NAME {
            return visitor.visit_map(SpannedAccess { de: self, step: 0 });
        }
        if let (Some(unknown), Value::Mapping(entries)) = (self.2, &self.0.value) {
            for (k, _) in entries {
                if let Some(key) = k.as_str()
                    && !fields.contains(&key)
                {
                    let path = Path {
                        seg: Seg::Key(k),
                        parent: Some(self.1),
                    };
                    unknown.push(UnknownKey {
                        key: key.to_string(),
                        span: k.span,
                        path: path.text().unwrap_or_default(),
                        owner: name,
                        fields,
                    });
                }
            }
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.0.value {
            Value::Scalar(s) => visitor
                .visit_enum((&*s.text).into_deserializer())
                .map_err(|e: DeError| e.at(&self)),
            Value::Mapping(entries) if entries.len() == 1 => visitor
                .visit_enum(Enum {
                    parent: self,
                    key: &entries[0].0,
                    value: &entries[0].1,
                })
                .map_err(|e: DeError| e.at(&self)),
            _ => Err(self.type_error("a name or a mapping with one key")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

struct Seq<'de, 'p> {
    parent: NodeDe<'de, 'p>,
    iter: std::iter::Enumerate<std::slice::Iter<'de, Node>>,
}

impl<'de> SeqAccess<'de> for Seq<'de, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.iter.next() {
            None => Ok(None),
            Some((i, node)) => {
                let path = Path {
                    seg: Seg::Index(i),
                    parent: Some(self.parent.1),
                };
                let de = self.parent.child(node, &path);
                seed.deserialize(de)
                    .map(Some)
                    .map_err(|e: DeError| e.at(&de))
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Map<'de, 'p> {
    parent: NodeDe<'de, 'p>,
    iter: std::slice::Iter<'de, (Node, Node)>,
    /// The entry whose key was just read.
    entry: Option<&'de (Node, Node)>,
}

impl<'de> MapAccess<'de> for Map<'de, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            None => Ok(None),
            Some(entry) => {
                self.entry = Some(entry);
                let k = &entry.0;
                let path = Path {
                    seg: Seg::Key(k),
                    parent: Some(self.parent.1),
                };
                let de = self.parent.child(k, &path);
                seed.deserialize(de)
                    .map(Some)
                    .map_err(|e: DeError| e.at(&de))
            }
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        let Some((k, v)) = self.entry.take() else {
            return Err(de::Error::custom("value requested before key"));
        };
        let path = Path {
            seg: Seg::Key(k),
            parent: Some(self.parent.1),
        };
        let de = self.parent.child(v, &path);
        seed.deserialize(de).map_err(|e: DeError| e.at(&de))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Enum<'de, 'p> {
    parent: NodeDe<'de, 'p>,
    key: &'de Node,
    value: &'de Node,
}

impl<'de, 'p> EnumAccess<'de> for Enum<'de, 'p> {
    type Error = DeError;
    type Variant = NodeDe<'de, 'p>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, NodeDe<'de, 'p>), DeError> {
        // The variant's name and value keep the mapping's path: a one-key mapping
        // naming a variant is one value, not a level of keys.
        let key = NodeDe(self.key, self.parent.1, self.parent.2);
        let v = seed.deserialize(key).map_err(|e: DeError| e.at(&key))?;
        Ok((v, NodeDe(self.value, self.parent.1, self.parent.2)))
    }
}

impl<'de> VariantAccess<'de> for NodeDe<'de, '_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }
}

/// Hands a `Spanned<T>` its start, end and value.
struct SpannedAccess<'de, 'p> {
    de: NodeDe<'de, 'p>,
    step: u8,
}

impl<'de> MapAccess<'de> for SpannedAccess<'de, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(name) = SPANNED_FIELDS.get(self.step as usize) else {
            return Ok(None);
        };
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        let step = self.step;
        self.step += 1;
        match step {
            0 => seed.deserialize((self.de.0.span.start as u64).into_deserializer()),
            1 => seed.deserialize((self.de.0.span.end as u64).into_deserializer()),
            _ => seed.deserialize(self.de),
        }
    }
}

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: de::Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Spanned<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value read by orchlint's tree deserializer")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
                let mut start = None;
                let mut end = None;
                let mut value = None;
                while let Some(key) = map.next_key::<&str>()? {
                    match key {
                        "$start" => start = Some(map.next_value::<u64>()?),
                        "$end" => end = Some(map.next_value::<u64>()?),
                        _ => value = Some(map.next_value::<T>()?),
                    }
                }
                let (Some(s), Some(e), Some(v)) = (start, end, value) else {
                    return Err(de::Error::custom("spanned value without its span"));
                };
                Ok(Spanned::new(v, Span::new(s as usize, e as usize)))
            }
        }
        deserializer.deserialize_struct(SPANNED_NAME, SPANNED_FIELDS, V(std::marker::PhantomData))
    }
}

impl<'de> IntoDeserializer<'de, DeError> for NodeDe<'de, '_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Svc {
        image: Spanned<String>,
        replicas: Option<u32>,
        #[serde(default)]
        ports: Vec<String>,
    }

    #[test]
    fn reads_structs_with_spans() {
        let text = "image: nginx:1.25\nreplicas: 3\nports: [80:80, \"443\"]\n";
        let p = parse(text);
        let svc: Svc = from_node(&p.documents[0]).unwrap();
        assert_eq!(svc.image.value, "nginx:1.25");
        assert_eq!(svc.image.span, Span::new(7, 17));
        assert_eq!(svc.replicas, Some(3));
        assert_eq!(svc.ports, vec!["80:80", "443"]);
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let text = "image: nginx\nreplicas: many\n";
        let p = parse(text);
        let err = from_node::<Svc>(&p.documents[0]).unwrap_err();
        assert_eq!(err.span, Some(Span::new(23, 27)));
        assert!(
            err.message.contains("expected an integer"),
            "{}",
            err.message
        );
    }

    #[test]
    fn reads_kubernetes_types() {
        use k8s_openapi::api::core::v1::Container;
        let text = "name: web\nimage: nginx\nports:\n- containerPort: 80\n";
        let p = parse(text);
        let c: Container = from_node(&p.documents[0]).unwrap();
        assert_eq!(c.image.as_deref(), Some("nginx"));
        assert_eq!(c.ports.unwrap()[0].container_port, 80);
    }

    #[test]
    fn paths_and_unknown_keys() {
        use k8s_openapi::api::core::v1::PodSpec;
        let text = "containers:\n- name: web\n  image: nginx\n  imagePullPolicyy: Always\n  ports:\n  - {containerPort: 80, protocoll: TCP}\n  env: {\"a.b\": 1}\n";
        let p = parse(text);
        let unknown = UnknownKeys::default();
        let err = from_node_at::<PodSpec>(&p.documents[0], "spec", &unknown).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("spec.containers[0].env"));
        let keys = unknown.into_inner();
        let paths: Vec<&str> = keys.iter().map(|k| k.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "spec.containers[0].imagePullPolicyy",
                "spec.containers[0].ports[0].protocoll"
            ]
        );
        assert_eq!(keys[0].owner, "Container");
        assert!(keys[0].fields.contains(&"imagePullPolicy"));
        assert_eq!(
            &text[keys[1].span.start as usize..keys[1].span.end as usize],
            "protocoll"
        );
    }

    #[test]
    fn reads_with_paths_refuse_quoted_numbers_and_booleans() {
        use k8s_openapi::api::core::v1::PodSpec;
        let text = "containers:\n- name: web\n  image: nginx\n  ports:\n  - containerPort: \"80\"\n  readinessProbe:\n    httpGet: {port: \"8080\"}\n  volumeMounts:\n  - {name: d, mountPath: /d, readOnly: 'true'}\n";
        let p = parse(text);
        let unknown = UnknownKeys::default();
        let err = from_node_at::<PodSpec>(&p.documents[0], "spec", &unknown).unwrap_err();
        assert_eq!(
            err.path.as_deref(),
            Some("spec.containers[0].ports[0].containerPort")
        );
        assert!(
            err.message
                .starts_with("expected an integer, found the string \"80\""),
            "{}",
            err.message
        );
        assert_eq!(
            &text[err.span.unwrap().start as usize..err.span.unwrap().end as usize],
            "\"80\""
        );
        // The probe's port is an IntOrString: a quoted number is fine there; the
        // boolean is not.
        let fixed = text.replace("containerPort: \"80\"", "containerPort: 80");
        let p = parse(&fixed);
        let err = from_node_at::<PodSpec>(&p.documents[0], "spec", &unknown).unwrap_err();
        assert_eq!(
            err.path.as_deref(),
            Some("spec.containers[0].volumeMounts[0].readOnly")
        );
        assert!(
            err.message.contains("found the string \"true\""),
            "{}",
            err.message
        );
        let p = parse(&fixed.replace("'true'", "true"));
        assert!(from_node_at::<PodSpec>(&p.documents[0], "spec", &unknown).is_ok());
        // A read without paths (Compose) converts quoted values.
        let p = parse("image: nginx\nreplicas: \"3\"\n");
        let svc: Svc = from_node(&p.documents[0]).unwrap();
        assert_eq!(svc.replicas, Some(3));
    }

    #[test]
    fn reads_with_paths_refuse_unquoted_numbers_and_booleans_for_strings() {
        use k8s_openapi::api::core::v1::Container;
        let read = |text: &str| {
            let p = parse(text);
            let unknown = UnknownKeys::default();
            from_node_at::<Container>(&p.documents[0], "c", &unknown)
        };
        let base = "name: web\nimage: nginx\n";
        let err = read(&format!("{base}env:\n- {{name: A, value: 4}}\n")).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("c.env[0].value"));
        assert!(
            err.message
                .starts_with("expected a string, found the number 4"),
            "{}",
            err.message
        );
        // YAML 1.1 booleans, as kubectl's go-yaml v2 reads them.
        let err = read(&format!("{base}args: [run, yes]\n")).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("c.args[1]"));
        assert!(err.message.contains("the boolean yes"), "{}", err.message);
        let err = read("name: web\nimage: 1.5\n").unwrap_err();
        assert_eq!(err.path.as_deref(), Some("c.image"));
        // Quoted values, quantities, intstr ports and keys that look like numbers
        // are fine; a read without paths (Compose) stays lenient.
        let ok = format!(
            "{base}env:\n- {{name: A, value: \"4\"}}\nargs: ['yes', \"1\"]\nresources:\n  limits: {{cpu: 1, memory: 512, \"2\": 1.5}}\nreadinessProbe:\n  httpGet: {{port: 8080}}\n"
        );
        assert!(read(&ok).is_ok(), "{:?}", read(&ok));
        let p = parse("image: 1.5\nports: [80]\n");
        let svc: Svc = from_node(&p.documents[0]).unwrap();
        assert_eq!(svc.image.value, "1.5");
    }

    #[test]
    fn reads_without_paths_stay_without() {
        let p = parse("image: nginx\nreplicas: many\nextra: 1\n");
        let err = from_node::<Svc>(&p.documents[0]).unwrap_err();
        assert_eq!(err.path, None);
        let unknown = UnknownKeys::default();
        let err = from_node_at::<Svc>(&p.documents[0], "", &unknown).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("replicas"));
        assert_eq!(unknown.into_inner()[0].path, "extra");
    }
}
