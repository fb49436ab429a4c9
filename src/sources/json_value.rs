//! A JSON file read into the [`Value`] its loader takes, without building what no loader
//! reads: the documents of an account dump's managed policy versions that are not the
//! default. AWS keeps up to five versions of a policy and a dump carries them all; in a
//! real dump most bytes are AWS managed policies' old versions, and only the version in
//! force is ever read ([`super::account_dump::default_version`]). Of an AWS managed
//! policy's version in force, only the statements that may cover an `sts:` action are
//! built ([`aws_managed_document`]): the model keeps nothing else of it.
//!
//! Those documents are still read through, so a file that is not JSON is refused as
//! `serde_json::from_str::<Value>` would refuse it, with the same error at the same
//! position. What serde_json refuses beyond JSON's grammar (its limits: 128 levels of
//! nesting, numbers past `f64`) is only checked where a value is built: a document that
//! is not read may exceed them and the dump still loads; the version in force is parsed
//! on its own once chosen, so its nesting counts from the document, and a limit it
//! exceeds is reported at the end of its policy entry.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use super::account_dump::{default_version, is_aws_managed, strip_position};
use crate::model::policy::may_cover_sts;

/// A visitor's `expecting` and its visits of JSON's scalars, each value as serde_json
/// builds it, passed through `$wrap`: the visitors here differ only in what they do with
/// lists and objects.
macro_rules! scalars {
    ($wrap:expr) => {
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok(($wrap)(Value::Bool(v)))
        }

        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(($wrap)(Value::Number(v.into())))
        }

        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(($wrap)(Value::Number(v.into())))
        }

        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            // As serde_json's own: JSON text never holds a number that is not finite.
            Ok(($wrap)(
                Number::from_f64(v).map_or(Value::Null, Value::Number),
            ))
        }

        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(($wrap)(Value::String(v.to_owned())))
        }

        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(($wrap)(Value::String(v)))
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(($wrap)(Value::Null))
        }
    };
}

/// Parses `text` as one JSON value, as `serde_json::from_str::<Value>` does.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Read {
        text,
        at: Place::Top,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Where in the file the value being read sits: only the way down to a dump's policy
/// versions, and inside an AWS managed policy's document to its statements, is told
/// apart; below any other key a plain [`Value`] is read.
#[derive(Clone, Copy)]
enum Place {
    /// The file's top value.
    Top,
    /// The value of the top object's `Policies`.
    Policies,
    /// One of its entries.
    Policy,
    /// An AWS managed policy's document (see [`aws_managed_document`]).
    ManagedDocument,
    /// Its `Statement`.
    ManagedStatements,
}

impl Place {
    /// The place of the value of an object's `key` at this place, if it is told apart.
    fn below(self, key: &str) -> Option<Place> {
        match (self, key) {
            (Place::Top, "Policies") => Some(Place::Policies),
            (Place::ManagedDocument, "Statement") => Some(Place::ManagedStatements),
            _ => None,
        }
    }
}

/// Reads the value at a place of `text`.
#[derive(Clone, Copy)]
struct Read<'t> {
    text: &'t str,
    at: Place,
}

impl<'de> DeserializeSeed<'de> for Read<'de> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Read<'de> {
    type Value = Value;

    scalars!(|v| v);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        match self.at {
            Place::Policies => {
                let entry = Read {
                    at: Place::Policy,
                    ..self
                };
                while let Some(item) = seq.next_element_seed(entry)? {
                    items.push(item);
                }
            }
            // Each statement is read through, and built only if it may cover `sts:`.
            Place::ManagedStatements => {
                while let Some(raw) = seq.next_element::<&'de RawValue>()? {
                    let text = raw.get();
                    items.push(if may_cover_sts(&action_of(text)) {
                        serde_json::from_str::<Value>(text)
                            .map_err(|e| de::Error::custom(strip_position(&e)))?
                    } else {
                        serde_json::json!({"Action": []})
                    });
                }
            }
            Place::Top | Place::Policy | Place::ManagedDocument => {
                return Value::deserialize(SeqAccessDeserializer::new(seq))
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        match self.at {
            Place::Top | Place::ManagedDocument => {
                let mut out = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = match self.at.below(&key) {
                        Some(at) => map.next_value_seed(Read { at, ..self })?,
                        None => map.next_value::<Value>()?,
                    };
                    out.insert(key, value);
                }
                Ok(Value::Object(out))
            }
            Place::Policy => policy(self.text, map),
            Place::Policies | Place::ManagedStatements => {
                Value::deserialize(MapAccessDeserializer::new(map))
            }
        }
    }
}

