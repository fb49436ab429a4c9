//! Where findings are in their files: each file a finding points into is read once, all
//! of its places are worked out in that one visit ([`SourceCache::place`]), and its text
//! is dropped again; only the human report, which shows snippets, keeps texts
//! ([`SourceCache::load`]).

use std::ops::Range;
use std::path::PathBuf;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use super::{display_path, neutralize_terminal_controls, Position};
use crate::model::inventory::Inventory;
use crate::model::location::{Anchor, FileId, Location};
use crate::model::path::JsonPath;
use crate::span::{locate_in_string, locate_key, locate_many, locate_value, LineIndex};

/// Positions of places in the inventory's files, and the texts of files read for
/// snippets.
pub struct SourceCache<'a> {
    inventory: &'a Inventory,
    /// Texts read by [`SourceCache::load`] (for snippets), by file.
    texts: HashMap<FileId, Option<String>>,
    /// Positions worked out by [`SourceCache::place`].
    placed: HashMap<Location, Position>,
}

impl<'a> SourceCache<'a> {
    pub fn new(inventory: &'a Inventory) -> Self {
        SourceCache {
            inventory,
            texts: HashMap::new(),
            placed: HashMap::new(),
        }
    }

    /// Works out the position of every one of `locs`, one visit per file: the file is read,
    /// every JSON path looked for in one pass ([`locate_many`]: a Terraform plan that many
    /// chains pass through holds tens of them), lines counted only as far as the last
    /// place, and the text dropped. Files go to the threads largest first, each to one
    /// thread whole: two account dumps of several MB beside a hundred small files kept one
    /// thread busy while the other waited, phase after phase.
    pub fn place<'l>(&mut self, locs: impl IntoIterator<Item = &'l Location>) {
        let mut by_file: HashMap<FileId, Vec<&Location>> = HashMap::new();
        for loc in locs {
            // A file as a whole needs no text (and may be a FIFO, or unreadable).
            if loc.anchor != Anchor::File && !self.placed.contains_key(loc) {
                by_file.entry(loc.file).or_default().push(loc);
            }
        }
        let mut files: Vec<(u64, FileId, Vec<&Location>)> = by_file
            .into_par_iter()
            .map(|(file, mut locs)| {
                locs.sort_unstable();
                locs.dedup();
                let size = std::fs::metadata(self.path(file)).map_or(0, |m| m.len());
                (size, file, locs)
            })
            .collect();
        files.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let this = &*self;
        let placed: Vec<(Location, Position)> = files
            .into_iter()
            .par_bridge()
            .flat_map_iter(|(_, file, locs)| this.place_in_file(file, &locs))
            .collect();
        self.placed.extend(placed);
    }

    /// The positions of `locs`, all in `file`.
    fn place_in_file(&self, file: FileId, locs: &[&Location]) -> Vec<(Location, Position)> {
        let path = display_path(&self.path(file));
        let Some((text, utf16)) = read_text(&self.path(file)) else {
            return locs
                .iter()
                .map(|&l| (l.clone(), Position::whole(path.clone())))
                .collect();
        };
        let mut queries: Vec<(&JsonPath, bool)> =
            locs.iter().flat_map(|l| paths_tried(&l.anchor)).collect();
        queries.sort_unstable();
        queries.dedup();
        let found: HashMap<(&JsonPath, bool), Option<Range<usize>>> = queries
            .iter()
            .copied()
            .zip(locate_many(&text, &queries))
            .collect();
        let ranges: Vec<Option<Range<usize>>> = locs
            .iter()
            .map(|l| {
                range_of(&text, &l.anchor, |p, k| {
                    found.get(&(p, k)).cloned().flatten()
                })
            })
            .collect();
        // Lines are counted as far as the last place (and a byte on, where a `\r\n` may
        // end it): the places of an account dump are in its first part, before its
        // megabytes of AWS managed policies.
        let last = ranges.iter().flatten().map(|r| r.end).max().unwrap_or(0);
        let mut cut = last.saturating_add(2).min(text.len());
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        let lines = text.get(..cut).unwrap_or_default();
        let index = LineIndex::new(lines);
        locs.iter()
            .zip(ranges)
            .map(|(&l, range)| {
                let position = match range {
                    Some(range) => Position::at(path.clone(), lines, &index, utf16, range),
                    None => Position::whole(path.clone()),
                };
                (l.clone(), position)
            })
            .collect()
    }

    pub fn path(&self, file: FileId) -> PathBuf {
        self.inventory
            .file_path(file)
            .map(|p| p.to_path_buf())
            .unwrap_or_default()
    }

    /// Reads the files not read yet, in parallel, for snippets: only regular files, as
    /// the loaders read them (a FIFO would block), and only readable UTF-8 (BOM kept:
    /// ranges are into the file) or UTF-16 with a byte-order mark, decoded as the loaders
    /// decode it.
    pub fn load(&mut self, files: impl IntoIterator<Item = FileId>) {
        let mut wanted: Vec<FileId> = files
            .into_iter()
            .filter(|f| !self.texts.contains_key(f))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let read: Vec<(FileId, Option<String>)> = wanted
            .into_par_iter()
            .map(|file| (file, read_text(&self.path(file)).map(|(text, _)| text)))
            .collect();
        self.texts.extend(read);
    }

    /// The text of a file read by [`SourceCache::load`].
    pub fn text(&self, file: FileId) -> Option<&str> {
        self.texts.get(&file).and_then(|t| t.as_deref())
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

    /// A location's position, as [`SourceCache::place`] worked it out; the file as a
    /// whole for a location it was not given (and for one anchored to the file).
    pub fn position(&self, loc: &Location) -> Position {
        self.placed
            .get(loc)
            .cloned()
            .unwrap_or_else(|| Position::whole(display_path(&self.path(loc.file))))
    }
}

