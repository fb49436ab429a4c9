//! One `.tf` or `.tfvars` file parsed with hcl-edit, keeping only the blocks a module's
//! IAM can depend on (an unrelated `aws_instance` is dropped at once, so a large
//! repository's modules do not stay in memory until every file is read).

use foldhash::HashSet;
use std::path::{Path, PathBuf};

use hcl_edit::structure::{Body, Structure};

use super::{ast, operator_breaks, repeated_keys, skim};

use hcl_edit::expr::Expression;
use hcl_edit::Span;

use crate::finding::{Finding, Severity};
use crate::model::inventory::{Contribution, SecretPlace};
use crate::model::location::{FileId, Location};
use crate::sources::{record_secret, FileInput, INVALID_JSON};

/// What a file is to its module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HclKind {
    /// `.tf`: configuration.
    Config,
    /// `terraform.tfvars` or `*.auto.tfvars`: values Terraform always loads.
    AutoVars,
    /// Any other `*.tfvars`: values a run may or may not be given (`-var-file`).
    OptionalVars,
}

/// A parsed file of a module.
pub struct HclFile {
    pub id: FileId,
    pub path: PathBuf,
    /// Bytes before the parsed text (a byte-order mark): added to every span.
    pub offset: usize,
    pub kind: HclKind,
    pub body: ast::Body,
    /// `type.name` (`data.type.name`) of the resources and data sources dropped as
    /// unrelated to IAM, so that a reference to one says it is not evaluated.
    pub dropped: Vec<String>,
    /// Its text may matter to IAM ([`skim::Interest`]): its folder is evaluated.
    pub matters: bool,
}

/// A file as the scan's loader hands it to the module phase: parsed, or left unparsed
/// until its folder is known to matter to IAM (see [`skim`]).
///
/// Small on purpose (a boxed file, or a file's text): the loaders hand one over per `.tf`
/// file, and every one is held until the last file is read.
pub enum HclRead {
    Parsed(Box<HclFile>),
    Deferred(Deferred),
}

/// A file parsed only once the scan knows its folder is evaluated (see [`select`]): on
/// the thread that evaluates its module, just before it does (the tree is evaluated while
/// still in cache, and freed as soon as the module is done). Its text is kept from the
/// read: a folder that turns out to matter is parsed without reading its files again, and
/// one that does not has its files' structure checked then ([`Deferred::unsound`]). Its
/// path is not kept: the scan's file list has it (see [`FilePaths`]).
///
/// [`select`]: super::select
pub struct Deferred {
    pub id: FileId,
    kind: HclKind,
    /// Its text may matter to IAM ([`skim::Interest`]): its folder is evaluated.
    matters: bool,
    /// The bytes before its text (a byte-order mark).
    offset: u8,
    /// Its text, without a byte-order mark.
    text: Box<str>,
}

/// The path of each file of the scan, by id.
pub trait FilePaths: Sync {
    fn path_of(&self, id: FileId) -> &Path;
}

impl Deferred {
    /// Whether its text may matter to IAM (then its folder is evaluated).
    pub fn matters(&self) -> bool {
        self.matters
    }

    /// Whether its structure does not look sound ([`skim::structure`]): a file that is
    /// never parsed otherwise is parsed then, so that hcl-edit reports the error.
    pub fn unsound(&self) -> bool {
        skim::structure(&self.text).is_some()
    }

    /// Parses it (it is at `path`): the file, or its syntax finding, and whatever else
    /// parsing it found (credentials).
    pub fn parse(&self, path: &Path) -> (Result<HclFile, Box<Finding>>, Contribution) {
        self.parse_in(path, None)
    }

    /// [`Deferred::parse`], for a root module: what only a caller reads is not parsed.
    pub fn parse_in(
        &self,
        path: &Path,
        root: Option<&RootUse>,
    ) -> (Result<HclFile, Box<Finding>>, Contribution) {
        let mut out = Contribution::default();
        let input = FileInput {
            id: self.id,
            path,
            text: &self.text,
            offset: usize::from(self.offset),
        };
        let file = parse(&input, self.kind, self.matters, root, &mut out);
        (file, out)
    }