/// A version's `Document`, as far as it was read.
enum Document {
    /// Read through, not built: the byte offset of its value in the file.
    At(usize),
    /// Built (its key was written with escapes, so where it lies is not known).
    Built(Value),
}

/// A managed policy entry: every key as a [`Value`], except that its versions' documents
/// are read through and only the default version's is built, once the whole entry is
/// read (`DefaultVersionId` may come after the list).
fn policy<'de, A: MapAccess<'de>>(text: &'de str, mut map: A) -> Result<Value, A::Error> {
    let mut out = Map::new();
    let mut documents = None;
    while let Some(key) = map.next_key::<String>()? {
        let value = if key == "PolicyVersionList" {
            let (value, read) = map.next_value_seed(Versions { text })?;
            documents = read;
            value
        } else {
            map.next_value::<Value>()?
        };
        out.insert(key, value);
    }
    let Some(documents) = documents else {
        return Ok(Value::Object(out));
    };
    let default_id = out
        .get("DefaultVersionId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let aws_managed = out
        .get("Arn")
        .and_then(Value::as_str)
        .is_some_and(is_aws_managed);
    let Some(Value::Array(versions)) = out.get_mut("PolicyVersionList") else {
        return Ok(Value::Object(out));
    };
    let chosen = default_version(versions, default_id.as_deref());
    let Some((i, Some(document))) = chosen.and_then(|i| Some((i, documents.into_iter().nth(i)?)))
    else {
        return Ok(Value::Object(out));
    };
    let value = match document {
        Document::Built(value) => value,
        Document::At(offset) => document_at(text, offset, aws_managed)
            .map_err(|e| de::Error::custom(strip_position(&e)))?,
    };
    if let Some(Value::Object(version)) = versions.get_mut(i) {
        version.insert("Document".into(), value);
    }
    Ok(Value::Object(out))
}

/// Parses the one JSON value that starts at `offset` of `text`: as an AWS managed
/// policy's document (see [`aws_managed_document`]) when `aws_managed`.
fn document_at(text: &str, offset: usize, aws_managed: bool) -> Result<Value, serde_json::Error> {
    let rest = text.get(offset..).unwrap_or_default();
    let mut de = serde_json::Deserializer::from_str(rest);
    if aws_managed {
        Read {
            text: rest,
            at: Place::ManagedDocument,
        }
        .deserialize(&mut de)
    } else {
        Value::deserialize(&mut de)
    }
}

/// Parses an AWS managed policy's document (all of `text`) as `serde_json` would, except
/// that a statement whose `Action` cannot cover an `sts:` action ([`may_cover_sts`]) is
/// read through and stands as `{"Action": []}`, which covers nothing either: of such a
/// statement the model keeps only that it was left out
/// ([`crate::model::policy::PolicyDocument::aws_managed`]), and of the 650 or so policies
/// in a dump almost all are made of them. As for the versions that are not in force, a
/// statement read through is checked against JSON's grammar but not serde_json's limits.
pub fn aws_managed_document(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Read {
        text,
        at: Place::ManagedDocument,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// A statement's `Action` alone, as `{"Action": …}`, for [`may_cover_sts`]: the last
/// `Action` key wins, as in a [`Value`]. `{}` for anything else (a statement that is
/// not an object, or text it cannot read): that is kept.
fn action_of(statement: &str) -> Value {
    struct ActionOnly;
    impl<'de> Visitor<'de> for ActionOnly {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a statement")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut action = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == "Action" {
                    action = Some(map.next_value::<Value>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            let mut out = Map::new();
            if let Some(action) = action {
                out.insert("Action".into(), action);
            }
            Ok(Value::Object(out))
        }
    }
    serde_json::Deserializer::from_str(statement)
        .deserialize_map(ActionOnly)
        .unwrap_or_default()
}

/// What a `PolicyVersionList` gives: the list as a [`Value`] whose entries lack their
/// `Document`, and the documents apart, one per entry (`None` for an entry without one);
/// `None` for the documents when it is not a list.
type VersionList = (Value, Option<Vec<Option<Document>>>);

/// Reads a `PolicyVersionList`.
struct Versions<'t> {
    text: &'t str,
}

impl<'de> DeserializeSeed<'de> for Versions<'de> {
    type Value = VersionList;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<VersionList, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Versions<'de> {
    type Value = VersionList;

    scalars!(|v| (v, None));

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<VersionList, A::Error> {
        Ok((Value::deserialize(MapAccessDeserializer::new(map))?, None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<VersionList, A::Error> {
        let mut entries = Vec::new();
        let mut documents = Vec::new();
        while let Some((entry, document)) = seq.next_element_seed(Version { text: self.text })? {
            entries.push(entry);
            documents.push(document);
        }
        Ok((Value::Array(entries), Some(documents)))
    }
}

/// One version entry: its keys but `Document` as [`Value`]s, and its document apart.
struct Version<'t> {
    text: &'t str,
}

impl<'de> DeserializeSeed<'de> for Version<'de> {
    type Value = (Value, Option<Document>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Version<'de> {
    type Value = (Value, Option<Document>);

    scalars!(|v| (v, None));

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok((Value::deserialize(SeqAccessDeserializer::new(seq))?, None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Map::new();
        let mut document = None;
        while let Some(key) = map.next_key_seed(KeyAt { text: self.text })? {
            match key {
                Key::Document(Some(offset)) => {
                    map.next_value::<IgnoredAny>()?;
                    document = Some(Document::At(offset));
                }
                Key::Document(None) => document = Some(Document::Built(map.next_value()?)),
                Key::Other(key) => {
                    let value = map.next_value::<Value>()?;
                    out.insert(key, value);
                }
            }
        }
        Ok((Value::Object(out), document))
    }
}

/// A key of a version entry.
enum Key {
    /// `Document`, with the offset of its value when the key was read in place.
    Document(Option<usize>),
    Other(String),
}

/// Reads a version entry's key, and for `Document` where its value starts.
struct KeyAt<'t> {
    text: &'t str,
}

impl<'de> DeserializeSeed<'de> for KeyAt<'de> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyAt<'de> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key, E> {
        Ok(match key {
            "Document" => Key::Document(value_after(self.text, key)),
            _ => Key::Other(key.to_owned()),
        })
    }

    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        // A key with escapes, copied out of the text: where it was is not known.
        Ok(match key {
            "Document" => Key::Document(None),
            _ => Key::Other(key.to_owned()),
        })
    }
}

/// The offset in `text` of the value that follows `key`, a slice of `text` (the key's
/// characters between its quotes), or None when `key` is not such a slice.
fn value_after(text: &str, key: &str) -> Option<usize> {
    let start = (key.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(key.len())?;
    let json_space = [' ', '\t', '\n', '\r'];
    let rest = text
        .get(end..)?
        .strip_prefix('"')?
        .trim_start_matches(json_space)
        .strip_prefix(':')?
        .trim_start_matches(json_space);
    Some(text.len() - rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::location::DocOrigin;
    use crate::model::path::JsonPath;
    use crate::model::policy::PolicyDocument;

    /// What the model keeps of an AWS managed policy's document read from `text` as
    /// serde_json reads it, and as [`aws_managed_document`] does.
    fn managed_both_ways(text: &str) -> (String, String) {
        let build = |raw: &Value| {
            let origin = DocOrigin::Json {
                file: 0,
                base: JsonPath::root(),
            };
            format!("{:?}", PolicyDocument::aws_managed(raw, origin, "p".into()))
        };
        let full: Value = serde_json::from_str(text).unwrap();
        (build(&full), build(&aws_managed_document(text).unwrap()))
    }

    #[test]
    fn an_aws_managed_document_keeps_its_sts_statements_where_they_were() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*"], "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:List*", "Action": "sts:AssumeRole", "Resource": "*"},
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Action": "s3:List*", "Resource": "*"},
            "not a statement",
            {"Effect": "Allow", "Action": [1, "s3:Get*"], "Resource": "*"},
            {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": {"a": 1}, "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "sts.amazonaws.com"}}}
        ]}"#;
        let value = aws_managed_document(text).unwrap();
        let statements = value["Statement"].as_array().unwrap();
        assert_eq!(statements.len(), 8, "every statement keeps its place");
        // Built: the last `Action` covers sts:, a non-object, a non-string action, a
        // `NotAction`, an `Action` of another type. Read through: the rest.
        let built: Vec<bool> = statements
            .iter()
            .map(|s| *s != serde_json::json!({"Action": []}))
            .collect();
        assert_eq!(built, [false, true, false, true, true, true, true, false]);
        let (full, lean) = managed_both_ways(text);
        assert_eq!(full, lean);
        // A lone statement object, and no list, are read as they are.
        for text in [
            r#"{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#,
            r#"{"Statement": "x"}"#,
            r#"[{"Statement": []}]"#,
        ] {
            let expected: Value = serde_json::from_str(text).unwrap();
            assert_eq!(aws_managed_document(text).unwrap(), expected, "{text}");
        }
        assert!(aws_managed_document(r#"{"Statement": [{"Action": }]}"#).is_err());
        assert!(aws_managed_document(r#"{"Statement": []} x"#).is_err());
    }

    proptest::proptest! {
        #[test]
        fn an_aws_managed_document_loads_as_serde_json_reads_it(
            statements in proptest::collection::vec(
                (
                    proptest::collection::vec(
                        "(sts|STS|s3|iam|s\\*|\\*|st\\?|ec2)?(:)?(AssumeRole|Assume\\*|\\*|Get\\*|TagSession)?",
                        0..3,
                    ),
                    0..5u8,
                ),
                0..6,
            ),
        ) {
            let items: Vec<Value> = statements
                .into_iter()
                .map(|(actions, shape)| {
                    let list = serde_json::json!(actions);
                    let one = serde_json::json!(actions.first().cloned().unwrap_or_default());
                    match shape {
                        0 => serde_json::json!({"Effect": "Allow", "Action": list, "Resource": "*"}),
                        1 => serde_json::json!({"Effect": "Deny", "Action": one, "Resource": "*"}),
                        2 => serde_json::json!({"Effect": "Allow", "NotAction": list, "Resource": "*"}),
                        3 => serde_json::json!({"Effect": "Allow", "Action": one, "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
                        _ => list,
                    }
                })
                .collect();
            let text = serde_json::json!({"Version": "2012-10-17", "Statement": items}).to_string();
            let (full, lean) = managed_both_ways(&text);
            proptest::prop_assert_eq!(full, lean);
        }
    }

    #[test]
    fn reads_what_serde_json_reads_elsewhere() {
        for text in [
            "{}",
            "[]",
            "null",
            "-1.5e3",
            r#"{"Policies": {"a": [1, 2.5, true, null, "x"]}}"#,
            r#"{"Policies": [1, "x", [], {"PolicyVersionList": 3}]}"#,
            r#"{"a": {"Policies": [{"PolicyVersionList": [{"Document": {}}]}]}}"#,
            r#"{"Policies": [{"PolicyVersionList": [1, [], {"VersionId": "v1"}]}]}"#,
        ] {
            let expected: Value = serde_json::from_str(text).unwrap();
            assert_eq!(parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn builds_only_the_default_versions_document() {
        let text = r#"{"Policies": [
            {"PolicyVersionList": [
                {"Document": {"Statement": []}, "VersionId": "v1", "IsDefaultVersion": false},
                {"Document" : "%7B%7D", "VersionId": "v2", "IsDefaultVersion": true}
            ]},
            {"PolicyVersionList": [
                {"Document": {"a": 1}, "VersionId": "v1"},
                {"Docu\u006dent": {"b": 2}, "VersionId": "v2"}
            ], "DefaultVersionId": "v2"},
            {"PolicyVersionList": [{"Document": {"c": 3}, "VersionId": "v1"}]}
        ]}"#;
        let value = parse(text).unwrap();
        let versions = |p: usize| value["Policies"][p]["PolicyVersionList"].clone();
        assert_eq!(versions(0)[0].get("Document"), None);
        assert_eq!(versions(0)[1]["Document"], "%7B%7D");
        assert_eq!(versions(1)[0].get("Document"), None);
        assert_eq!(versions(1)[1]["Document"], serde_json::json!({"b": 2}));
        // No default: no document is built, and the loader finds none, as before.
        assert_eq!(versions(2)[0].get("Document"), None);
    }

    #[test]
    fn serde_json_limits_hold_only_where_a_document_is_built() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let dump = |old: &str, current: &str| {
            format!(
                r#"{{"Policies": [{{"DefaultVersionId": "v2", "PolicyVersionList": [
                    {{"Document": {old}, "VersionId": "v1"}},
                    {{"Document": {current}, "VersionId": "v2"}}]}}]}}"#
            )
        };
        for old in [deep.as_str(), "1e400"] {
            assert!(serde_json::from_str::<Value>(&dump(old, "{}")).is_err());
            assert!(parse(&dump(old, "{}")).is_ok(), "{old}");
        }
        let e = parse(&dump("{}", &deep)).unwrap_err();
        assert!(e.to_string().starts_with("recursion limit exceeded"), "{e}");
        assert!(parse(&dump("{}", "1e400")).is_err());
    }

    #[test]
    fn refuses_what_serde_json_refuses_at_the_same_place() {
        for text in [
            r#"{"Policies": [{"PolicyVersionList": [{"Document": {"a": }}]}]}"#,
            r#"{"Policies": [{"PolicyVersionList": [{"Document": {}, }]}]}"#,
            r#"{"Policies": [{"PolicyVersionList": [{"Document": {}}]}], }"#,
            r#"{"Policies": [] "#,
            r#"{"Policies": []} x"#,
        ] {
            let expected = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            assert_eq!(parse(text).unwrap_err().to_string(), expected, "{text}");
        }
    }
}
