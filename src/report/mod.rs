//! Turns findings into output. Locations are resolved here, once, into paths, byte
//! ranges, lines and columns (`crate::span` finds the exact JSON value), then findings are
//! sorted so that output never depends on the thread count. One module per format.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod snippet;

use std::ops::Range;
use std::path::PathBuf;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use crate::finding::{shorten, Finding, Severity};
use crate::model::inventory::Inventory;
use crate::model::location::{Anchor, FileId, Location};
use crate::model::path::JsonPath;
use crate::span::{locate_in_string, locate_key, locate_many, locate_value, LineIndex};

/// A location with its position worked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub path: String,
    /// Byte range in the file's text (what snippets show); None when the place is the
    /// whole file.
    pub range: Option<Range<usize>>,
    /// Byte range in the file as stored: `range`, but for a UTF-16 file, whose text is
    /// decoded ([`crate::sources::decode_file`]). SARIF and JSON offsets give this one.
    pub file_range: Option<Range<usize>>,
    /// 1-based line and column (columns in characters) of start and end.
    pub start: (usize, usize),
    pub end: (usize, usize),
    /// Columns in UTF-16 code units, for SARIF.
    pub start_utf16: usize,
    pub end_utf16: usize,
}

/// A finding ready to print.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub finding: Finding,
    pub primary: Position,
    pub labels: Vec<(Position, String)>,
    pub flow: Vec<(Position, String)>,
    /// Stable across line moves: rule, path and the finding's identity.
    pub fingerprint: String,
    /// Why the finding is suppressed (config `[[suppress]]`), if it is.
    pub suppressed: Option<String>,
}

impl Resolved {
    /// The related places a report lists beside the primary one: the labels, then the
    /// chain's hops, each list shortened as messages shorten lists
    /// ([`crate::finding::shorten`]), with how many were left out. What a finding prints
    /// then stays the same size however long its chain is; SARIF `codeFlows` and the JSON
    /// `chain` keep every hop.
    pub fn related_shown(&self) -> (Vec<&(Position, String)>, usize) {
        let mut shown = Vec::new();
        let mut hidden = 0;
        for list in [&self.labels, &self.flow] {
            let (head, left_out, tail) = shorten(list);
            shown.extend(head.iter().chain(tail));
            hidden += left_out;
        }
        (shown, hidden)
    }
}

/// Reads each file once and keeps its text and line index.
pub struct SourceCache<'a> {
    inventory: &'a Inventory,
    texts: HashMap<FileId, Option<CachedText>>,
    /// Ranges of JSON paths (as values, or as keys when the flag is set) found ahead by
    /// [`SourceCache::locate_ahead`]: one pass over a file for all of them.
    located: HashMap<PathQuery, Option<Range<usize>>>,
}

/// A file's text as loaders read it, indexed by line.
struct CachedText {
    text: String,
    index: LineIndex,
    /// The file is UTF-16: offsets into `text` are not offsets into the file.
    utf16: bool,
}

/// A JSON path looked for in a file: as a value, or as a key when the flag is set.
type PathQuery = (FileId, JsonPath, bool);

impl<'a> SourceCache<'a> {
    pub fn new(inventory: &'a Inventory) -> Self {
        SourceCache {
            inventory,
            texts: HashMap::new(),
            located: HashMap::new(),
        }
    }