    /// Its text (without a byte-order mark).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl HclRead {
    pub fn path<'p>(&'p self, paths: &'p dyn FilePaths) -> &'p Path {
        match self {
            HclRead::Parsed(f) => &f.path,
            HclRead::Deferred(d) => paths.path_of(d.id),
        }
    }
}

/// Reads a file for its module. Parsed at once: a `.tfvars.json`, and a file that may call
/// a local module (which folders call which must be known before any is evaluated). Any
/// other file waits as a [`Deferred`].
pub fn read(
    input: &FileInput,
    kind: HclKind,
    out: &mut Contribution,
) -> Result<HclRead, Box<Finding>> {
    let json = input
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json {
        return parse(input, kind, true, None, out).map(|f| HclRead::Parsed(Box::new(f)));
    }
    let interest = skim::interest(input.text);
    // A byte-order mark is the only thing before a text: three bytes at most.
    let offset = u8::try_from(input.offset);
    if interest.calls || offset.is_err() {
        return parse(input, kind, true, None, out).map(|f| HclRead::Parsed(Box::new(f)));
    }
    Ok(HclRead::Deferred(Deferred {
        id: input.id,
        kind,
        matters: interest.matters,
        offset: offset.unwrap_or(0),
        text: Box::from(input.text),
    }))
}

impl HclFile {
    /// The place of a parsed span in the file.
    /// Whether the file declares resource (or data source) `key` (`type.name`).
    pub fn declares(&self, key: &str, data: bool) -> bool {
        let wanted = if data {
            format!("data.{key}")
        } else {
            key.to_owned()
        };
        self.dropped.contains(&wanted)
            || self.body.blocks.iter().any(|b| {
                &*b.ident == if data { "data" } else { "resource" }
                    && b.label(0)
                        .zip(b.label(1))
                        .is_some_and(|(t, n)| format!("{t}.{n}") == key)
            })
    }

    pub fn loc(&self, span: Option<ast::Span>) -> Option<Location> {
        let span = span?;
        Some(Location::bytes(
            self.id,
            span.start as usize + self.offset,
            span.end as usize + self.offset,
        ))
    }
}

/// The kind of an HCL file by name, or None for a file that is not one.
pub fn hcl_kind(path: &Path) -> Option<HclKind> {
    let lower = path.file_name()?.to_str()?.to_ascii_lowercase();
    // `*.tfvars.json` are the same values in JSON.
    let name = lower.strip_suffix(".json").unwrap_or(&lower);
    if lower.ends_with(".tf") {
        Some(HclKind::Config)
    } else if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
        Some(HclKind::AutoVars)
    } else if name.ends_with(".tfvars") {
        Some(HclKind::OptionalVars)
    } else {
        None
    }
}

/// Top-level blocks that can matter to IAM: everything else is dropped after parsing.
fn keep(s: &Structure) -> bool {
    match s.as_block() {
        Some(block) => keep_block(block),
        // Top-level attributes are `.tfvars` values.
        None => true,
    }
}

fn keep_block(block: &hcl_edit::structure::Block) -> bool {
    let label = |i: usize| block.labels.get(i).map(|l| l.as_str()).unwrap_or_default();
    match block.ident.as_str() {
        "variable" | "locals" | "module" | "provider" | "output" => true,
        "resource" => label(0).starts_with("aws_iam_"),
        "data" => READ_DATA_SOURCES.contains(&label(0)),
        _ => false,
    }
}

