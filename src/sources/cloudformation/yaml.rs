//! The YAML front end: a YAML template becomes the JSON value the one template loader
//! walks, with its short-form tags written out in their long forms (`!Sub x` is
//! `{"Fn::Sub": x}`, `!Ref x` is `{"Ref": x}`), plus a tree of the byte ranges every value
//! and key came from, so that findings point at the YAML text.
//!
//! The YAML is read from `saphyr_parser`'s events rather than through `saphyr`'s loader:
//! the events let the read stop at the first document and at a nesting limit before any
//! tree is built, and aliases stay references to one node (expanded once, under a budget)
//! instead of copies made while loading.
//!
//! Scalars: a template is read as CloudFormation reads it, where every scalar is text. So
//! a plain `012345678901` stays the account id `"012345678901"`, not a number, and so do
//! YAML 1.1's `yes`/`on` (YAML 1.2 reads them as text too). Only `true`/`false` and
//! null (`~`, `null`, nothing) keep their YAML meaning, as JSON templates write them.

use std::sync::Arc;

use foldhash::HashMap;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use serde_json::{Map, Value};

use crate::model::location::{FileId, Location, Places, TextSpan};
use crate::model::path::{JsonPath, PathSeg};

/// Deepest nesting read, aliases expanded: far deeper than any template, and shallow
/// enough that the recursive conversion fits any thread's stack.
const MAX_NESTING: usize = 128;

/// Nodes that aliases may add beyond the file's own: bounds a "billion laughs" file
/// (anchors of aliases of anchors) to a little work.
const MAX_ALIAS_NODES: usize = 100_000;

/// A YAML template's first document as the loader reads it.
pub(super) struct YamlTemplate {
    pub value: Value,
    pub spans: SpanNode,
    /// Where a second document starts (`---`): not read.
    pub more_documents: Option<usize>,
}

/// Why a YAML file could not be read: the byte offset (in the text) where reading
/// stopped, and a message that quotes nothing of the file.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct YamlError {
    pub at: usize,
    pub message: String,
    /// The YAML breaks a rule of YAML 1.2 that the parsers CloudFormation and PyYAML use
    /// do not enforce (continuation lines of a quoted scalar or a flow collection indented
    /// no further than their key): the template may well deploy.
    pub strict_only: bool,
}

/// Whether a YAML text is a CloudFormation template, by a cheap look at its top-level
/// keys before any parse: `AWSTemplateFormatVersion`, or `Resources` and an `AWS::` type.
/// Kubernetes manifests, workflows and compose files have neither at the start of a line.
/// A template written as JSON in a `.yaml` file (JSON is YAML) is one by its JSON keys.
pub fn is_yaml_template(text: &str) -> bool {
    let bytes = text.as_bytes();
    if text.trim_start().starts_with('{') {
        let has = |m: &[u8]| memchr::memmem::find(bytes, m).is_some();
        return has(b"\"AWSTemplateFormatVersion\"") || (has(b"\"Resources\"") && has(b"AWS::"));
    }
    starts_a_line(bytes, b"AWSTemplateFormatVersion")
        || (starts_a_line(bytes, b"Resources:") && memchr::memmem::find(bytes, b"AWS::").is_some())
}

/// Whether `needle` occurs at the start of a line (perhaps quoted, as in `"Resources":`).
fn starts_a_line(bytes: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, needle).any(|i| {
        let before = bytes.get(..i).unwrap_or_default();
        let before = match before.last() {
            Some(b'"' | b'\'') => before.get(..before.len() - 1).unwrap_or_default(),
            _ => before,
        };
        matches!(before.last(), None | Some(b'\n'))
    })
}

/// Reads the first document of a YAML text.
pub(super) fn read(text: &str) -> Result<YamlTemplate, YamlError> {
    let bytes = CharBytes::new(text);
    let events = read_events(text, &bytes)?;
    let Some(root) = events.root else {
        return Err(YamlError {
            at: 0,
            message: "no YAML document in the file".into(),
            strict_only: false,
        });
    };
    let mut conv = Converter {
        nodes: &events.nodes,
        budget: events.nodes.len().saturating_add(MAX_ALIAS_NODES),
    };
    let (value, spans) = conv.convert(root, 0)?;
    Ok(YamlTemplate {
        value,
        spans,
        more_documents: events.more_documents,
    })
}

