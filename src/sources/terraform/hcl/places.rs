//! Where the parts of a policy document built from HCL were written, kept for as long as
//! the document lives: its nodes in preorder, packed into bytes, each with the byte ranges
//! of its value and key, instead of the evaluated tree (whose strings, vectors and 56-byte
//! nodes were a third of the heap of a scan of a large Terraform tree; a table of 32-byte
//! entries still a fifth). It answers the same questions as [`Node::place_at`], only when
//! a finding needs a place, by reading the bytes down the path it is asked for.
//!
//! Each node is written as: a header byte (its kind, which places it has, and whether each
//! is in `others`); for a list or object, the length in bytes of what is inside it (four
//! bytes, so that a look-up skips a member it does not want); its key, as where its text
//! starts in the keys after the nodes plus one (0 for none) and its length; then each place it has, either an index into `others` or its
//! start as a distance from its parent's start and its end as a distance from its start
//! (zig-zag varints: most are a byte or two).

use super::value::{At, Node, Val};
use crate::model::location::{FileId, Location, Places};
use crate::model::path::{JsonPath, PathSeg};

/// A document's places (see the module's documentation).
#[derive(Debug)]
pub struct PlaceTable {
    /// The file most places are in: theirs are byte ranges of it.
    file: FileId,
    /// The nodes, then the text of their keys (one allocation for both: a table's keys
    /// allocated one by one cost more than its nodes).
    bytes: Box<[u8]>,
    /// Where the keys' text begins in `bytes`.
    keys_at: usize,
    /// Places not in `file` or not byte ranges (rare).
    others: Box<[At]>,
}

const LIST: u8 = 1;
const OBJECT: u8 = 2;
const KIND: u8 = 3;
const HAS_AT: u8 = 4;
const AT_OTHER: u8 = 8;
const HAS_KEY_AT: u8 = 16;
const KEY_AT_OTHER: u8 = 32;

/// A place as written: a byte range of the table's file, or an index into `others`.
#[derive(Clone, Copy, Debug)]
enum Spot {
    Bytes { start: u32, end: u32 },
    Other(u32),
}

/// One node read back.
struct Read {
    kind: u8,
    /// Its key's text in the keys, if it has one.
    key: Option<(usize, usize)>,
    at: Option<Spot>,
    key_at: Option<Spot>,
    /// Where its children are (empty for anything but a list or object).
    inside: std::ops::Range<usize>,
    /// The start its children's places are measured from.
    base: u32,
    /// Where the next node at its level begins.
    next: usize,
}

impl PlaceTable {
    /// The table of `root` (a document's node); its file is `file` where a place does not
    /// say otherwise.
    pub fn new(root: &Node, file: FileId) -> PlaceTable {
        let mut w = Writer {
            file,
            bytes: Vec::new(),
            keys: String::new(),
            seen: Vec::new(),
            others: Vec::new(),
        };
        w.node(root, 0, None, None);
        let keys_at = w.bytes.len();
        w.bytes.extend_from_slice(w.keys.as_bytes());
        PlaceTable {
            file,
            bytes: w.bytes.into_boxed_slice(),
            keys_at,
            others: w.others.into_boxed_slice(),
        }
    }

    fn location(&self, spot: Spot) -> Option<Location> {
        match spot {
            Spot::Bytes { start, end } => {
                Some(Location::bytes(self.file, start as usize, end as usize))
            }
            Spot::Other(i) => self.others.get(i as usize).map(At::location),
        }
    }

    /// The node written at `pos` whose parent's places are measured from `base`.
    fn read(&self, pos: usize, base: u32) -> Option<Read> {
        let mut r = Reader {
            bytes: &self.bytes,
            pos,
        };
        let header = r.byte()?;
        let len = if header & KIND == 0 {
            None
        } else {
            Some(u32::from_le_bytes(r.take4()?) as usize)
        };
        let key = match r.varint()? as usize {
            0 => None,
            start => Some((start - 1, r.varint()? as usize)),
        };
        let at = r.spot(header & HAS_AT != 0, header & AT_OTHER != 0, base)?;
        let key_at = r.spot(header & HAS_KEY_AT != 0, header & KEY_AT_OTHER != 0, base)?;
        let start = r.pos;
        let end = start + len.unwrap_or(0);
        Some(Read {
            kind: header & KIND,
            key,
            at,
            key_at,
            inside: start..end,
            base: match at {
                Some(Spot::Bytes { start, .. }) => start,
                _ => base,
            },
            next: end,
        })
    }

    /// The key of a node read back, "" for none.
    fn key(&self, node: &Read) -> &str {
        node.key
            .and_then(|(start, len)| {
                let start = self.keys_at + start;
                self.bytes.get(start..start + len)
            })
            .and_then(|text| std::str::from_utf8(text).ok())
            .unwrap_or("")
    }

