//! The walk that finds one path in a document, validating the whole of it.

use std::ops::Range;

use super::lex::{format_usize, literal_eq, skip_literal, skip_number, skip_string, skip_ws};
use super::{BOM, MAX_DEPTH};
use crate::model::path::PathSeg;

/// Open containers of the walk, one bit per level (set for objects), in a fixed array so
/// that skipping values never allocates.
pub(super) struct Stack {
    pub(super) bits: [u64; MAX_DEPTH / 64],
    pub(super) depth: usize,
}

impl Stack {
    pub(super) fn push(&mut self, is_object: bool) -> Option<()> {
        let word = self.bits.get_mut(self.depth / 64)?;
        let bit = 1u64 << (self.depth % 64);
        if is_object {
            *word |= bit;
        } else {
            *word &= !bit;
        }
        self.depth += 1;
        Some(())
    }

    /// Whether the innermost open container is an object (`None` at the top level).
    pub(super) fn top_is_object(&self) -> Option<bool> {
        let d = self.depth.checked_sub(1)?;
        let word = self.bits.get(d / 64)?;
        Some(word & (1u64 << (d % 64)) != 0)
    }
}

/// What the walker expects next.
pub(super) enum State {
    /// A value (after `:`, `,` in an array, `[`, or at the start).
    Value,
    /// A key or `}` right after `{`.
    ObjectFirst,
    /// A value or `]` right after `[`.
    ArrayFirst,
    /// `,` or a closing bracket after a value, or the end of the document.
    After,
}

/// State of one search for a path, kept in a single forward pass over the document.
///
/// The single pass keeps the search O(len) even with the last-duplicate-wins rule: the
/// outermost `on` open containers are the ones on the path so far, and a later duplicate of
/// a key on the path simply replaces whatever was found under the earlier one.
pub(super) struct Tracker<'a> {
    pub(super) segs: &'a [PathSeg],
    pub(super) want_key: bool,
    /// Number of open containers on the path (always the outermost ones).
    pub(super) on: usize,
    /// Index of the next element of the innermost on-path container when it is an array.
    pub(super) next_index: usize,
    /// Whether the value about to be read is the child selected by the path.
    pub(super) selected: bool,
    /// Range of the key of the member whose value is about to be read.
    pub(super) key: Range<usize>,
    pub(super) found: Option<Range<usize>>,
    /// Level and start of the target while it is a container still being read.
    pub(super) open_target: Option<(usize, usize)>,
}

impl<'a> Tracker<'a> {
    pub(super) fn new(segs: &'a [PathSeg], want_key: bool) -> Self {
        Tracker {
            segs,
            want_key,
            on: 0,
            next_index: 0,
            selected: true,
            key: 0..0,
            found: None,
            open_target: None,
        }
    }

    /// A value starts at `depth` (inside an object when `in_object`). Returns whether the
    /// value itself (not its key) is what the path names.
    fn begin_value(&mut self, depth: usize, in_object: bool) -> bool {
        let is_target = self.selected && depth == self.segs.len();
        let key_target = is_target && self.want_key && in_object;
        if self.selected {
            // A later duplicate key supersedes whatever was found under an earlier one.
            self.found = key_target.then(|| self.key.clone());
            self.open_target = None;
        }
        is_target && !key_target
    }

    /// The value begun at `depth` is a container opening at `i` (now `depth + 1` deep).
    fn open(&mut self, depth: usize, i: usize, value_target: bool) {
        if self.selected && depth < self.segs.len() {
            self.on = depth + 1;
            self.next_index = 0;
        }
        if value_target {
            self.open_target = Some((depth + 1, i));
        }
    }

    /// The value begun is the scalar `i..end`.
    fn scalar(&mut self, range: Range<usize>, value_target: bool) {
        if value_target {
            self.found = Some(range);
        }
    }

    /// The innermost container, `depth` deep, closes with its bracket ending at `end`.
    fn close(&mut self, depth: usize, end: usize) {
        if let Some((level, start)) = self.open_target {
            if level == depth {
                self.found = Some(start..end);
                self.open_target = None;
            }
        }
        if self.on == depth && depth > 0 {
            self.on -= 1;
            // The closed container was the selected child, and its own counting reused
            // `next_index`; no later sibling can have the selected index again.
            self.next_index = usize::MAX;
        }
    }

    /// Decides whether the next element of the innermost (array) container, `depth` deep,
    /// is selected.
    fn select_element(&mut self, depth: usize) {
        self.selected = false;
        if depth != self.on {
            return;
        }
        let index = self.next_index;
        self.next_index = index.saturating_add(1);
        let seg = depth.checked_sub(1).and_then(|d| self.segs.get(d));
        self.selected = matches!(seg, Some(PathSeg::Index(n)) if *n == index);
    }

