//! The JSON output: a small, documented, stable schema for scripts (see README, "JSON
//! output"). Field names never change within a `version`; new fields may be added.

use serde::Serialize;

use super::{Counts, Position, Resolved};
use crate::docs;
use crate::finding::Severity;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    /// Messages about the run as a whole (a scan that found no IAM input); left out when
    /// there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notifications: Vec<Notification<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: Severity,
    message: &'a str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    suppressed: usize,
}

#[derive(Serialize)]
struct Point {
    line: usize,
    column: usize,
    offset: Option<usize>,
}

#[derive(Serialize)]
struct Place<'a> {
    path: &'a str,
    start: Point,
    end: Point,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(flatten)]
    place: Place<'a>,
    related: Vec<Place<'a>>,
    chain: Vec<Place<'a>>,
    fingerprint: &'a str,
    suppressed: Option<&'a str>,
}

fn place<'a>(p: &'a Position, message: Option<&'a str>) -> Place<'a> {
    Place {
        path: &p.path,
        start: Point {
            line: p.start.0,
            column: p.start.1,
            offset: p.file_range.as_ref().map(|r| r.start),
        },
        end: Point {
            line: p.end.0,
            column: p.end.1,
            offset: p.file_range.as_ref().map(|r| r.end),
        },
        message,
    }
}

/// The JSON document for a run, ending in a newline; `notice` (see
/// [`super::no_input_notice`]) becomes a notification.
pub fn render(results: &[Resolved], files_scanned: usize, notice: Option<&str>) -> String {
    let counts = Counts::of(results);
    let out = Output {
        version: 1,
        tool: Tool {
            name: "iamlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files_scanned,
            errors: counts.error,
            warnings: counts.warning,
            notes: counts.note,
            suppressed: results.iter().filter(|r| r.suppressed.is_some()).count(),
        },
        notifications: notice
            .iter()
            .map(|message| Notification {
                level: Severity::Note,
                message,
            })
            .collect(),
        findings: results
            .iter()
            .map(|r| JsonFinding {
                rule: r.finding.rule,
                name: docs::get(r.finding.rule).map_or("", |d| d.name),
                severity: r.finding.severity,
                message: &r.finding.message,
                help: r.finding.help.as_deref(),
                place: place(&r.primary, None),
                related: r.labels.iter().map(|(p, m)| place(p, Some(m))).collect(),
                chain: r.flow.iter().map(|(p, m)| place(p, Some(m))).collect(),
                fingerprint: &r.fingerprint,
                suppressed: r.suppressed.as_deref(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&out)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialise findings: {e}\"}}"));
    text.push('\n');
    text
}
