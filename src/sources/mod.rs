//! Reads one candidate file and turns it into model values. Sniffs the format by name and
//! by content (never by guess alone), dispatches to the loader of that format, and turns
//! every problem with the file into a load finding (IAM001–IAM004) so the scan goes on.
//! Loaders never decide what is a rule finding; they only describe what the file holds.

pub mod account_dump;
pub mod api_output;
pub mod aws_config;
pub mod aws_ini;
pub mod cloudformation;
pub mod credential_cache;
mod file_names;
mod json_value;
pub mod manifest;
pub mod policy_json;
mod read;
pub mod switch_links;
pub mod terraform;

pub use file_names::{looks_ours_by_name, path_names};

use std::path::Path;

use serde_json::Value;

use crate::config::Config;
use crate::discover::{Candidate, Found};
use crate::finding::{Finding, Severity};
use crate::model::inventory::{Contribution, SecretKey, SecretPlace, SourceFormat};
use crate::model::location::{FileId, Location};
use read::utf16_without_bom;
pub(crate) use read::{decode_file, is_utf16, read_file, without_bom, ReadProblem};

/// Rule ids of load diagnostics.
pub const UNREADABLE_FILE: &str = "IAM001";
pub const INVALID_JSON: &str = "IAM002";
pub const FILE_TOO_LARGE: &str = "IAM003";
pub const MALFORMED_SOURCE: &str = "IAM004";
pub const LINK_OUTSIDE_SCAN: &str = "IAM006";
pub const NAMED_FILE_NOT_READ: &str = "IAM007";

/// What iamlint reads, named for a user whose file or scan is none of it. Kept to one
/// line: formats, then the file names that tell them.
pub const WHAT_IAMLINT_READS: &str = "IAM policy JSON (`*.json`), account dumps and \
    `aws iam get-*` output, Terraform (`*.tf`, `*.tfvars`, `*.tf.json`, plans, state), \
    CloudFormation templates (`*.json`, `*.template`, `*.yaml`, `*.yml`), AWS CLI `config` and `credentials` \
    files, and switch-role links in Markdown and HTML";

/// A file whose name says nothing ([`Found::ByContent`]) is read for its content only up
/// to this size: an AWS CLI config or credentials file is a few kilobytes, and a big file
/// of another kind must not cost a read.
pub const CONTENT_SNIFF_LIMIT: u64 = 256 * 1024;

/// Links listed by name in the one IAM006 finding of a run; more are counted.
const LINKS_LISTED: usize = 10;

/// The one note of a run about symbolic links that lead outside the scanned paths and
/// were not read (`links` in path order), or None when there is none. One finding, not
/// one per link: a home folder linked into a tree can hold hundreds.
pub fn links_outside_scan(links: &[FileId]) -> Option<Finding> {
    let (&first, rest) = links.split_first()?;
    let message = if rest.is_empty() {
        "symbolic link leads outside the scanned paths: not read".to_owned()
    } else {
        format!(
            "{} symbolic links lead outside the scanned paths: none was read",
            links.len()
        )
    };
    let mut finding = Finding::new(
        LINK_OUTSIDE_SCAN,
        Severity::Note,
        Location::file(first),
        message,
    )
    .with_help(
        "add the target's folder to the scanned paths if it should be checked, or remove the link",
    )
    .with_identity(LINK_OUTSIDE_SCAN);
    for &link in rest.iter().take(LINKS_LISTED - 1) {
        finding = finding.with_label(Location::file(link), "not read either");
    }
    Some(finding)
}

/// What every loader gets besides the file.
pub struct LoadContext<'a> {
    pub config: &'a Config,
    pub manifest: manifest::ManifestIndex,
    /// The CDK cloud assembly manifests asked about, for the accounts of their stacks.
    pub cdk: cloudformation::cdk::Assemblies,
}

impl<'a> LoadContext<'a> {
    pub fn new(config: &'a Config) -> Self {
        LoadContext {
            config,
            manifest: manifest::ManifestIndex::new(config),
            cdk: cloudformation::cdk::Assemblies::new(),
        }
    }
}