    /// The nodes directly inside `parent`.
    fn children<'t>(&'t self, parent: &Read) -> impl Iterator<Item = Read> + 't {
        let (mut pos, end, base) = (parent.inside.start, parent.inside.end, parent.base);
        std::iter::from_fn(move || {
            if pos >= end {
                return None;
            }
            let child = self.read(pos, base)?;
            pos = child.next;
            Some(child)
        })
    }

    /// The child of `parent` that `seg` names: a list's item, or an object's last member
    /// of that key (the one HCL keeps), as [`Node`]'s look-up does.
    fn child(&self, parent: &Read, seg: &PathSeg) -> Option<Read> {
        let member = |key: &str| self.children(parent).filter(|c| self.key(c) == key).last();
        match (parent.kind, seg) {
            (LIST, PathSeg::Index(n)) => self.children(parent).nth(*n),
            (OBJECT, PathSeg::Key(k)) => member(k),
            (OBJECT, PathSeg::Index(n)) => member(&n.to_string()),
            _ => None,
        }
    }

    /// The place of the value (or key) at `rel`, or of its nearest placed ancestor.
    fn place_at(&self, rel: &[PathSeg], key: bool) -> Option<Location> {
        let mut node = self.read(0, 0)?;
        let mut best = node.at;
        for (n, seg) in rel.iter().enumerate() {
            let child = self.child(&node, seg);
            if key && n + 1 == rel.len() && matches!(seg, PathSeg::Key(_)) {
                if let Some(at) = child.as_ref().and_then(|c| c.key_at) {
                    return self.location(at);
                }
            }
            let Some(child) = child else {
                break;
            };
            node = child;
            if node.at.is_some() {
                best = node.at;
            }
        }
        best.and_then(|spot| self.location(spot))
    }
}