/// The tag of a node, as far as a template cares.
#[derive(Clone, Debug, PartialEq, Eq)]
enum NodeTag {
    None,
    /// `!Name`: a CloudFormation short form (or an unknown local tag).
    Local(String),
    /// `!!str`, `!!int`, ...: the YAML core schema.
    Core(String),
    /// Any other tag: read as if untagged.
    Other,
}

impl NodeTag {
    fn of(tag: Option<&Tag>) -> Self {
        match tag {
            None => NodeTag::None,
            Some(t) if t.handle == "!" => NodeTag::Local(t.suffix.clone()),
            Some(t) if t.is_yaml_core_schema() => NodeTag::Core(t.suffix.clone()),
            Some(_) => NodeTag::Other,
        }
    }
}

enum Kind {
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<usize>),
    /// Keys and values, alternating.
    Map(Vec<usize>),
    /// The node an alias names (None for an anchor the parser did not know).
    Alias(Option<usize>),
}

/// A node of the document as the events gave it, with its bytes in the text.
struct Node {
    start: usize,
    end: usize,
    tag: NodeTag,
    kind: Kind,
}

struct Events {
    nodes: Vec<Node>,
    root: Option<usize>,
    more_documents: Option<usize>,
}

/// Builds the first document's nodes from the parser's events, without recursion.
fn read_events(text: &str, bytes: &CharBytes) -> Result<Events, YamlError> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut anchors: HashMap<usize, usize> = HashMap::default();
    let mut root = None;
    let mut documents = 0usize;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| syntax_error(&e, bytes))?;
        let start = bytes.of(span.start.index());
        let mut end = bytes.of(span.end.index()).max(start);
        // A scalar in a flow collection ends, for saphyr, after the blanks that follow it
        // (`{ "AWS": "*" }`): they are not the value's.
        if matches!(event, Event::Scalar(..)) {
            let blanks = text
                .as_bytes()
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .rev()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            end -= blanks;
        }
        let (kind, anchor, tag, opens) = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Ok(Events {
                        nodes,
                        root,
                        more_documents: Some(start),
                    });
                }
                continue;
            }
            Event::StreamEnd => break,
            Event::Scalar(v, style, anchor, tag) => (
                Kind::Scalar {
                    text: v.into_owned(),
                    plain: style == ScalarStyle::Plain,
                },
                anchor,
                NodeTag::of(tag.as_deref()),
                false,
            ),
            Event::SequenceStart(anchor, tag) => (
                Kind::Seq(Vec::new()),
                anchor,
                NodeTag::of(tag.as_deref()),
                true,
            ),
            Event::MappingStart(anchor, tag) => (
                Kind::Map(Vec::new()),
                anchor,
                NodeTag::of(tag.as_deref()),
                true,
            ),
            Event::Alias(id) => (
                Kind::Alias(anchors.get(&id).copied()),
                0,
                NodeTag::None,
                false,
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(i) = open.pop() {
                    // A flow collection's end event is its closing bracket.
                    let bracket = matches!(text.as_bytes().get(start), Some(b']' | b'}'));
                    close(&mut nodes, i, bracket.then_some(end));
                }
                continue;
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => continue,
        };
        let idx = nodes.len();
        nodes.push(Node {
            start,
            end,
            tag,
            kind,
        });
        if anchor != 0 {
            anchors.insert(anchor, idx);
        }
        match open.last().and_then(|&p| nodes.get_mut(p)) {
            Some(Node {
                kind: Kind::Seq(kids) | Kind::Map(kids),
                ..
            }) => kids.push(idx),
            _ => {
                root.get_or_insert(idx);
            }
        }
        if opens {
            if open.len() >= MAX_NESTING {
                return Err(too_deep(start));
            }
            open.push(idx);
        }
    }
    Ok(Events {
        nodes,
        root,
        more_documents: None,
    })
}

/// Sets where a collection ends: at its closing bracket (`bracket`, the end of a flow
/// collection), else at the end of its last item (a block collection's end event comes
/// after the blank lines and comments that follow it).
fn close(nodes: &mut [Node], i: usize, bracket: Option<usize>) {
    let Some(node) = nodes.get(i) else { return };
    let last = match &node.kind {
        Kind::Seq(kids) | Kind::Map(kids) => kids.last().and_then(|&k| nodes.get(k)),
        _ => None,
    };
    let end = match (bracket, last) {
        (Some(end), _) => end,
        (None, Some(kid)) => kid.end,
        (None, None) => node.end,
    };
    if let Some(node) = nodes.get_mut(i) {
        node.end = end.max(node.start);
    }
}