/// A file's text and, for JSON, its parsed value.
pub struct FileInput<'a> {
    pub id: FileId,
    pub path: &'a Path,
    /// The text without a UTF-8 byte-order mark.
    pub text: &'a str,
    /// Bytes in the file before `text` (3 after a UTF-8 byte-order mark): add it to byte
    /// offsets into `text` to get offsets into the file, which reporters read.
    pub offset: usize,
}

impl FileInput<'_> {
    /// The place in the file of bytes `r` of `text`.
    pub fn loc(&self, r: std::ops::Range<usize>) -> Location {
        Location::bytes(self.id, r.start + self.offset, r.end + self.offset)
    }
}

/// Records a credential whose key and value are bytes `key` and `value` of the input's
/// text: a secret for IAM501, and its value a redaction, so that no snippet shows it.
/// `text` is the value as written (the one placeholder rule decides if it looks real).
pub(crate) fn record_secret(
    out: &mut Contribution,
    input: &FileInput,
    name: &str,
    place: SecretPlace,
    (key, value): (std::ops::Range<usize>, std::ops::Range<usize>),
    text: &str,
) {
    out.redactions.push(input.loc(value.clone()));
    out.secrets.push(SecretKey {
        key: name.to_owned(),
        place,
        key_at: input.loc(key),
        value_at: input.loc(value),
        looks_real: !aws_config::is_placeholder_credential(text),
    });
}

/// Markers that one of our JSON formats is in a file: a cheap byte search lets the scan
/// skip parsing unrelated JSON (lock files, package manifests, translations). A file
/// without any is searched once per marker, so there are as few as can tell: one suffix
/// stands for the three lists of an account dump, and Terraform's `resource` and
/// `provider` need none (only `.tf.json` files hold them, and those are always parsed).
const JSON_MARKERS: &[&[u8]] = &[
    b"\"Statement\"",
    b"\"format_version\"",
    b"\"Resources\"",
    b"DetailList\"",
];

/// `aws sts assume-role` or `aws iam create-access-key` output saved into the tree holds a
/// credential whatever the file is called (see `credential_cache::looks_like_cache`), so
/// a file with this key is parsed too; unlike [`JSON_MARKERS`] it does not make a broken
/// file worth an invalid-JSON finding.
const CREDENTIAL_MARKER: &[u8] = b"\"SecretAccessKey\"";

fn has_json_marker(bytes: &[u8]) -> bool {
    // Built once: setting a searcher up cost more than searching most files (every JSON
    // candidate is searched).
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            JSON_MARKERS
                .iter()
                .map(memchr::memmem::Finder::new)
                .collect()
        });
    FINDERS.iter().any(|f| f.find(bytes).is_some())
}

/// Whether the text holds [`CREDENTIAL_MARKER`] (a searcher built once, as above).
fn has_credential_marker(bytes: &[u8]) -> bool {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(CREDENTIAL_MARKER));
    FINDER.find(bytes).is_some()
}

/// Reads, sniffs and loads one candidate. Never panics, never fails: problems become
/// findings in the contribution.
///
/// A parsed `.tf` or `.tfvars` file is handed back in `hcl`: its module is evaluated once
/// every file is read (see [`terraform::load_modules`]).
///
/// A file named on the command line that is in no format iamlint reads gets a note
/// (IAM007) naming it: the user asked for it to be checked, and a silent pass would say it
/// was.
pub fn load_candidate(
    ctx: &LoadContext,
    id: FileId,
    cand: &Candidate,
    hcl: &mut Option<Box<terraform::HclRead>>,
) -> (SourceFormat, Contribution) {
    if cand.found == Found::ByContent {
        return load_by_content(ctx, id, cand.path.as_path());
    }
    let (format, mut out) = load_known(ctx, id, cand, hcl);
    if cand.found == Found::Named && format == SourceFormat::Unknown && out.findings.is_empty() {
        out.findings.push(named_file_not_read(id, &cand.path));
    }
    (format, out)
}

