//! Line and column of a byte offset.

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
pub(super) const CHECKPOINT: usize = 1024;

/// Characters and UTF-16 code units that start in `bytes`: every byte but a UTF-8
/// continuation byte starts a character, and a four-byte one is two UTF-16 units.
pub(super) fn units(bytes: &[u8]) -> (usize, usize) {
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
