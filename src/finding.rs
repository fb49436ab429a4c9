//! What a rule (or a loader, for a bad file) reports: a rule id, a one-line message, the
//! primary location, related locations and an optional chain. Findings hold locations,
//! not positions; reporters resolve them to lines and columns.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::model::location::Location;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "note" | "info" => Ok(Severity::Note),
            "warning" | "warn" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected error, warning or note)"
            )),
        }
    }
}

/// A secondary location with what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub loc: Location,
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Rule id (`IAM101`).
    pub rule: &'static str,
    pub severity: Severity,
    /// Lower case, no trailing period; states the fact.
    pub message: String,
    pub primary: Location,
    pub labels: Vec<Label>,
    /// Advice: what to do about it.
    pub help: Option<String>,
    /// For chains: the hops in order (SARIF `codeFlows`).
    pub flow: Vec<Label>,
    /// Text that identifies this finding apart from its line (an ARN, a JSON path, a
    /// profile name): with the rule id and file path it makes the stable fingerprint, so
    /// baselines survive lines moving.
    pub identity: String,
    /// The primary span may hold a secret: reporters show where it is, never its text
    /// (the human report prints no source snippet for it).
    pub redact: bool,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        primary: Location,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            severity,
            message: message.into(),
            primary,
            labels: Vec::new(),
            help: None,
            flow: Vec::new(),
            identity: String::new(),
            redact: false,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, loc: Location, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            loc,
            message: message.into(),
        });
        self
    }

    pub fn with_identity(mut self, identity: impl Into<String>) -> Self {
        self.identity = identity.into();
        self
    }

    /// Marks the primary span as possibly secret: no reporter prints its text.
    pub fn redacted(mut self) -> Self {
        self.redact = true;
        self
    }

    pub fn with_flow(mut self, flow: Vec<Label>) -> Self {
        self.flow = flow;
        self
    }
}
