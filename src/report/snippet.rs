//! Source text for miette snippets that stays readable on minified files: `terraform show
//! -json` and account dumps are often one line of megabytes, and a snippet must not print
//! it whole. Lines longer than [`MAX_LINE`] are cropped around the span; everything else is
//! shown as miette would show it.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Longest line shown whole, in bytes.
pub const MAX_LINE: usize = 240;
/// Bytes kept on each side of the span when cropping.
const MARGIN: usize = 60;

/// A file's text (masked as the report shows it) with where its lines break, worked out
/// once per file and shared by every finding shown in it: a snippet then costs a few
/// binary searches, never a pass over the file, so a report with many findings in one
/// large file stays linear in its size.
pub struct SnippetText {
    text: Arc<str>,
    /// Offsets of every `\n`.
    newlines: Vec<usize>,
    /// Offsets of every byte miette counts as ending a line: a `\n`, or a `\r` on its own
    /// (`\r\n` is one break).
    breaks: Vec<usize>,
}

impl SnippetText {
    pub fn new(text: Arc<str>) -> Self {
        let b = text.as_bytes();
        let newlines: Vec<usize> = memchr::memchr_iter(b'\n', b).collect();
        let breaks = memchr::memchr2_iter(b'\n', b'\r', b)
            .filter(|&i| b[i] == b'\n' || b.get(i + 1) != Some(&b'\n'))
            .collect();
        SnippetText {
            text,
            newlines,
            breaks,
        }
    }

    /// How many `\n` come before offset `at`.
    fn newlines_before(&self, at: usize) -> usize {
        self.newlines.partition_point(|&i| i < at)
    }

    /// The start of the line `n` lines above the one holding `at` (or of the text).
    fn nth_line_start_before(&self, at: usize, n: usize) -> usize {
        let k = self.newlines_before(at.min(self.text.len()));
        k.checked_sub(n + 1)
            .and_then(|j| self.newlines.get(j))
            .map_or(0, |i| i + 1)
    }

    /// The end (after the line break) of the line `n` lines below the one holding `at`
    /// (or of the text).
    fn nth_line_end_after(&self, at: usize, n: usize) -> usize {
        let k = self.newlines_before(at.min(self.text.len()));
        self.newlines.get(k + n).map_or(self.text.len(), |i| i + 1)
    }

    /// How many lines miette counts before offset `at`, reading the text up to `at` only:
    /// a `\n`, or a `\r` on its own, ends a line.
    fn lines_before(&self, at: usize) -> usize {
        let b = self.text.as_bytes();
        let counted = self.breaks.partition_point(|&i| i < at);
        // Cut at `at`, a `\r` just before it has no `\n` after it any more.
        let cut_pair = at > 0 && b.get(at - 1) == Some(&b'\r') && b.get(at) == Some(&b'\n');
        counted + usize::from(cut_pair)
    }
}

/// A file's text as a miette source, with its name.
pub struct CroppedSource {
    name: String,
    source: Arc<SnippetText>,
}

impl CroppedSource {
    pub fn new(name: String, source: Arc<SnippetText>) -> Self {
        CroppedSource { name, source }
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl SourceCode for CroppedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let src = &*self.source;
        let text: &str = &src.text;
        let start = span.offset().min(text.len());
        let end = (start + span.len()).min(text.len());
        let (before_start, before_end) = (src.newlines_before(start), src.newlines_before(end));
        let line_start = before_start
            .checked_sub(1)
            .and_then(|j| src.newlines.get(j))
            .map_or(0, |i| i + 1);
        let line_end = src.newlines.get(before_end).copied().unwrap_or(text.len());
        let one_line = before_start == before_end;
        if !one_line || line_end - line_start <= MAX_LINE {
            // miette finds line numbers by reading from the start of the source: hand it a
            // window of a few lines around the span (enough for its context lines), then
            // put the window's offset and line count back. Files of megabytes then cost
            // what their snippet costs.
            let from = src.nth_line_start_before(start, before + 2);
            let to = src.nth_line_end_after(end, after + 2);
            let window = text.get(from..to).unwrap_or_default();
            let inner = window.read_span(
                &SourceSpan::from((start - from, end - start)),
                before,
                after,
            )?;
            let data = inner.data();
            let skipped = src.lines_before(from);
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                data,
                SourceSpan::from((inner.span().offset() + from, inner.span().len())),
                inner.line() + skipped,
                inner.column(),
                // miette counts the lines it read from the start of the source.
                inner.line_count() + skipped,
            )));
        }
        // One long line: show only the span and a margin around it.
        let from = floor_boundary(text, start.saturating_sub(MARGIN).max(line_start));
        let to = ceil_boundary(text, (end + MARGIN).min(line_end));
        let line = src.lines_before(from);
        let column = text.get(line_start..from).map_or(0, |t| t.chars().count());
        let data = text.get(from..to).unwrap_or_default().as_bytes();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::from((from, to - from)),
            line,
            column,
            1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> CroppedSource {
        CroppedSource::new("f".into(), Arc::new(SnippetText::new(Arc::from(text))))
    }

    #[test]
    fn crops_long_lines_around_the_span() {
        let text = format!("{{\"a\": \"{}\", \"b\": \"target\"}}", "x".repeat(5000));
        let at = text.find("target").unwrap();
        let src = source(&text);
        let c = src.read_span(&SourceSpan::from((at, 6)), 1, 1).unwrap();
        assert!(c.data().len() <= 6 + 2 * MARGIN);
        assert_eq!(c.span().offset() + (at - c.span().offset()), at);
        assert_eq!(c.line(), 0);
        assert!(std::str::from_utf8(c.data()).unwrap().contains("target"));
    }

    #[test]
    fn windows_give_what_the_whole_text_gives() {
        let mut text = String::new();
        for i in 0..40 {
            let end = if i % 3 == 0 { "\r\n" } else { "\n" };
            text.push_str(&format!("  \"key{i}\": \"value {i}\",{end}"));
        }
        let src = source(&text);
        for (at, len) in [(0, 1), (5, 3), (200, 40), (431, 2), (text.len() - 3, 2)] {
            for (before, after) in [(0, 0), (1, 1), (2, 3), (3, 0)] {
                let span = SourceSpan::from((at, len));
                let whole = text.as_str().read_span(&span, before, after).unwrap();
                let got = src.read_span(&span, before, after).unwrap();
                assert_eq!(got.data(), whole.data(), "{at} {before} {after}");
                assert_eq!(got.span(), whole.span());
                assert_eq!(got.line(), whole.line());
                assert_eq!(got.column(), whole.column());
                assert_eq!(got.line_count(), whole.line_count());
            }
        }
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n}\n".to_owned();
        let at = text.find('2').unwrap();
        let src = source(&text);
        let c = src.read_span(&SourceSpan::from((at, 1)), 1, 1).unwrap();
        assert_eq!(
            std::str::from_utf8(c.data()).unwrap(),
            "  \"a\": 1,\n  \"b\": 2\n}\n"
        );
    }
}
