//! The JSON reader behind `ApiJson`: one value and nothing after it, no key twice, and an
//! object wherever a struct is expected (serde on its own fills a struct from an array, by
//! position, which lets `["a", 1]` pass for `{"name": "a", "count": 1}`).

use std::fmt;

use serde::{
    Deserializer,
    de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor},
    forward_to_deserialize_any,
};
use serde_json::{Map, Value};

/// Parses the body into a plain JSON value. Refuses trailing data and keys given twice (a
/// second `"role"` must not quietly win over the first); the error names the key's path.
pub fn read(bytes: &[u8]) -> Result<Value, (String, serde_json::Error)> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = UniqueKeys { path: String::new() }.deserialize(&mut de).map_err(|e| (dup_path(&e), e))?;
    de.end().map_err(|e| (String::new(), e))?;
    Ok(value)
}

/// The path carried in a duplicate-key message (see `UniqueKeys`), else none.
fn dup_path(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    msg.strip_prefix("duplicate field `").and_then(|r| r.split('`').next()).unwrap_or("").to_owned()
}

/// A `serde_json::Value` builder that fails on a key seen twice in one object.
struct UniqueKeys {
    path: String,
}

impl UniqueKeys {
    fn child(&self, key: &str) -> Self {
        Self { path: if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) } }
    }
}

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self.child(&out.len().to_string()))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(&key);
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{}`", child.path)));
            }
            let v = map.next_value_seed(child)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Deserializes from a parsed value like `serde_json::Value` does, except that a struct
/// accepts only an object, at every depth.
pub struct Strict(pub Value);

type Error = serde_json::Error;

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => de::Unexpected::Unsigned(u),
            (_, Some(i), _) => de::Unexpected::Signed(i),
            (_, _, Some(f)) => de::Unexpected::Float(f),
            _ => de::Unexpected::Other("number"),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

impl<'de> Deserializer<'de> for Strict {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => n.deserialize_any(visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => {
                let len = items.len();
                let mut seq = Seq { items: items.into_iter() };
                let out = visitor.visit_seq(&mut seq)?;
                if seq.items.as_slice().is_empty() {
                    Ok(out)
                } else {
                    Err(de::Error::invalid_length(len, &"fewer elements"))
                }
            }
            Value::Object(map) => visitor.visit_map(Entries { items: map.into_iter(), value: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Strict(other)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries { items: map.into_iter(), value: None }),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Object(map) if map.len() == 1 => {
                let mut it = map.into_iter();
                match it.next() {
                    Some((variant, value)) => visitor.visit_enum(Variant { variant, value }),
                    None => Err(de::Error::invalid_length(0, &"one variant")),
                }
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &"a string or an object with one key")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

struct Seq {
    items: std::vec::IntoIter<Value>,
}

impl<'de> SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.items.next().map(|v| seed.deserialize(Strict(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries {
    items: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.items.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(Strict(Value::String(k))).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(Strict(self.value.take().unwrap_or(Value::Null)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Variant {
    variant: String,
    value: Value,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Strict;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Strict), Error> {
        let tag = seed.deserialize(Strict(Value::String(self.variant)))?;
        Ok((tag, Strict(self.value)))
    }
}

impl<'de> de::VariantAccess<'de> for Strict {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(&other), &"no value")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(_) => self.deserialize_any(visitor),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        self.deserialize_struct("", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        a: u32,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        inner: Inner,
        list: Vec<Inner>,
        maybe: Option<Inner>,
    }

    fn parse(json: &str) -> Result<Outer, String> {
        let v = read(json.as_bytes()).map_err(|(_, e)| e.to_string())?;
        serde_path_to_error::deserialize(Strict(v)).map_err(|e| format!("{} at {}", e.inner(), e.path()))
    }

    #[test]
    fn objects_only_where_structs_are_expected() {
        assert!(parse(r#"{"inner":{"a":1},"list":[{"a":2}],"maybe":null}"#).is_ok());
        assert!(parse(r#"{"inner":[1],"list":[],"maybe":null}"#).is_err_and(|e| e.ends_with("at inner")));
        assert!(parse(r#"{"inner":{"a":1},"list":[[2]],"maybe":null}"#).is_err_and(|e| e.ends_with("at list[0]")));
        assert!(parse(r#"{"inner":{"a":1},"list":[],"maybe":[3]}"#).is_err_and(|e| e.ends_with("at maybe")));
        assert!(parse(r#"[{"a":1},[],null]"#).is_err());
    }

    #[test]
    fn one_value_and_each_key_once() {
        assert!(parse(r#"{"inner":{"a":1},"list":[],"maybe":null} {"x":1}"#).is_err());
        assert!(parse(r#"{"inner":{"a":1},"list":[],"maybe":null} garbage"#).is_err());
        let dup = read(br#"{"inner":{"a":1,"a":2}}"#).map_err(|(path, _)| path);
        assert_eq!(dup, Err("inner.a".to_owned()));
    }
}
