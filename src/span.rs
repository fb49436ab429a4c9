//! Source positions for findings. The linter keeps only a [`JsonPath`] for each value it
//! checks; this module turns such a path back into an exact byte range of the original text
//! (and into line/column) only when a finding is actually reported. It walks the raw text
//! itself instead of relying on a parser's spans, so it also works for documents embedded as
//! JSON strings (Terraform) or percent-encoded (`get-account-authorization-details`), mapping
//! offsets through every layer of escaping back to the bytes in the file.

use std::borrow::Cow;
use std::ops::Range;

use foldhash::HashMap;

use crate::model::path::{JsonPath, PathSeg};

/// Deepest nesting the walker follows; deeper documents are rejected rather than risk
/// unbounded work or memory (serde_json itself stops at 128).
const MAX_DEPTH: usize = 512;

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Byte range of the JSON value at `path` inside `text` (a whole JSON document, which may
/// start with a UTF-8 BOM and use any JSON whitespace, including CRLF).
///
/// For an object member the range is the member's value; string literals include their
/// quotes. With duplicate keys the last occurrence wins, as in serde_json. An
/// [`PathSeg::Index`] applied to an object matches the key spelled as that decimal number
/// (RFC 6901 semantics, since [`JsonPath::from_pointer`] turns digit-only segments into
/// indices). Returns `None` if the path does not exist or the document is not valid JSON.
pub fn locate_value(text: &str, path: &JsonPath) -> Option<Range<usize>> {
    locate(text, path.segments(), false)
}

/// Like [`locate_value`], but when the value at `path` is an object member, returns the
/// range of its key string literal (with quotes), to point at an unknown or unexpected key.
/// For an array element or the root it returns the value's range.
pub fn locate_key(text: &str, path: &JsonPath) -> Option<Range<usize>> {
    locate(text, path.segments(), true)
}

/// Locates a value inside a JSON document that is itself embedded as a JSON string in `text`
/// (Terraform stores policies as `"policy": "{\"Statement\": ...}"`).
///
/// `string_at` is the path of the string value in the outer document and `inner` the path
/// inside the embedded document. If `url_encoded`, the string's content is additionally
/// percent-encoded (the JSON escapes are undone first, then the URL encoding). With
/// `want_key` the inner path is resolved like [`locate_key`]. The result is a byte range of
/// `text`, covering the escaped form of the inner value (e.g. `\"*\"`).
pub fn locate_embedded(
    text: &str,
    string_at: &JsonPath,
    url_encoded: bool,
    inner: &JsonPath,
    want_key: bool,
) -> Option<Range<usize>> {
    let outer = locate_value(text, string_at)?;
    locate_in_string(text, outer, url_encoded, inner, want_key)
}

/// [`locate_embedded`] once the string literal holding the document is known to be at
/// `outer` (its range in `text`, quotes included).
pub fn locate_in_string(
    text: &str,
    outer: Range<usize>,
    url_encoded: bool,
    inner: &JsonPath,
    want_key: bool,
) -> Option<Range<usize>> {
    let json = decode_json_string(text.get(outer.clone())?)?;
    let in_json = if url_encoded {
        let url = decode_url(&json.text)?;
        let r = locate(&url.text, inner.segments(), want_key)?;
        url.raw_range(r)
    } else {
        locate(&json.text, inner.segments(), want_key)?
    };
    let r = json.raw_range(in_json);
    Some(outer.start + r.start..outer.start + r.end)
}

/// Decoded text of a string literal or percent-encoded string, with a map from every byte
/// of the decoded text back to the offset in the raw text where that byte's source starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text.
    pub text: String,
    /// `map[i]` is the raw offset for decoded offset `i`; one extra entry for `text.len()`.
    map: Vec<usize>,
}

impl Decoded {
    /// Raw offset for decoded offset `i`. `i == text.len()` maps to the end of the source
    /// (a JSON literal's closing quote, or the end of a percent-encoded string); larger
    /// offsets clamp to the same place.
    pub fn raw_offset(&self, i: usize) -> usize {
        self.map
            .get(i)
            .or_else(|| self.map.last())
            .copied()
            .unwrap_or(0)
    }

    /// Maps a decoded range to a raw range. A range ending on a character boundary ends
    /// right after that character's source (including a whole escape sequence).
    pub fn raw_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.raw_offset(r.start);
        let end = self.raw_offset(r.end).max(start);
        start..end
    }
}

/// Decodes a JSON string literal; `raw` is the literal including its surrounding quotes.
///
/// Handles every JSON escape, including `\uXXXX` surrogate pairs; an unpaired surrogate
/// decodes to U+FFFD. Returns `None` if `raw` is not exactly one well-formed literal.
pub fn decode_json_string(raw: &str) -> Option<Decoded> {
    let b = raw.as_bytes();
    if b.first() != Some(&b'"') {
        return None;
    }
    let mut text = String::new();
    let mut map = Vec::new();
    let mut i = 1;
    loop {
        let (c, next) = match *b.get(i)? {
            b'"' => {
                if i + 1 != b.len() {
                    return None;
                }
                map.push(i);
                return Some(Decoded { text, map });
            }
            b'\\' => {
                let (c, next) = escape_at(b, i)?;
                // All bytes of an escaped char point at the backslash: the escape is one unit.
                map.resize(map.len() + c.len_utf8(), i);
                (c, next)
            }
            0x00..=0x1f => return None,
            _ => {
                let c = raw.get(i..)?.chars().next()?;
                map.extend(i..i + c.len_utf8());
                (c, i + c.len_utf8())
            }
        };
        text.push(c);
        i = next;
    }
}

/// Percent-decodes `raw` the way AWS encodes policy documents in
/// `get-account-authorization-details` (`%XX` sequences, and `+` for a space), keeping a map
/// back to `raw` like [`decode_json_string`]. A `%` not followed by two hex digits is kept
/// literally. Returns `None` if the decoded bytes are not valid UTF-8.
pub fn decode_url(raw: &str) -> Option<Decoded> {
    let mut map = Vec::with_capacity(raw.len() + 1);
    let text = decode_url_noting(raw, |at| map.push(at))?;
    map.push(raw.len());
    Some(Decoded { text, map })
}