    /// Finds, in one pass over each file (files in parallel), every JSON path that
    /// [`SourceCache::position`] will look for in `locs`. Finding a path reads its file to
    /// the end, and a large file (a Terraform plan that many chains pass through) can have
    /// tens of positions in it.
    pub fn locate_ahead<'l>(&mut self, locs: impl IntoIterator<Item = &'l Location>) {
        let mut wanted: HashMap<FileId, Vec<(JsonPath, bool)>> = HashMap::new();
        for loc in locs {
            wanted
                .entry(loc.file)
                .or_default()
                .extend(paths_tried(&loc.anchor).map(|(p, k)| (p.clone(), k)));
        }
        let mut wanted: Vec<(FileId, Vec<(JsonPath, bool)>)> = wanted
            .into_iter()
            .map(|(file, mut queries)| {
                queries.sort();
                queries.dedup();
                queries.retain(|(p, k)| !self.located.contains_key(&(file, p.clone(), *k)));
                (file, queries)
            })
            .filter(|(_, queries)| !queries.is_empty())
            .collect();
        wanted.sort_by_key(|(file, _)| *file);
        let this = &*self;
        let found: Vec<(PathQuery, Option<Range<usize>>)> = wanted
            .into_par_iter()
            .flat_map_iter(|(file, queries)| {
                let refs: Vec<(&JsonPath, bool)> = queries.iter().map(|(p, k)| (p, *k)).collect();
                let ranges = match this.text(file) {
                    Some(text) => locate_many(text, &refs),
                    None => vec![None; refs.len()],
                };
                queries
                    .into_iter()
                    .zip(ranges)
                    .map(move |((path, key), range)| ((file, path, key), range))
            })
            .collect();
        self.located.extend(found);
    }

    /// The range of `path` in a file's `text`: found ahead, or looked for now.
    fn locate(&self, file: FileId, text: &str, path: &JsonPath, key: bool) -> Option<Range<usize>> {
        // Keyed by reference would need a borrowed tuple; a path clone is cheap beside a
        // pass over the file.
        match self.located.get(&(file, path.clone(), key)) {
            Some(found) => found.clone(),
            None if key => locate_key(text, path),
            None => locate_value(text, path),
        }
    }

    pub fn path(&self, file: FileId) -> PathBuf {
        self.inventory
            .file_path(file)
            .map(|p| p.to_path_buf())
            .unwrap_or_default()
    }

    /// Reads the files not read yet, in parallel: only regular files, as the loaders read
    /// them (a FIFO would block), and only readable UTF-8 (BOM kept: ranges are into the
    /// file) or UTF-16 with a byte-order mark, decoded as the loaders decode it.
    pub fn load(&mut self, files: impl IntoIterator<Item = FileId>) {
        let mut wanted: Vec<FileId> = files
            .into_iter()
            .filter(|f| !self.texts.contains_key(f))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let read: Vec<(FileId, Option<CachedText>)> = wanted
            .into_par_iter()
            .map(|file| {
                let bytes = crate::sources::read_file(&self.path(file), u64::MAX).ok();
                let cached = bytes.and_then(|b| {
                    let utf16 = crate::sources::is_utf16(&b);
                    // UTF-8 as it is, NUL bytes and all (a damaged config file is read
                    // byte for byte), and UTF-16 decoded.
                    let text = if utf16 {
                        crate::sources::decode_file(&b).ok()?.into_owned()
                    } else {
                        String::from_utf8(b).ok()?
                    };
                    Some(CachedText {
                        index: LineIndex::new(&text),
                        text,
                        utf16,
                    })
                });
                (file, cached)
            })
            .collect();
        self.texts.extend(read);
    }

    /// The text of a file read by [`SourceCache::load`].
    pub fn text(&self, file: FileId) -> Option<&str> {
        self.texts
            .get(&file)
            .and_then(|t| t.as_ref())
            .map(|t| t.text.as_str())
    }

    /// The text of each of `files` for showing to people: every byte range a loader
    /// marked as possibly secret ([`Inventory::redactions`]) is overwritten with `*`, line
    /// breaks kept, so byte offsets and lines stay where they were. A file is masked once
    /// however many findings show it (files in parallel); a file that cannot be read (or
    /// whose ranges do not fall on character boundaries) is left out, and so is every file
    /// that was not parsed as the format it was expected to be, or whose bytes were damaged
    /// ([`crate::model::inventory::SourceFile::show_source`]): of those only positions are
    /// ever shown.
    ///
    /// Only files already read by [`SourceCache::load`] have text here.
    pub fn snippet_texts(
        &self,
        files: impl IntoIterator<Item = FileId>,
    ) -> HashMap<FileId, std::sync::Arc<str>> {
        let mut files: Vec<FileId> = files
            .into_iter()
            .filter(|&f| self.shows_source(f))
            .collect();
        files.sort_unstable();
        files.dedup();
        // The redactions, grouped by file in one pass (not one pass per file shown).
        let mut secret: HashMap<FileId, Vec<Range<usize>>> = HashMap::new();
        for loc in &self.inventory.redactions {
            if let Anchor::Bytes { start, end } = loc.anchor {
                secret.entry(loc.file).or_default().push(start..end);
            }
        }
        files
            .into_par_iter()
            .filter_map(|file| {
                let mut bytes = self.text(file)?.as_bytes().to_vec();
                for range in secret.get(&file).into_iter().flatten() {
                    for b in bytes.get_mut(range.clone()).into_iter().flatten() {
                        if *b != b'\n' && *b != b'\r' {
                            *b = b'*';
                        }
                    }
                }
                neutralize_terminal_controls(&mut bytes);
                let text = String::from_utf8(bytes).ok()?;
                Some((file, std::sync::Arc::from(text)))
            })
            .collect()
    }

    /// Whether reporters may show a file's text at all (see [`SourceCache::snippet_texts`]).
    pub fn shows_source(&self, file: FileId) -> bool {
        self.inventory
            .files
            .get(file as usize)
            .is_some_and(|f| f.show_source)
    }

    /// Works out a location's position in a file read by [`SourceCache::load`] (any
    /// other file gives the file as a whole).
    pub fn position(&self, loc: &Location) -> Position {
        let path = display_path(&self.path(loc.file));
        let whole = Position {
            path: path.clone(),
            range: None,
            file_range: None,
            start: (1, 1),
            end: (1, 1),
            start_utf16: 1,
            end_utf16: 1,
        };
        if loc.anchor == Anchor::File {
            return whole;
        }
        let Some(text) = self.text(loc.file) else {
            return whole;
        };
        let range = match &loc.anchor {
            Anchor::File => None,
            Anchor::Bytes { start, end } => Some(*start..*end),
            Anchor::Json { .. } => paths_tried(&loc.anchor)
                .find_map(|(path, key)| self.locate(loc.file, text, path, key)),
            Anchor::Embedded {
                url_encoded,
                inner,
                key,
                ..
            } => paths_tried(&loc.anchor)
                .find_map(|(path, key)| self.locate(loc.file, text, path, key))
                .and_then(|outer| {
                    locate_in_string(text, outer.clone(), *url_encoded, inner, *key)
                        .or_else(|| {
                            locate_in_string(text, outer.clone(), *url_encoded, inner, false)
                        })
                        // The inner path may not exist (a shape error); the string itself
                        // is still the right place to point at.
                        .or(Some(outer))
                }),
            Anchor::JsonIn {
                start,
                end,
                path,
                key,
            } => {
                let inner = text.get(*start..*end).unwrap_or_default();
                let found = if *key {
                    crate::span::locate_key(inner, path)
                        .or_else(|| crate::span::locate_value(inner, path))
                } else {
                    crate::span::locate_value(inner, path)
                };
                // A path the text does not hold (a template made it) points at the text.
                Some(found.map_or(*start..*end, |r| r.start + start..r.end + start))
            }
        };
        let Some(range) = range.filter(|r| r.start <= r.end && r.end <= text.len()) else {
            return whole;
        };
        let Some(cached) = self.texts.get(&loc.file).and_then(|t| t.as_ref()) else {
            return whole;
        };
        let (text, index) = (cached.text.as_str(), &cached.index);
        let start = index.line_col(text, range.start);
        let end = index.line_col(text, range.end);
        // Two bytes a code unit, the byte-order mark being the text's first character.
        let file_range = if cached.utf16 {
            2 * index.utf16_units_before(text, range.start)
                ..2 * index.utf16_units_before(text, range.end)
        } else {
            range.clone()
        };
        Position {
            path,
            start,
            end,
            start_utf16: index.line_col_utf16(text, range.start).1,
            end_utf16: index.line_col_utf16(text, range.end).1,
            range: Some(range),
            file_range: Some(file_range),
        }
    }
}