/// Whether the text may hold a top-level block [`without_unread_blocks`] would blank: a
/// `resource "…"` or `data "…"` header whose type is not read. Only a quick look at the
/// words (they may sit in a comment or a string), so that files of IAM blocks only skip
/// the structure scan; a header it misses is parsed, as before.
fn may_have_unread_blocks(text: &str, root: Option<&RootUse>) -> bool {
    let bytes = text.as_bytes();
    let label_after = |at: usize| -> Option<&[u8]> {
        let rest = bytes.get(at..)?;
        let spaces = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let rest = rest.get(spaces..)?.strip_prefix(b"\"")?;
        let end = memchr::memchr(b'"', rest)?;
        Some(&rest[..end])
    };
    let at_line_start = |at: usize| at == 0 || matches!(bytes[at - 1], b'\n' | b' ' | b'\t');
    let headers = |word: &'static [u8]| {
        memchr::memmem::find_iter(bytes, word)
            .filter(move |&at| at_line_start(at))
            .map(move |at| (at, label_after(at + word.len())))
    };
    if headers(b"resource").any(|(_, t)| t.is_some_and(|t| !t.starts_with(b"aws_iam_"))) {
        return true;
    }
    if headers(b"data")
        .any(|(_, t)| t.is_some_and(|t| !READ_DATA_SOURCES.iter().any(|r| r.as_bytes() == t)))
    {
        return true;
    }
    // A module call's arguments, when it is not followed (see `remote_source_line`).
    if headers(b"module").any(|(_, t)| t.is_some())
        && memchr::memmem::find(bytes, b"source").is_some()
    {
        return true;
    }
    let Some(root) = root else {
        return false;
    };
    headers(b"output").any(|(_, t)| t.is_some())
        || headers(b"terraform").next().is_some()
        || root.vars.is_some_and(|vars| {
            headers(b"variable").any(|(_, t)| {
                t.and_then(|t| std::str::from_utf8(t).ok())
                    .is_some_and(|t| !vars.contains(t))
            })
        })
}

/// The data sources the HCL front end evaluates.
const READ_DATA_SOURCES: &[&str] = &[
    "aws_iam_policy_document",
    "aws_caller_identity",
    "aws_partition",
    "aws_iam_openid_connect_provider",
];

/// The text of a `.tf` file with the top-level resources and data sources iamlint never
/// reads blanked out (the blocks [`keep_block`] drops after parsing), and their names
/// (`type.name`, `data.type.name`). A folder with an IAM role beside its buckets,
/// queues and instances is evaluated, and hcl-edit then spent most of its time on blocks
/// dropped at once. Line breaks stay where they were, so every position is the file's
/// own. None when nothing is blanked, or when the file's structure does not look sound
/// (hcl-edit then parses all of it and reports the error).
///
/// A syntax error inside an expression of a blanked block (`bucket = 1 +`) is not
/// reported, as in a folder without IAM: the scan's structure check passed it.
fn without_unread_blocks(text: &str, root: Option<&RootUse>) -> Option<Unread> {
    // The structure scan costs a tenth of a parse: not run on a file of IAM blocks only.
    if !may_have_unread_blocks(text, root) {
        return None;
    }
    let blocks = skim::top_blocks(text)?;
    let mut bytes: Option<Vec<u8>> = None;
    let mut names = Vec::new();
    let mut unread_blocks = Vec::new();
    for b in &blocks {
        let label = |i: usize| b.labels.get(i).map(|r| &text[r.clone()]);
        // A label with an escape or a template is left to hcl-edit.
        if b.labels
            .iter()
            .any(|r| text[r.clone()].contains(['\\', '$', '%']))
        {
            continue;
        }
        let unread = match (&text[b.ident.clone()], label(0), label(1)) {
            ("resource", Some(kind), Some(name)) if !kind.starts_with("aws_iam_") => {
                names.push(format!("{kind}.{name}"));
                true
            }
            ("data", Some(kind), Some(name)) if !READ_DATA_SOURCES.contains(&kind) => {
                names.push(format!("data.{kind}.{name}"));
                true
            }
            ("output", ..) => root.is_some(),
            // A credential's default is a secret (IAM501), named or not: read then.
            ("variable", Some(name), None) => {
                !is_credential_name(name)
                    && root
                        .and_then(|r| r.vars)
                        .is_some_and(|vars| !vars.contains(name))
            }
            // Its backend may hold a credential (IAM501): read then.
            ("terraform", None, None) => {
                root.is_some() && !names_credential(&text[b.range.clone()])
            }
            ("module", Some(_), None) => {
                // A call iamlint does not follow is read for its source only.
                if let Some(keep) = remote_source_line(text, b) {
                    let out = bytes.get_or_insert_with(|| text.as_bytes().to_vec());
                    let body = b.labels.last().map_or(b.ident.end, |l| l.end);
                    let open = body + text[body..].find('{').unwrap_or(0) + 1;
                    blank(out, open..keep.start);
                    blank(out, keep.end..b.range.end - 1);
                }
                false
            }
            _ => false,
        };
        if unread {
            unread_blocks.push(b.range.clone());
        }
    }
    // A file of blocks never read only (a service's buckets and instances beside its
    // role): no copy to make, and nothing for hcl-edit to walk.
    if bytes.is_none() && unread_blocks.len() == blocks.len() && !blocks.is_empty() {
        // The text between the blocks, and after the last.
        let starts = unread_blocks.iter().map(|r| r.start).chain([text.len()]);
        let ends = std::iter::once(0).chain(unread_blocks.iter().map(|r| r.end));
        let all_blank = ends
            .zip(starts)
            .all(|(end, start)| text.get(end..start).is_some_and(only_blank_lines));
        if all_blank {
            return Some(Unread::Empty(names));
        }
    }
    if unread_blocks.is_empty() && bytes.is_none() {
        return None;
    }
    let mut out = bytes.unwrap_or_else(|| text.as_bytes().to_vec());
    for range in unread_blocks {
        blank(&mut out, range);
    }
    // Whole blocks of UTF-8 text became spaces: still UTF-8.
    String::from_utf8(out)
        .ok()
        .map(|t| Unread::Blanked(t, names))
}

