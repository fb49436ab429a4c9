//! Values of HCL expressions as far as iamlint evaluates them, each with the place it was
//! written, so that a policy built from `jsonencode({…})` or a policy-document data source
//! points at the HCL token a finding is about.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Number, Value};

use crate::model::json_view::{Json, JsonView};
use crate::model::location::{Anchor, FileId, Location};
use crate::model::path::{JsonPath, PathSeg};

/// What a document built from HCL holds where a value is not known: a string, one value
/// for one value, so that paths and positions are unchanged.
const UNKNOWN_PLACEHOLDER: &str = "${unknown}";

/// A value and where it was written (None for values made by iamlint, such as a
/// function's result, that have no one place).
#[derive(Clone, Debug)]
pub struct Node {
    pub value: Val,
    pub at: Option<At>,
}

/// The way from a document's root to the value being turned into JSON, kept on the stack:
/// made into a [`JsonPath`] only for the rare value that is not known.
enum Step<'a> {
    Root,
    Key(&'a Step<'a>, &'a Arc<str>),
    Index(&'a Step<'a>, usize),
}

impl Step<'_> {
    fn path(&self) -> JsonPath {
        let mut segs = Vec::new();
        let mut at = self;
        loop {
            match at {
                Step::Root => break,
                Step::Key(up, k) => {
                    segs.push(PathSeg::Key((*k).into()));
                    at = up;
                }
                Step::Index(up, i) => {
                    segs.push(PathSeg::Index(*i));
                    at = up;
                }
            }
        }
        segs.reverse();
        JsonPath(segs)
    }
}

/// Where a node was written, in 16 bytes: nearly every node is a byte range of an HCL
/// file, and the few others (parts of a JSON text in a heredoc) share one whole
/// [`Location`]. A module's values are millions of nodes: a `Location` each (64 bytes)
/// was most of their memory.
#[derive(Clone, Debug)]
pub enum At {
    Bytes { file: FileId, start: u32, end: u32 },
    Other(Arc<Location>),
}

impl At {
    pub fn new(loc: Location) -> At {
        if let Anchor::Bytes { start, end } = loc.anchor {
            if let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) {
                return At::Bytes {
                    file: loc.file,
                    start,
                    end,
                };
            }
        }
        At::Other(Arc::new(loc))
    }

    pub fn location(&self) -> Location {
        match self {
            At::Bytes { file, start, end } => {
                Location::bytes(*file, *start as usize, *end as usize)
            }
            At::Other(loc) => (**loc).clone(),
        }
    }

    pub fn file(&self) -> FileId {
        match self {
            At::Bytes { file, .. } => *file,
            At::Other(loc) => loc.file,
        }
    }
}

/// What an expression evaluates to.
#[derive(Clone, Debug)]
pub enum Val {
    Null,
    Bool(bool),
    Number(Number),
    /// A string. `text` says whether its characters are the file's bytes at the node's
    /// place (a heredoc, or a whole file read by `file()`), so that a JSON document in it
    /// can be located character by character.
    String(Arc<str>, Text),
    /// A tuple, list or set.
    List(Vec<Node>),
    /// An object or map, in the order written; each key with where it was written.
    Object(Vec<Member>),
    /// The string `jsonencode` makes of a value: kept as the value, so that a policy read
    /// from it keeps the places of its parts.
    Json(Arc<Node>),
    /// Not known statically, and why (for `iamlint inventory`).
    Unknown(Arc<str>),
}

/// How a string's characters relate to the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Made or unescaped by iamlint: a JSON document in it is located as a whole.
    Made,
    /// The file's bytes at the node's place, character for character.
    Verbatim,
}

/// One member of an object.
#[derive(Clone, Debug)]
pub struct Member {
    pub key: Arc<str>,
    pub key_at: Option<At>,
    pub value: Node,
}

impl Member {
    pub fn new(key: Arc<str>, key_at: Option<Location>, value: Node) -> Member {
        Member {
            key,
            key_at: key_at.map(At::new),
            value,
        }
    }

    /// Where the key was written.
    pub fn key_loc(&self) -> Option<Location> {
        self.key_at.as_ref().map(At::location)
    }
}

impl Node {
    pub fn new(value: Val, at: Option<Location>) -> Self {
        Node {
            value,
            at: at.map(At::new),
        }
    }

    /// A value placed where another was.
    pub fn with_at(value: Val, at: Option<At>) -> Self {
        Node { value, at }
    }