/// The note on a file named on the command line that iamlint did not read. It names the
/// file and nothing of its content: the file was not parsed as anything.
fn named_file_not_read(id: FileId, path: &Path) -> Finding {
    Finding::new(
        NAMED_FILE_NOT_READ,
        Severity::Note,
        Location::file(id),
        "file named on the command line is in no format iamlint reads: not checked",
    )
    .with_help(format!("iamlint reads {WHAT_IAMLINT_READS}"))
    .with_identity(format!("{NAMED_FILE_NOT_READ}:{}", path.display()))
}

/// A small file whose name says nothing ([`Found::ByContent`]), read for an AWS CLI config
/// or credentials file saved under another name (`aws-config`, `shared_config`, `*.cfg`).
/// Anything else is dropped without a word (it was never a candidate by name), except
/// UTF-16 without a byte-order mark that holds such a file.
fn load_by_content(ctx: &LoadContext, id: FileId, path: &Path) -> (SourceFormat, Contribution) {
    let mut out = Contribution::default();
    let limit = CONTENT_SNIFF_LIMIT.min(ctx.config.max_file_size);
    let Ok(bytes) = read_file(path, limit) else {
        return (SourceFormat::Unknown, out);
    };
    if !is_utf16(&bytes) && !aws_ini::may_be_aws_ini(&bytes) {
        if let Some(finding) = utf16_without_bom(id, path, &bytes, false) {
            out.findings.push(finding);
        }
        return (SourceFormat::Unknown, out);
    }
    let Ok(decoded) = decode_file(&bytes) else {
        return (SourceFormat::Unknown, out);
    };
    let (text, offset) = without_bom(&decoded);
    let Some(kind) = aws_ini::kind_by_content(text) else {
        return (SourceFormat::Unknown, out);
    };
    let input = FileInput {
        id,
        path,
        text,
        offset,
    };
    aws_config::load_as(ctx, &input, kind)
}

/// A finding about a file as a whole (it cannot be read, it is too large): one per file
/// and rule.
pub(crate) fn whole_file_finding(
    id: FileId,
    path: &Path,
    rule: &'static str,
    severity: Severity,
    message: String,
) -> Finding {
    Finding::new(rule, severity, Location::file(id), message)
        .with_identity(format!("{rule}:{}", path.display()))
}

/// FILE_TOO_LARGE's message.
pub(crate) fn too_large(len: u64, max: u64) -> String {
    format!("file skipped: {len} bytes is over the {max}-byte limit (--max-file-size)")
}