/// What blanking the blocks iamlint never reads leaves of a file.
#[derive(Debug, PartialEq, Eq)]
enum Unread {
    /// The text with those blocks blanked, and their names.
    Blanked(String, Vec<String>),
    /// Nothing but blank lines: the body is empty (as hcl-edit would read it). The names
    /// of the blocks.
    Empty(Vec<String>),
}

/// Whether the text is spaces, tabs and line breaks only (`\r` only before `\n`): what
/// hcl-edit reads as an empty body.
fn only_blank_lines(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| match b {
        b' ' | b'\t' | b'\n' => true,
        b'\r' => bytes.get(i + 1) == Some(&b'\n'),
        _ => false,
    })
}

/// Spaces over `range`, line breaks kept.
fn blank(bytes: &mut [u8], range: std::ops::Range<usize>) {
    let Some(part) = bytes.get_mut(range) else {
        return;
    };
    let mut start = 0;
    while let Some(n) = memchr::memchr2(b'\n', b'\r', &part[start..]) {
        part[start..start + n].fill(b' ');
        start += n + 1;
    }
    part[start..].fill(b' ');
}

/// The line of a module call's `source` when it names a registry, git or other remote
/// module (which iamlint does not fetch, and of whose call it reads nothing else), or
/// None: a local source, or a body where the one `source = "…"` line is not plain.
fn remote_source_line(text: &str, block: &skim::TopBlock) -> Option<std::ops::Range<usize>> {
    let inner = &text[block.range.clone()];
    let mut found = None;
    let mut at = block.range.start;
    for line in inner.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("source") {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                if found.is_some() {
                    return None;
                }
                let value = value.trim();
                let quoted = value.strip_prefix('"')?.strip_suffix('"')?;
                if quoted.contains(['"', '\\', '$', '%'])
                    || quoted.starts_with("./")
                    || quoted.starts_with("../")
                {
                    return None;
                }
                found = Some(at..at + line.trim_end_matches(['\n', '\r']).len());
            }
        }
        at += line.len();
    }
    found
}

/// What a root module's files may also go without: a root module is never called, so its
/// outputs and its `terraform` settings are never read, and a variable its folder never
/// names (`var.x`) is never read either.
pub struct RootUse<'a> {
    /// The names that follow `var.` anywhere in the folder's text (comments included),
    /// or None when not all of it is known.
    pub vars: Option<&'a HashSet<String>>,
}

/// The names that follow `var.` in the texts (a name may be cut short by a dash or be in
/// a comment: more names, never fewer).
pub fn named_vars<'t>(texts: impl Iterator<Item = &'t str>) -> HashSet<String> {
    let mut out = HashSet::default();
    for text in texts {
        let bytes = text.as_bytes();
        for at in memchr::memmem::find_iter(bytes, b"var.") {
            let rest = &bytes[at + 4..];
            let len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                .count();
            if let Ok(name) = std::str::from_utf8(&rest[..len]) {
                out.insert(name.to_owned());
            }
        }
    }
    out
}