/// The JSON Pointer of the value a location names inside its JSON document, if any (for
/// suppressions by pointer).
pub fn pointer_of(loc: &Location) -> Option<String> {
    match &loc.anchor {
        Anchor::Json { path, .. } => Some(path.to_string()),
        Anchor::Embedded { inner, .. } | Anchor::JsonIn { path: inner, .. } => {
            Some(inner.to_string())
        }
        _ => None,
    }
}

/// Forward slashes whatever the platform, so output is the same everywhere.
pub fn display_path(path: &std::path::Path) -> String {
    let s = path.display().to_string().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// FNV-1a, 64-bit: a fingerprint hash that never changes between builds or platforms.
pub fn stable_hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Resolves and sorts findings (see [`sort`]). Finding a position reads the file's JSON
/// up to its end, so the files are read, and the positions worked out, in parallel.
pub fn resolve(findings: Vec<Finding>, cache: &mut SourceCache) -> Vec<Resolved> {
    cache.load(
        findings
            .iter()
            .flat_map(places)
            // A file as a whole needs no text (and may be a FIFO, or unreadable).
            .filter(|loc| loc.anchor != Anchor::File)
            .map(|loc| loc.file),
    );
    cache.locate_ahead(findings.iter().flat_map(places));
    let cache = &*cache;
    let mut out: Vec<Resolved> = findings
        .into_par_iter()
        .map(|f| {
            let primary = cache.position(&f.primary);
            let labels = f
                .labels
                .iter()
                .map(|l| (cache.position(&l.loc), l.message.clone()))
                .collect();
            let flow = f
                .flow
                .iter()
                .map(|l| (cache.position(&l.loc), l.message.clone()))
                .collect();
            let identity = if f.identity.is_empty() {
                f.message.clone()
            } else {
                f.identity.clone()
            };
            let fingerprint = stable_hash(&[f.rule, &primary.path, &identity]);
            Resolved {
                finding: f,
                primary,
                labels,
                flow,
                fingerprint,
                suppressed: None,
            }
        })
        .collect();
    sort(&mut out);
    out
}

/// The JSON paths [`SourceCache::position`] looks for to place `anchor` (as a key when the
/// flag is set), in the order it tries them: a key falls back to its value, and a document
/// embedded in a string is found through the string. [`SourceCache::locate_ahead`] finds
/// the same ones ahead.
fn paths_tried(anchor: &Anchor) -> impl Iterator<Item = (&JsonPath, bool)> {
    let (first, then) = match anchor {
        Anchor::Json { path, key: true } => (Some((path, true)), Some((path, false))),
        Anchor::Json { path, key: false } => (Some((path, false)), None),
        Anchor::Embedded { string_at, .. } => (Some((string_at, false)), None),
        Anchor::File | Anchor::Bytes { .. } | Anchor::JsonIn { .. } => (None, None),
    };
    first.into_iter().chain(then)
}

/// Every place a finding shows: its primary location, labels and flow.
fn places(f: &Finding) -> impl Iterator<Item = &Location> {
    std::iter::once(&f.primary)
        .chain(f.labels.iter().map(|l| &l.loc))
        .chain(f.flow.iter().map(|l| &l.loc))
}

/// Sorts resolved findings (path, start, rule, message) and drops exact duplicates, so
/// output never depends on the order rules or threads produced them.
pub fn sort(results: &mut Vec<Resolved>) {
    results.sort_by(|a, b| {
        (
            &a.primary.path,
            a.primary.range.as_ref().map_or(0, |r| r.start),
            a.finding.rule,
            &a.finding.message,
        )
            .cmp(&(
                &b.primary.path,
                b.primary.range.as_ref().map_or(0, |r| r.start),
                b.finding.rule,
                &b.finding.message,
            ))
    });
    results.dedup_by(|a, b| {
        a.finding.rule == b.finding.rule
            && a.primary == b.primary
            && a.finding.message == b.finding.message
    });
}

/// Counts of unsuppressed findings by severity.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl Counts {
    pub fn of(results: &[Resolved]) -> Counts {
        let mut c = Counts::default();
        for r in results.iter().filter(|r| r.suppressed.is_none()) {
            match r.finding.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Note => c.note += 1,
            }
        }
        c
    }
}