/// [`load_candidate`] for a file found by name or named on the command line.
fn load_known(
    ctx: &LoadContext,
    id: FileId,
    cand: &Candidate,
    hcl: &mut Option<Box<terraform::HclRead>>,
) -> (SourceFormat, Contribution) {
    let path = cand.path.as_path();
    let named = cand.found == Found::Named;
    let ours = looks_ours_by_name(path);
    let mut out = Contribution::default();
    let bad = |out: &mut Contribution, rule: &'static str, sev: Severity, msg: String| {
        out.findings
            .push(whole_file_finding(id, path, rule, sev, msg));
    };
    if cand.outside_roots {
        // Never opened: the run reports such links once (`links_outside_scan`).
        return (SourceFormat::Unknown, out);
    }
    if let Some(reason) = &cand.walk_error {
        if ours {
            bad(
                &mut out,
                UNREADABLE_FILE,
                Severity::Error,
                format!("cannot read file: {reason}"),
            );
        }
        return (SourceFormat::Unknown, out);
    }
    let bytes = match read_file(path, ctx.config.max_file_size) {
        Ok(bytes) => bytes,
        Err(ReadProblem::TooLarge(len)) => {
            bad(
                &mut out,
                FILE_TOO_LARGE,
                Severity::Warning,
                too_large(len, ctx.config.max_file_size),
            );
            return (SourceFormat::Unknown, out);
        }
        Err(ReadProblem::Unreadable(why)) => {
            if ours {
                bad(&mut out, UNREADABLE_FILE, Severity::Error, why);
            }
            return (SourceFormat::Unknown, out);
        }
    };
    let decoded = match decode_file(&bytes) {
        Ok(t) => t,
        Err(why) => {
            if let Some(loaded) = load_damaged(ctx, id, path, &bytes) {
                return loaded;
            }
            if let Some(finding) = utf16_without_bom(id, path, &bytes, ours || named) {
                out.findings.push(finding);
            } else if ours {
                bad(&mut out, UNREADABLE_FILE, Severity::Error, why);
            }
            return (SourceFormat::Unknown, out);
        }
    };
    let (text, offset) = without_bom(&decoded);
    let input = FileInput {
        id,
        path,
        text,
        offset,
    };
    if let Some(kind) = terraform::hcl_kind(path) {
        return match terraform::read_hcl(&input, kind, &mut out) {
            Ok(file) => {
                *hcl = Some(Box::new(file));
                (SourceFormat::TerraformHcl, out)
            }
            Err(finding) => {
                out.findings.push(*finding);
                (SourceFormat::Unknown, out)
            }
        };
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if switch_links::is_doc_name(name) {
        let links = switch_links::load(&input);
        let format = if links.switch_links.is_empty() {
            SourceFormat::Unknown
        } else {
            SourceFormat::Documentation
        };
        return (format, links);
    }
    if is_ini_name(path) {
        if aws_ini::looks_like_aws_ini(text) {
            return aws_config::load(ctx, &input);
        }
        return (SourceFormat::Unknown, out);
    }
    if credential_cache::is_cache_path(path) {
        // Whatever it holds, and even when it is not valid JSON: a cache is never a policy.
        let mut part = credential_cache::load(&input);
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
            part.findings.push(json_syntax_finding(id, path, text, &e));
        }
        return (SourceFormat::CredentialCache, part);
    }
    if is_yaml_file(path, text) {
        // A CloudFormation template when its content says so; any other YAML (Kubernetes,
        // workflows, compose files) is nothing iamlint reads, and is not parsed.
        if cloudformation::is_yaml_template(text) {
            return (
                SourceFormat::CloudFormation,
                cloudformation::load_yaml(ctx, &input),
            );
        }
        return (SourceFormat::Unknown, out);
    }
    if cloudformation::cdk::is_manifest(path, text) {
        // Its accounts reach the templates beside it when they are loaded; read here only
        // to report it when it does not parse.
        return cloudformation::cdk::load_manifest(&input);
    }
    let is_tf_json = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".tf.json"));
    // A file named on the command line is told by its content whatever its name: INI and
    // HCL here, JSON and YAML templates below. No JSON passes the INI test (a header line
    // is `[name]` with a name of the SDKs' characters), and HCL is only looked for in
    // text that does not start like JSON.
    let looks_json = text.trim_start().starts_with(['{', '[']);
    if named {
        if let Some(kind) = aws_ini::kind_by_content(text) {
            return aws_config::load_as(ctx, &input, kind);
        }
    }
    if named && !looks_json && looks_like_hcl(text) {
        return match terraform::read_hcl(&input, terraform::HclKind::Config, &mut out) {
            Ok(file) => {
                *hcl = Some(Box::new(file));
                (SourceFormat::TerraformHcl, out)
            }
            Err(finding) => {
                out.findings.push(*finding);
                (SourceFormat::Unknown, out)
            }
        };
    }
    if named && !looks_json && cloudformation::is_yaml_template(text) {
        return (
            SourceFormat::CloudFormation,
            cloudformation::load_yaml(ctx, &input),
        );
    }
    if !ours
        && !named
        && !is_tf_json
        && !has_json_marker(text.as_bytes())
        && !has_credential_marker(text.as_bytes())
    {
        return (SourceFormat::Unknown, out);
    }
    if text.trim().is_empty() {
        if ours {
            bad(
                &mut out,
                INVALID_JSON,
                Severity::Error,
                "file is empty".into(),
            );
        }
        return (SourceFormat::Unknown, out);
    }
    let value: Value = match json_value::parse(text) {
        Ok(v) => v,
        Err(e) => {
            // CloudFormation reads a template body that is not JSON as YAML, which takes
            // `#` comment lines and a trailing comma in `[…]`: such a template is read.
            if !is_tf_json && cloudformation::is_template_yaml_not_json(text) {
                return (
                    SourceFormat::CloudFormation,
                    cloudformation::load_yaml(ctx, &input),
                );
            }
            if ours || has_json_marker(text.as_bytes()) {
                out.findings.push(json_syntax_finding(id, path, text, &e));
            }
            return (SourceFormat::Unknown, out);
        }
    };
    dispatch_json(ctx, &input, value, is_tf_json, ours, out)
}

