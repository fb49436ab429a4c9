//! A read-only view of a JSON value, so that a policy document is read the same way
//! whether serde parsed it or iamlint evaluated it from HCL. A document evaluated from
//! HCL was turned into a serde value only to be read once and dropped: about 7% of the
//! allocations of a scan of a Terraform tree (BENCHMARKS.md, session 15).

use std::borrow::Cow;

use serde_json::{Number, Value};

/// What a value is, with its parts as views.
pub enum Json<'a, V: JsonView<'a>> {
    Null,
    Bool(bool),
    Number(&'a Number),
    String(&'a str),
    Array(V::Items),
    /// Members in the order written, each key once.
    Object(V::Members),
}

/// A JSON value read in place.
pub trait JsonView<'a>: Copy + 'a {
    type Items: ExactSizeIterator<Item = Self>;
    type Members: ExactSizeIterator<Item = (&'a str, Self)>;

    fn json(self) -> Json<'a, Self>;

    /// The value as serde's (borrowed when it is one): for the rare reader that needs
    /// one, such as the grammar's schemas on a document the quick walk is unsure of.
    fn to_value(self) -> Cow<'a, Value>;

    /// Member `key` of an object.
    fn get(self, key: &str) -> Option<Self> {
        match self.json() {
            Json::Object(mut members) => members.find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(self) -> Option<&'a str> {
        match self.json() {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    fn is_string(self) -> bool {
        self.as_str().is_some()
    }
}

type ValueMembers<'a> =
    std::iter::Map<serde_json::map::Iter<'a>, fn((&'a String, &'a Value)) -> (&'a str, &'a Value)>;

fn member<'a>((k, v): (&'a String, &'a Value)) -> (&'a str, &'a Value) {
    (k, v)
}

impl<'a> JsonView<'a> for &'a Value {
    type Items = std::slice::Iter<'a, Value>;
    type Members = ValueMembers<'a>;

    fn json(self) -> Json<'a, Self> {
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n),
            Value::String(s) => Json::String(s),
            Value::Array(items) => Json::Array(items.iter()),
            Value::Object(map) => Json::Object(map.iter().map(member as fn(_) -> _)),
        }
    }

    fn to_value(self) -> Cow<'a, Value> {
        Cow::Borrowed(self)
    }

    fn get(self, key: &str) -> Option<Self> {
        Value::get(self, key)
    }
}

/// The characters of the value's compact JSON (serde's) that are not white space: what
/// IAM counts against a policy's length quota. Counted as the text would be written,
/// without writing it.
pub fn quota_length<'a, V: JsonView<'a>>(v: V) -> usize {
    match v.json() {
        Json::Null => 4,
        Json::Bool(b) => {
            if b {
                4
            } else {
                5
            }
        }
        Json::Number(n) => n.to_string().len(),
        Json::String(s) => string_length(s),
        Json::Array(items) => {
            let n = items.len();
            2 + n.saturating_sub(1) + items.map(quota_length).sum::<usize>()
        }
        Json::Object(members) => {
            let n = members.len();
            2 + n.saturating_sub(1)
                + members
                    .map(|(k, v)| string_length(k) + 1 + quota_length(v))
                    .sum::<usize>()
        }
    }
}

/// A quoted string as serde writes it, less its white space: `"` and `\` and the five
/// short escapes take two characters, other control characters six (`\u001f`), white
/// space written as itself none.
fn string_length(s: &str) -> usize {
    // Almost every policy is ASCII: a byte's length from a table, without decoding.
    if s.is_ascii() {
        return 2 + s
            .bytes()
            .map(|b| usize::from(ASCII_LENGTH[usize::from(b)]))
            .sum::<usize>();
    }
    2 + s.chars().map(char_length).sum::<usize>()
}

fn char_length(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        c if c < ' ' => 6,
        c if c.is_whitespace() => 0,
        _ => 1,
    }
}

/// [`char_length`] of each ASCII character.
const ASCII_LENGTH: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            // The ASCII characters `char::is_whitespace` takes that are not escaped.
            b' ' => 0,
            _ => 1,
        };
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// JSON values with the characters serde escapes, white space of every kind and
    /// nesting.
    pub(crate) fn any_json() -> impl Strategy<Value = Value> {
        let text = "[a-z\"\\\\ \t\n\r\u{8}\u{c}\u{1}\u{1f}\u{a0}\u{2028}é€😀]{0,8}";
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            text.prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((text, inner), 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn the_ascii_table_is_the_character_rule() {
        for b in 0u8..128 {
            assert_eq!(
                usize::from(ASCII_LENGTH[usize::from(b)]),
                char_length(char::from(b)),
                "{b:#x}"
            );
        }
    }

    proptest! {
        #[test]
        fn quota_length_counts_the_compact_text_without_white_space(v in any_json()) {
            let text = serde_json::to_string(&v).unwrap();
            let expected = text.chars().filter(|c| !c.is_whitespace()).count();
            prop_assert_eq!(quota_length(&v), expected, "{}", text);
        }
    }
}
