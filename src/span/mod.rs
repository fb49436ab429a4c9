//! Source positions for findings. The linter keeps only a [`JsonPath`] for each value it
//! checks; this module turns such a path back into an exact byte range of the original text
//! (and into line/column) only when a finding is actually reported. It walks the raw text
//! itself instead of relying on a parser's spans, so it also works for documents embedded as
//! JSON strings (Terraform) or percent-encoded (`get-account-authorization-details`), mapping
//! offsets through every layer of escaping back to the bytes in the file.

use std::ops::Range;

use crate::model::path::{JsonPath, PathSeg};
use many_paths::walk_levels;
use one_path::{walk, Tracker};

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

mod decode;
mod lex;
mod lines;
mod many_paths;
mod one_path;
#[cfg(test)]
mod tests;

pub use decode::{decode_json_string, decode_url, decode_url_text, Decoded};
pub use lines::LineIndex;
