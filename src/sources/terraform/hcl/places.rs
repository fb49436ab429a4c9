//! Where the parts of a policy document built from HCL were written, kept for as long as
//! the document lives: a flat table of its nodes in preorder, each with the byte ranges of
//! its value and key, instead of the evaluated tree (whose strings, vectors and 56-byte
//! nodes were a third of the heap of a scan of a large Terraform tree). It answers the
//! same questions as [`Node::place_at`], only when a finding needs a place.

use super::value::{At, Node, Val};
use crate::model::location::{FileId, Location, Places};
use crate::model::path::{JsonPath, PathSeg};

/// A document's places (see the module's documentation).
#[derive(Debug)]
pub struct PlaceTable {
    /// The file most places are in: theirs are byte ranges of it.
    file: FileId,
    entries: Box<[Entry]>,
    /// The keys of object members, end to end.
    keys: Box<str>,
    /// Places not in `file` or not byte ranges (rare).
    others: Box<[At]>,
}

/// One node: where its value (and, for an object member, its key) was written, what it is
/// and how many entries after it lie inside it.
#[derive(Clone, Copy, Debug)]
struct Entry {
    inside: u32,
    /// The member's key, as `keys[start..end]` (empty for list items and the root).
    key: (u32, u32),
    at: Spot,
    key_at: Spot,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    List,
    Object,
    Other,
}

/// A byte range of the table's file, no place, or an index into `others`.
#[derive(Clone, Copy, Debug)]
struct Spot {
    start: u32,
    end: u32,
}

impl Spot {
    const NONE: Spot = Spot {
        start: u32::MAX,
        end: u32::MAX,
    };
    /// Marks an index into `others` (in `end`).
    const OTHER: u32 = u32::MAX - 1;
}

impl PlaceTable {
    /// The table of `root` (a document's node); its file is `file` where a place does not
    /// say otherwise.
    pub fn new(root: &Node, file: FileId) -> PlaceTable {
        let mut b = Builder {
            file,
            entries: Vec::new(),
            keys: String::new(),
            others: Vec::new(),
        };
        b.add(root, (0, 0), None);
        PlaceTable {
            file,
            entries: b.entries.into_boxed_slice(),
            keys: b.keys.into_boxed_str(),
            others: b.others.into_boxed_slice(),
        }
    }

    fn key(&self, e: &Entry) -> &str {
        self.keys
            .get(e.key.0 as usize..e.key.1 as usize)
            .unwrap_or("")
    }

    fn location(&self, spot: Spot) -> Option<Location> {
        match spot {
            Spot {
                start: u32::MAX, ..
            } => None,
            Spot {
                start: Spot::OTHER,
                end,
            } => self.others.get(end as usize).map(At::location),
            Spot { start, end } => Some(Location::bytes(self.file, start as usize, end as usize)),
        }
    }

    /// The entries directly inside entry `i`.
    fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = i + 1 + self.entries[i].inside as usize;
        let mut next = i + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let at = next;
            next += 1 + self.entries[at].inside as usize;
            Some(at)
        })
    }

    /// The child of entry `i` that `seg` names: a list's item, or an object's last member
    /// of that key (the one HCL keeps), as [`Node`]'s look-up does.
    fn child(&self, i: usize, seg: &PathSeg) -> Option<usize> {
        let member = |key: &str| {
            self.children(i)
                .filter(|&c| self.key(&self.entries[c]) == key)
                .last()
        };
        match (self.entries[i].kind, seg) {
            (Kind::List, PathSeg::Index(n)) => self.children(i).nth(*n),
            (Kind::Object, PathSeg::Key(k)) => member(k),
            (Kind::Object, PathSeg::Index(n)) => member(&n.to_string()),
            _ => None,
        }
    }

    /// The place of the value (or key) at `rel`, or of its nearest placed ancestor.
    fn place_at(&self, rel: &[PathSeg], key: bool) -> Option<Location> {
        if self.entries.is_empty() {
            return None;
        }
        let mut node = 0;
        let mut best = self.entries[0].at;
        for (n, seg) in rel.iter().enumerate() {
            let child = self.child(node, seg);
            if key && n + 1 == rel.len() && matches!(seg, PathSeg::Key(_)) {
                if let Some(at) = child.and_then(|c| self.location(self.entries[c].key_at)) {
                    return Some(at);
                }
            }
            let Some(child) = child else {
                break;
            };
            node = child;
            if self.entries[node].at.start != u32::MAX {
                best = self.entries[node].at;
            }
        }
        self.location(best)
    }
}

impl Places for PlaceTable {
    fn place(&self, rel: &JsonPath, key: bool) -> Option<Location> {
        self.place_at(rel.segments(), key)
    }
}

struct Builder {
    file: FileId,
    entries: Vec<Entry>,
    keys: String,
    others: Vec<At>,
}

impl Builder {
    fn spot(&mut self, at: Option<&At>) -> Spot {
        match at {
            None => Spot::NONE,
            Some(At::Bytes { file, start, end }) if *file == self.file && *start < Spot::OTHER => {
                Spot {
                    start: *start,
                    end: *end,
                }
            }
            Some(other) => {
                self.others.push(other.clone());
                Spot {
                    start: Spot::OTHER,
                    end: (self.others.len() - 1) as u32,
                }
            }
        }
    }

    /// Adds `node` and everything inside it, in preorder.
    fn add(&mut self, node: &Node, key: (u32, u32), key_at: Option<&At>) {
        let at = self.spot(node.at.as_ref());
        let key_at = self.spot(key_at);
        let kind = match node.value {
            Val::List(_) => Kind::List,
            Val::Object(_) => Kind::Object,
            _ => Kind::Other,
        };
        let me = self.entries.len();
        self.entries.push(Entry {
            inside: 0,
            key,
            at,
            key_at,
            kind,
        });
        match &node.value {
            Val::List(items) => {
                for item in items {
                    self.add(item, (0, 0), None);
                }
            }
            Val::Object(members) => {
                for m in members {
                    let key = self.intern(&m.key);
                    self.add(&m.value, key, m.key_at.as_ref());
                }
            }
            _ => {}
        }
        self.entries[me].inside = (self.entries.len() - me - 1) as u32;
    }

    /// The key's range in `keys`: a document repeats a handful of keys (`Effect`,
    /// `Action`), so one already there is shared; past a few hundred bytes of keys (a
    /// document of many distinct keys) keys are only added, so building stays linear.
    fn intern(&mut self, key: &str) -> (u32, u32) {
        let known = (self.keys.len() <= SHARED_KEYS)
            .then(|| self.keys.find(key))
            .flatten();
        let start = match known {
            Some(i) => i,
            None => {
                self.keys.push_str(key);
                self.keys.len() - key.len()
            }
        };
        (start as u32, (start + key.len()) as u32)
    }
}

/// Bytes of keys below which a key is looked for before it is added.
const SHARED_KEYS: usize = 256;

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
                    here.push(PathSeg::Key(m.key.to_string().into()));
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