/// Whether a block's text may name a credential attribute, in any case: every name
/// [`is_credential_name`] takes holds one of these words.
fn names_credential(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["access_key", "secret_key", "token"]
        .iter()
        .any(|m| lower.contains(m))
}

/// Parses a file. A file that does not parse is one finding at the parser's position.
/// Credentials written in it (a provider's `secret_key`, a `.tfvars` value) go to `out`
/// as secrets, their values as redactions, whatever else the file holds.
fn parse(
    input: &FileInput,
    kind: HclKind,
    matters: bool,
    root: Option<&RootUse>,
    out: &mut Contribution,
) -> Result<HclFile, Box<Finding>> {
    let text = input.text;
    if input
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return parse_json_vars(input, kind, out);
    }
    let unread = match kind {
        HclKind::Config => without_unread_blocks(text, root),
        _ => None,
    };
    let (body, dropped) = match unread {
        None => parse_body(input, text, kind, out)?,
        Some(Unread::Blanked(blanked, mut names)) => {
            let (body, more) = parse_body(input, &blanked, kind, out)?;
            names.extend(more);
            (body, names)
        }
        // Placed as hcl-edit places an empty body.
        Some(Unread::Empty(names)) => (
            ast::Body {
                span: Some(ast::Span { start: 0, end: 0 }),
                ..ast::Body::default()
            },
            names,
        ),
    };
    Ok(HclFile {
        id: input.id,
        path: input.path.to_path_buf(),
        offset: input.offset,
        kind,
        body,
        dropped,
        matters,
    })
}

/// hcl-edit's parse of `text`, where an object's repeated key (which Terraform accepts,
/// the last value winning) is spelt again until hcl-edit takes it (see `repeated_keys`),
/// and a line break after an operator is joined (see `operator_breaks`). The error is the
/// first parse's when that does not help.
fn parse_respelling_repeated_keys(text: &str) -> Result<Body, hcl_edit::parser::Error> {
    let first = match hcl_edit::parser::parse_body(text) {
        Ok(body) => return Ok(body),
        Err(e) => e,
    };
    // What hcl-edit refuses and Terraform takes: a repeated key, or a line break after an
    // operator inside brackets (see `operator_breaks`). Each round mends one place.
    let mend = |current: &str, e: &hcl_edit::parser::Error| {
        let offset = e.location().offset();
        if e.message().contains("redefined object key") {
            repeated_keys::respell(current, offset)
        } else if e.message().contains("invalid expression") {
            operator_breaks::join(current, offset)
        } else {
            None
        }
    };
    let mut again = mend(text, &first);
    for _ in 0..repeated_keys::MAX_RESPELLINGS {
        let Some(current) = again else { break };
        match hcl_edit::parser::parse_body(&current) {
            Ok(body) => return Ok(body),
            Err(e) => again = mend(&current, &e),
        }
    }
    Err(first)
}

/// The blocks of `text` (the file's text, or it with blocks blanked) that can matter to
/// IAM, and the names of the resources and data sources dropped. Credentials written in
/// it go to `out`.
fn parse_body(
    input: &FileInput,
    text: &str,
    kind: HclKind,
    out: &mut Contribution,
) -> Result<(ast::Body, Vec<String>), Box<Finding>> {
    let body = match parse_respelling_repeated_keys(text) {
        Ok(body) => body,
        Err(e) => {
            let loc = e.location();
            // The parser's own message quotes the source line: only its first line (what
            // was expected) is kept, so nothing of a file that failed to parse is shown.
            let first = e.message().lines().next().unwrap_or("syntax error").trim();
            return Err(Box::new(syntax_finding(
                input,
                loc.offset(),
                format!(
                    "HCL syntax error at line {}, column {}: {first}",
                    loc.line(),
                    loc.column()
                ),
            )));
        }
    };
    find_secrets(input, &body, kind, out);
    // Converted here, on the thread that parsed it: hcl-edit's tree is dropped at once.
    let kept = ast::convert_body(&body, keep);
    let dropped = body
        .blocks()
        .filter(|b| matches!(b.ident.as_str(), "resource" | "data") && !keep_block(b))
        .filter_map(|b| {
            let (t, n) = (b.labels.first()?.as_str(), b.labels.get(1)?.as_str());
            Some(if b.ident.as_str() == "data" {
                format!("data.{t}.{n}")
            } else {
                format!("{t}.{n}")
            })
        })
        .collect();
    Ok((kept, dropped))
}