fn dispatch_json(
    ctx: &LoadContext,
    input: &FileInput,
    value: Value,
    is_tf_json: bool,
    ours: bool,
    out: Contribution,
) -> (SourceFormat, Contribution) {
    let Some(obj) = value.as_object() else {
        // A file the directory convention or the manifest makes a policy must be one.
        // Another file named or placed like a policy that holds a list of statements is a
        // fragment (a sample to paste into a policy): said, not checked. Any other value
        // there (a list of names, a CloudFormation parameters file) is another kind of
        // document, as an object without a policy's keys is below.
        // Neither is what was expected: no snippet shows it.
        if is_placed(ctx, input.path) {
            let mut out = out;
            out.hide_source = true;
            out.findings.push(Finding::new(
                MALFORMED_SOURCE,
                Severity::Error,
                Location::json(input.id, Default::default()),
                "expected a JSON object at the top of the file",
            ));
            return (SourceFormat::Unknown, out);
        }
        if ours && is_statement_list(&value) {
            let mut out = out;
            out.hide_source = true;
            out.findings.push(
                Finding::new(
                    MALFORMED_SOURCE,
                    Severity::Note,
                    Location::json(input.id, Default::default()),
                    "holds a list of statements, not a policy document: it is not checked",
                )
                .with_help("a policy is `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`; wrap the list in one if the file is meant as a whole policy"),
            );
            return (SourceFormat::Unknown, out);
        }
        return (SourceFormat::Unknown, out);
    };
    if obj.contains_key("format_version")
        && (obj.contains_key("planned_values") || obj.contains_key("resource_changes"))
    {
        return (
            SourceFormat::TerraformPlan,
            terraform::load_plan(ctx, input, &value),
        );
    }
    if obj.contains_key("format_version") && obj.contains_key("values") {
        return (
            SourceFormat::TerraformState,
            terraform::load_state(ctx, input, &value),
        );
    }
    // A `.tf.json` file of only variables, outputs or locals is Terraform all the same; one
    // with resources is Terraform whatever else it holds (as it always was).
    if is_tf_json
        && (["resource", "provider", "data"]
            .iter()
            .any(|k| obj.contains_key(*k))
            || obj
                .keys()
                .all(|k| TERRAFORM_JSON_BLOCKS.contains(&k.as_str())))
    {
        return (
            SourceFormat::TerraformJson,
            terraform::load_tf_json(ctx, input, &value),
        );
    }
    if obj.contains_key("AWSTemplateFormatVersion")
        || obj
            .get("Resources")
            .and_then(Value::as_object)
            .is_some_and(|r| r.values().any(|v| v.get("Type").is_some()))
    {
        return (
            SourceFormat::CloudFormation,
            cloudformation::load(ctx, input, &value),
        );
    }
    if ["UserDetailList", "RoleDetailList", "GroupDetailList"]
        .iter()
        .any(|k| obj.contains_key(*k))
        || obj.get("Policies").is_some_and(Value::is_array)
    {
        return (
            SourceFormat::AccountDump,
            account_dump::load(ctx, input, &value),
        );
    }
    // A credential cache found outside `.aws/…/cache` (copied into the repository): its
    // credentials are reported and it is never read as a policy. So is any other file that
    // iamlint would take for a policy by its place alone but that holds a cache's
    // credential keys instead of a `Statement`.
    if credential_cache::looks_like_cache(obj)
        || (!obj.contains_key("Statement")
            && credential_cache::text_holds_cache_key(input.text, &value))
    {
        return (SourceFormat::CredentialCache, credential_cache::load(input));
    }
    if let Some(shape) = api_output::shape_of(obj) {
        return (
            SourceFormat::IamApiOutput,
            api_output::load(ctx, input, obj, shape),
        );
    }
    // A file placed or named like a policy that holds none of a policy's keys is another
    // kind of document (an AWS Organizations AI opt-out, tag or backup policy): not IAM.
    // So is one whose `Version` is not a policy language version and that has no
    // `Statement` (SAM's catalogue of policy templates, `{"Templates": …, "Version": "0.0.1"}`).
    let policy_keys = ["Statement", "Version", "Id"];
    let other_version = !obj.contains_key("Statement")
        && obj
            .get("Version")
            .and_then(Value::as_str)
            .is_some_and(|v| v != "2012-10-17" && v != "2008-10-17");
    if ours
        && !obj.is_empty()
        && (other_version || !policy_keys.iter().any(|k| obj.contains_key(*k)))
    {
        return (SourceFormat::Unknown, out);
    }
    if obj.contains_key("Statement") || ours {
        return (
            SourceFormat::PolicyJson,
            policy_json::load(ctx, input, value),
        );
    }
    (SourceFormat::Unknown, out)
}

