//! The read-back of an edit: the edited text is read by the strict parser exactly as
//! [`super::read_data`] reads a file, and compared with the data the edit meant as it is read,
//! without building the data a second time. A scalar is turned into data by serde_json's own
//! rules, so the comparison is `read_data(text) == expected`, only cheaper.

use std::collections::HashSet;
use std::fmt;

use serde::de::value::{F64Deserializer, I128Deserializer, I64Deserializer};
use serde::de::value::{U128Deserializer, U64Deserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// Whether `text` reads as `expected` (false too when it does not read at all).
pub fn reads_as(text: &str, expected: &Value) -> bool {
    if text.trim().is_empty() {
        return expected.is_null();
    }
    serde_saphyr::with_deserializer_from_str_with_options(text, super::helm_options(), |de| {
        Expect(expected).deserialize(de)
    })
    .is_ok()
}

/// A seed that reads one node and fails as soon as it differs from the expected value.
struct Expect<'a>(&'a Value);

const DIFFERS: &str = "the text does not read as the edit meant";

fn differs<E: de::Error>() -> E {
    E::custom(DIFFERS)
}

impl<'de> DeserializeSeed<'de> for Expect<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Expect<'_> {
    /// Compares a scalar as serde_json would make it from the same visit.
    fn scalar<'de, D: Deserializer<'de>, E: de::Error>(&self, from: D) -> Result<(), E> {
        match Value::deserialize(from) {
            Ok(v) if v == *self.0 => Ok(()),
            _ => Err(differs()),
        }
    }
}

impl<'de> Visitor<'de> for Expect<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        if *self.0 == Value::Bool(v) {
            Ok(())
        } else {
            Err(differs())
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(I64Deserializer::<E>::new(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.scalar(I128Deserializer::<E>::new(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(U64Deserializer::<E>::new(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.scalar(U128Deserializer::<E>::new(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(F64Deserializer::<E>::new(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if self.0.as_str() == Some(v) {
            Ok(())
        } else {
            Err(differs())
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.visit_str(&v)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        if self.0.is_null() {
            Ok(())
        } else {
            Err(differs())
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Value::Array(items) = self.0 else { return Err(differs()) };
        for item in items {
            if seq.next_element_seed(Expect(item))?.is_none() {
                return Err(differs());
            }
        }
        match seq.next_element::<de::IgnoredAny>()? {
            None => Ok(()),
            Some(_) => Err(differs()),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Value::Object(expected) = self.0 else { return Err(differs()) };
        let mut seen: HashSet<String> = HashSet::with_capacity(expected.len());
        while let Some(key) = map.next_key_seed(Key)? {
            let Some(value) = expected.get(&key) else { return Err(differs()) };
            map.next_value_seed(Expect(value))?;
            if !seen.insert(key) {
                // serde_json would keep the last of two equal keys; a read-back never has them.
                return Err(differs());
            }
        }
        if seen.len() == expected.len() {
            Ok(())
        } else {
            Err(differs())
        }
    }
}

/// A mapping key read as serde_json reads one: as a string.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Key {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The read-back agrees with reading the text and comparing, on texts that differ from
    /// the expected data in every way a value can.
    #[test]
    fn agrees_with_reading_then_comparing() {
        let texts = [
            "",
            "~\n",
            "a: 1\n",
            "a: 1\nb: [1, 2]\n",
            "a: {b: {c: [x, {d: e}]}}\n",
            "a: true\nb: yes\nc: 'true'\nd: 1.5\ne: .nan\nf: 0x1F\ng: 12345678901234567890123\n",
            "a: null\nb: ~\nc:\n",
            "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n",
            "1: a\ntrue: b\n",
            "a: [1, 2, 3]\n",
            "a: [1, 2]\n",
            "a: \"é\\n\"\n",
            "a: |\n  text\n  more\n",
        ];
        let parsed: Vec<Option<Value>> = texts
            .iter()
            .map(|t| super::super::read_data(std::path::Path::new(""), t).ok())
            .collect();
        for (i, t) in texts.iter().enumerate() {
            for (j, expected) in parsed.iter().enumerate() {
                let Some(expected) = expected else { continue };
                let want = parsed[i].as_ref() == Some(expected);
                assert_eq!(reads_as(t, expected), want, "text {i} {t:?} against data {j}");
            }
        }
        assert!(!reads_as("a: [1\n", &Value::Null), "a text that does not read");
    }

    fn yaml_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[a-z0-9 ]{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-c]{1,2}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn a_document_reads_as_its_own_data_and_not_as_another(a in yaml_value(), b in yaml_value()) {
            let top = |v: Value| Value::Object([("k".to_string(), v)].into_iter().collect());
            let (a, b) = (top(a), top(b));
            let text = serde_json::to_string(&a).expect("json");
            let read = super::super::read_data(std::path::Path::new(""), &text).expect("reads");
            prop_assert!(reads_as(&text, &read));
            prop_assert_eq!(reads_as(&text, &b), read == b);
        }
    }
}
