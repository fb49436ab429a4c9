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

/// How many items a message or a report shows at each end of a long list (a chain's hops,
/// a loop's profiles); the rest are counted, never listed.
pub const SHOWN_AT_EACH_END: usize = 3;

/// The part of a list of unbounded length that people are shown: a short list whole, a
/// long one as its first and last [`SHOWN_AT_EACH_END`] items with the number left out
/// between them. Messages and report labels cut lists here, so that what a finding prints
/// stays the same size however long its chain is; SARIF `codeFlows` and the JSON `chain`
/// keep the whole list.
pub fn shorten<T>(items: &[T]) -> (&[T], usize, &[T]) {
    // Leaving out a single item would say "… 1 more …" where the item itself fits.
    if items.len() <= 2 * SHOWN_AT_EACH_END + 1 {
        return (items, 0, &[]);
    }
    let (head, rest) = items.split_at(SHOWN_AT_EACH_END);
    let (middle, tail) = rest.split_at(rest.len() - SHOWN_AT_EACH_END);
    (head, middle.len(), tail)
}

/// Joins a list for a message with `sep`, shortened as [`shorten`] does:
/// `` `a` → `b` → `c` → … 49994 more … → `x` → `y` → `z` ``.
pub fn join_shortened<T: fmt::Display>(items: &[T], sep: &str) -> String {
    use fmt::Write as _;
    let (head, hidden, tail) = shorten(items);
    let mut out = String::new();
    let mut first = true;
    let mut push = |out: &mut String, item: &dyn fmt::Display| {
        if !first {
            out.push_str(sep);
        }
        first = false;
        let _ = write!(out, "{item}");
    };
    for item in head {
        push(&mut out, item);
    }
    if hidden > 0 {
        push(&mut out, &format_args!("… {hidden} more …"));
    }
    for item in tail {
        push(&mut out, item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_are_whole() {
        let items: Vec<usize> = (0..7).collect();
        assert_eq!(shorten(&items), (&items[..], 0, &[][..]));
        assert_eq!(join_shortened(&items, " → "), "0 → 1 → 2 → 3 → 4 → 5 → 6");
        assert_eq!(join_shortened::<usize>(&[], ", "), "");
    }

    #[test]
    fn long_lists_keep_their_ends_and_count_the_rest() {
        let items: Vec<usize> = (0..50_001).collect();
        let (head, hidden, tail) = shorten(&items);
        assert_eq!(head, &[0, 1, 2]);
        assert_eq!(hidden, 49_995);
        assert_eq!(tail, &[49_998, 49_999, 50_000]);
        assert_eq!(
            join_shortened(&items, " -> "),
            "0 -> 1 -> 2 -> … 49995 more … -> 49998 -> 49999 -> 50000"
        );
        let eight: Vec<usize> = (0..8).collect();
        assert_eq!(join_shortened(&eight, ","), "0,1,2,… 2 more …,5,6,7");
    }
}
