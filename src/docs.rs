//! The rule documents of `rules/*.md`, embedded at build time (see build.rs): the one
//! place rule names, default severities, summaries and prose come from.

use crate::finding::Severity;

/// One rule's document.
#[derive(Debug)]
pub struct RuleDoc {
    pub id: &'static str,
    /// Kebab-case name users see next to the id.
    pub name: &'static str,
    pub severity: &'static str,
    /// One line.
    pub summary: &'static str,
    /// Markdown body: what it does, why, example, fix, known limits, references.
    pub body: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

impl RuleDoc {
    /// The default severity (the front matter is checked by a test).
    pub fn default_severity(&self) -> Severity {
        self.severity.parse().unwrap_or(Severity::Warning)
    }

    /// The first paragraph of the document's "What it does" section, on one line (the
    /// summary when the document has no such section).
    pub fn description(&self) -> String {
        let Some(start) = self.body.find("## What it does") else {
            return self.summary.to_owned();
        };
        let rest = &self.body[start + "## What it does".len()..];
        let paragraph: Vec<&str> = rest
            .lines()
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(str::trim)
            .collect();
        if paragraph.is_empty() {
            self.summary.to_owned()
        } else {
            paragraph.join(" ")
        }
    }

    /// The rule's group, from its id's hundreds (see the README's rule table).
    pub fn group(&self) -> &'static str {
        match self.id.as_bytes().get(3) {
            Some(b'0') => "input",
            Some(b'1') => "trust",
            Some(b'2') => "chaining",
            Some(b'3') => "grammar",
            Some(b'4') => "profiles",
            Some(b'5') => "secrets",
            _ => "other",
        }
    }
}

/// The document for an id or a kebab-case name.
pub fn find(id_or_name: &str) -> Option<&'static RuleDoc> {
    RULE_DOCS
        .iter()
        .find(|d| d.id.eq_ignore_ascii_case(id_or_name) || d.name == id_or_name)
}

/// Whether a config or command-line entry names at least one rule: an id, an id prefix
/// (`IAM1`), a kebab-case name, or `ALL` (case-insensitive but for names).
pub fn names_some_rule(entry: &str) -> bool {
    let upper = entry.to_ascii_uppercase();
    entry.eq_ignore_ascii_case("ALL")
        || RULE_DOCS
            .iter()
            .any(|d| d.name == entry || (!entry.is_empty() && d.id.starts_with(&upper)))
}

/// The document of a registered rule id.
pub fn get(id: &str) -> Option<&'static RuleDoc> {
    RULE_DOCS.iter().find(|d| d.id == id)
}