fn too_deep(at: usize) -> YamlError {
    YamlError {
        at,
        message: format!("YAML nested deeper than {MAX_NESTING} levels"),
        strict_only: false,
    }
}

/// A parser error, with the parser's message but never the file's text (one of its
/// messages quotes the character it stopped at).
fn syntax_error(e: &ScanError, bytes: &CharBytes) -> YamlError {
    let info = e.info();
    let message = if info.starts_with("unexpected character") {
        "unexpected character".to_owned()
    } else {
        info.to_owned()
    };
    YamlError {
        at: bytes.of(e.marker().index()),
        strict_only: matches!(
            info,
            "invalid indentation"
                | "invalid indentation in quoted scalar"
                | "invalid indentation in flow construct"
        ),
        message,
    }
}

/// Where each value (and each member's key) of the converted document was written: a
/// mirror of the value's tree, children in the value's order. Kept as long as a policy
/// document of the template lives, so kept small: byte ranges as [`TextSpan`]s (`u32`
/// offsets), children without spare room, and the
/// index of a large mapping boxed (one node in hundreds has one). A node of a template was
/// 190 bytes or so before, eight times its text (`profiles` 10k: 10.5 MB of its heap).
#[derive(Clone, Debug, Default)]
pub(super) struct SpanNode {
    /// The value's bytes.
    span: TextSpan,
    /// The key's bytes, for a member of a mapping.
    key: Option<TextSpan>,
    /// Members (with their key) or items (without).
    kids: Vec<(Option<Box<str>>, SpanNode)>,
    /// For a mapping of many members, the last member of each key: the loader places
    /// every resource of `Resources`, and a scan over them each time would be quadratic.
    index: Option<Box<HashMap<Box<str>, usize>>>,
}

/// Members from which a mapping is indexed.
const INDEX_FROM: usize = 16;

impl SpanNode {
    fn new(start: usize, end: usize) -> SpanNode {
        SpanNode {
            span: TextSpan::new(start, end),
            ..SpanNode::default()
        }
    }

    /// The bytes of the value.
    pub fn range(&self) -> (usize, usize) {
        (self.span.start(), self.span.end())
    }

    /// The bytes of the member's key, for a member of a mapping.
    pub fn key_range(&self) -> Option<(usize, usize)> {
        self.key.map(|k| (k.start(), k.end()))
    }

    /// Gives back the children's spare room, once they are all there (a mapping's: its
    /// members are reserved for one per key, and keys skipped or merged change the count;
    /// a list's are reserved exactly).
    fn done(&mut self) {
        self.kids.shrink_to_fit();
    }

    /// Indexes a mapping's members by key, when there are many.
    fn index_members(&mut self) {
        if self.kids.len() < INDEX_FROM {
            return;
        }
        let index = self
            .kids
            .iter()
            .enumerate()
            .filter_map(|(i, (name, _))| Some((name.clone()?, i)))
            .collect();
        self.index = Some(Box::new(index));
    }

    /// The member of key `k` (the last, with duplicate keys, as in the value).
    fn member(&self, k: &str) -> Option<&SpanNode> {
        let found = match &self.index {
            Some(index) => index.get(k).and_then(|&i| self.kids.get(i)),
            None => self
                .kids
                .iter()
                .rev()
                .find(|(name, _)| name.as_deref() == Some(k)),
        };
        found.map(|(_, kid)| kid)
    }

    /// The bytes of the value (or key) at `segs`, or of its nearest ancestor that has them.
    pub fn find(&self, segs: &[PathSeg], want_key: bool) -> (usize, usize) {
        let mut node = self;
        for seg in segs {
            let next = match seg {
                PathSeg::Key(k) => node.member(k),
                PathSeg::Index(i) => match node.kids.first() {
                    Some((Some(_), _)) => node.member(&i.to_string()),
                    _ => node.kids.get(*i).map(|(_, kid)| kid),
                },
            };
            match next {
                Some(kid) => node = kid,
                None => return node.range(),
            }
        }
        match (want_key, node.key_range()) {
            (true, Some(key)) => key,
            _ => node.range(),
        }
    }
}

