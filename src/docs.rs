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
}

/// The document for an id or a kebab-case name.
pub fn find(id_or_name: &str) -> Option<&'static RuleDoc> {
    RULE_DOCS
        .iter()
        .find(|d| d.id.eq_ignore_ascii_case(id_or_name) || d.name == id_or_name)
}

/// The document of a registered rule id.
pub fn get(id: &str) -> Option<&'static RuleDoc> {
    RULE_DOCS.iter().find(|d| d.id == id)
}
