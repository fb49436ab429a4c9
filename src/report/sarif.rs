//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers, built with serde-sarif's
//! typed builders. Every rule is listed in `tool.driver.rules` with its document as help;
//! results carry exact regions (columns in UTF-16 code units, SARIF's default, stated
//! explicitly), related locations, chains as code flows and stable partial fingerprints.

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, CodeFlow, Invocation, Location, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Suppression, ThreadFlow,
    ThreadFlowLocation, Tool, ToolComponent,
};

use super::{Position, Resolved};
use crate::docs::RULE_DOCS;
use crate::finding::Severity;

/// Where SARIF consumers find the 2.1.0 schema.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI: &str = "https://github.com/iamlint/iamlint";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    }
}

fn level_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A relative path as a URI reference (RFC 3986): forward slashes, reserved bytes escaped.
fn path_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn location(pos: &Position, message: Option<&str>, id: Option<i64>) -> Location {
    let artifact = ArtifactLocation::builder().uri(path_uri(&pos.path)).build();
    let physical = match &pos.file_range {
        Some(range) => {
            let region = Region::builder()
                .start_line(pos.start.0 as i64)
                .start_column(pos.start_utf16 as i64)
                .end_line(pos.end.0 as i64)
                .end_column(pos.end_utf16 as i64)
                .byte_offset(range.start as i64)
                .byte_length((range.end - range.start) as i64)
                .build();
            PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(region)
                .build()
        }
        // A finding about the whole file (unreadable, empty, too large): GitHub code
        // scanning and the SARIF multitool want a region on every result location, so
        // point at the start of the file.
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(
                Region::builder()
                    .start_line(1)
                    .start_column(1)
                    .end_line(1)
                    .end_column(1)
                    .build(),
            )
            .build(),
    };
    match (message, id) {
        (Some(m), Some(id)) => Location::builder()
            .physical_location(physical)
            .message(Message::builder().text(m.to_owned()).build())
            .id(id)
            .build(),
        (Some(m), None) => Location::builder()
            .physical_location(physical)
            .message(Message::builder().text(m.to_owned()).build())
            .build(),
        _ => Location::builder().physical_location(physical).build(),
    }
}

fn rule_descriptors() -> Vec<ReportingDescriptor> {
    RULE_DOCS
        .iter()
        .map(|d| {
            let severity = d.default_severity();
            ReportingDescriptor::builder()
                .id(d.id)
                .name(d.name)
                .short_description(MultiformatMessageString::builder().text(d.summary).build())
                .full_description(MultiformatMessageString::builder().text(d.summary).build())
                .help(
                    MultiformatMessageString::builder()
                        .text(format!(
                            "{} (run `iamlint explain {}` for the full document)",
                            d.summary, d.id
                        ))
                        .markdown(d.body)
                        .build(),
                )
                .help_uri(format!("{INFO_URI}/blob/main/rules/{}.md", d.id))
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level_name(severity)))
                        .build(),
                )
                .properties(
                    PropertyBag::builder()
                        .tags(vec!["security".to_owned(), "iam".to_owned()])
                        .build(),
                )
                .build()
        })
        .collect()
}

fn result(r: &Resolved) -> SarifResult {
    let f = &r.finding;
    let rule_index = RULE_DOCS.iter().position(|d| d.id == f.rule).unwrap_or(0) as i64;
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    // The whole chain is in the code flow; related locations keep its ends, as messages do.
    let related: Vec<Location> = r
        .related_shown()
        .0
        .into_iter()
        .enumerate()
        .map(|(i, (pos, msg))| location(pos, Some(msg), Some(i as i64 + 1)))
        .collect();
    let mut fingerprints = std::collections::BTreeMap::new();
    fingerprints.insert("iamlint/v1".to_owned(), r.fingerprint.clone());
    let base = SarifResult::builder()
        .rule_id(f.rule)
        .rule_index(rule_index)
        .level(level(f.severity))
        .message(Message::builder().text(text).build())
        .locations(vec![location(&r.primary, None, None)])
        .partial_fingerprints(fingerprints);
    let code_flows = (!r.flow.is_empty()).then(|| {
        let steps: Vec<ThreadFlowLocation> = r
            .flow
            .iter()
            .enumerate()
            .map(|(i, (pos, msg))| {
                ThreadFlowLocation::builder()
                    .location(location(pos, Some(msg), None))
                    .execution_order(i as i64)
                    .build()
            })
            .collect();
        vec![CodeFlow::builder()
            .thread_flows(vec![ThreadFlow::builder().locations(steps).build()])
            .message(
                Message::builder()
                    .text("the chain of role switches")
                    .build(),
            )
            .build()]
    });
    let suppressions = r.suppressed.as_ref().map(|why| {
        vec![Suppression::builder()
            .kind(json!("external"))
            .justification(why.clone())
            .build()]
    });
    match (related.is_empty(), code_flows, suppressions) {
        (true, None, None) => base.build(),
        (false, None, None) => base.related_locations(related).build(),
        (empty, flows, sup) => {
            let mut res = base.build();
            if !empty {
                res.related_locations = Some(related);
            }
            res.code_flows = flows;
            res.suppressions = sup;
            res
        }
    }
}

/// The SARIF log for a run, as pretty JSON text ending in a newline. `notice` (see
/// [`super::no_input_notice`]) becomes a tool execution notification of the run's one
/// invocation; without it the run lists no invocation, as before.
pub fn render(results: &[Resolved], notice: Option<&str>) -> String {
    let driver = ToolComponent::builder()
        .name("iamlint")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFO_URI)
        .rules(rule_descriptors())
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results.iter().map(result).collect::<Vec<_>>())
        .column_kind(json!("utf16CodeUnits"))
        .build();
    if let Some(notice) = notice {
        // The scan itself went as it should: finding nothing to read is not a failure of
        // the tool, only something the user must be told.
        let note = Notification::builder()
            .level(json!("note"))
            .message(Message::builder().text(notice.to_owned()).build())
            .build();
        run.invocations = Some(vec![Invocation::builder()
            .execution_successful(true)
            .tool_execution_notifications(vec![note])
            .build()]);
    }
    let log = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|e| {
        // Serialising our own plain data cannot fail; say so if it ever does.
        format!("{{\"error\": \"cannot serialise SARIF: {e}\"}}")
    });
    text.push('\n');
    text
}
