//! The walk that finds many paths in one pass over a document.

use std::borrow::Cow;
use std::ops::Range;

use foldhash::HashMap;

use super::lex::{literal_eq, skip_container, skip_literal, skip_number, skip_string, skip_ws};
use super::one_path::{Stack, State, Tracker};
use super::{BOM, MAX_DEPTH};
use crate::model::path::PathSeg;

/// The trackers waiting in one open container on their path, by the child they select:
/// an element or member is matched by one look-up, not by asking every tracker.
#[derive(Default)]
pub(super) struct Level<'a> {
    /// Trackers selecting an array element, by index.
    by_index: HashMap<usize, Vec<usize>>,
    /// Trackers selecting an object member, by key (an index selects the member whose key
    /// is its decimal form, as [`Tracker::member`] does).
    by_key: HashMap<Cow<'a, str>, Vec<usize>>,
    /// Elements of this container read so far.
    count: usize,
}

impl<'a> Level<'a> {
    fn of(trackers: &[Tracker<'a>], members: &[usize], depth: usize) -> Self {
        let mut level = Level::default();
        for &t in members {
            match trackers.get(t).and_then(|t| t.segs.get(depth)) {
                Some(PathSeg::Index(n)) => {
                    level.by_index.entry(*n).or_default().push(t);
                    level
                        .by_key
                        .entry(Cow::Owned(n.to_string()))
                        .or_default()
                        .push(t);
                }
                Some(PathSeg::Key(k)) => level.by_key.entry(Cow::Borrowed(k)).or_default().push(t),
                None => {}
            }
        }
        level
    }

    /// The trackers selecting the member whose key is the string literal `lit`.
    fn member(&self, text: &str, lit: Range<usize>) -> Vec<usize> {
        if self.by_key.is_empty() {
            return Vec::new();
        }
        let raw = text
            .get(lit.start + 1..lit.end.saturating_sub(1))
            .unwrap_or("");
        if !raw.contains('\\') {
            return self.by_key.get(raw).cloned().unwrap_or_default();
        }
        // An escaped key: compared decoded, as the single-path walk does.
        let mut found: Vec<usize> = self
            .by_key
            .iter()
            .filter(|(k, _)| literal_eq(text, lit.clone(), k))
            .flat_map(|(_, ts)| ts.iter().copied())
            .collect();
        found.sort_unstable();
        found
    }
}

/// [`walk`] for many trackers at once, in time linear in the document and the trackers:
/// each open container on some tracker's path keeps its trackers by the child they select
/// ([`Level`]), and only the trackers that selected the value being read (and those
/// whose target container is open) hear about it. Finds what [`walk`] finds.
pub(super) fn walk_levels(text: &str, trackers: &mut [Tracker]) -> Option<()> {
    if trackers.iter().any(|t| t.segs.len() > MAX_DEPTH) {
        return None;
    }
    let b = text.as_bytes();
    let mut stack = Stack {
        bits: [0; MAX_DEPTH / 64],
        depth: 0,
    };
    // One level per open container, so `levels[d - 1]` is the container `d` deep.
    let mut levels: Vec<Level> = Vec::new();
    // The trackers that selected the value about to be read; every tracker selects the
    // root.
    let mut selected: Vec<usize> = (0..trackers.len()).collect();
    // Trackers whose target is a container still being read.
    let mut open_targets: Vec<usize> = Vec::new();
    let mut i = if b.starts_with(BOM) { BOM.len() } else { 0 };
    let mut state = State::Value;
    let mut targets: Vec<usize> = Vec::new();
    loop {
        i = skip_ws(b, i);
        state = match state {
            State::Value => {
                let depth = stack.depth;
                let in_object = stack.top_is_object() == Some(true);
                targets.clear();
                for &t in &selected {
                    let Some(tr) = trackers.get_mut(t) else {
                        continue;
                    };
                    let is_target = depth == tr.segs.len();
                    let key_target = is_target && tr.want_key && in_object;
                    // A later duplicate key supersedes whatever was found under an earlier one.
                    tr.found = key_target.then(|| tr.key.clone());
                    tr.open_target = None;
                    if is_target && !key_target {
                        targets.push(t);
                    }
                }
                match *b.get(i)? {
                    // A container no query goes into (most of a large file: an account
                    // dump's AWS managed policies) is jumped over whole.
                    b'{' | b'[' if selected.is_empty() => {
                        i = skip_container(b, i)?;
                        State::After
                    }
                    c @ (b'{' | b'[') => {
                        stack.push(c == b'{')?;
                        let inner: Vec<usize> = selected
                            .iter()
                            .copied()
                            .filter(|&t| trackers.get(t).is_some_and(|tr| depth < tr.segs.len()))
                            .collect();
                        levels.push(Level::of(trackers, &inner, depth));
                        for &t in &targets {
                            if let Some(tr) = trackers.get_mut(t) {
                                tr.open_target = Some((depth + 1, i));
                                open_targets.push(t);
                            }
                        }
                        selected.clear();
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
                        for &t in &targets {
                            if let Some(tr) = trackers.get_mut(t) {
                                tr.found = Some(i..end);
                            }
                        }
                        selected.clear();
                        i = end;
                        State::After
                    }
                }
            }
            State::ObjectFirst if b.get(i) == Some(&b'}') => {
                i = close_level(&mut stack, &mut levels, trackers, &mut open_targets, i + 1);
                State::After
            }
            State::ArrayFirst if b.get(i) == Some(&b']') => {
                i = close_level(&mut stack, &mut levels, trackers, &mut open_targets, i + 1);
                State::After
            }
            State::ObjectFirst => {
                i = read_key_level(text, &levels, trackers, &mut selected, i)?;
                State::Value
            }
            State::ArrayFirst => {
                select_element_level(&mut levels, &mut selected);
                State::Value
            }
            State::After => {
                let Some(is_object) = stack.top_is_object() else {
                    // The root value is complete; only whitespace may follow it.
                    return (i == b.len()).then_some(());
                };
                match (*b.get(i)?, is_object) {
                    (b',', true) => {
                        i = read_key_level(text, &levels, trackers, &mut selected, i + 1)?;
                        State::Value
                    }
                    (b',', false) => {
                        i += 1;
                        select_element_level(&mut levels, &mut selected);
                        State::Value
                    }
                    (b'}', true) | (b']', false) => {
                        i = close_level(
                            &mut stack,
                            &mut levels,
                            trackers,
                            &mut open_targets,
                            i + 1,
                        );
                        State::After
                    }
                    _ => return None,
                }
            }
        };
    }
}

/// Selects the next element of the innermost (array) container.
pub(super) fn select_element_level(levels: &mut [Level], selected: &mut Vec<usize>) {
    selected.clear();
    if let Some(level) = levels.last_mut() {
        if let Some(ts) = level.by_index.get(&level.count) {
            selected.extend_from_slice(ts);
        }
        level.count = level.count.saturating_add(1);
    }
}

/// Reads an object member's key and the `:` after it (as [`read_key`]) and selects the
/// trackers waiting for that key.
pub(super) fn read_key_level(
    text: &str,
    levels: &[Level],
    trackers: &mut [Tracker],
    selected: &mut Vec<usize>,
    i: usize,
) -> Option<usize> {
    let b = text.as_bytes();
    let start = skip_ws(b, i);
    if b.get(start) != Some(&b'"') {
        return None;
    }
    let end = skip_string(b, start)?;
    *selected = levels
        .last()
        .map(|level| level.member(text, start..end))
        .unwrap_or_default();
    for &t in selected.iter() {
        if let Some(tr) = trackers.get_mut(t) {
            tr.key = start..end;
        }
    }
    let colon = skip_ws(b, end);
    if b.get(colon) != Some(&b':') {
        return None;
    }
    Some(colon + 1)
}

/// Pops the innermost container, whose closing bracket ends at `end`; a target that was
/// this container is found. Returns `end`.
pub(super) fn close_level(
    stack: &mut Stack,
    levels: &mut Vec<Level>,
    trackers: &mut [Tracker],
    open_targets: &mut Vec<usize>,
    end: usize,
) -> usize {
    let depth = stack.depth;
    open_targets.retain(|&t| {
        let Some(tr) = trackers.get_mut(t) else {
            return false;
        };
        match tr.open_target {
            Some((level, start)) if level == depth => {
                tr.found = Some(start..end);
                tr.open_target = None;
                false
            }
            Some(_) => true,
            None => false,
        }
    });
    levels.pop();
    stack.depth = stack.depth.saturating_sub(1);
    end
}
