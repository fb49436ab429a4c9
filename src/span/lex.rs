//! The pieces of JSON text the walks read: whitespace, strings and their escapes,
//! literals, numbers, and whole containers skipped unread.

use std::ops::Range;

/// Writes `n` in decimal into `buf` without allocating.
pub(super) fn format_usize(mut n: usize, buf: &mut [u8; 20]) -> &str {
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
pub(super) fn literal_eq(text: &str, lit: Range<usize>, want: &str) -> bool {
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

pub(super) fn skip_ws(b: &[u8], mut i: usize) -> usize {
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
pub(super) fn skip_container(b: &[u8], mut i: usize) -> Option<usize> {
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
pub(super) fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
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
pub(super) fn skip_string(b: &[u8], i: usize) -> Option<usize> {
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
pub(super) fn escape_at(b: &[u8], i: usize) -> Option<(char, usize)> {
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

pub(super) fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let digits = b.get(i..i + 4)?;
    digits
        .iter()
        .try_fold(0u32, |acc, &d| Some(acc << 4 | u32::from(hex_val(d)?)))
}

pub(super) fn hex_val(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

pub(super) fn skip_literal(b: &[u8], i: usize, lit: &[u8]) -> Option<usize> {
    let end = i + lit.len();
    (b.get(i..end)? == lit).then_some(end)
}

/// Validates a JSON number starting at `i` and returns the offset after it.
pub(super) fn skip_number(b: &[u8], mut i: usize) -> Option<usize> {
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