/// [`decode_url`]'s text alone: what loading a dump needs (the map back to the raw text,
/// eight bytes per byte, is only for positions).
pub fn decode_url_text(raw: &str) -> Option<String> {
    decode_url_noting(raw, |_| {})
}

/// Percent-decodes `raw`, telling `note` the offset in `raw` that each decoded byte comes
/// from. Looks ahead only at a `%`: a dump's documents are megabytes of this, and a
/// look-ahead at every byte cost twice as much.
fn decode_url_noting(raw: &str, mut note: impl FnMut(usize)) -> Option<String> {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        note(i);
        let hex = |at: usize| b.get(at).copied().and_then(hex_val);
        match c {
            b'%' => match hex(i + 1).zip(hex(i + 2)) {
                Some((h, l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                }
                None => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Start offsets of the lines of a text, for turning byte offsets into line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters and UTF-16 code units before every [`CHECKPOINT`]-th byte: a column is
    /// counted from the nearest checkpoint, never from the start of its line, so that many
    /// findings on one long line (a minified plan of megabytes) cost what few findings
    /// cost, not a pass over the line each.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between two [`LineIndex`] checkpoints.
const CHECKPOINT: usize = 1024;

/// Characters and UTF-16 code units that start in `bytes`: every byte but a UTF-8
/// continuation byte starts a character, and a four-byte one is two UTF-16 units.
fn units(bytes: &[u8]) -> (usize, usize) {
    if bytes.is_ascii() {
        return (bytes.len(), bytes.len());
    }
    let chars = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    let astral = bytes.iter().filter(|&&b| b >= 0xF0).count();
    (chars, chars + astral)
}

impl LineIndex {
    /// Indexes `text`. `\n`, `\r\n` and a lone `\r` each end a line, as in SARIF.
    pub fn new(text: &str) -> Self {
        let b = text.as_bytes();
        let mut starts = vec![0];
        // Found by memchr, not a test of every byte: the files findings land in include
        // account dumps of several MB.
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            let ends_line = b[i] == b'\n' || b.get(i + 1) != Some(&b'\n');
            if ends_line {
                starts.push(i + 1);
            }
        }
        let mut checkpoints = Vec::with_capacity(b.len() / CHECKPOINT + 1);
        let mut at = (0, 0);
        checkpoints.push(at);
        for chunk in b.chunks(CHECKPOINT) {
            let (chars, utf16) = units(chunk);
            at = (at.0 + chars, at.1 + utf16);
            checkpoints.push(at);
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// 1-based line and 1-based column (in Unicode scalar values) of byte `offset` in `text`,
    /// which must be the text this index was built from. Offsets past the end clamp to the
    /// end; an offset inside a multi-byte char counts as that char's start.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let (line, start, offset) = self.line_of(text, offset);
        (line, self.units_between(text, start, offset).0 + 1)
    }

    /// Like [`LineIndex::line_col`], but the column is counted in UTF-16 code units, SARIF's
    /// default `columnKind`.
    pub fn line_col_utf16(&self, text: &str, offset: usize) -> (usize, usize) {
        let (line, start, offset) = self.line_of(text, offset);
        (line, self.units_between(text, start, offset).1 + 1)
    }

    /// UTF-16 code units in `text` before byte `offset` (clamped to the text and moved back
    /// to a character boundary). A file read as UTF-16 ([`crate::sources::decode_file`])
    /// has its byte-order mark as the text's first character, so twice this is the byte
    /// offset in that file: reports give offsets into the file, not into its decoded text.
    pub fn utf16_units_before(&self, text: &str, offset: usize) -> usize {
        let mut offset = offset.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        self.units_between(text, 0, offset).1
    }

    /// 1-based line of `offset`, the start of that line, and `offset` clamped to the text
    /// and moved back to a character boundary.
    fn line_of(&self, text: &str, offset: usize) -> (usize, usize, usize) {
        let mut offset = offset.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let mut start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        // A byte-order mark is not a column: editors start line 1 after it.
        if line == 1 && text.starts_with('\u{feff}') {
            start = start.max('\u{feff}'.len_utf8().min(offset));
        }
        (line, start, offset)
    }

    /// Characters and UTF-16 code units between bytes `from` and `to` (character
    /// boundaries, `from <= to`): counted directly when they are close, otherwise from the
    /// checkpoints, so the cost is at most two checkpoints' worth of bytes.
    fn units_between(&self, text: &str, from: usize, to: usize) -> (usize, usize) {
        let b = text.as_bytes();
        if to - from <= CHECKPOINT {
            return units(b.get(from..to).unwrap_or_default());
        }
        let before = |at: usize| {
            let block = at / CHECKPOINT;
            let (chars, utf16) = self.checkpoints.get(block).copied().unwrap_or_default();
            let rest = units(b.get(block * CHECKPOINT..at).unwrap_or_default());
            (chars + rest.0, utf16 + rest.1)
        };
        let (a, z) = (before(from), before(to));
        (z.0 - a.0, z.1 - a.1)
    }
}

/// Open containers of the walk, one bit per level (set for objects), in a fixed array so
/// that skipping values never allocates.
struct Stack {
    bits: [u64; MAX_DEPTH / 64],
    depth: usize,
}

impl Stack {
    fn push(&mut self, is_object: bool) -> Option<()> {
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
    fn top_is_object(&self) -> Option<bool> {
        let d = self.depth.checked_sub(1)?;
        let word = self.bits.get(d / 64)?;
        Some(word & (1u64 << (d % 64)) != 0)
    }
}

/// What the walker expects next.
enum State {
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
struct Tracker<'a> {
    segs: &'a [PathSeg],
    want_key: bool,
    /// Number of open containers on the path (always the outermost ones).
    on: usize,
    /// Index of the next element of the innermost on-path container when it is an array.
    next_index: usize,
    /// Whether the value about to be read is the child selected by the path.
    selected: bool,
    /// Range of the key of the member whose value is about to be read.
    key: Range<usize>,
    found: Option<Range<usize>>,
    /// Level and start of the target while it is a container still being read.
    open_target: Option<(usize, usize)>,
}

impl<'a> Tracker<'a> {
    fn new(segs: &'a [PathSeg], want_key: bool) -> Self {
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

/// Finds the value (or key, with `want_key`) at `segs`, validating the whole document.
fn locate(text: &str, segs: &[PathSeg], want_key: bool) -> Option<Range<usize>> {
    let mut trackers = [Tracker::new(segs, want_key)];
    walk(text, &mut trackers)?;
    let [tracker] = trackers;
    tracker.found
}

/// Finds several paths in one document with one pass over it: each query is a path and
/// whether its key is wanted (as [`locate_key`]) rather than its value (as
/// [`locate_value`]). A finding's position reads its file to the end, and a file with
/// many findings (a Terraform plan that chains pass through) is read once, not once each.
pub fn locate_many(text: &str, queries: &[(&JsonPath, bool)]) -> Vec<Option<Range<usize>>> {
    let mut trackers: Vec<Tracker> = queries
        .iter()
        .map(|(path, want_key)| Tracker::new(path.segments(), *want_key))
        .collect();
    if walk_levels(text, &mut trackers).is_none() {
        return vec![None; queries.len()];
    }
    trackers.into_iter().map(|t| t.found).collect()
}

/// The trackers waiting in one open container on their path, by the child they select:
/// an element or member is matched by one look-up, not by asking every tracker.
#[derive(Default)]
struct Level<'a> {
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
fn walk_levels(text: &str, trackers: &mut [Tracker]) -> Option<()> {
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
fn select_element_level(levels: &mut [Level], selected: &mut Vec<usize>) {
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
fn read_key_level(
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
fn close_level(
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

/// Reads the whole document once, telling every tracker what it meets; None when it is not
/// valid JSON (or nests deeper than [`MAX_DEPTH`], or a path is deeper than that).
fn walk(text: &str, trackers: &mut [Tracker]) -> Option<()> {
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
fn close(stack: &mut Stack, trackers: &mut [Tracker], end: usize) -> usize {
    for t in trackers.iter_mut() {
        t.close(stack.depth, end);
    }
    stack.depth = stack.depth.saturating_sub(1);
    end
}

/// Reads an object member's key and the `:` after it, starting at or before (whitespace)
/// the key's opening quote; returns the offset after the `:`.
fn read_key(text: &str, depth: usize, trackers: &mut [Tracker], i: usize) -> Option<usize> {
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

/// Writes `n` in decimal into `buf` without allocating.
fn format_usize(mut n: usize, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    std::str::from_utf8(buf.get(at..).unwrap_or(&[])).unwrap_or("")
}

/// Whether the (already validated) string literal at `lit` decodes to exactly `want`,
/// compared char by char so that keys are never allocated.
fn literal_eq(text: &str, lit: Range<usize>, want: &str) -> bool {
    let b = text.as_bytes();
    let mut i = lit.start + 1;
    let end = lit.end.saturating_sub(1);
    let mut want = want.chars();
    while i < end {
        let decoded = match b.get(i) {
            Some(b'\\') => escape_at(b, i),
            _ => text
                .get(i..)
                .and_then(|s| s.chars().next())
                .map(|c| (c, i + c.len_utf8())),
        };
        let Some((c, next)) = decoded else {
            return false;
        };
        if want.next() != Some(c) {
            return false;
        }
        i = next;
    }
    want.next().is_none()
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The offset after the container (`{…}` or `[…]`) that opens at `i`, found by its
/// brackets with strings skipped whole; None when it is not closed. Unlike the walk it
/// checks nothing else: it only runs where no query looks, in a file the loader parsed.
/// In well-formed JSON the other kind of bracket nests inside, so only this kind is
/// counted, and the next quote or bracket of it is found by memchr, not byte by byte.
fn skip_container(b: &[u8], mut i: usize) -> Option<usize> {
    let open = *b.get(i)?;
    let close = if open == b'{' { b'}' } else { b']' };
    let mut depth = 0usize;
    loop {
        i += memchr::memchr3(b'"', open, close, b.get(i..)?)?;
        match b[i] {
            b'"' => i = string_end(b, i + 1)?,
            c if c == open => {
                depth += 1;
                i += 1;
            }
            _ => {
                depth = depth.checked_sub(1)?;
                i += 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
    }
}

/// The offset after the closing quote of the string whose text starts at `i`, found by
/// memchr alone: an escape is jumped over without being read, and nothing is validated
/// (see [`skip_container`]).
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        i += memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        match b[i] {
            b'"' => return Some(i + 1),
            _ => i += 2,
        }
    }
}

/// Validates the string literal starting at `i` (its opening quote) and returns the offset
/// after its closing quote.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut i = i + 1;
    loop {
        // Jump to the next quote or backslash (policies embedded in Terraform plans and
        // dumps make most of a large file string content, and every finding's position
        // reads its file up to the end); the bytes jumped over must hold no control
        // character. Bytes of multi-byte chars are >= 0x80, so searching bytes is safe.
        let rest = b.get(i..)?;
        let n = memchr::memchr2(b'"', b'\\', rest)?;
        if rest.get(..n)?.iter().any(|&c| c < 0x20) {
            return None;
        }
        i += n;
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            _ => i = escape_at(b, i)?.1,
        }
    }
}

/// Decodes the escape sequence whose backslash is at `i`; returns the char and the offset
/// after the sequence (after both halves of a surrogate pair).
fn escape_at(b: &[u8], i: usize) -> Option<(char, usize)> {
    let c = match *b.get(i + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(b, i + 2)?;
            return Some(match hi {
                0xD800..=0xDBFF => {
                    let lo = (b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u'))
                        .then(|| hex4(b, i + 8))
                        .flatten()
                        .filter(|lo| (0xDC00..=0xDFFF).contains(lo));
                    match lo {
                        Some(lo) => {
                            let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            (char::from_u32(code)?, i + 12)
                        }
                        None => (char::REPLACEMENT_CHARACTER, i + 6),
                    }
                }
                _ => (
                    char::from_u32(hi).unwrap_or(char::REPLACEMENT_CHARACTER),
                    i + 6,
                ),
            });
        }
        _ => return None,
    };
    Some((c, i + 2))
}

fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let digits = b.get(i..i + 4)?;
    digits
        .iter()
        .try_fold(0u32, |acc, &d| Some(acc << 4 | u32::from(hex_val(d)?)))
}

fn hex_val(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

fn skip_literal(b: &[u8], i: usize, lit: &[u8]) -> Option<usize> {
    let end = i + lit.len();
    (b.get(i..end)? == lit).then_some(end)
}

/// Validates a JSON number starting at `i` and returns the offset after it.
fn skip_number(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > start).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(i)?,
        _ => return None,
    };
    if b.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i)?;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(pointer: &str) -> JsonPath {
        JsonPath::from_pointer(pointer)
    }

    fn keys(keys: &[&str]) -> JsonPath {
        JsonPath(keys.iter().map(|k| PathSeg::Key((*k).into())).collect())
    }

    fn value<'t>(text: &'t str, pointer: &str) -> Option<&'t str> {
        text.get(locate_value(text, &path(pointer))?)
    }

    fn key<'t>(text: &'t str, pointer: &str) -> Option<&'t str> {
        text.get(locate_key(text, &path(pointer))?)
    }

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:Put*"],"Resource":"*"},{"Effect":"Deny","Action":[],"Resource":{}}]}"#;

    #[test]
    fn nested_objects_and_arrays() {
        assert_eq!(value(POLICY, "/Version"), Some(r#""2012-10-17""#));
        assert_eq!(value(POLICY, "/Statement/0/Action/1"), Some(r#""s3:Put*""#));
        assert_eq!(value(POLICY, "/Statement/0/Action/0"), Some(r#""s3:Get*""#));
        assert_eq!(
            value(POLICY, "/Statement/1"),
            Some(r#"{"Effect":"Deny","Action":[],"Resource":{}}"#)
        );
        assert_eq!(value(POLICY, "/Statement/1/Action"), Some("[]"));
        assert_eq!(value(POLICY, "/Statement/1/Resource"), Some("{}"));
        assert_eq!(value(POLICY, ""), Some(POLICY));
        assert_eq!(key(POLICY, "/Statement/1/Effect"), Some(r#""Effect""#));
        // Array elements and the root have no key: locate_key gives the value.
        assert_eq!(key(POLICY, "/Statement/1"), value(POLICY, "/Statement/1"));
        assert_eq!(key(POLICY, ""), Some(POLICY));
    }

    #[test]
    fn missing_paths() {
        for pointer in [
            "/Statement/2",
            "/Statement/0/Nope",
            "/Statement/Effect",
            "/Version/0",
            "/Version/x",
            "/Statement/1/Action/0",
            "/Statement/1/Resource/x",
            "/nope",
        ] {
            assert_eq!(value(POLICY, pointer), None, "{pointer}");
            assert_eq!(key(POLICY, pointer), None, "{pointer}");
        }
    }

    #[test]
    fn scalars_of_every_kind() {
        let text = r#"[true,false,null,0,-1.5e+3,"s",-0,12.25E-2]"#;
        let want = [
            "true", "false", "null", "0", "-1.5e+3", "\"s\"", "-0", "12.25E-2",
        ];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(value(text, &format!("/{i}")), Some(*w));
        }
        assert_eq!(value(" 42 ", ""), Some("42"));
        assert_eq!(value("\"x\"", ""), Some("\"x\""));
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let text = r#"{"a":1,"b":2,"a":{"c":3},"d":4}"#;
        assert_eq!(value(text, "/a"), Some(r#"{"c":3}"#));
        assert_eq!(value(text, "/a/c"), Some("3"));
        let r = locate_key(text, &path("/a")).unwrap();
        assert_eq!(r.start, text.rfind("\"a\"").unwrap());
        assert_eq!(text.get(r), Some("\"a\""));

        // What was under an earlier duplicate is gone, as in serde_json.
        let text = r#"{"a":{"b":1},"a":{"c":2}}"#;
        assert_eq!(value(text, "/a/b"), None);
        assert_eq!(value(text, "/a/c"), Some("2"));
        let text = r#"{"a":[{"x":1}],"a":[]}"#;
        assert_eq!(value(text, "/a/0/x"), None);
        assert_eq!(value(text, "/a/0"), None);

        // Duplicates deeper down, inside the selected element.
        let text = r#"{"s":[{"k":1,"k":2},{"k":3}]}"#;
        assert_eq!(value(text, "/s/0/k"), Some("2"));
        assert_eq!(value(text, "/s/1/k"), Some("3"));
    }

    #[test]
    fn agrees_with_serde_json_on_duplicates() {
        let text = r#"{"a":{"x":[1,2]},"b":0,"a":{"x":[3,{"y":4,"y":5}]}}"#;
        let parsed: serde_json::Value = serde_json::from_str(text).unwrap();
        for pointer in ["/a", "/a/x", "/a/x/0", "/a/x/1", "/a/x/1/y", "/b"] {
            let slice = value(text, pointer).unwrap();
            let got: serde_json::Value = serde_json::from_str(slice).unwrap();
            assert_eq!(Some(&got), parsed.pointer(pointer), "{pointer}");
        }
    }

    #[test]
    fn escaped_keys() {
        let text = r#"{"a\"b": 1, "x\u0041": 2, "\ud83d\ude00": 3, "a\\/b": 4, "a/b": 5}"#;
        assert_eq!(value(text, "").map(str::len), Some(text.len()));
        assert_eq!(
            text.get(locate_value(text, &keys(&["a\"b"])).unwrap()),
            Some("1")
        );
        assert_eq!(
            text.get(locate_key(text, &keys(&["a\"b"])).unwrap()),
            Some(r#""a\"b""#)
        );
        assert_eq!(
            text.get(locate_value(text, &keys(&["xA"])).unwrap()),
            Some("2")
        );
        assert_eq!(
            text.get(locate_value(text, &keys(&["😀"])).unwrap()),
            Some("3")
        );
        assert_eq!(
            text.get(locate_value(text, &keys(&["a\\/b"])).unwrap()),
            Some("4")
        );
        // "a\/b" and "a/b" are the same key only when spelled with `\/`.
        assert_eq!(
            text.get(locate_value(text, &keys(&["a/b"])).unwrap()),
            Some("5")
        );
        assert_eq!(locate_value(text, &keys(&["a"])), None);
        assert_eq!(locate_value(text, &keys(&["a\"b\""])), None);
        assert_eq!(locate_value(text, &keys(&["x"])), None);
    }

    #[test]
    fn index_segment_matches_numeric_key_of_object() {
        let text = r#"{"0":"zero","10":"ten"}"#;
        assert_eq!(value(text, "/0"), Some("\"zero\""));
        assert_eq!(value(text, "/10"), Some("\"ten\""));
        assert_eq!(key(text, "/10"), Some("\"10\""));
        assert_eq!(value(text, "/1"), None);
    }

    #[test]
    fn bom_crlf_and_whitespace() {
        let text =
            "\u{feff}  \r\n{\r\n  \"a\" :\t[ 1 ,\r\n    2 ] ,\r\n  \"b\"\r\n:\r\n{ } \r\n}\r\n ";
        assert_eq!(value(text, "/a/1"), Some("2"));
        assert_eq!(value(text, "/a"), Some("[ 1 ,\r\n    2 ]"));
        assert_eq!(value(text, "/b"), Some("{ }"));
        assert_eq!(key(text, "/b"), Some("\"b\""));
        let r = locate_value(text, &path("/a/1")).unwrap();
        let lines = LineIndex::new(text);
        assert_eq!(lines.line_col(text, r.start), (4, 5));
        // The BOM is not a column: editors (and GitHub) show line 1 from the char after it.
        assert_eq!(lines.line_col(text, 3), (1, 1));
        assert_eq!(lines.line_col(text, 4), (1, 2));
        assert_eq!(lines.line_col_utf16(text, 4), (1, 2));
        // A BOM anywhere but the start is not whitespace.
        assert_eq!(value("{\"a\":\u{feff}1}", "/a"), None);
    }

    #[test]
    fn multibyte_chars_before_the_value() {
        let text = "{\"ü\": \"ä€😀\", \"k\": [\"€\", \"x\"]}";
        assert_eq!(value(text, "/ü"), Some("\"ä€😀\""));
        let r = locate_value(text, &path("/k/1")).unwrap();
        assert_eq!(text.get(r.clone()), Some("\"x\""));
        let lines = LineIndex::new(text);
        let chars = text.get(..r.start).unwrap().chars().count();
        assert_eq!(lines.line_col(text, r.start), (1, chars + 1));
        // 😀 is two UTF-16 units but one char.
        assert_eq!(lines.line_col_utf16(text, r.start), (1, chars + 2));
    }

    #[test]
    fn a_skipped_container_ends_at_its_own_bracket() {
        let text = r#"{"a": [1, {"b": "}]\"{["}, [[]]], "c": {"d": "]"}} tail"#;
        let b = text.as_bytes();
        assert_eq!(skip_container(b, 0), Some(text.find(" tail").unwrap()));
        let array = text.find('[').unwrap();
        assert_eq!(
            &text[array..skip_container(b, array).unwrap()],
            r#"[1, {"b": "}]\"{["}, [[]]]"#
        );
        assert_eq!(skip_container(br#"{"a": [1,"#, 0), None);
        assert_eq!(skip_container(br#"{"a": "}"#, 0), None);
    }

    #[test]
    fn line_index_columns() {
        let text = "a😀b\r\nxy\rz\n\n€";
        let lines = LineIndex::new(text);
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(lines.line_col(text, 0), (1, 1));
        assert_eq!(lines.line_col(text, at("b")), (1, 3));
        assert_eq!(lines.line_col_utf16(text, at("b")), (1, 4));
        // The `\n` of a CRLF still belongs to the first line.
        assert_eq!(lines.line_col(text, at("\n")), (1, 5));
        assert_eq!(lines.line_col(text, at("x")), (2, 1));
        assert_eq!(lines.line_col(text, at("z")), (3, 1));
        assert_eq!(lines.line_col(text, at("z") + 2), (4, 1));
        assert_eq!(lines.line_col(text, at("€")), (5, 1));
        // Inside a multi-byte char: that char's start. Past the end: the end.
        assert_eq!(lines.line_col(text, at("€") + 1), (5, 1));
        assert_eq!(lines.line_col(text, text.len()), (5, 2));
        assert_eq!(lines.line_col(text, usize::MAX), (5, 2));
        assert_eq!(lines.line_col_utf16(text, 2), (1, 2));
        let empty = LineIndex::new("");
        assert_eq!(empty.line_col("", 7), (1, 1));
        assert_eq!(empty.line_col_utf16("", 0), (1, 1));
        assert_eq!(LineIndex::new("\n").line_col("\n", 1), (2, 1));
    }

    #[test]
    fn many_paths_in_one_pass_follow_duplicate_keys_escapes_and_index_keys() {
        // Duplicate keys (the last wins, on the path and at the target), an escaped key, a
        // member whose key is an index's decimal form, and many siblings.
        let mut text = String::from(
            r#"{"a": {"b": 1}, "a": {"b": [10, {"c": 2}], "b": 3}, "\u0064": {"e": 4}, "0": {"1": 5}, "s": ["#,
        );
        for i in 0..300 {
            text.push_str(&format!(
                "{}{{\"r\": \"x{i}\"}}",
                if i == 0 { "" } else { "," }
            ));
        }
        text.push_str("]}");
        let mut queries: Vec<(JsonPath, bool)> = [
            "/a", "/a/b", "/a/b/0", "/a/b/1/c", "/d", "/d/e", "/0", "/0/1", "/s", "/x",
        ]
        .iter()
        .flat_map(|p| [(path(p), false), (path(p), true)])
        .collect();
        for i in (0..300).step_by(7) {
            queries.push((path(&format!("/s/{i}/r")), false));
            queries.push((path(&format!("/s/{i}")), true));
        }
        let refs: Vec<(&JsonPath, bool)> = queries.iter().map(|(p, k)| (p, *k)).collect();
        let many = locate_many(&text, &refs);
        for ((p, key), got) in queries.iter().zip(many) {
            let one = if *key {
                locate_key(&text, p)
            } else {
                locate_value(&text, p)
            };
            assert_eq!(got, one, "{p} (key: {key})");
        }
        assert_eq!(
            text.get(locate_value(&text, &path("/a/b")).unwrap()),
            Some("3")
        );
        assert_eq!(
            text.get(locate_value(&text, &path("/d/e")).unwrap()),
            Some("4")
        );
        assert_eq!(
            text.get(locate_value(&text, &path("/0/1")).unwrap()),
            Some("5")
        );
    }

    #[test]
    fn columns_on_long_lines_are_what_counting_from_the_line_start_gives() {
        // Lines longer than several checkpoints, with one-, two-, three- and four-byte
        // characters straddling checkpoint boundaries.
        let mut text = String::new();
        for i in 0..9000 {
            text.push_str(["a", "é", "€", "😀"][i % 4]);
            if i % 2999 == 0 {
                text.push_str(["\n", "\r\n", "\r"][i % 3]);
            }
        }
        let lines = LineIndex::new(&text);
        let mut start = 0;
        for (at, c) in text.char_indices() {
            let prefix = &text[start..at];
            assert_eq!(
                lines.line_col(&text, at).1,
                prefix.chars().count() + 1,
                "at {at}"
            );
            assert_eq!(
                lines.line_col_utf16(&text, at).1,
                prefix.encode_utf16().count() + 1,
                "at {at}"
            );
            let next = at + c.len_utf8();
            if c == '\n' || (c == '\r' && text.as_bytes().get(next) != Some(&b'\n')) {
                start = next;
            }
        }
    }

    #[test]
    fn decodes_every_json_escape() {
        let raw = r#""a\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83d\ude00€z""#;
        let d = decode_json_string(raw).unwrap();
        assert_eq!(d.text, "a\"\\/\u{8}\u{c}\n\r\té€😀€z");
        assert_eq!(d.raw_offset(0), 1);
        assert_eq!(d.raw_offset(1), 2); // `\"`
        assert_eq!(d.raw_offset(2), 4); // `\\`
        let euro = d.text.find('€').unwrap();
        assert_eq!(raw.get(d.raw_range(euro..euro + 3)), Some(r"\u20AC"));
        let smile = d.text.find('😀').unwrap();
        assert_eq!(
            raw.get(d.raw_range(smile..smile + 4)),
            Some(r"\ud83d\ude00")
        );
        // Every byte of a decoded escape maps to the escape's start.
        assert_eq!(d.raw_offset(smile + 2), d.raw_offset(smile));
        let z = d.text.len() - 1;
        assert_eq!(raw.get(d.raw_range(z - 3..z)), Some("€"));
        // A raw multi-byte char maps byte for byte.
        assert_eq!(d.raw_offset(z - 2), d.raw_offset(z - 3) + 1);
        assert_eq!(d.raw_offset(d.text.len()), raw.len() - 1);
        assert_eq!(d.raw_offset(d.text.len() + 10), raw.len() - 1);
        assert_eq!(decode_json_string("\"\"").unwrap().text, "");
        assert_eq!(decode_json_string("\"\"").unwrap().raw_range(0..0), 1..1);
    }

    #[test]
    fn unpaired_surrogates_become_replacement_chars() {
        for (raw, want) in [
            (r#""\ud800""#, "\u{fffd}"),
            (r#""\udc00x""#, "\u{fffd}x"),
            (r#""\ud800\u0041""#, "\u{fffd}A"),
            (r#""\ud800\ud800\udc00""#, "\u{fffd}\u{10000}"),
            (r#""\udbff\udfff""#, "\u{10ffff}"),
            (r#""\ud800\n""#, "\u{fffd}\n"),
        ] {
            assert_eq!(decode_json_string(raw).unwrap().text, want, "{raw}");
        }
    }

    #[test]
    fn rejects_malformed_string_literals() {
        for raw in [
            "",
            "\"",
            "abc",
            "\"abc",
            "\"abc\" ",
            " \"abc\"",
            "\"a\"b\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\\",
            "\"\\\"",
            "\"a\nb\"",
            "\"\u{0}\"",
        ] {
            assert!(decode_json_string(raw).is_none(), "{raw:?}");
        }
    }

    #[test]
    fn url_decoding() {
        let d = decode_url("a%20b+c%e2%82%ACd%zz%4%").unwrap();
        assert_eq!(d.text, "a b c€d%zz%4%");
        assert_eq!(d.raw_offset(1), 1);
        assert_eq!(d.raw_offset(2), 4);
        assert_eq!(d.raw_offset(3), 5);
        assert_eq!(d.raw_offset(4), 6);
        // Each byte of a percent-encoded char maps to its own `%XX`.
        assert_eq!(d.raw_offset(5), 7);
        assert_eq!(d.raw_offset(6), 10);
        assert_eq!(d.raw_offset(7), 13);
        assert_eq!(d.raw_range(5..8), 7..16);
        assert_eq!(d.raw_offset(d.text.len()), 23);
        assert!(decode_url("%ff").is_none());
        assert_eq!(
            decode_url_text("a%20b+c%e2%82%ACd%zz%4%").as_deref(),
            Some(d.text.as_str())
        );
        assert!(decode_url_text("%ff").is_none());
        assert!(decode_url("%e2%82").is_none());
        assert_eq!(decode_url("").unwrap().raw_offset(0), 0);
        assert_eq!(decode_url("€").unwrap().raw_range(0..3), 0..3);
    }

    /// A Terraform-plan-like document whose policy is a JSON string with escapes.
    const PLAN: &str = r#"{
  "resource_changes": [
    {
      "address": "aws_iam_role.ci",
      "change": {
        "after": {
          "name": "ci",
          "assume_role_policy": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Principal\": {\"AWS\": \"arn:aws:iam::1:root\"}, \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"a\u0026b\"}}}\n  ]\n}\n"
        }
      }
    }
  ]
}"#;

    fn in_plan(inner: &str, want_key: bool) -> Option<&'static str> {
        let at = path("/resource_changes/0/change/after/assume_role_policy");
        let r = locate_embedded(PLAN, &at, false, &path(inner), want_key)?;
        PLAN.get(r)
    }

    #[test]
    fn embedded_policy_in_terraform_plan() {
        assert_eq!(in_plan("/Statement/0/Action", false), Some(r#"\"*\""#));
        assert_eq!(in_plan("/Statement/0/Action", true), Some(r#"\"Action\""#));
        assert_eq!(
            in_plan("/Statement/0/Condition/StringEquals/sts:ExternalId", false),
            Some(r#"\"a\u0026b\""#)
        );
        assert_eq!(
            in_plan("/Statement/0/Principal", false),
            Some(r#"{\"AWS\": \"arn:aws:iam::1:root\"}"#)
        );
        assert_eq!(in_plan("/Version", false), Some(r#"\"2012-10-17\""#));
        let whole = in_plan("", false).unwrap();
        assert!(whole.starts_with(r#"{\n  \"Version\""#));
        assert!(whole.ends_with(r#"]\n}"#));
        assert_eq!(in_plan("/Statement/1", false), None);
        // The outer value is not a string, or not there.
        let not_string = path("/resource_changes/0/change");
        assert_eq!(
            locate_embedded(PLAN, &not_string, false, &path(""), false),
            None
        );
        assert_eq!(
            locate_embedded(PLAN, &path("/nope"), false, &path(""), false),
            None
        );

        let r = locate_embedded(
            PLAN,
            &path("/resource_changes/0/change/after/assume_role_policy"),
            false,
            &path("/Statement/0/Action"),
            false,
        )
        .unwrap();
        let lines = LineIndex::new(PLAN);
        let (line, col) = lines.line_col(PLAN, r.start);
        assert_eq!(line, 8);
        assert_eq!(
            col,
            PLAN.lines().nth(7).unwrap().find(r#"\"*\""#).unwrap() + 1
        );
    }

    #[test]
    fn embedded_url_encoded_policy() {
        let text = r#"{"Policies":[{"PolicyDocument":"%7B%22Statement%22%3A+%5B%7B%22Action%22%3A+%22s3%3A*%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2F%E2%82%AC%22%7D%5D%7D"}]}"#;
        let at = path("/Policies/0/PolicyDocument");
        let get = |inner: &str, want_key: bool| {
            text.get(locate_embedded(text, &at, true, &path(inner), want_key)?)
        };
        assert_eq!(get("/Statement/0/Action", false), Some("%22s3%3A*%22"));
        assert_eq!(get("/Statement/0/Action", true), Some("%22Action%22"));
        assert_eq!(
            get("/Statement/0/Resource", false),
            Some("%22arn%3Aaws%3As3%3A%3A%3Ab%2F%E2%82%AC%22")
        );
        assert_eq!(get("/Statement/0/Nope", false), None);
        // Without the URL layer the content is not JSON.
        assert_eq!(
            locate_embedded(text, &at, false, &path("/Statement"), false),
            None
        );
    }

    #[test]
    fn embedded_with_both_layers_of_escaping() {
        // JSON escapes outside, percent-encoding inside: `\u0025` is `%`.
        let text = r#"{"d":"\u00257B\"a\"%3A\"x\u002By\"%7D"}"#;
        let r = locate_embedded(text, &path("/d"), true, &path("/a"), false).unwrap();
        assert_eq!(text.get(r), Some(r#"\"x\u002By\""#));
        let r = locate_embedded(text, &path("/d"), true, &path("/a"), true).unwrap();
        assert_eq!(text.get(r), Some(r#"\"a\""#));
    }

    #[test]
    fn garbage_and_truncated_inputs_return_none() {
        for text in [
            "",
            " ",
            "\u{feff}",
            "{",
            "[",
            "}",
            "]",
            "{]",
            "[}",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "{'a':1}",
            "[01]",
            "[1.]",
            "[.5]",
            "[1e]",
            "[-]",
            "[+1]",
            "[tru]",
            "[nul]",
            "[truex]",
            "[NaN]",
            "{\"a\":1}}",
            "{\"a\":1} x",
            "\"\\q\"",
            "[\"\t\"]",
            "\u{feff}\u{feff}{}",
        ] {
            for pointer in ["", "/a", "/0", "/a/0"] {
                assert_eq!(value(text, pointer), None, "{text:?} {pointer}");
                assert_eq!(key(text, pointer), None, "{text:?} {pointer}");
            }
        }
        // Every proper prefix of a document is invalid.
        for end in 0..POLICY.len() {
            let text = POLICY.get(..end).unwrap();
            assert_eq!(value(text, "/Version"), None, "{text}");
            assert_eq!(value(text, "/Statement/0/Effect"), None, "{text}");
        }
        // Outside the path too: the document as a whole must be valid.
        assert_eq!(value(r#"{"a":1,"b":[1,}"#, "/a"), None);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = "[".repeat(100_000);
        assert_eq!(value(&deep, ""), None);
        assert_eq!(value(&deep, "/0/0/0"), None);
        let closed = format!("{}{}", deep, "]".repeat(100_000));
        assert_eq!(value(&closed, ""), None);
        let long_path = JsonPath(vec![PathSeg::Index(0); 100_000]);
        assert_eq!(locate_value(&closed, &long_path), None);

        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let to_one = JsonPath(vec![PathSeg::Index(0); MAX_DEPTH]);
        assert_eq!(ok.get(locate_value(&ok, &to_one).unwrap()), Some("1"));
        let too_deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(value(&too_deep, ""), None);
        let objects = "{\"a\":".repeat(100_000);
        assert_eq!(value(&objects, "/a/a"), None);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;
        use serde_json::Value;

        fn json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                // Dyadic fractions, which print and parse back exactly.
                (-8000i32..8000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
                "(\\PC|[\"\\\\/\n\t\u{1}])*".prop_map(Value::String),
            ];
            leaf.prop_recursive(4, 48, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    prop::collection::btree_map("[a-c\"\\\\é😀]{0,3}", inner, 0..6)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        fn all_paths(v: &Value, at: JsonPath, out: &mut Vec<(JsonPath, Value)>) {
            out.push((at.clone(), v.clone()));
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        all_paths(item, at.index(i), out);
                    }
                }
                Value::Object(map) => {
                    for (k, item) in map {
                        all_paths(item, at.key(k), out);
                    }
                }
                _ => {}
            }
        }

        proptest! {
            #[test]
            fn never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
                let text = String::from_utf8_lossy(&bytes);
                for pointer in ["", "/0", "/a", "/a/0/b"] {
                    let _ = locate_value(&text, &path(pointer));
                    let _ = locate_key(&text, &path(pointer));
                    let _ = locate_embedded(&text, &path(pointer), true, &path("/a"), true);
                }
                let _ = decode_json_string(&text);
                let _ = decode_url(&text);
                let lines = LineIndex::new(&text);
                for offset in 0..=text.len() + 1 {
                    let _ = lines.line_col(&text, offset);
                    let _ = lines.line_col_utf16(&text, offset);
                }
            }

            #[test]
            fn a_prefix_two_bytes_past_an_offset_places_it_as_the_whole_text_does(
                text in "[\r\na€😀\u{feff}]{0,24}",
                at in any::<prop::sample::Index>(),
            ) {
                // What the report does: lines counted only as far as the last place.
                let at = at.index(text.len() + 1);
                let mut cut = (at + 2).min(text.len());
                while !text.is_char_boundary(cut) {
                    cut += 1;
                }
                let (whole, prefix) = (LineIndex::new(&text), &text[..cut]);
                let part = LineIndex::new(prefix);
                prop_assert_eq!(part.line_col(prefix, at), whole.line_col(&text, at));
                prop_assert_eq!(part.line_col_utf16(prefix, at), whole.line_col_utf16(&text, at));
                prop_assert_eq!(part.utf16_units_before(prefix, at), whole.utf16_units_before(&text, at));
            }

            #[test]
            fn url_text_alone_is_the_mapped_decoding(raw in "([%+]|%[0-9a-fA-F]{0,2}|%[eE]2%82%[aA][cC]|[a-z\"{}:é€])*") {
                prop_assert_eq!(decode_url_text(&raw), decode_url(&raw).map(|d| d.text));
            }

            #[test]
            fn never_panics_on_json_like_noise(text in "[\\[\\]{}:,\"\\\\ u0-9a\u{feff}\r\n]{0,64}") {
                let _ = locate_value(&text, &path("/a/0"));
                let _ = locate_key(&text, &path("/0/a"));
                let _ = decode_json_string(&text);
            }

            #[test]
            fn every_path_slices_back_to_its_value(v in json(), pretty in any::<bool>()) {
                let text = if pretty {
                    serde_json::to_string_pretty(&v).unwrap()
                } else {
                    serde_json::to_string(&v).unwrap()
                };
                let mut paths = Vec::new();
                all_paths(&v, JsonPath::root(), &mut paths);
                for (p, want) in paths {
                    let r = locate_value(&text, &p);
                    prop_assert!(r.is_some(), "{} in {}", p, text);
                    let slice = text.get(r.unwrap()).unwrap();
                    let got: Value = serde_json::from_str(slice).unwrap();
                    prop_assert_eq!(got, want);
                    if let Some(PathSeg::Key(k)) = p.segments().last() {
                        let kr = locate_key(&text, &p).unwrap();
                        let lit = decode_json_string(text.get(kr).unwrap()).unwrap();
                        prop_assert_eq!(lit.text.as_str(), k.as_str());
                    }
                }
            }

            #[test]
            fn one_pass_for_many_paths_finds_what_one_pass_each_finds(
                v in json(),
                text_noise in "[ \\[\\]{}:,\"a0]{0,3}",
            ) {
                // Every path of the document plus some that are not in it, as values and as
                // keys, on the document and on a broken copy of it.
                let mut paths = Vec::new();
                all_paths(&v, JsonPath::root(), &mut paths);
                let mut queries: Vec<(JsonPath, bool)> = Vec::new();
                for (p, _) in &paths {
                    queries.push((p.clone(), false));
                    queries.push((p.clone(), true));
                    queries.push((p.key("missing"), false));
                    queries.push((p.index(7), true));
                }
                let text = serde_json::to_string_pretty(&v).unwrap();
                for text in [text.clone(), format!("{text}{text_noise}")] {
                    let refs: Vec<(&JsonPath, bool)> = queries.iter().map(|(p, k)| (p, *k)).collect();
                    let many = locate_many(&text, &refs);
                    prop_assert_eq!(many.len(), queries.len());
                    for ((p, want_key), got) in queries.iter().zip(many) {
                        let one = if *want_key { locate_key(&text, p) } else { locate_value(&text, p) };
                        prop_assert_eq!(got, one, "{} (key: {}) in {}", p, want_key, text);
                    }
                }
            }

            #[test]
            fn embedded_ranges_are_the_escaped_value(v in json()) {
                let inner = serde_json::to_string_pretty(&v).unwrap();
                let outer = serde_json::to_string(&serde_json::json!({"p": inner})).unwrap();
                let mut paths = Vec::new();
                all_paths(&v, JsonPath::root(), &mut paths);
                for (p, _) in paths {
                    let want = inner.get(locate_value(&inner, &p).unwrap()).unwrap();
                    let r = locate_embedded(&outer, &path("/p"), false, &p, false).unwrap();
                    let escaped = format!("\"{}\"", outer.get(r).unwrap());
                    let decoded = decode_json_string(&escaped).unwrap();
                    prop_assert_eq!(decoded.text.as_str(), want);
                }
            }
        }
    }
}