    /// Where the value was written.
    pub fn loc(&self) -> Option<Location> {
        self.at.as_ref().map(At::location)
    }

    pub fn set_loc(&mut self, at: Option<Location>) {
        self.at = at.map(At::new);
    }

    pub fn unknown(why: impl Into<Arc<str>>) -> Self {
        Node::new(Val::Unknown(why.into()), None)
    }

    pub fn string(s: impl Into<Arc<str>>, at: Option<Location>) -> Self {
        Node::new(Val::String(s.into(), Text::Made), at)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Val::Object(members) => members.iter().find(|m| &*m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    /// The text of a known string, number or bool (HCL converts them to strings where a
    /// string is wanted); None for anything else.
    pub fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match &self.value {
            Val::String(s, _) => Some(std::borrow::Cow::Borrowed(s)),
            Val::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
            Val::Bool(b) => Some(std::borrow::Cow::Borrowed(if *b {
                "true"
            } else {
                "false"
            })),
            Val::Json(inner) => inner
                .to_json()
                .map(|v| std::borrow::Cow::Owned(v.to_string())),
            _ => None,
        }
    }

    /// A JSON value as nodes, every part placed at `at`; with `unknown`, a string holding
    /// it (the sentinel a template renders for an unknown interpolation) is unknown.
    pub fn from_json(v: &Value, at: Option<&Location>, unknown: Option<&str>) -> Node {
        Node::from_json_at(v, at.cloned().map(At::new).as_ref(), unknown)
    }

    fn from_json_at(v: &Value, at: Option<&At>, unknown: Option<&str>) -> Node {
        let value = match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Number(n.clone()),
            Value::String(s) if unknown.is_some_and(|u| s.contains(u)) => {
                Val::Unknown("an interpolation is not known".into())
            }
            Value::String(s) => Val::String(Arc::from(s.as_str()), Text::Made),
            Value::Array(items) => Val::List(
                items
                    .iter()
                    .map(|i| Node::from_json_at(i, at, unknown))
                    .collect(),
            ),
            Value::Object(map) => Val::Object(
                map.iter()
                    .map(|(k, v)| Member {
                        key: Arc::from(k.as_str()),
                        key_at: at.cloned(),
                        value: Node::from_json_at(v, at, unknown),
                    })
                    .collect(),
            ),
        };
        Node {
            value,
            at: at.cloned(),
        }
    }

    /// Whether the value, or anything inside it, is unknown.
    pub fn has_unknown(&self) -> bool {
        match &self.value {
            Val::Unknown(_) => true,
            Val::List(items) => items.iter().any(Node::has_unknown),
            Val::Object(members) => members.iter().any(|m| m.value.has_unknown()),
            Val::Json(inner) => inner.has_unknown(),
            _ => false,
        }
    }

    /// The JSON of a fully known value (`jsonencode`'s result); None when anything in it is
    /// unknown.
    pub fn to_json(&self) -> Option<Value> {
        Some(match &self.value {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Number(n) => Value::Number(n.clone()),
            Val::String(s, _) => Value::String(String::from(&**s)),
            Val::Json(inner) => Value::String(inner.to_json()?.to_string()),
            Val::List(items) => Value::Array(
                items
                    .iter()
                    .map(Node::to_json)
                    .collect::<Option<Vec<_>>>()?,
            ),
            Val::Object(members) => {
                let mut map = Map::new();
                for m in members {
                    map.insert(String::from(&*m.key), m.value.to_json()?);
                }
                Value::Object(map)
            }
            Val::Unknown(_) => return None,
        })
    }

    /// The JSON of the value with each unknown part replaced by a `${…}` placeholder string
    /// (one value for one value, so paths are unchanged), and the paths of those parts: a
    /// policy document built from HCL. Its parts are placed by a table made of the node
    /// (see [`PlaceTable`](super::places::PlaceTable)), only when a finding needs one.
    pub fn to_document(&self) -> (Value, Vec<JsonPath>) {
        let mut unresolved = Vec::new();
        let value = self.document_at(&Step::Root, &mut unresolved);
        (value, unresolved)
    }

