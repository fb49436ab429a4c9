//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers, built with serde-sarif's
//! typed builders. Every rule is listed in `tool.driver.rules` with its document as help;
//! results carry exact regions (columns in UTF-16 code units, SARIF's default, stated
//! explicitly), related locations, chains as code flows and stable partial fingerprints.
//!
//! What GitHub code scanning reads beside that: each rule's `security-severity` (see
//! [`security_severity`] and the README's "SARIF" section), tags, precision, help URI and
//! full description; the run's category (`automationDetails.id`); and artifact URIs
//! relative to `%SRCROOT%`, the folder iamlint ran in.

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, CodeFlow, Invocation, Location, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, RunAutomationDetails, Sarif,
    Suppression, ThreadFlow, ThreadFlowLocation, Tool, ToolComponent,
};

use super::{Position, Resolved};
use crate::docs::{RuleDoc, RULE_DOCS};
use crate::finding::Severity;

/// Where SARIF consumers find the 2.1.0 schema.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI: &str = "https://github.com/iamlint/iamlint";

/// The base every artifact URI is relative to: the folder iamlint ran in.
pub const SRCROOT: &str = "%SRCROOT%";

/// The category of a run when `--sarif-category` is not given.
pub const DEFAULT_CATEGORY: &str = "iamlint";

/// How a SARIF log is written beside the results.
#[derive(Debug, Clone, Default)]
pub struct SarifOptions {
    /// The run's category (`automationDetails.id`, with a `/` added as
    /// github/codeql-action does); [`DEFAULT_CATEGORY`] when empty.
    pub category: String,
    /// The folder iamlint ran in, absolute: `%SRCROOT%`'s URI, and the folder absolute
    /// paths are made relative to. Without it `%SRCROOT%` has only a description.
    pub srcroot: Option<std::path::PathBuf>,
}

/// GitHub's security severity of a rule, a score out of 10 that code scanning shows as
/// Critical (9.0 and above), High (7.0-8.9), Medium (4.0-6.9) or Low (below 4.0).
///
/// The mapping (documented in the README's "SARIF" section): a rule of the security
/// groups (1xx trust, 2xx chaining, 3xx grammar, 4xx profiles, 5xx secrets) scores 7.5
/// (High) when its default severity is error, 5.0 (Medium) when warning and 2.0 (Low) when
/// note; a rule of the 0xx group (files iamlint could not read, its own configuration) says
/// nothing about who can do what, and scores 3.0 (Low) when error, else 1.0. Rules that
/// open a role to anyone, or hand out a credential, are Critical whatever the above:
/// IAM102 (`Principal: *` trusts), IAM105 (OIDC trusts that admit any token of the
/// provider) and IAM501 (committed credentials).
pub fn security_severity(doc: &RuleDoc) -> &'static str {
    match doc.id {
        "IAM501" => return "9.5",
        "IAM102" => return "9.3",
        "IAM105" => return "9.1",
        _ => {}
    }
    match (doc.group(), doc.default_severity()) {
        ("input", Severity::Error) => "3.0",
        ("input", _) => "1.0",
        (_, Severity::Error) => "7.5",
        (_, Severity::Warning) => "5.0",
        (_, Severity::Note) => "2.0",
    }
}

/// How sure a finding of a rule is, as GitHub's `precision`: `very-high` for what is read
/// off a file (0xx files, 3xx grammar, 5xx secrets), `medium` for the trust heuristics that
/// guess at intent (IAM106-IAM108: conditions, federated actions, third parties), `high`
/// for the rest (graph verdicts on what was declared).
pub fn precision(doc: &RuleDoc) -> &'static str {
    match (doc.group(), doc.id) {
        (_, "IAM106" | "IAM107" | "IAM108") => "medium",
        ("input" | "grammar" | "secrets", _) => "very-high",
        _ => "high",
    }
}

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