/// The places of a document inside a YAML template: its path in the template and the
/// template's spans.
#[derive(Debug)]
pub(super) struct YamlPlaces {
    pub spans: Arc<SpanNode>,
    pub base: JsonPath,
    pub file: FileId,
    /// Bytes before the text in the file (a byte-order mark).
    pub offset: usize,
}

impl Places for YamlPlaces {
    fn place(&self, rel: &JsonPath, key: bool) -> Option<Location> {
        let path = self.base.join(rel);
        let (start, end) = self.spans.find(path.segments(), key);
        Some(Location::bytes(
            self.file,
            start + self.offset,
            end + self.offset,
        ))
    }
}

/// Turns nodes into the JSON value, expanding aliases and merge keys under the budget.
struct Converter<'a> {
    nodes: &'a [Node],
    /// Nodes still allowed to be produced.
    budget: usize,
}

impl<'a> Converter<'a> {
    /// Counts one node produced (or one merged member looked at) against the budget.
    fn spend(&mut self, at: usize) -> Result<(), YamlError> {
        self.budget = self.budget.checked_sub(1).ok_or_else(|| YamlError {
            at,
            message: format!(
                "YAML aliases expand to more than {MAX_ALIAS_NODES} nodes beyond the file's own"
            ),
            strict_only: false,
        })?;
        Ok(())
    }

    fn convert(&mut self, idx: usize, depth: usize) -> Result<(Value, SpanNode), YamlError> {
        let Some(node) = self.nodes.get(idx) else {
            return Ok((Value::Null, SpanNode::default()));
        };
        if depth > MAX_NESTING {
            return Err(too_deep(node.start));
        }
        self.spend(node.start)?;
        let mut span = SpanNode::new(node.start, node.end);
        let value = match &node.kind {
            Kind::Alias(target) => {
                let Some(target) = *target else {
                    return Ok((Value::Null, span));
                };
                // The aliased value is where the anchor wrote it; the alias is its place
                // as a whole.
                let (value, mut inner) = self.convert(target, depth + 1)?;
                inner.span = TextSpan::new(node.start, node.end);
                return Ok((value, inner));
            }
            Kind::Scalar { text, plain } => scalar(text, *plain, &node.tag),
            Kind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                span.kids.reserve_exact(items.len());
                for &i in items {
                    let (v, s) = self.convert(i, depth + 1)?;
                    out.push(v);
                    span.kids.push((None, s));
                }
                Value::Array(out)
            }
            Kind::Map(kids) => self.mapping(kids, &mut span, depth)?,
        };
        Ok(match short_form(&node.tag) {
            Some(function) => {
                // `!Sub x` is `{"Fn::Sub": x}`: the tagged node is the whole object and its
                // one member's value.
                let mut member = span;
                member.key = Some(TextSpan::new(node.start, node.end));
                let mut outer = SpanNode::new(node.start, node.end);
                outer.kids = vec![(Some(function.as_str().into()), member)];
                let mut map = Map::new();
                map.insert(function, value);
                (Value::Object(map), outer)
            }
            None => (value, span),
        })
    }

    /// A mapping: members in order (a later duplicate key replaces the value, as JSON
    /// templates do), then the members of `<<` merge keys that it does not set itself.
    fn mapping(
        &mut self,
        kids: &[usize],
        span: &mut SpanNode,
        depth: usize,
    ) -> Result<Value, YamlError> {
        let mut map = Map::new();
        let mut merges = Vec::new();
        span.kids.reserve_exact(kids.len().div_ceil(2));
        for pair in kids.chunks(2) {
            let (&k, v) = match pair {
                [k, v] => (k, Some(*v)),
                [k] => (k, None),
                _ => continue,
            };
            let Some((key, plain)) = self.key_text(k) else {
                // A key that is a mapping or a list: CloudFormation has none.
                continue;
            };
            if key == "<<" && plain {
                merges.extend(v);
                continue;
            }
            self.member(&mut map, span, key, k, v, depth)?;
        }
        for m in merges {
            let source = self.unalias(m);
            let sources = match source.map(|n| &n.kind) {
                Some(Kind::Seq(items)) => items.iter().map(|&i| self.unalias(i)).collect(),
                _ => vec![source],
            };
            for s in sources.into_iter().flatten() {
                let Kind::Map(pairs) = &s.kind else { continue };
                for pair in pairs.chunks(2) {
                    let [k, v] = pair else { continue };
                    // Members a mapping already has cost a look each: `<<: [*big, *big, …]`
                    // must not be work without end.
                    self.spend(s.start)?;
                    let Some((key, _)) = self.key_text(*k) else {
                        continue;
                    };
                    if !map.contains_key(&key) {
                        self.member(&mut map, span, key, *k, Some(*v), depth)?;
                    }
                }
            }
        }
        span.done();
        span.index_members();
        Ok(Value::Object(map))
    }

    fn member(
        &mut self,
        map: &mut Map<String, Value>,
        span: &mut SpanNode,
        key: String,
        k: usize,
        v: Option<usize>,
        depth: usize,
    ) -> Result<(), YamlError> {
        let key_at = self.nodes.get(k).map(|n| TextSpan::new(n.start, n.end));
        let (value, mut s) = match v {
            Some(v) => self.convert(v, depth + 1)?,
            None => (Value::Null, SpanNode::default()),
        };
        s.key = key_at;
        if v.is_none() {
            if let Some(key) = key_at {
                s.span = key;
            }
        }
        span.kids.push((Some(key.as_str().into()), s));
        map.insert(key, value);
        Ok(())
    }

    /// The node an alias names (or the node itself), following at most a few aliases.
    fn unalias(&self, mut idx: usize) -> Option<&'a Node> {
        let nodes: &'a [Node] = self.nodes;
        for _ in 0..8 {
            match nodes.get(idx)? {
                Node {
                    kind: Kind::Alias(Some(target)),
                    ..
                } => idx = *target,
                node => return Some(node),
            }
        }
        None
    }

    /// A key's text, and whether it is a plain untagged scalar (as a merge key `<<` is).
    fn key_text(&self, idx: usize) -> Option<(String, bool)> {
        let node = self.unalias(idx)?;
        match &node.kind {
            Kind::Scalar { text, plain } => {
                Some((text.clone(), *plain && node.tag == NodeTag::None))
            }
            _ => None,
        }
    }
}

