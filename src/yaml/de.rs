//! A serde `Deserializer` over the document tree, so typed models (k8s-openapi's
//! types, our Compose and Marathon structs) are read from the tree that was already
//! parsed, without re-serialising. An error carries the span of the innermost node
//! it concerns, so a value of the wrong type is reported exactly there.
//!
//! `Spanned<T>` fields receive the span of their node through a private struct name
//! that only this deserializer answers.

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
        }
    }
}

impl DeError {
    fn at(mut self, span: Span) -> Self {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }
}

/// Reads a `T` from a node.
pub(crate) fn from_node<'de, T: de::Deserialize<'de>>(node: &'de Node) -> Result<T, DeError> {
    T::deserialize(NodeDe(node)).map_err(|e: DeError| e.at(node.span))
}

#[derive(Clone, Copy)]
pub(crate) struct NodeDe<'de>(pub &'de Node);

impl<'de> NodeDe<'de> {
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
        }
    }

    fn int(&self) -> Result<i64, DeError> {
        let Some(s) = self.0.scalar() else {
            return Err(self.type_error("an integer"));
        };
        match s.resolve() {
            Resolved::Int(i) => Ok(i),
            Resolved::Float(f) if f.fract() == 0.0 && f.is_finite() => Ok(f as i64),
            Resolved::Str(t) => {
                super::node::parse_int(t.trim()).ok_or_else(|| self.type_error("an integer"))
            }
            _ => Err(self.type_error("an integer")),
        }
    }

    fn float(&self) -> Result<f64, DeError> {
        self.0.as_f64().ok_or_else(|| self.type_error("a number"))
    }

    fn str(&self) -> Result<&'de str, DeError> {
        match &self.0.value {
            Value::Scalar(s) => Ok(&s.text),
            _ => Err(self.type_error("a string")),
        }
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
                visitor.$visit(v).map_err(|e: DeError| e.at(self.0.span))
            }
        )*
    };
}

impl<'de> Deserializer<'de> for NodeDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        let r = match &self.0.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Int(i) => visitor.visit_i64(i),
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::Str(t) => visitor.visit_borrowed_str(t),
            },
            Value::Sequence(items) => visitor.visit_seq(Seq { iter: items.iter() }),
            Value::Mapping(entries) => visitor.visit_map(Map {
                iter: entries.iter(),
                value: None,
            }),
        };
        r.map_err(|e: DeError| e.at(span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let b = match self.0.scalar().map(|s| &*s.text) {
            Some("true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON") => true,
            Some("false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF") => false,
            _ => return Err(self.type_error("a boolean")),
        };
        visitor
            .visit_bool(b)
            .map_err(|e: DeError| e.at(self.0.span))
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
            .map_err(|e: DeError| e.at(self.0.span))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_f64(self.float()?)
            .map_err(|e: DeError| e.at(self.0.span))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_borrowed_str(self.str()?)
            .map_err(|e: DeError| e.at(self.0.span))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_borrowed_bytes(self.str()?.as_bytes())
            .map_err(|e: DeError| e.at(self.0.span))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_null() {
            visitor.visit_none()
        } else {
            visitor
                .visit_some(self)
                .map_err(|e: DeError| e.at(self.0.span))
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
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor
            .visit_newtype_struct(self)
            .map_err(|e: DeError| e.at(self.0.span))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.value {
            Value::Sequence(items) => visitor
                .visit_seq(Seq { iter: items.iter() })
                .map_err(|e: DeError| e.at(self.0.span)),
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
                    iter: entries.iter(),
                    value: None,
                })
                .map_err(|e: DeError| e.at(self.0.span)),
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
            return visitor.visit_map(SpannedAccess {
                node: self.0,
                step: 0,
            });
        }
        let _ = fields;
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
                .map_err(|e: DeError| e.at(self.0.span)),
            Value::Mapping(entries) if entries.len() == 1 => visitor
                .visit_enum(Enum {
                    key: &entries[0].0,
                    value: &entries[0].1,
                })
                .map_err(|e: DeError| e.at(self.0.span)),
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

struct Seq<'de> {
    iter: std::slice::Iter<'de, Node>,
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.iter.next() {
            None => Ok(None),
            Some(node) => seed
                .deserialize(NodeDe(node))
                .map(Some)
                .map_err(|e: DeError| e.at(node.span)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Map<'de> {
    iter: std::slice::Iter<'de, (Node, Node)>,
    value: Option<&'de Node>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            None => Ok(None),
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(NodeDe(k))
                    .map(Some)
                    .map_err(|e: DeError| e.at(k.span))
            }
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        let Some(v) = self.value.take() else {
            return Err(de::Error::custom("value requested before key"));
        };
        seed.deserialize(NodeDe(v))
            .map_err(|e: DeError| e.at(v.span))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Enum<'de> {
    key: &'de Node,
    value: &'de Node,
}

impl<'de> EnumAccess<'de> for Enum<'de> {
    type Error = DeError;
    type Variant = NodeDe<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, NodeDe<'de>), DeError> {
        let v = seed
            .deserialize(NodeDe(self.key))
            .map_err(|e: DeError| e.at(self.key.span))?;
        Ok((v, NodeDe(self.value)))
    }
}

impl<'de> VariantAccess<'de> for NodeDe<'de> {
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
struct SpannedAccess<'de> {
    node: &'de Node,
    step: u8,
}

impl<'de> MapAccess<'de> for SpannedAccess<'de> {
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
            0 => seed.deserialize((self.node.span.start as u64).into_deserializer()),
            1 => seed.deserialize((self.node.span.end as u64).into_deserializer()),
            _ => seed.deserialize(NodeDe(self.node)),
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

impl<'de> IntoDeserializer<'de, DeError> for NodeDe<'de> {
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
}