fn syntax_finding(input: &FileInput, at: usize, message: String) -> Finding {
    let start = (at + input.offset).min(input.text.len() + input.offset);
    let end = input.text[at.min(input.text.len())..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    Finding::new(
        INVALID_JSON,
        Severity::Error,
        Location::bytes(input.id, start, end),
        message,
    )
    .with_help("iamlint could not read this file as HCL, so nothing in it is checked: fix the syntax (`terraform validate` shows it too)")
    .with_identity(format!("{INVALID_JSON}:{}", input.path.display()))
}

/// Attribute names that hold an AWS credential in Terraform: the provider's and the S3
/// backend's arguments, and the names people give variables for them.
pub fn is_credential_name(name: &str) -> bool {
    // Asked of every attribute of every parsed file: no lowercased copy of a name that
    // cannot be one (every credential name holds `key` or `token`).
    let may = name.len() >= 5
        && name
            .as_bytes()
            .windows(3)
            .any(|w| w.eq_ignore_ascii_case(b"key") || w.eq_ignore_ascii_case(b"tok"));
    if !may {
        return false;
    }
    let n = name.to_ascii_lowercase();
    matches!(n.as_str(), "access_key" | "secret_key" | "token")
        || n.contains("secret_access_key")
        || n.contains("access_key_id")
        || n.contains("session_token")
        || n.ends_with("secret_key")
}

/// A `*.tfvars.json` file: its top-level members are variable values. A file that is not
/// a JSON object is one finding, as a `.tfvars` that does not parse is.
fn parse_json_vars(
    input: &FileInput,
    kind: HclKind,
    out: &mut Contribution,
) -> Result<HclFile, Box<Finding>> {
    let value: serde_json::Value = match serde_json::from_str(input.text) {
        Ok(v) => v,
        Err(e) => {
            return Err(Box::new(crate::sources::json_syntax_finding(
                input.id, input.path, input.text, &e,
            )));
        }
    };
    let Some(obj) = value.as_object() else {
        return Err(Box::new(syntax_finding(
            input,
            0,
            "a variables file in JSON must be an object".to_owned(),
        )));
    };
    let mut body = ast::Body::default();
    for (key, v) in obj {
        let path = crate::model::path::JsonPath::root().key(key);
        let key_range = crate::span::locate_key(input.text, &path);
        let value_range = crate::span::locate_value(input.text, &path);
        if let (true, Some(k), Some(val), Some(text)) = (
            is_credential_name(key),
            key_range.clone(),
            value_range.clone(),
            v.as_str(),
        ) {
            let place = SecretPlace::Terraform("a variables file".to_owned());
            record_secret(out, input, key, place, (k, val), text);
        }
        body.attributes.push(ast::Attribute {
            key: std::sync::Arc::from(key.as_str()),
            key_span: ast::span(key_range),
            value: ast::json_expr(v, ast::span(value_range)),
        });
    }
    Ok(HclFile {
        id: input.id,
        path: input.path.to_path_buf(),
        offset: input.offset,
        kind,
        body,
        dropped: Vec::new(),
        matters: true,
    })
}

/// The attributes of a body named like a credential.
fn credentials(body: &Body) -> impl Iterator<Item = &hcl_edit::structure::Attribute> {
    body.attributes()
        .filter(|a| is_credential_name(a.key.as_str()))
}

/// Records each credential written as a literal string: in `provider` blocks, the
/// `backend` block of `terraform`, the defaults of `variable` blocks named like one, and
/// `.tfvars` values named like one.
fn find_secrets(input: &FileInput, body: &Body, kind: HclKind, out: &mut Contribution) {
    let mut record =
        |key: &str, key_span: Option<std::ops::Range<usize>>, value: &Expression, place: String| {
            let (Expression::String(s), Some(key_span), Some(value_span)) =
                (value, key_span, value.span())
            else {
                return;
            };
            let place = SecretPlace::Terraform(place);
            record_secret(out, input, key, place, (key_span, value_span), s.value());
        };
    if kind != HclKind::Config {
        for attr in credentials(body) {
            record(
                attr.key.as_str(),
                attr.key.span(),
                &attr.value,
                "a variables file".to_owned(),
            );
        }
        return;
    }
    for block in body.blocks() {
        let label = block.labels.first().map(|l| l.as_str()).unwrap_or_default();
        match block.ident.as_str() {
            "provider" => {
                for attr in credentials(&block.body) {
                    record(
                        attr.key.as_str(),
                        attr.key.span(),
                        &attr.value,
                        format!("`provider \"{label}\"`"),
                    );
                }
            }
            "terraform" => {
                for backend in block
                    .body
                    .blocks()
                    .filter(|b| b.ident.as_str() == "backend")
                {
                    for attr in credentials(&backend.body) {
                        record(
                            attr.key.as_str(),
                            attr.key.span(),
                            &attr.value,
                            "the `backend` block".to_owned(),
                        );
                    }
                }
            }
            "variable" if is_credential_name(label) => {
                if let Some(attr) = block.body.get_attribute("default") {
                    record(
                        label,
                        attr.key.span(),
                        &attr.value,
                        format!("the default of `variable \"{label}\"`"),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The quick look before lowercasing a name drops none that is a credential's.
        #[test]
        fn credential_names_are_told_as_by_their_lowercase(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "access_key", "Secret_Key", "TOKEN", "session_token", "secret_access_key",
                "access_key_id", "key", "tok", "en", "_", "id", "x", "aws",
            ]), 0..4)
        ) {
            let name = parts.concat();
            let n = name.to_ascii_lowercase();
            let expected = matches!(n.as_str(), "access_key" | "secret_key" | "token")
                || n.contains("secret_access_key")
                || n.contains("access_key_id")
                || n.contains("session_token")
                || n.ends_with("secret_key");
            proptest::prop_assert_eq!(is_credential_name(&name), expected, "{}", name);
        }
    }

    #[test]
    fn blocks_never_read_are_blanked_in_place() {
        let text = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"é ${var.x}\"\n}\n\
                    resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n}\n\
                    data \"aws_region\" \"here\" {}\n\
                    data \"aws_caller_identity\" \"me\" {}\n\
                    terraform {\n  backend \"s3\" {}\n}\n";
        let Some(Unread::Blanked(blanked, names)) = without_unread_blocks(text, None) else {
            panic!("something is blanked");
        };
        assert_eq!(names, ["aws_s3_bucket.b", "data.aws_region.here"]);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.matches('\n').count(), text.matches('\n').count());
        let role = text.find("resource \"aws_iam_role\"").expect("role");
        let region = "data \"aws_region\" \"here\" {}";
        assert_eq!(
            blanked[role..],
            text[role..].replace(region, &" ".repeat(region.len()))
        );
        assert!(blanked[..role].trim().is_empty());
        let body = hcl_edit::parser::parse_body(&blanked).expect("parses");
        assert_eq!(body.blocks().count(), 3);
    }

    #[test]
    fn blank_lines_are_what_hcl_edit_reads_as_an_empty_body() {
        for text in ["", "\n", "  \t \n\n   ", "\r\n  \r\n"] {
            assert!(only_blank_lines(text), "{text:?}");
            let body = hcl_edit::parser::parse_body(text).expect("parses");
            assert_eq!(body.iter().count(), 0);
        }
        for text in ["# c\n", " \r ", "\u{c}", "x"] {
            assert!(!only_blank_lines(text), "{text:?}");
        }
    }

    #[test]
    fn a_file_of_unread_blocks_only_is_an_empty_body() {
        let text = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n\n\
                    data \"aws_region\" \"here\" {}\n";
        let id = 7;
        let path = Path::new("s3.tf");
        let input = FileInput {
            id,
            path,
            text,
            offset: 0,
        };
        assert_eq!(
            without_unread_blocks(text, None),
            Some(Unread::Empty(vec![
                "aws_s3_bucket.b".to_owned(),
                "data.aws_region.here".to_owned()
            ]))
        );
        let mut out = Contribution::default();
        let file = parse(&input, HclKind::Config, false, None, &mut out).expect("parses");
        assert!(file.body.blocks.is_empty() && file.body.attributes.is_empty());
        assert_eq!(file.dropped, ["aws_s3_bucket.b", "data.aws_region.here"]);
        // A comment left between the blocks still goes to hcl-edit, and is no block.
        let commented = format!("# buckets\n{text}");
        assert!(matches!(
            without_unread_blocks(&commented, None),
            Some(Unread::Blanked(..))
        ));
        let input = FileInput {
            text: &commented,
            ..input
        };
        let file = parse(&input, HclKind::Config, false, None, &mut out).expect("parses");
        assert!(file.body.blocks.is_empty());
        assert_eq!(file.dropped.len(), 2);
    }

    #[test]
    fn a_root_module_goes_without_what_only_a_caller_reads() {
        let text = "variable \"used\" {}\nvariable \"unused\" {\n  default = 1\n}\n\
                    output \"o\" {\n  value = 1\n}\n\
                    terraform {\n  backend \"s3\" {}\n}\n\
                    resource \"aws_iam_role\" \"r\" {\n  name = var.used\n}\n";
        let vars = named_vars([text].into_iter());
        let root = RootUse { vars: Some(&vars) };
        let Some(Unread::Blanked(blanked, names)) = without_unread_blocks(text, Some(&root)) else {
            panic!("blanked");
        };
        assert!(names.is_empty());
        let body = hcl_edit::parser::parse_body(&blanked).expect("parses");
        let kept: Vec<String> = body
            .blocks()
            .map(|b| {
                format!(
                    "{} {:?}",
                    b.ident.as_str(),
                    b.labels.first().map(|l| l.as_str())
                )
            })
            .collect();
        assert_eq!(
            kept,
            ["variable Some(\"used\")", "resource Some(\"aws_iam_role\")"]
        );
        // A credential variable, named or not, is read (IAM501).
        let credential = "variable \"aws_secret_key\" {\n  default = \"x\"\n}\n";
        assert_eq!(without_unread_blocks(credential, Some(&root)), None);
        // A backend that names a credential is read (IAM501); outside a root, all is read.
        let secret = "terraform {\n  backend \"s3\" {\n    secret_key = \"x\"\n  }\n}\n";
        assert_eq!(without_unread_blocks(secret, Some(&root)), None);
        assert_eq!(without_unread_blocks(text, None), None);
    }

    #[test]
    fn a_call_not_followed_is_read_for_its_source_only() {
        let text = "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.5.1\"\n  azs     = [for i in range(3) : i]\n}\n\
                    module \"local\" {\n  source = \"./m\"\n  x      = 1\n}\n";
        let Some(Unread::Blanked(blanked, names)) = without_unread_blocks(text, None) else {
            panic!("blanked");
        };
        assert!(names.is_empty());
        assert_eq!(blanked.len(), text.len());
        let body = hcl_edit::parser::parse_body(&blanked).expect("parses");
        let attrs: Vec<Vec<String>> = body
            .blocks()
            .map(|b| b.body.attributes().map(|a| a.key.to_string()).collect())
            .collect();
        assert_eq!(attrs, [vec!["source"], vec!["source", "x"]]);
    }

    #[test]
    fn files_of_iam_blocks_or_unsound_ones_are_parsed_whole() {
        assert_eq!(
            without_unread_blocks(
                "resource \"aws_iam_role\" \"r\" {\n}\n# resource \"aws_s3_bucket\"\n",
                None
            ),
            None
        );
        assert_eq!(
            without_unread_blocks(
                "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n",
                None
            ),
            None
        );
        // A label with a template is left to hcl-edit.
        assert_eq!(
            without_unread_blocks("resource \"aws_${x}\" \"b\" {\n}\n", None),
            None
        );
    }
}
