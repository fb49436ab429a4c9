//! `--format concise`: one line per finding, `path:line:col: ID name message`, as ruff's
//! concise output, for grep, editors' quickfix lists and quick reading. Suppressed findings
//! are left out; help and related places are not shown (`--format human` shows them).

use super::Resolved;

/// One line per unsuppressed finding, then (unless the caller filters it out) a summary
/// line starting with `iamlint: `, as human output's.
pub fn render(results: &[Resolved], notice: Option<&str>) -> String {
    let mut out = String::new();
    let mut shown = 0usize;
    for r in results.iter().filter(|r| r.suppressed.is_none()) {
        let f = &r.finding;
        let name = crate::docs::get(f.rule).map_or("", |d| d.name);
        // Text from the input (a path, a profile name) may hold control characters and
        // line breaks: written as human output writes them, the finding stays one line.
        let message = super::human::escape_path(&f.message).replace(['\n', '\r'], " ");
        out.push_str(&format!(
            "{}:{}:{}: {} {} {}\n",
            super::human::escape_path(&r.primary.path),
            r.primary.start.0,
            r.primary.start.1,
            f.rule,
            name,
            message
        ));
        shown += 1;
    }
    if let Some(notice) = notice {
        out.push_str(&format!("iamlint: {notice}\n"));
    }
    let noun = if shown == 1 { "finding" } else { "findings" };
    out.push_str(&format!("iamlint: {shown} {noun}\n"));
    out
}
