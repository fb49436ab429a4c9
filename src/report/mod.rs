//! Turns findings into output. Locations are resolved here, once, into paths, byte
//! ranges, lines and columns (`crate::span` finds the exact JSON value), then findings are
//! sorted so that output never depends on the thread count. One module per format.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod snippet;
mod source_cache;

pub use source_cache::SourceCache;

use std::ops::Range;

use rayon::prelude::*;

use crate::finding::{shorten, Finding, Severity};
use crate::model::location::{Anchor, Location};

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

/// Resolves and sorts findings (see [`sort`]): every place they show is worked out in
/// one visit to its file ([`SourceCache::place`]), files in parallel.
pub fn resolve(findings: Vec<Finding>, cache: &mut SourceCache) -> Vec<Resolved> {
    cache.place(findings.iter().flat_map(places));
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