    /// An object member's key, the string literal `key`, was read `depth` deep.
    fn member(&mut self, text: &str, depth: usize, key: Range<usize>) {
        let seg = depth.checked_sub(1).and_then(|d| self.segs.get(d));
        self.selected = depth == self.on
            && match seg {
                Some(PathSeg::Key(k)) => literal_eq(text, key.clone(), k),
                Some(PathSeg::Index(n)) => {
                    let mut buf = [0u8; 20];
                    literal_eq(text, key.clone(), format_usize(*n, &mut buf))
                }
                None => false,
            };
        self.key = key;
    }
}

/// Reads the whole document once, telling every tracker what it meets; None when it is not
/// valid JSON (or nests deeper than [`MAX_DEPTH`], or a path is deeper than that).
pub(super) fn walk(text: &str, trackers: &mut [Tracker]) -> Option<()> {
    if trackers.iter().any(|t| t.segs.len() > MAX_DEPTH) {
        return None;
    }
    let b = text.as_bytes();
    let mut stack = Stack {
        bits: [0; MAX_DEPTH / 64],
        depth: 0,
    };
    let mut i = if b.starts_with(BOM) { BOM.len() } else { 0 };
    let mut state = State::Value;
    // Whether each tracker's value about to be read is its target (reused, no allocation
    // per value).
    let mut targets = vec![false; trackers.len()];
    loop {
        i = skip_ws(b, i);
        state = match state {
            State::Value => {
                let depth = stack.depth;
                let in_object = stack.top_is_object() == Some(true);
                for (t, target) in trackers.iter_mut().zip(targets.iter_mut()) {
                    *target = t.begin_value(depth, in_object);
                }
                match *b.get(i)? {
                    c @ (b'{' | b'[') => {
                        stack.push(c == b'{')?;
                        for (t, &target) in trackers.iter_mut().zip(&targets) {
                            t.open(depth, i, target);
                        }
                        i += 1;
                        if c == b'{' {
                            State::ObjectFirst
                        } else {
                            State::ArrayFirst
                        }
                    }
                    c => {
                        let end = match c {
                            b'"' => skip_string(b, i)?,
                            b't' => skip_literal(b, i, b"true")?,
                            b'f' => skip_literal(b, i, b"false")?,
                            b'n' => skip_literal(b, i, b"null")?,
                            _ => skip_number(b, i)?,
                        };
                        for (t, &target) in trackers.iter_mut().zip(&targets) {
                            t.scalar(i..end, target);
                        }
                        i = end;
                        State::After
                    }
                }
            }
            State::ObjectFirst if b.get(i) == Some(&b'}') => {
                i = close(&mut stack, trackers, i + 1);
                State::After
            }
            State::ArrayFirst if b.get(i) == Some(&b']') => {
                i = close(&mut stack, trackers, i + 1);
                State::After
            }
            State::ObjectFirst => {
                i = read_key(text, stack.depth, trackers, i)?;
                State::Value
            }
            State::ArrayFirst => {
                for t in trackers.iter_mut() {
                    t.select_element(stack.depth);
                }
                State::Value
            }
            State::After => {
                let Some(is_object) = stack.top_is_object() else {
                    // The root value is complete; only whitespace may follow it.
                    return (i == b.len()).then_some(());
                };
                match (*b.get(i)?, is_object) {
                    (b',', true) => {
                        i = read_key(text, stack.depth, trackers, i + 1)?;
                        State::Value
                    }
                    (b',', false) => {
                        i += 1;
                        for t in trackers.iter_mut() {
                            t.select_element(stack.depth);
                        }
                        State::Value
                    }
                    (b'}', true) | (b']', false) => {
                        i = close(&mut stack, trackers, i + 1);
                        State::After
                    }
                    _ => return None,
                }
            }
        };
    }
}

/// Pops the innermost container, whose closing bracket ends at `end`, and returns `end`.
pub(super) fn close(stack: &mut Stack, trackers: &mut [Tracker], end: usize) -> usize {
    for t in trackers.iter_mut() {
        t.close(stack.depth, end);
    }
    stack.depth = stack.depth.saturating_sub(1);
    end
}

/// Reads an object member's key and the `:` after it, starting at or before (whitespace)
/// the key's opening quote; returns the offset after the `:`.
pub(super) fn read_key(
    text: &str,
    depth: usize,
    trackers: &mut [Tracker],
    i: usize,
) -> Option<usize> {
    let b = text.as_bytes();
    let start = skip_ws(b, i);
    if b.get(start) != Some(&b'"') {
        return None;
    }
    let end = skip_string(b, start)?;
    for t in trackers.iter_mut() {
        t.member(text, depth, start..end);
    }
    let colon = skip_ws(b, end);
    if b.get(colon) != Some(&b':') {
        return None;
    }
    Some(colon + 1)
}