impl Places for PlaceTable {
    fn place(&self, rel: &JsonPath, key: bool) -> Option<Location> {
        self.place_at(rel.segments(), key)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn take4(&mut self) -> Option<[u8; 4]> {
        let four = self.bytes.get(self.pos..self.pos + 4)?.try_into().ok()?;
        self.pos += 4;
        Some(four)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn signed(&mut self) -> Option<i64> {
        let z = self.varint()?;
        Some((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    /// A place written by [`Writer::spot`]: Some(None) when the node has none.
    fn spot(&mut self, has: bool, other: bool, base: u32) -> Option<Option<Spot>> {
        if !has {
            return Some(None);
        }
        if other {
            return Some(Some(Spot::Other(u32::try_from(self.varint()?).ok()?)));
        }
        let start = u32::try_from(i64::from(base) + self.signed()?).ok()?;
        let end = u32::try_from(i64::from(start) + self.signed()?).ok()?;
        Some(Some(Spot::Bytes { start, end }))
    }
}

struct Writer<'n> {
    file: FileId,
    bytes: Vec<u8>,
    /// The keys' text, and where the first [`SHARED_KEYS`] distinct keys are in it.
    keys: String,
    seen: Vec<(&'n str, usize)>,
    others: Vec<At>,
}

impl<'n> Writer<'n> {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    fn signed(&mut self, v: i64) {
        self.varint(((v << 1) ^ (v >> 63)) as u64);
    }

    /// Whether `at` is a byte range of the table's file (else it goes to `others`).
    fn in_file(&self, at: &At) -> bool {
        matches!(at, At::Bytes { file, .. } if *file == self.file)
    }

    /// Writes a place (see the module's documentation).
    fn spot(&mut self, at: &At, base: u32) {
        match at {
            At::Bytes { start, end, .. } if self.in_file(at) => {
                self.signed(i64::from(*start) - i64::from(base));
                self.signed(i64::from(*end) - i64::from(*start));
            }
            other => {
                self.others.push(other.clone());
                self.varint((self.others.len() - 1) as u64);
            }
        }
    }

    /// Writes a key: a document repeats a handful of keys (`Effect`, `Action`), so the
    /// text of one already there is shared; past [`SHARED_KEYS`] distinct keys they are
    /// only added, so that writing stays linear.
    fn key(&mut self, key: &'n str) {
        let known = self.seen.iter().find(|(k, _)| *k == key).map(|&(_, at)| at);
        let start = known.unwrap_or_else(|| {
            let at = self.keys.len();
            self.keys.push_str(key);
            if self.seen.len() < SHARED_KEYS {
                self.seen.push((key, at));
            }
            at
        });
        self.varint(start as u64 + 1);
        self.varint(key.len() as u64);
    }

    /// Writes `node` and everything inside it; `base` is its parent's start.
    fn node(&mut self, node: &'n Node, base: u32, key: Option<&'n str>, key_at: Option<&At>) {
        let mut header = match node.value {
            Val::List(_) => LIST,
            Val::Object(_) => OBJECT,
            _ => 0,
        };
        if let Some(at) = &node.at {
            header |= HAS_AT | if self.in_file(at) { 0 } else { AT_OTHER };
        }
        if let Some(at) = key_at {
            header |= HAS_KEY_AT | if self.in_file(at) { 0 } else { KEY_AT_OTHER };
        }
        self.bytes.push(header);
        let len_at = self.bytes.len();
        if header & KIND != 0 {
            self.bytes.extend_from_slice(&[0; 4]);
        }
        match key {
            Some(key) => self.key(key),
            None => self.varint(0),
        }
        if let Some(at) = &node.at {
            self.spot(at, base);
        }
        if let Some(at) = key_at {
            self.spot(at, base);
        }
        let inner = match &node.at {
            Some(at @ At::Bytes { start, .. }) if self.in_file(at) => *start,
            _ => base,
        };
        let start = self.bytes.len();
        match &node.value {
            Val::List(items) => {
                for item in items {
                    self.node(item, inner, None, None);
                }
            }
            Val::Object(members) => {
                for m in members {
                    self.node(&m.value, inner, Some(&m.key), m.key_at.as_ref());
                }
            }
            _ => {}
        }
        if header & KIND != 0 {
            // A document over 4 GB of places cannot be: its nodes are a module's values.
            let len = u32::try_from(self.bytes.len() - start).unwrap_or(u32::MAX);
            self.bytes[len_at..len_at + 4].copy_from_slice(&len.to_le_bytes());
        }
    }
}

/// Distinct keys looked for before a key is added.
const SHARED_KEYS: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::location::Anchor;
    use crate::model::path::PathSeg;
    use std::sync::Arc;

    use super::super::value::{Member, Text};

    /// A small deterministic generator of trees with every kind of place: byte ranges of
    /// the document's file and of another file, whole-file places, none; duplicate keys,
    /// numeric keys, nested lists and objects.
    struct Gen(u64, u32);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn at(&mut self) -> Option<At> {
            self.1 += 3;
            let (start, end) = (self.1, self.1 + 2);
            match self.next() % 6 {
                0 => None,
                1 => Some(At::Bytes {
                    file: 9,
                    start,
                    end,
                }),
                2 => Some(At::Other(Arc::new(Location::file(4)))),
                _ => Some(At::Bytes {
                    file: 4,
                    start,
                    end,
                }),
            }
        }

        fn node(&mut self, depth: u32) -> Node {
            let at = self.at();
            let value = match (depth, self.next() % 4) {
                (0, _) | (_, 0) => Val::String("x".into(), Text::Made),
                (_, 1) => Val::List((0..self.next() % 4).map(|_| self.node(depth - 1)).collect()),
                _ => Val::Object(
                    (0..self.next() % 5)
                        .map(|_| {
                            let key =
                                ["Effect", "Action", "0", "1", "Sid"][(self.next() % 5) as usize];
                            Member {
                                key: key.into(),
                                key_at: self.at(),
                                value: self.node(depth - 1),
                            }
                        })
                        .collect(),
                ),
            };
            Node::with_at(value, at)
        }
    }

    /// Every path into the tree, and one step past each.
    fn paths(node: &Node, here: &mut Vec<PathSeg>, out: &mut Vec<Vec<PathSeg>>) {
        out.push(here.clone());
        for seg in [
            PathSeg::Key("Nope".into()),
            PathSeg::Index(7),
            PathSeg::Index(0),
            PathSeg::Key("0".into()),
        ] {
            here.push(seg);
            out.push(here.clone());
            here.pop();
        }
        match &node.value {
            Val::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    here.push(PathSeg::Index(i));
                    paths(item, here, out);
                    here.pop();
                }
            }
            Val::Object(members) => {
                for m in members {
                    here.push(PathSeg::Key(String::from(&*m.key).into()));
                    paths(&m.value, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_table_places_every_path_as_the_tree_does() {
        let mut compared = 0;
        let mut placed_keys = 0;
        for seed in 1..200u64 {
            let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), 0);
            let root = g.node(5);
            let table = PlaceTable::new(&root, 4);
            let mut all = Vec::new();
            paths(&root, &mut Vec::new(), &mut all);
            for path in &all {
                for key in [false, true] {
                    let want = root.place_at(path, key);
                    let got = table.place_at(path, key);
                    assert_eq!(got, want, "seed {seed}, path {path:?}, key {key}");
                    compared += 1;
                    if key
                        && matches!(
                            want,
                            Some(Location {
                                anchor: Anchor::Bytes { .. },
                                ..
                            })
                        )
                    {
                        placed_keys += 1;
                    }
                }
            }
        }
        assert!(
            compared > 10_000 && placed_keys > 1_000,
            "{compared} {placed_keys}"
        );
    }

    #[test]
    fn an_empty_document_has_no_place_but_its_own() {
        let root = Node::with_at(
            Val::Object(Vec::new()),
            Some(At::Bytes {
                file: 1,
                start: 5,
                end: 9,
            }),
        );
        let table = PlaceTable::new(&root, 1);
        let path = [PathSeg::Key("Statement".into())];
        assert_eq!(table.place_at(&path, true), Some(Location::bytes(1, 5, 9)));
        assert_eq!(table.place_at(&[], false), Some(Location::bytes(1, 5, 9)));
    }
}