/// The message of a scan that found no IAM input at all, so that a user who pointed
/// iamlint at the wrong folder, or at files it does not read, is told so rather than shown
/// a clean pass. `files_seen` counts every file the walk passed, read or not.
pub fn no_input_notice(files_seen: usize) -> String {
    let files = if files_seen == 1 { "file" } else { "files" };
    format!(
        "no IAM configuration found in {files_seen} {files}; iamlint reads {}",
        crate::sources::WHAT_IAMLINT_READS
    )
}

/// What a run reports, whatever the format.
pub struct Report<'a> {
    pub results: &'a [Resolved],
    pub files_scanned: usize,
    pub elapsed: std::time::Duration,
}

/// Overwrites, byte for byte with `?`, what a terminal would act on rather than show: ASCII
/// control characters but for tab and line breaks, C1 controls (U+0080..U+009F, among them
/// the 8-bit CSI) and the bidirectional overrides and isolates. A file of a format iamlint
/// reads (a CLI config file) may hold them, and its snippet must not colour, move or hide
/// the report. Byte offsets, and so every span, stay where they were.
fn neutralize_terminal_controls(bytes: &mut [u8]) {
    let mut i = 0;
    while i < bytes.len() {
        let width = match bytes[i..] {
            [b, ..] if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') => 1,
            [0x7f, ..] => 1,
            [0xc2, 0x80..=0x9f, ..] => 2,
            [0xe2, 0x80, 0xaa..=0xae, ..] | [0xe2, 0x81, 0xa6..=0xa9, ..] => 3,
            _ => 0,
        };
        for b in bytes.iter_mut().skip(i).take(width) {
            *b = b'?';
        }
        i += width.max(1);
    }
}