/// A scalar's value: text, except an untagged plain `true`/`false`/null (and the core
/// schema's `!!bool`/`!!null`), which JSON templates write as such too.
fn scalar(text: &str, plain: bool, tag: &NodeTag) -> Value {
    let typed = match tag {
        NodeTag::None | NodeTag::Other => plain,
        NodeTag::Core(t) => t == "bool" || t == "null",
        NodeTag::Local(_) => false,
    };
    if typed {
        match text {
            "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
            "true" | "True" | "TRUE" => return Value::Bool(true),
            "false" | "False" | "FALSE" => return Value::Bool(false),
            _ => {}
        }
    }
    Value::String(text.to_owned())
}

/// The long form of a short-form tag: `!Ref` and `!Condition` as they are, `!X` as
/// `Fn::X` (an unknown `!X` too: the loader leaves any `Fn::` it does not know unknown).
fn short_form(tag: &NodeTag) -> Option<String> {
    match tag {
        NodeTag::Local(name) if name == "Ref" || name == "Condition" => Some(name.clone()),
        NodeTag::Local(name) if !name.is_empty() => Some(format!("Fn::{name}")),
        _ => None,
    }
}

/// Byte offsets of the parser's character offsets. ASCII text (most templates) maps one
/// to one; otherwise a sorted list of the characters after which offsets shift.
struct CharBytes {
    /// (character index of a multi-byte character, bytes gained up to and with it).
    shifts: Vec<(usize, usize)>,
}

impl CharBytes {
    fn new(text: &str) -> Self {
        let mut shifts = Vec::new();
        if !text.is_ascii() {
            let mut gained = 0;
            for (n, c) in text.chars().enumerate() {
                if c.len_utf8() > 1 {
                    gained += c.len_utf8() - 1;
                    shifts.push((n, gained));
                }
            }
        }
        CharBytes { shifts }
    }

    fn of(&self, char_index: usize) -> usize {
        let i = self.shifts.partition_point(|&(n, _)| n < char_index);
        match i.checked_sub(1).and_then(|i| self.shifts.get(i)) {
            Some(&(_, gained)) => char_index + gained,
            None => char_index,
        }
    }
}

#[cfg(test)]
#[path = "yaml_tests.rs"]
mod tests;
