//! Human output: one miette diagnostic per finding, with the source snippet, a label on the
//! exact value, related places, the rule id and name, and the help line; then a summary.
//! Colour only on a terminal (the caller decides). Snippets never show secrets: values the
//! loaders marked are masked, a finding marked `redact` is shown without source, and so is
//! every finding in a file not parsed as its expected format (`SourceCache::snippet_text`).

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report,
    Severity as MietteSeverity,
};

use rayon::prelude::*;

use super::snippet::CroppedSource;
use super::{Counts, Position, Resolved, SourceCache};
use crate::docs;
use crate::finding::Severity;

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

/// Renders every unsuppressed finding and a summary line.
pub fn render(
    results: &[Resolved],
    cache: &mut SourceCache,
    color: bool,
    files_scanned: usize,
    elapsed: Option<std::time::Duration>,
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
    let wanted: Vec<_> = shown
        .iter()
        // Only findings that show a snippet (not a file as a whole, which may be
        // oversized or unreadable).
        .filter(|r| {
            r.primary.range.is_some()
                && !r.finding.redact
                && cache.shows_source(r.finding.primary.file)
        })
        .map(|r| r.finding.primary.file)
        .collect();
    cache.load(wanted);
    let cache = &*cache;
    let parts: Vec<String> = shown
        .par_iter()
        .map(|r| {
            let mut one = String::new();
            render_one(r, cache, &handler, &mut one);
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

fn render_one(
    r: &Resolved,
    cache: &SourceCache,
    handler: &GraphicalReportHandler,
    out: &mut String,
) {
    let f = &r.finding;
    let name = docs::get(f.rule).map_or("", |d| d.name);
    let p = &r.primary;
    let heading = format!("{}:{}:{}: {}", p.path, p.start.0, p.start.1, f.message);
    let mut diag = MietteDiagnostic::new(heading)
        .with_code(format!("{}({name})", f.rule))
        .with_severity(miette_severity(f.severity));
    if let Some(help) = &f.help {
        diag = diag.with_help(help.clone());
    }
    let file = f.primary.file;
    let mut labels: Vec<LabeledSpan> = label(p, "here", true).into_iter().collect();
    // Related places in the same file are labelled in the snippet; others are listed.
    let mut elsewhere = Vec::new();
    for (pos, msg) in r.labels.iter().chain(r.flow.iter()) {
        if pos == p {
            // The primary label already marks this place.
            continue;
        }
        if pos.path == p.path && pos.range.is_some() {
            labels.extend(label(pos, msg, false));
        } else {
            elsewhere.push(format!(
                "  = {msg}: {}:{}:{}",
                pos.path, pos.start.0, pos.start.1
            ));
        }
    }
    // A finding whose own span may be secret shows no source at all; any other snippet
    // comes with secret values masked (they can sit on the context lines).
    let text = if p.range.is_some() && !f.redact {
        cache.snippet_text(file)
    } else {
        None
    };
    let report = match text {
        Some(text) => {
            diag = diag.with_labels(labels);
            Report::new(diag).with_source_code(CroppedSource::new(p.path.clone(), text))
        }
        None => Report::new(diag),
    };
    let mut buf = String::new();
    if handler.render_report(&mut buf, report.as_ref()).is_err() {
        buf = format!("{}: {}\n", f.rule, f.message);
    }
    out.push_str(&buf);
    for line in elsewhere {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
}
