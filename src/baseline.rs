//! Baselines: `--write-baseline FILE` records the fingerprints of today's findings, and
//! `--baseline FILE` reports only findings whose fingerprint is not recorded. Fingerprints
//! hash the rule, the path and what the finding is about (never its line), so findings
//! survive lines moving.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::RunError;
use crate::report::Resolved;

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    fingerprints: BTreeSet<String>,
}

/// The baseline file for these findings (sorted, so it diffs cleanly).
pub fn write(results: &[Resolved]) -> String {
    let file = BaselineFile {
        version: 1,
        fingerprints: results.iter().map(|r| r.fingerprint.clone()).collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// The fingerprints recorded in a baseline file.
pub fn read(path: &Path) -> Result<BTreeSet<String>, RunError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| RunError::Usage(format!("cannot read baseline {}: {e}", path.display())))?;
    let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
        RunError::Usage(format!(
            "baseline {} is not an iamlint baseline: {e}",
            path.display()
        ))
    })?;
    Ok(file.fingerprints)
}