    fn document_at(&self, step: &Step, unresolved: &mut Vec<JsonPath>) -> Value {
        let placeholder = |unresolved: &mut Vec<JsonPath>| {
            unresolved.push(step.path());
            Value::String(UNKNOWN_PLACEHOLDER.to_owned())
        };
        match &self.value {
            Val::List(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| n.document_at(&Step::Index(step, i), unresolved))
                    .collect(),
            ),
            Val::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for m in members {
                    let v = m.value.document_at(&Step::Key(step, &m.key), unresolved);
                    map.insert(String::from(&*m.key), v);
                }
                Value::Object(map)
            }
            Val::Unknown(_) => placeholder(unresolved),
            _ => self.to_json().unwrap_or_else(|| placeholder(unresolved)),
        }
    }

    /// The document [`Node::to_document`] makes, read in place instead, with the same
    /// paths of unknown parts; None when it holds what only that JSON can show (see
    /// [`PlainDoc`]).
    pub fn plain_document(&self) -> Option<(PlainDoc<'_>, Vec<JsonPath>)> {
        let mut unresolved = Vec::new();
        self.plain_at(&Step::Root, &mut unresolved)
            .then_some((PlainDoc(self), unresolved))
    }

    /// Whether the value is plain (see [`PlainDoc`]), noting the paths of unknown parts.
    fn plain_at(&self, step: &Step, unresolved: &mut Vec<JsonPath>) -> bool {
        match &self.value {
            Val::List(items) => items
                .iter()
                .enumerate()
                .all(|(i, n)| n.plain_at(&Step::Index(step, i), unresolved)),
            Val::Object(members) => {
                !has_repeated_key(members)
                    && members
                        .iter()
                        .all(|m| m.value.plain_at(&Step::Key(step, &m.key), unresolved))
            }
            Val::Unknown(_) => {
                unresolved.push(step.path());
                true
            }
            Val::Json(_) => false,
            Val::Null | Val::Bool(_) | Val::Number(_) | Val::String(..) => true,
        }
    }

    /// The node at `rel` (a path of JSON keys and indices from this node).
    pub fn at_path(&self, rel: &[PathSeg]) -> Option<&Node> {
        let mut node = self;
        for seg in rel {
            node = node.child(seg)?;
        }
        Some(node)
    }

    fn child(&self, seg: &PathSeg) -> Option<&Node> {
        match (&self.value, seg) {
            (Val::List(items), PathSeg::Index(i)) => items.get(*i),
            (Val::Object(members), PathSeg::Key(k)) => members
                .iter()
                .rev()
                .find(|m| *m.key == **k)
                .map(|m| &m.value),
            (Val::Object(members), PathSeg::Index(i)) => {
                let k = i.to_string();
                members
                    .iter()
                    .rev()
                    .find(|m| *m.key == *k)
                    .map(|m| &m.value)
            }
            _ => None,
        }
    }

    /// The place of the value (or key) at `rel`, or of its nearest placed ancestor.
    pub fn place_at(&self, rel: &[PathSeg], key: bool) -> Option<Location> {
        let mut node = self;
        let mut best = node.at.as_ref();
        for (i, seg) in rel.iter().enumerate() {
            let last = i + 1 == rel.len();
            if let (true, true, Val::Object(members), PathSeg::Key(k)) =
                (last, key, &node.value, seg)
            {
                if let Some(at) = members
                    .iter()
                    .rev()
                    .find(|m| *m.key == **k)
                    .and_then(|m| m.key_loc())
                {
                    return Some(at);
                }
            }
            let Some(next) = node.child(seg) else {
                break;
            };
            node = next;
            if node.at.is_some() {
                best = node.at.as_ref();
            }
        }
        best.map(At::location)
    }
}

/// Whether two members of an object have one key (a JSON map keeps one of them).
fn has_repeated_key(members: &[Member]) -> bool {
    // Objects of a policy have a handful of members: comparing pairs beats hashing.
    if members.len() <= 16 {
        return members
            .iter()
            .enumerate()
            .any(|(i, m)| members[..i].iter().any(|o| o.key == m.key));
    }
    let mut seen = std::collections::HashSet::with_capacity(members.len());
    !members.iter().all(|m| seen.insert(&*m.key))
}

/// An evaluated document read as the JSON [`Node::to_document`] would make of it, without
/// making it: an unknown value reads as the placeholder string. Only for a node
/// [`Node::plain_document`] vouches for: no `jsonencode` string inside (whose JSON text
/// would have to be written) and no key twice in an object (a map keeps the last value at
/// the first place).
#[derive(Clone, Copy)]
pub struct PlainDoc<'a>(&'a Node);

