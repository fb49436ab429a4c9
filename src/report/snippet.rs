//! Source text for miette snippets that stays readable on minified files: `terraform show
//! -json` and account dumps are often one line of megabytes, and a snippet must not print
//! it whole. Lines longer than [`MAX_LINE`] are cropped around the span; everything else is
//! shown as miette would show it.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Longest line shown whole, in bytes.
pub const MAX_LINE: usize = 240;
/// Bytes kept on each side of the span when cropping.
const MARGIN: usize = 60;

/// A file's text as a miette source, with its name.
pub struct CroppedSource {
    name: String,
    text: String,
}

impl CroppedSource {
    pub fn new(name: String, text: String) -> Self {
        CroppedSource { name, text }
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
        let text = self.text.as_str();
        let start = span.offset().min(text.len());
        let end = (start + span.len()).min(text.len());
        let line_start = text
            .get(..start)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = text
            .get(end..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| end + i);
        let one_line = !text.get(start..end).unwrap_or_default().contains('\n');
        if !one_line || line_end - line_start <= MAX_LINE {
            let inner = text.read_span(span, before, after)?;
            let data = inner.data();
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                data,
                *inner.span(),
                inner.line(),
                inner.column(),
                inner.line_count(),
            )));
        }
        // One long line: show only the span and a margin around it.
        let from = floor_boundary(text, start.saturating_sub(MARGIN).max(line_start));
        let to = ceil_boundary(text, (end + MARGIN).min(line_end));
        let line = text.get(..from).map_or(0, |t| t.matches('\n').count());
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

    #[test]
    fn crops_long_lines_around_the_span() {
        let text = format!("{{\"a\": \"{}\", \"b\": \"target\"}}", "x".repeat(5000));
        let at = text.find("target").unwrap();
        let src = CroppedSource::new("f".into(), text.clone());
        let c = src.read_span(&SourceSpan::from((at, 6)), 1, 1).unwrap();
        assert!(c.data().len() <= 6 + 2 * MARGIN);
        assert_eq!(c.span().offset() + (at - c.span().offset()), at);
        assert_eq!(c.line(), 0);
        assert!(std::str::from_utf8(c.data()).unwrap().contains("target"));
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n}\n".to_owned();
        let at = text.find('2').unwrap();
        let src = CroppedSource::new("f".into(), text.clone());
        let c = src.read_span(&SourceSpan::from((at, 1)), 1, 1).unwrap();
        assert_eq!(
            std::str::from_utf8(c.data()).unwrap(),
            "  \"a\": 1,\n  \"b\": 2\n}\n"
        );
    }
}