/// The top-level blocks of Terraform's JSON configuration syntax (and its `//` comment
/// property).
const TERRAFORM_JSON_BLOCKS: &[&str] = &[
    "resource",
    "data",
    "provider",
    "variable",
    "output",
    "locals",
    "module",
    "terraform",
    "moved",
    "import",
    "removed",
    "check",
    "//",
];

/// Whether the manifest or the directory convention says whose policy the file is.
fn is_placed(ctx: &LoadContext, path: &Path) -> bool {
    !ctx.manifest.placements(path).is_empty()
        || manifest::placement_by_convention(path, ctx.config).is_some()
}

/// A JSON list of policy statements (objects with an `Effect`).
fn is_statement_list(value: &Value) -> bool {
    value.as_array().is_some_and(|items| {
        !items.is_empty()
            && items
                .iter()
                .all(|i| i.as_object().is_some_and(|o| o.contains_key("Effect")))
    })
}

/// A credentials or config file, or a credential cache, whose bytes are not clean UTF-8
/// text (a NUL byte, a stray Latin-1 byte): it is still read, with every bad byte read as
/// `?` so that positions stay byte-exact, so that no credential in it goes unreported.
/// The file gets an IAM001 finding and its text is never shown. None for any other file,
/// and for UTF-16 text (positions would not map back).
fn load_damaged(
    ctx: &LoadContext,
    id: FileId,
    path: &Path,
    bytes: &[u8],
) -> Option<(SourceFormat, Contribution)> {
    let is_cache = credential_cache::is_cache_path(path);
    if !is_ini_name(path) && !is_cache {
        return None;
    }
    if is_utf16(bytes) {
        return None;
    }
    let offset = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.get(offset..).unwrap_or_default().utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    let input = FileInput {
        id,
        path,
        text: &text,
        offset,
    };
    let (format, mut part) = if is_cache {
        (
            SourceFormat::CredentialCache,
            credential_cache::load(&input),
        )
    } else if aws_ini::looks_like_aws_ini(&text) {
        aws_config::load(ctx, &input)
    } else {
        return None;
    };
    let what = if memchr::memchr(0, bytes).is_some() {
        "file holds NUL bytes"
    } else {
        "file is not valid UTF-8"
    };
    part.findings.push(
        Finding::new(
            UNREADABLE_FILE,
            Severity::Error,
            Location::file(id),
            format!("{what}: read as text for its profiles and credentials, and never shown"),
        )
        .with_help("re-save the file as plain UTF-8 text")
        .with_identity(format!("{UNREADABLE_FILE}:{}", path.display())),
    );
    part.hide_source = true;
    Some((format, part))
}

