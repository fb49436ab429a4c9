//! Decoding of JSON string literals and percent-encoded text, each with a map from
//! every decoded byte back to the raw text it came from.

use std::ops::Range;

use super::lex::{escape_at, hex_val};

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
pub(super) fn decode_url_noting(raw: &str, mut note: impl FnMut(usize)) -> Option<String> {
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