/// An artifact location: relative to `%SRCROOT%` when the path is relative (or absolute
/// inside the source root), else an absolute `file:` URI.
fn artifact(path: &str, srcroot: Option<&std::path::Path>) -> ArtifactLocation {
    let p = std::path::Path::new(path);
    let relative = if p.is_absolute() {
        srcroot
            .and_then(|root| p.strip_prefix(root).ok())
            .map(super::display_path)
    } else {
        Some(path.to_owned())
    };
    match relative {
        Some(rel) => ArtifactLocation::builder()
            .uri(path_uri(&rel))
            .uri_base_id(SRCROOT)
            .build(),
        None => ArtifactLocation::builder().uri(file_uri(p)).build(),
    }
}

/// An absolute path as a `file:` URI (a folder's ends in `/` when `folder` is set).
fn file_uri(path: &std::path::Path) -> String {
    let text = super::display_path(path);
    let encoded = path_uri(&text).replace("%3A", ":");
    let sep = if encoded.starts_with('/') { "" } else { "/" };
    format!("file://{sep}{encoded}")
}

fn location(pos: &Position, message: Option<&str>, id: Option<i64>, base: Base) -> Location {
    let artifact = artifact(&pos.path, base);
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

/// The folder artifact paths are relative to, if known.
type Base<'a> = Option<&'a std::path::Path>;

fn rule_descriptors() -> Vec<ReportingDescriptor> {
    RULE_DOCS
        .iter()
        .map(|d| {
            let severity = d.default_severity();
            let mut extra = std::collections::BTreeMap::new();
            extra.insert("security-severity".to_owned(), json!(security_severity(d)));
            extra.insert("precision".to_owned(), json!(precision(d)));
            ReportingDescriptor::builder()
                .id(d.id)
                .name(d.name)
                .short_description(MultiformatMessageString::builder().text(d.summary).build())
                .full_description(
                    MultiformatMessageString::builder()
                        .text(d.description())
                        .build(),
                )
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
                        .tags(vec![
                            "security".to_owned(),
                            "iam".to_owned(),
                            d.group().to_owned(),
                        ])
                        .additional_properties(extra)
                        .build(),
                )
                .build()
        })
        .collect()
}

fn result(r: &Resolved, root: Base) -> SarifResult {
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
        .map(|(i, (pos, msg))| location(pos, Some(msg), Some(i as i64 + 1), root))
        .collect();
    let mut fingerprints = std::collections::BTreeMap::new();
    fingerprints.insert("iamlint/v1".to_owned(), r.fingerprint.clone());
    let base = SarifResult::builder()
        .rule_id(f.rule)
        .rule_index(rule_index)
        .level(level(f.severity))
        .message(Message::builder().text(text).build())
        .locations(vec![location(&r.primary, None, None, root)])
        .partial_fingerprints(fingerprints);
    let code_flows = (!r.flow.is_empty()).then(|| {
        let steps: Vec<ThreadFlowLocation> = r
            .flow
            .iter()
            .enumerate()
            .map(|(i, (pos, msg))| {
                ThreadFlowLocation::builder()
                    .location(location(pos, Some(msg), None, root))
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
    render_with(results, notice, &SarifOptions::default())
}

/// [`render`] with a category and a source root (see [`SarifOptions`]).
pub fn render_with(results: &[Resolved], notice: Option<&str>, options: &SarifOptions) -> String {
    let base = options.srcroot.as_deref();
    let mut category = if options.category.is_empty() {
        DEFAULT_CATEGORY.to_owned()
    } else {
        options.category.clone()
    };
    if !category.ends_with('/') {
        category.push('/');
    }
    let mut root = ArtifactLocation::builder()
        .description(
            Message::builder()
                .text("The folder iamlint ran in: every artifact URI is relative to it.")
                .build(),
        )
        .build();
    if let Some(dir) = base {
        let mut uri = file_uri(dir);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        root.uri = Some(uri);
    }
    let mut bases = std::collections::BTreeMap::new();
    bases.insert(SRCROOT.to_owned(), root);
    let driver = ToolComponent::builder()
        .name("iamlint")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFO_URI)
        .rules(rule_descriptors())
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results.iter().map(|r| result(r, base)).collect::<Vec<_>>())
        .column_kind(json!("utf16CodeUnits"))
        .automation_details(RunAutomationDetails::builder().id(category).build())
        .original_uri_base_ids(bases)
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