/// Whether a file holds YAML: a `.yaml` or `.yml` file, or a `.template` that is not JSON
/// (CloudFormation takes both).
fn is_yaml_file(path: &Path, text: &str) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") {
        return true;
    }
    ext.eq_ignore_ascii_case("template") && !text.trim_start().starts_with('{')
}

/// Whether text is Terraform HCL: a line opens a top-level block of the kinds that hold
/// IAM (`resource "aws_…"`, `data "aws_…"`, `provider "aws"`, `module "…"`). For a file
/// named on the command line, whose name says nothing.
fn looks_like_hcl(text: &str) -> bool {
    text.lines().any(|l| {
        [
            "resource \"aws_",
            "data \"aws_",
            "provider \"aws\"",
            "module \"",
        ]
        .iter()
        .any(|start| l.starts_with(start))
    })
}

fn is_ini_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(name.as_str(), "config" | "credentials" | "aws_config")
        || name.ends_with(".aws-config")
}

/// A JSON syntax error as a finding at its line and column.
pub fn json_syntax_finding(id: FileId, path: &Path, text: &str, e: &serde_json::Error) -> Finding {
    let offset = offset_of_line_col(text, e.line(), e.column());
    let end = next_char_boundary(text, offset);
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the position is shown separately.
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    };
    Finding::new(
        INVALID_JSON,
        Severity::Error,
        Location::bytes(id, offset, end),
        format!("invalid JSON: {msg}"),
    )
    .with_identity(format!("{INVALID_JSON}:{}", path.display()))
}

/// Byte offset of a 1-based line and a 1-based column (serde_json counts columns in bytes).
fn offset_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0usize;
    for _ in 1..line.max(1) {
        match memchr::memchr(b'\n', text.as_bytes().get(start..).unwrap_or_default()) {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let mut off = (start + column.saturating_sub(1)).min(text.len());
    while off > 0 && !text.is_char_boundary(off) {
        off -= 1;
    }
    off
}

pub(crate) fn next_char_boundary(text: &str, offset: usize) -> usize {
    let mut end = (offset + 1).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::read::utf16_order_without_bom;
    use super::*;

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16_without_a_mark_is_told_from_binary_data() {
        let text = r#"{"RoleDetailList": [], "Policies": []}"#;
        assert_eq!(utf16_order_without_bom(&utf16(text, true)), Some(true));
        assert_eq!(utf16_order_without_bom(&utf16(text, false)), Some(false));
        // With its mark it is decoded, not guessed at.
        let mut marked = vec![0xFF, 0xFE];
        marked.extend(utf16(text, true));
        assert_eq!(utf16_order_without_bom(&marked), None);
        // Binary data: NUL bytes, but not one of every pair.
        let binary: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
        assert_eq!(utf16_order_without_bom(&binary), None);
        assert_eq!(utf16_order_without_bom(&[0; 64]), None);
        assert_eq!(utf16_order_without_bom(b"{}"), None);
    }

    #[test]
    fn decoded_utf16_keeps_its_mark_as_the_first_character() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16("[default]\r\n", true));
        let text = decode_file(&le).expect("UTF-16LE decodes");
        assert_eq!(text, "\u{feff}[default]\r\n");
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16("x\u{1D11E}", false));
        assert_eq!(
            decode_file(&be).expect("UTF-16BE decodes"),
            "\u{feff}x\u{1D11E}"
        );
        let bom = b"\xEF\xBB\xBF{}";
        assert_eq!(decode_file(bom).expect("UTF-8 with a mark"), "\u{feff}{}");
        let mut nul = vec![0xFF, 0xFE];
        nul.extend(utf16("a\0b", true));
        assert!(decode_file(&nul).is_err_and(|e| e.contains("binary")));
    }

    #[test]
    fn named_files_are_told_by_content() {
        assert!(looks_like_hcl(
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n"
        ));
        assert!(looks_like_hcl("resource \"aws_iam_role\" \"r\" {}\n"));
        assert!(!looks_like_hcl("# resource \"aws_iam_role\"\nname = 1\n"));
    }
}