impl Position {
    /// The file as a whole.
    fn whole(path: String) -> Self {
        Position {
            path,
            range: None,
            file_range: None,
            start: (1, 1),
            end: (1, 1),
            start_utf16: 1,
            end_utf16: 1,
        }
    }

    /// `range` of `text` (indexed by `index`; a UTF-16 file's text when `utf16` is set).
    fn at(path: String, text: &str, index: &LineIndex, utf16: bool, range: Range<usize>) -> Self {
        let start = index.line_col(text, range.start);
        let end = index.line_col(text, range.end);
        // Two bytes a code unit, the byte-order mark being the text's first character.
        let file_range = if utf16 {
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

/// A file's text as the loaders read it, and whether it was UTF-16: UTF-8 as it is (NUL
/// bytes and all: a damaged config file is read byte for byte), UTF-16 decoded.
fn read_text(path: &std::path::Path) -> Option<(String, bool)> {
    let bytes = crate::sources::read_file(path, u64::MAX).ok()?;
    let utf16 = crate::sources::is_utf16(&bytes);
    let text = if utf16 {
        crate::sources::decode_file(&bytes).ok()?.into_owned()
    } else {
        String::from_utf8(bytes).ok()?
    };
    Some((text, utf16))
}

/// The byte range of `anchor` in `text`, JSON paths found by `locate` (as a value, or as
/// a key when its flag is set); None when it is not there (or not in the text).
fn range_of(
    text: &str,
    anchor: &Anchor,
    locate: impl Fn(&JsonPath, bool) -> Option<Range<usize>>,
) -> Option<Range<usize>> {
    let range = match anchor {
        Anchor::File => None,
        Anchor::Bytes { start, end } => Some(*start..*end),
        Anchor::Json { .. } => paths_tried(anchor).find_map(|(path, key)| locate(path, key)),
        Anchor::Embedded {
            url_encoded,
            inner,
            key,
            ..
        } => paths_tried(anchor)
            .find_map(|(path, key)| locate(path, key))
            .and_then(|outer| {
                locate_in_string(text, outer.clone(), *url_encoded, inner, *key)
                    .or_else(|| locate_in_string(text, outer.clone(), *url_encoded, inner, false))
                    // The inner path may not exist (a shape error); the string itself is
                    // still the right place to point at.
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
                locate_key(inner, path).or_else(|| locate_value(inner, path))
            } else {
                locate_value(inner, path)
            };
            // A path the text does not hold (a template made it) points at the text.
            Some(found.map_or(*start..*end, |r| r.start + start..r.end + start))
        }
    };
    range.filter(|r| r.start <= r.end && r.end <= text.len())
}

/// The JSON paths looked for to place `anchor` (as a key when the flag is set), in the
/// order they are tried: a key falls back to its value, and a document embedded in a
/// string is found through the string.
fn paths_tried(anchor: &Anchor) -> impl Iterator<Item = (&JsonPath, bool)> {
    let (first, then) = match anchor {
        Anchor::Json { path, key: true } => (Some((path, true)), Some((path, false))),
        Anchor::Json { path, key: false } => (Some((path, false)), None),
        Anchor::Embedded { string_at, .. } => (Some((string_at, false)), None),
        Anchor::File | Anchor::Bytes { .. } | Anchor::JsonIn { .. } => (None, None),
    };
    first.into_iter().chain(then)
}
