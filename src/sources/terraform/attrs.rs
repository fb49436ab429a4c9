//! Attribute values of one resource or block, as far as its file knows them.

use serde_json::{Map, Value};

use crate::model::path::JsonPath;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavor {
    /// Plan values: an attribute left out, or marked `true` in `after_unknown`, is unknown.
    Plan,
    /// State values: everything is known; a missing attribute is unset.
    State,
    /// `.tf.json`: a string holding a `${…}` or `%{…}` template is unknown.
    TfJson,
    /// Plan `configuration` expressions: `{"constant_value": …}` is known, anything else
    /// (`references`, an empty expression) is unknown.
    Config,
    /// HCL evaluated by iamlint: a missing attribute is unset, and the mask (`unknown`)
    /// marks what was not known statically.
    Hcl,
}

/// One attribute as far as the file knows it.
pub(super) enum Field<'a, T> {
    Known(T, JsonPath),
    Unknown,
    /// Absent, null or an empty string.
    Unset,
    /// Present but of the wrong JSON type.
    Wrong(&'a Value, JsonPath),
}

/// The attributes of one resource instance or block, with where they are and which of
/// them are unknown.
#[derive(Clone)]
pub(super) struct Attrs<'a> {
    pub(super) obj: &'a Map<String, Value>,
    pub(super) path: JsonPath,
    /// The matching `after_unknown` object (plans).
    pub(super) unknown: Option<&'a Value>,
    pub(super) flavor: Flavor,
}

impl<'a> Attrs<'a> {
    pub(super) fn marked_unknown(&self, key: &str) -> bool {
        self.unknown.and_then(|u| u.get(key)) == Some(&Value::Bool(true))
    }

    /// Whether a plan does not know the attribute yet, or some item of it.
    pub(super) fn is_unknown(&self, key: &str) -> bool {
        match self.get(key) {
            Field::Unknown => true,
            Field::Known(Value::Array(_), _) => self
                .unknown
                .and_then(|u| u.get(key))
                .and_then(Value::as_array)
                .is_some_and(|items| items.contains(&Value::Bool(true))),
            _ => false,
        }
    }

    /// The raw value of an attribute.
    pub(super) fn get(&self, key: &str) -> Field<'a, &'a Value> {
        if self.marked_unknown(key) {
            return Field::Unknown;
        }
        let value = self.obj.get(key);
        if self.flavor == Flavor::Config {
            return match value {
                None => Field::Unset,
                Some(Value::Object(expr)) => match expr.get("constant_value") {
                    Some(Value::Null) => Field::Unset,
                    Some(v) => Field::Known(v, self.path.key(key).key("constant_value")),
                    None => Field::Unknown,
                },
                Some(v) => Field::Wrong(v, self.path.key(key)),
            };
        }
        match value {
            None if self.flavor == Flavor::Plan => Field::Unknown,
            None | Some(Value::Null) => Field::Unset,
            Some(Value::String(s)) if self.flavor == Flavor::TfJson && is_template(s) => {
                Field::Unknown
            }
            Some(v) => Field::Known(v, self.path.key(key)),
        }
    }

    /// A string attribute; an empty string is unset (Terraform writes `""` for values a
    /// provider left empty).
    pub(super) fn text(&self, key: &str) -> Field<'a, &'a str> {
        match self.get(key) {
            Field::Known(Value::String(s), _) if s.is_empty() => Field::Unset,
            Field::Known(Value::String(s), p) => Field::Known(s.as_str(), p),
            Field::Known(v, p) | Field::Wrong(v, p) => Field::Wrong(v, p),
            Field::Unknown => Field::Unknown,
            Field::Unset => Field::Unset,
        }
    }

    /// A known string, or None.
    pub(super) fn known_text(&self, key: &str) -> Option<(&'a str, JsonPath)> {
        match self.text(key) {
            Field::Known(s, p) => Some((s, p)),
            _ => None,
        }
    }

    /// A whole number given as a JSON number or a numeric string.
    pub(super) fn number(&self, key: &str) -> Option<(u64, JsonPath)> {
        match self.get(key) {
            Field::Known(Value::Number(n), p) => n.as_u64().map(|n| (n, p)),
            Field::Known(Value::String(s), p) => s.trim().parse().ok().map(|n| (n, p)),
            _ => None,
        }
    }

    /// The known strings of a list attribute (a lone string counts as a list of one);
    /// unknown items are left out.
    pub(super) fn strings(&self, key: &str) -> Vec<(&'a str, JsonPath)> {
        let item_unknown = |i: usize| {
            self.unknown.and_then(|u| u.get(key)).and_then(|u| u.get(i)) == Some(&Value::Bool(true))
        };
        match self.get(key) {
            Field::Known(Value::String(s), p) if !s.is_empty() => vec![(s.as_str(), p)],
            Field::Known(Value::Array(items), p) => items
                .iter()
                .enumerate()
                .filter(|(i, _)| !item_unknown(*i))
                .filter_map(|(i, v)| match v {
                    Value::String(s) if s.is_empty() => None,
                    Value::String(s) if self.flavor == Flavor::TfJson && is_template(s) => None,
                    Value::String(s) => Some((s.as_str(), p.index(i))),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The nested blocks of a block type (one object or a list of objects).
    pub(super) fn blocks(&self, key: &str) -> Vec<Attrs<'a>> {
        if self.marked_unknown(key) {
            return Vec::new();
        }
        let unknown = self.unknown.and_then(|u| u.get(key));
        let block =
            |obj: &'a Map<String, Value>, path: JsonPath, unknown: Option<&'a Value>| Attrs {
                obj,
                path,
                unknown,
                flavor: self.flavor,
            };
        let path = self.path.key(key);
        match self.obj.get(key) {
            Some(Value::Object(obj)) => vec![block(obj, path, unknown)],
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let obj = v.as_object()?;
                    Some(block(obj, path.index(i), unknown.and_then(|u| u.get(i))))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Whether a `.tf.json` string is a template Terraform evaluates (`${…}` or `%{…}`);
/// `$${` and `%%{` are escapes for the literal text.
pub(super) fn is_template(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') {
            i += 3;
            continue;
        }
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&b'{') {
            return true;
        }
        i += 1;
    }
    false
}
