//! Human output: one miette diagnostic per finding, with the source snippet, a label on the
//! exact value, related places, the rule id and name, and the help line; then a summary.
//! Colour only on a terminal (the caller decides). Snippets never show secrets: values the
//! loaders marked are masked, a finding marked `redact` is shown without source, and so is
//! every finding in a file not parsed as its expected format (`SourceCache::snippet_texts`).

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report,
    Severity as MietteSeverity,
};

use rayon::prelude::*;

use std::borrow::Cow;
use std::sync::Arc;

use foldhash::HashMap;

use super::snippet::{CroppedSource, SnippetText};
use super::{Counts, Position, Resolved, SourceCache};
use crate::docs;
use crate::finding::Severity;
use crate::model::location::FileId;

fn miette_severity(s: Severity) -> MietteSeverity {
    match s {
        Severity::Error => MietteSeverity::Error,
        Severity::Warning => MietteSeverity::Warning,
        Severity::Note => MietteSeverity::Advice,
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Renders every unsuppressed finding and a summary line, which ends with `notice` (see
/// [`super::no_input_notice`]) when there is one.
pub fn render(
    results: &[Resolved],
    cache: &mut SourceCache,
    color: bool,
    files_scanned: usize,
    elapsed: Option<std::time::Duration>,
    notice: Option<&str>,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    // Findings are rendered in parallel (miette's layout is the cost on large reports),
    // then joined in order; the files their snippets show are read first.
    let shown: Vec<&Resolved> = results.iter().filter(|r| r.suppressed.is_none()).collect();
    // Only findings that show a snippet: not a file as a whole (which may be oversized or
    // unreadable), and not a file whose text may not be shown at all.
    let snippet_files: Vec<FileId> = shown
        .iter()
        .filter(|r| {
            r.primary.range.is_some()
                && !r.finding.redact
                && cache.shows_source(r.finding.primary.file)
        })
        .map(|r| r.finding.primary.file)
        .collect();
    cache.load(snippet_files.iter().copied());
    let cache = &*cache;
    // Each file is masked and indexed once, however many findings it shows.
    let sources: HashMap<FileId, Arc<SnippetText>> = cache
        .snippet_texts(snippet_files)
        .into_par_iter()
        .map(|(file, text)| (file, Arc::new(SnippetText::new(text))))
        .collect();
    let parts: Vec<String> = shown
        .par_iter()
        .map(|r| {
            let mut one = String::new();
            render_one(r, &sources, &handler, &mut one);
            one
        })
        .collect();
    let mut out = parts.concat();
    let counts = Counts::of(results);
    let suppressed = results.iter().filter(|r| r.suppressed.is_some()).count();
    let mut summary = format!(
        "iamlint: {} scanned: {}, {}, {}",
        plural(files_scanned, "file"),
        plural(counts.error, "error"),
        plural(counts.warning, "warning"),
        plural(counts.note, "note"),
    );
    if suppressed > 0 {
        summary.push_str(&format!(" ({suppressed} suppressed)"));
    }
    if let Some(t) = elapsed {
        summary.push_str(&format!(" in {:.2}s", t.as_secs_f64()));
    }
    if let Some(notice) = notice {
        summary.push_str("; ");
        summary.push_str(notice);
    }
    out.push_str(&summary);
    out.push('\n');
    out
}

fn label(pos: &Position, message: &str, primary: bool) -> Option<LabeledSpan> {
    let range = pos.range.clone()?;
    let span = (range.start, range.end - range.start);
    Some(if primary {
        LabeledSpan::new_primary_with_span(Some(message.to_owned()), span)
    } else {
        LabeledSpan::new_with_span(Some(message.to_owned()), span)
    })
}

/// A path, or any text from the input (a profile or role name in a message), as human
/// output prints it: control characters (a newline, a tab, ESC) and the bidirectional-text
/// controls are written as escapes (`\n`, `\u{1b}`), so it can neither forge lines of the
/// report nor send the terminal escape sequences. SARIF percent-encodes the same
/// characters in its URIs, and JSON escapes them in strings.
pub fn escape_path(path: &str) -> Cow<'_, str> {
    if !path.chars().any(needs_escape) {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else if needs_escape(c) {
            // The bidi controls: written out whatever `escape_debug` makes of them (it
            // escapes them in some Rust versions and not in others).
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Control characters, and the bidirectional overrides and isolates (U+202A..U+202E,
/// U+2066..U+2069) that can make text read differently from what it is.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn render_one(
    r: &Resolved,
    sources: &HashMap<FileId, Arc<SnippetText>>,
    handler: &GraphicalReportHandler,
    out: &mut String,
) {
    let f = &r.finding;
    let name = docs::get(f.rule).map_or("", |d| d.name);
    let p = &r.primary;
    let path = escape_path(&p.path);
    let heading = format!(
        "{path}:{}:{}: {}",
        p.start.0,
        p.start.1,
        escape_path(&f.message)
    );
    let mut diag = MietteDiagnostic::new(heading)
        .with_code(format!("{}({name})", f.rule))
        .with_severity(miette_severity(f.severity));
    if let Some(help) = &f.help {
        diag = diag.with_help(escape_path(help).into_owned());
    }
    let file = f.primary.file;
    let mut labels: Vec<LabeledSpan> = label(p, "here", true).into_iter().collect();
    // Related places in the same file are labelled in the snippet; others are listed.
    let mut elsewhere = Vec::new();
    let (related, hidden) = r.related_shown();
    for (pos, msg) in related {
        if pos == p {
            // The primary label already marks this place.
            continue;
        }
        let msg = escape_path(msg);
        if pos.path == p.path && pos.range.is_some() {
            labels.extend(label(pos, &msg, false));
        } else {
            elsewhere.push(format!(
                "  = {msg}: {}:{}:{}",
                escape_path(&pos.path),
                pos.start.0,
                pos.start.1
            ));
        }
    }
    if hidden > 0 {
        elsewhere.push(format!(
            "  = … {hidden} more related places (the SARIF code flow and the JSON chain list every one)"
        ));
    }
    // A finding whose own span may be secret shows no source at all; any other snippet
    // comes with secret values masked (they can sit on the context lines).
    let source = if p.range.is_some() && !f.redact {
        sources.get(&file)
    } else {
        None
    };
    let report = match source {
        Some(source) => {
            diag = diag.with_labels(labels);
            Report::new(diag)
                .with_source_code(CroppedSource::new(path.into_owned(), Arc::clone(source)))
        }
        None => Report::new(diag),
    };
    let mut buf = String::new();
    if handler.render_report(&mut buf, report.as_ref()).is_err() {
        buf = format!("{}: {}\n", f.rule, escape_path(&f.message));
    }
    out.push_str(&buf);
    for line in elsewhere {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
}