type PlainItems<'a> = std::iter::Map<std::slice::Iter<'a, Node>, fn(&'a Node) -> PlainDoc<'a>>;
type PlainMembers<'a> =
    std::iter::Map<std::slice::Iter<'a, Member>, fn(&'a Member) -> (&'a str, PlainDoc<'a>)>;

fn plain_member(m: &Member) -> (&str, PlainDoc<'_>) {
    (&m.key, PlainDoc(&m.value))
}

impl<'a> JsonView<'a> for PlainDoc<'a> {
    type Items = PlainItems<'a>;
    type Members = PlainMembers<'a>;

    fn json(self) -> Json<'a, Self> {
        match &self.0.value {
            Val::Null => Json::Null,
            Val::Bool(b) => Json::Bool(*b),
            Val::Number(n) => Json::Number(n),
            Val::String(s, _) => Json::String(s),
            Val::List(items) => Json::Array(items.iter().map(PlainDoc as fn(_) -> _)),
            Val::Object(members) => Json::Object(members.iter().map(plain_member as fn(_) -> _)),
            // An unknown value reads as the JSON holds it. A `jsonencode` string is never
            // in a plain document (`plain_document` sends such a node the JSON way).
            Val::Unknown(_) | Val::Json(_) => Json::String(UNKNOWN_PLACEHOLDER),
        }
    }

    fn to_value(self) -> Cow<'a, Value> {
        Cow::Owned(self.0.to_document().0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::location::DocOrigin;
    use crate::model::policy::{PolicyDocument, PolicyKind};
    use proptest::prelude::*;

    /// Marks a string generated as unknown (see [`Node::from_json`]).
    const UNKNOWN: &str = "UNK";

    /// Policy-shaped values: the keys and strings a policy holds, unknown strings, repeated
    /// keys, nesting and every JSON type where a policy expects another.
    fn policy_like() -> impl Strategy<Value = Node> {
        let key = prop::sample::select(vec![
            "Version",
            "Statement",
            "Sid",
            "Effect",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Principal",
            "NotPrincipal",
            "AWS",
            "Service",
            "Condition",
            "StringEquals",
            "aws:PrincipalArn",
            "Id",
        ]);
        let text = prop::sample::select(vec![
            "2012-10-17",
            "Allow",
            "Deny",
            "sts:AssumeRole",
            "s3:*",
            "*",
            "arn:aws:iam::111122223333:root",
            "a b\t\"c\"",
            "UNK",
            "x-UNK-y",
            "",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..1000).prop_map(Value::from),
            text.prop_map(Value::from),
        ];
        let tree = leaf.prop_recursive(5, 64, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..5).prop_map(|m| {
                    Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                }),
            ]
        });
        // Some objects with a key twice, and a `jsonencode` value inside: neither is plain.
        (tree, any::<u8>()).prop_map(|(v, twist)| {
            let mut node = Node::from_json(&v, None, Some(UNKNOWN));
            if let Val::Object(members) = &mut node.value {
                match twist % 8 {
                    0 if !members.is_empty() => {
                        let again = members[0].clone();
                        members.push(again);
                    }
                    1 => members.push(Member::new(
                        "Id".into(),
                        None,
                        Node::new(Val::Json(Arc::new(Node::string("x", None))), None),
                    )),
                    _ => {}
                }
            }
            node
        })
    }

    fn origin() -> DocOrigin {
        DocOrigin::Json {
            file: 0,
            base: JsonPath::root(),
        }
    }

    proptest! {
        /// A document read in place is the document its JSON makes, unknown parts and all.
        #[test]
        fn a_plain_document_reads_as_its_json(node in policy_like()) {
            let (value, unresolved) = node.to_document();
            let Some((view, plain_unresolved)) = node.plain_document() else {
                let Val::Object(members) = &node.value else {
                    return Err(TestCaseError::fail("only an object is made not plain here"));
                };
                prop_assert!(
                    has_repeated_key(members) || members.iter().any(|m| matches!(m.value.value, Val::Json(_)))
                );
                return Ok(());
            };
            prop_assert_eq!(&plain_unresolved, &unresolved);
            prop_assert_eq!(view.to_value().into_owned(), value.clone());
            for kind in [PolicyKind::Identity, PolicyKind::Trust] {
                let read = PolicyDocument::from_view(view, origin(), kind, String::new());
                let made = PolicyDocument::from_value(&value, origin(), kind, String::new());
                prop_assert_eq!(format!("{read:?}"), format!("{made:?}"));
            }
        }
    }
}
