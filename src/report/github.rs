//! GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), which show
//! as annotations on pull requests.

use super::Resolved;
use crate::finding::Severity;

/// Escapes a property value of a workflow command.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes the message of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes the file of a workflow command. A line break goes as the runner's own escape
/// (`%0A`, which it decodes back, so the annotation still lands on the file); any other
/// control character is written as human output writes it (`\u{1b}`), so a file name
/// cannot send escape sequences to the log.
fn escape_file(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut buf = [0u8; 4];
    for c in path.chars() {
        if matches!(c, '\r' | '\n') {
            out.push(c);
        } else {
            out.push_str(&super::human::escape_path(c.encode_utf8(&mut buf)));
        }
    }
    escape_property(&out)
}

/// One line per unsuppressed finding.
pub fn render(results: &[Resolved], notice: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(notice) = notice {
        // Not about a file: a workflow notice without a position.
        out.push_str(&format!(
            "::notice title=iamlint::{}\n",
            escape_data(notice)
        ));
    }
    for r in results.iter().filter(|r| r.suppressed.is_none()) {
        let f = &r.finding;
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        // Text from the input (a profile name) may hold control characters: written out
        // as human output writes them, so none reaches the log raw.
        let mut message = super::human::escape_path(&f.message).into_owned();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(&super::human::escape_path(help));
        }
        out.push_str(&format!(
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_file(&r.primary.path),
            r.primary.start.0,
            r.primary.start.1,
            r.primary.end.0,
            r.primary.end.1,
            escape_property(&format!(
                "{} {}",
                f.rule,
                crate::docs::get(f.rule).map_or("", |d| d.name)
            )),
            escape_data(&message)
        ));
    }
    out
}
