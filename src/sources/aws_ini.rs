//! Parser for the AWS CLI/SDK shared `config` and `credentials` files.
//!
//! This module turns the text of one such file into sections and `key = value`
//! entries, following the profile-file rules that the AWS SDKs share (the
//! cross-SDK profile parser conformance rules), and keeps the exact line and
//! byte span of every header, key and value so that callers can point at them.
//! Malformed lines become [`IniError`]s and parsing carries on; nothing here
//! panics on any input.
//!
//! It must not decide findings: it does not judge whether a profile is
//! dangerous, incomplete or shadowed (for example by `[profile default]` over
//! `[default]`, or by a credentials-file profile over a config-file one). It
//! only reports what the file says, and classifies sections the way the SDKs
//! would so callers can warn. Values may be secrets, so neither the `Debug`
//! output of an entry nor any error message ever contains a value or a
//! line's text.

use std::fmt;
use std::ops::Range;

use foldhash::{HashMap, HashMapExt};

/// Which of the two shared files the text came from; the section rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: profiles are `[profile NAME]` or `[default]`.
    Config,
    /// `~/.aws/credentials`: profiles are plain `[NAME]`.
    Credentials,
}

/// What a section header declares, as the AWS SDKs would read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionKind {
    /// `[default]` (in either file).
    Default,
    /// `[profile NAME]` in a config file (including `[profile default]`,
    /// which the SDKs prefer over `[default]`).
    Profile,
    /// `[sso-session NAME]` in a config file.
    SsoSession,
    /// `[services NAME]` in a config file.
    Services,
    /// `[name]` in a credentials file
    Credentials,
    /// anything else (e.g. `[foo]` in a config file)
    ///
    /// This also covers headers whose name the SDKs reject (characters other
    /// than ASCII letters, digits and `-_/.%@:+`), `[profile x]` in a
    /// credentials file and unknown prefixes such as `[sso-sesion x]`. The SDKs
    /// ignore such sections; they are kept so callers can warn.
    Other,
}

/// One `key = value` property (or sub-property) of a section.
///
/// `Debug` is written by hand so that it never prints `value`, which may be a
/// secret such as `aws_secret_access_key`.
#[derive(Clone)]
pub struct IniEntry {
    /// The key as written (trimmed of spaces and tabs, case kept).
    pub key: String,
    /// The value, trimmed, with an inline comment removed. A value continued
    /// on indented lines holds every part joined by `\n`. For a property that
    /// opens a sub-section (`s3 =`) this is empty and `sub` holds the lines.
    pub value: String,
    /// 1-based line number of the key.
    pub line: usize,
    /// Byte range of the key in the whole file text.
    pub key_span: Range<usize>,
    /// Byte range of the value in the whole file text. For a continued value it
    /// runs from the first part to the end of the last one (so it also covers
    /// the line breaks and indentation in between). For an empty value it is
    /// the empty range just after the `=`.
    pub value_span: Range<usize>,
    /// Sub-properties (`  name = value` lines under a property with an empty
    /// value). Their values are kept as written: like the SDKs and the CLI,
    /// no inline comment is removed from them.
    pub sub: Vec<IniEntry>,
}

impl fmt::Debug for IniEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IniEntry")
            .field("key", &self.key)
            .field(
                "value",
                &format_args!("<redacted len {}>", self.value.len()),
            )
            .field("line", &self.line)
            .field("key_span", &self.key_span)
            .field("value_span", &self.value_span)
            .field("sub", &self.sub)
            .finish()
    }
}

/// One section of the file. Sections repeated with the same kind and name are
/// merged into the first one: its header position is kept and the later
/// occurrences' entries are appended, each with its own position.
#[derive(Debug, Clone)]
pub struct IniSection {
    /// What the header declares.
    pub kind: SectionKind,
    /// `"default"` for `[default]`, the profile name for `[profile x]`, the
    /// session name for `[sso-session x]`, the name for `[services x]` and for
    /// credentials-file `[x]`. For [`SectionKind::Other`] it is the whole
    /// trimmed text between the brackets (e.g. `"profile in valid"`).
    pub name: String,
    /// Byte range of the whole `[...]`.
    pub header_span: Range<usize>,
    /// Byte range of `name` in the header.
    pub name_span: Range<usize>,
    /// 1-based line number of the header.
    pub line: usize,
    /// Entries in file order; a key may repeat (the last one wins).
    pub entries: Vec<IniEntry>,
}

impl IniSection {
    /// The last entry with this key, compared ASCII case-insensitively (the
    /// SDKs lower-case keys, so the last spelling of any case wins).
    pub fn get(&self, key: &str) -> Option<&IniEntry> {
        self.entries
            .iter()
            .rev()
            .find(|entry| entry.key.eq_ignore_ascii_case(key))
    }
}

/// A line the SDKs would refuse to parse.
#[derive(Debug, Clone)]
pub struct IniError {
    /// 1-based line number.
    pub line: usize,
    /// Byte range of the offending text in the whole file.
    pub span: Range<usize>,
    /// Plain lower-case words; never the line's text, which may hold a secret.
    pub message: String,
}

/// The result of parsing one file: every section found and every error.
#[derive(Debug, Clone, Default)]
pub struct IniFile {
    /// Sections in order of first appearance.
    pub sections: Vec<IniSection>,
    /// Errors in line order.
    pub errors: Vec<IniError>,
    /// Properties the SDKs do not read, kept only so that a credential written in one is
    /// still found: lines before any section header, lines under a malformed header,
    /// `key: value` lines (Python's configparser, which the AWS CLI v1 uses, accepts `:`),
    /// and an indented line without `=` under a key with an empty value (kept as that
    /// key's value, at the key's span).
    /// Each also gave an error (or sits under a header that did); none is a setting.
    pub stray: Vec<StrayEntry>,
}

/// A property outside any section the SDKs read (see [`IniFile::stray`]).
#[derive(Debug, Clone)]
pub struct StrayEntry {
    /// The section the line sits in when its header was well formed (a `key: value` line
    /// of a good section); None before any header or under a malformed one.
    pub section: Option<usize>,
    pub entry: IniEntry,
}

/// Characters the profile-file rules treat as whitespace. The rules are
/// stricter than `char::is_whitespace`, so trimming uses exactly these.
const WS: [char; 2] = [' ', '\t'];

/// How much of the text [`looks_like_aws_ini`] reads.
const SNIFF_LIMIT: usize = 64 * 1024;

/// Keys that, inside some section, mark a file as AWS config or credentials.
const WELL_KNOWN_KEYS: [&str; 8] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "role_arn",
    "source_profile",
    "credential_source",
    "region",
    "sso_start_url",
    "output",
];

/// Keys that mark a file as AWS config or credentials wherever they are.
const CREDENTIAL_KEYS: [&str; 3] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

const MSG_PROPERTY_BEFORE_SECTION: &str = "property line appears before any section header";
const MSG_INDENTED_BEFORE_SECTION: &str = "indented line appears before any section header";
const MSG_CONTINUATION_WITHOUT_PROPERTY: &str =
    "indented line has no property above it to continue";
const MSG_NO_EQUALS: &str = "line is not a section header, comment or property: it has no '='";
const MSG_NO_NAME: &str = "property has no name before '='";
const MSG_SUB_NO_EQUALS: &str = "sub-property line has no '='";
const MSG_SUB_NO_NAME: &str = "sub-property has no name before '='";
const MSG_HEADER_UNTERMINATED: &str = "section header must end with ']'";
const MSG_HEADER_EMPTY: &str = "section header has no name";

/// A slice of the file together with its absolute byte offset, so that every
/// trim or split keeps exact positions without pointer arithmetic.
#[derive(Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    start: usize,
}

impl<'a> Piece<'a> {
    fn span(self) -> Range<usize> {
        self.start..self.start + self.text.len()
    }

    fn end(self) -> usize {
        self.start + self.text.len()
    }

    fn is_empty(self) -> bool {
        self.text.is_empty()
    }

    /// Sub-slice by byte offsets relative to this piece; out-of-range or
    /// non-boundary offsets give an empty piece rather than a panic.
    fn slice(self, from: usize, to: usize) -> Piece<'a> {
        match self.text.get(from..to) {
            Some(text) => Piece {
                text,
                start: self.start + from,
            },
            None => Piece {
                text: "",
                start: self.start,
            },
        }
    }

    fn trim(self) -> Piece<'a> {
        let rest = self.text.trim_start_matches(WS);
        let lead = self.text.len() - rest.len();
        Piece {
            text: rest.trim_end_matches(WS),
            start: self.start + lead,
        }
    }

    /// Cut off a trailing comment. On property lines a `#` or `;` starts a
    /// comment only after whitespace (so `value#x` keeps the `#`); on header
    /// lines it does anywhere (`[profile foo]; note`). Mirrors the SDKs,
    /// which use Unicode whitespace for the "after whitespace" test.
    fn cut_comment(self, needs_whitespace: bool) -> Piece<'a> {
        let mut prev_whitespace = false;
        for (idx, ch) in self.text.char_indices() {
            if (ch == '#' || ch == ';') && (prev_whitespace || !needs_whitespace) {
                return self.slice(0, idx);
            }
            prev_whitespace = ch.is_whitespace();
        }
        self
    }

    /// Split at the first `c` (an ASCII character), dropping it.
    fn split_once(self, c: char) -> Option<(Piece<'a>, Piece<'a>)> {
        let idx = self.text.find(c)?;
        Some((
            self.slice(0, idx),
            self.slice(idx + c.len_utf8(), self.text.len()),
        ))
    }
}

/// One physical line, without its `\n` or `\r\n`.
struct Line<'a> {
    piece: Piece<'a>,
    number: usize,
}

/// Split into lines, skipping a leading UTF-8 byte order mark while keeping
/// offsets relative to the whole text.
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let body_start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let body = text.get(body_start..).unwrap_or("");
    let mut offset = body_start;
    body.split('\n').enumerate().map(move |(idx, raw)| {
        let start = offset;
        offset += raw.len() + 1;
        Line {
            piece: Piece {
                text: raw.strip_suffix('\r').unwrap_or(raw),
                start,
            },
            number: idx + 1,
        }
    })
}

/// The SDKs accept profile, session and property names made only of these.
fn is_valid_identifier(name: &str) -> bool {
    name.chars().all(|ch| {
        ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '/' | '.' | '%' | '@' | ':' | '+')
    })
}

/// A well-formed header line, already classified.
struct Header {
    kind: SectionKind,
    name: String,
    header_span: Range<usize>,
    name_span: Range<usize>,
}

/// Read a line that starts with `[`.
fn parse_header(
    line: Piece<'_>,
    file_kind: FileKind,
) -> Result<Header, (Range<usize>, &'static str)> {
    let prepared = line.trim().cut_comment(false).trim();
    let inner = match prepared
        .text
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
    {
        Some(inner) => Piece {
            text: inner,
            start: prepared.start + 1,
        },
        None => return Err((prepared.span(), MSG_HEADER_UNTERMINATED)),
    };
    let content = inner.trim();
    if content.is_empty() {
        return Err((prepared.span(), MSG_HEADER_EMPTY));
    }
    // `[prefix name]`: the prefix is everything up to the first space or tab.
    let (prefix, suffix) = match content.text.find(WS) {
        Some(idx) => (
            Some(content.slice(0, idx).text),
            content.slice(idx + 1, content.text.len()).trim(),
        ),
        None => (None, content),
    };
    let valid = is_valid_identifier(suffix.text);
    let kind = match (file_kind, prefix) {
        (FileKind::Config, None) if suffix.text == "default" => SectionKind::Default,
        (FileKind::Config, Some("profile")) if valid => SectionKind::Profile,
        (FileKind::Config, Some("sso-session")) if valid => SectionKind::SsoSession,
        (FileKind::Config, Some("services")) if valid => SectionKind::Services,
        (FileKind::Credentials, None) if valid && suffix.text == "default" => SectionKind::Default,
        (FileKind::Credentials, None) if valid => SectionKind::Credentials,
        _ => SectionKind::Other,
    };
    // Other sections keep the whole bracket text so a warning can show what
    // was written, e.g. `profile in valid` rather than `in valid`.
    let named = if kind == SectionKind::Other {
        content
    } else {
        suffix
    };
    Ok(Header {
        kind,
        name: named.text.to_string(),
        header_span: prepared.span(),
        name_span: named.span(),
    })
}

/// Why a `key = value` line was refused.
enum PropertyError {
    NoEquals,
    NoName,
}

/// Split a (possibly indented) `key = value` line, removing an inline comment
/// first. Returns the trimmed key, the trimmed value and the raw text right
/// after the `=` (where an empty value's span sits).
fn parse_property(
    line: Piece<'_>,
) -> Result<(Piece<'_>, Piece<'_>), (Range<usize>, PropertyError)> {
    let prepared = line.trim().cut_comment(true).trim();
    let Some((key, value)) = prepared.split_once('=') else {
        return Err((prepared.span(), PropertyError::NoEquals));
    };
    let key = key.trim();
    if key.is_empty() {
        return Err((prepared.span(), PropertyError::NoName));
    }
    Ok((key, trim_value(value)))
}

/// A `key: value` line: the key must be a name the SDKs accept, so that a line of prose or
/// a URL is not taken for one.
fn parse_colon_property(line: Piece<'_>) -> Option<(Piece<'_>, Piece<'_>)> {
    let prepared = line.trim().cut_comment(true).trim();
    let (key, value) = prepared.split_once(':')?;
    let key = key.trim();
    if key.is_empty() || !is_valid_identifier(key.text) {
        return None;
    }
    Some((key, trim_value(value)))
}

/// A property's value without surrounding blanks; an empty one keeps the empty span just
/// after the separator, not after trailing blanks.
fn trim_value(value: Piece<'_>) -> Piece<'_> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        value.slice(0, 0)
    } else {
        trimmed
    }
}

/// Where property lines currently go.
#[derive(Clone, Copy)]
enum Target {
    /// No header seen yet.
    Start,
    /// A broken header: its properties belong nowhere and are dropped quietly
    /// (the header already has an error).
    Broken,
    /// Index into `IniFile::sections`.
    Section(usize),
}

/// What indented lines currently continue.
#[derive(Clone, Copy)]
enum Current {
    /// Nothing: an indented line here is an error.
    None,
    /// A line that was itself refused or dropped; its continuation lines are
    /// dropped too so one mistake gives one error.
    Dropped,
    /// Entry `entry` of section `section`; `sub` when it opened a sub-section.
    Property {
        section: usize,
        entry: usize,
        sub: bool,
    },
}

/// Private key for merging repeated sections without requiring `Hash` on the
/// public enum.
fn kind_code(kind: &SectionKind) -> u8 {
    match kind {
        SectionKind::Default => 0,
        SectionKind::Profile => 1,
        SectionKind::SsoSession => 2,
        SectionKind::Services => 3,
        SectionKind::Credentials => 4,
        SectionKind::Other => 5,
    }
}

struct Parser {
    file: IniFile,
    index: HashMap<(u8, String), usize>,
    target: Target,
    current: Current,
}

impl Parser {
    fn error(&mut self, line: usize, span: Range<usize>, message: &str) {
        self.file.errors.push(IniError {
            line,
            span,
            message: message.to_string(),
        });
    }

    fn header_line(&mut self, line: &Line<'_>, file_kind: FileKind) {
        self.current = Current::None;
        match parse_header(line.piece, file_kind) {
            Ok(header) => {
                let key = (kind_code(&header.kind), header.name.clone());
                let idx = match self.index.get(&key) {
                    Some(&idx) => idx,
                    None => {
                        let idx = self.file.sections.len();
                        self.file.sections.push(IniSection {
                            kind: header.kind,
                            name: header.name,
                            header_span: header.header_span,
                            name_span: header.name_span,
                            line: line.number,
                            entries: Vec::new(),
                        });
                        self.index.insert(key, idx);
                        idx
                    }
                };
                self.target = Target::Section(idx);
            }
            Err((span, message)) => {
                self.error(line.number, span, message);
                self.target = Target::Broken;
            }
        }
    }

    /// Keeps a line the SDKs do not read as a stray property, if it has the shape of one
    /// (`key = value`, or `key: value`).
    fn stray(&mut self, line: &Line<'_>, section: Option<usize>) {
        let parsed = parse_property(line.piece)
            .ok()
            .or_else(|| parse_colon_property(line.piece));
        if let Some((key, value)) = parsed {
            self.file.stray.push(StrayEntry {
                section,
                entry: IniEntry {
                    key: key.text.to_string(),
                    value: value.text.to_string(),
                    line: line.number,
                    key_span: key.span(),
                    value_span: value.span(),
                    sub: Vec::new(),
                },
            });
        }
    }

    fn property_line(&mut self, line: &Line<'_>) {
        let section = match self.target {
            Target::Start => {
                self.error(
                    line.number,
                    line.piece.trim().span(),
                    MSG_PROPERTY_BEFORE_SECTION,
                );
                self.stray(line, None);
                self.current = Current::Dropped;
                return;
            }
            Target::Broken => None,
            Target::Section(idx) => Some(idx),
        };
        let (key, value) = match parse_property(line.piece) {
            Ok(parsed) => parsed,
            Err((span, err)) => {
                let message = match err {
                    PropertyError::NoEquals => MSG_NO_EQUALS,
                    PropertyError::NoName => MSG_NO_NAME,
                };
                self.error(line.number, span, message);
                self.stray(line, section);
                self.current = Current::Dropped;
                return;
            }
        };
        let Some(section_idx) = section else {
            self.stray(line, None);
            self.current = Current::Dropped;
            return;
        };
        let Some(section) = self.file.sections.get_mut(section_idx) else {
            self.current = Current::Dropped;
            return;
        };
        section.entries.push(IniEntry {
            key: key.text.to_string(),
            value: value.text.to_string(),
            line: line.number,
            key_span: key.span(),
            value_span: value.span(),
            sub: Vec::new(),
        });
        self.current = Current::Property {
            section: section_idx,
            entry: section.entries.len() - 1,
            sub: value.is_empty(),
        };
    }

    fn indented_line(&mut self, line: &Line<'_>) {
        let (section_idx, entry_idx, sub) = match (self.target, self.current) {
            (_, Current::Dropped) | (Target::Broken, _) => return,
            (Target::Start, _) => {
                self.error(
                    line.number,
                    line.piece.trim().span(),
                    MSG_INDENTED_BEFORE_SECTION,
                );
                self.current = Current::Dropped;
                return;
            }
            (Target::Section(_), Current::None) => {
                self.error(
                    line.number,
                    line.piece.trim().span(),
                    MSG_CONTINUATION_WITHOUT_PROPERTY,
                );
                self.current = Current::Dropped;
                return;
            }
            (
                Target::Section(_),
                Current::Property {
                    section,
                    entry,
                    sub,
                },
            ) => (section, entry, sub),
        };
        let content = line.piece.trim();
        let sub_entry = if sub {
            // The SDKs check a sub-property with comments removed but keep
            // its text as written; do the same.
            match parse_property(line.piece) {
                Ok(_) => match content.split_once('=') {
                    Some((key, value)) => {
                        let key = key.trim();
                        let trimmed = value.trim();
                        let value = if trimmed.is_empty() {
                            value.slice(0, 0)
                        } else {
                            trimmed
                        };
                        Some(IniEntry {
                            key: key.text.to_string(),
                            value: value.text.to_string(),
                            line: line.number,
                            key_span: key.span(),
                            value_span: value.span(),
                            sub: Vec::new(),
                        })
                    }
                    None => None,
                },
                Err((span, err)) => {
                    let message = match err {
                        PropertyError::NoEquals => MSG_SUB_NO_EQUALS,
                        PropertyError::NoName => MSG_SUB_NO_NAME,
                    };
                    self.error(line.number, span, message);
                    // `aws_secret_access_key =` then the key on an indented line: the SDKs
                    // refuse it, but the line is the key's value as written.
                    let parent = self
                        .file
                        .sections
                        .get(section_idx)
                        .and_then(|section| section.entries.get(entry_idx));
                    if let (PropertyError::NoEquals, Some(parent)) = (err, parent) {
                        let entry = IniEntry {
                            key: parent.key.clone(),
                            value: content.text.to_string(),
                            line: line.number,
                            key_span: parent.key_span.clone(),
                            value_span: content.span(),
                            sub: Vec::new(),
                        };
                        self.file.stray.push(StrayEntry {
                            section: Some(section_idx),
                            entry,
                        });
                    }
                    return;
                }
            }
        } else {
            None
        };
        let Some(entry) = self
            .file
            .sections
            .get_mut(section_idx)
            .and_then(|section| section.entries.get_mut(entry_idx))
        else {
            return;
        };
        if sub {
            entry.sub.extend(sub_entry);
        } else {
            // Continuation lines are kept whole: the SDKs remove no comment
            // from them.
            entry.value.push('\n');
            entry.value.push_str(content.text);
            entry.value_span.end = content.end();
        }
    }
}

/// Parse the text of a shared `config` or `credentials` file.
///
/// Never fails and never panics: lines the SDKs would refuse become entries in
/// [`IniFile::errors`] and parsing goes on with the next line.
pub fn parse_ini(text: &str, kind: FileKind) -> IniFile {
    let mut parser = Parser {
        file: IniFile::default(),
        index: HashMap::new(),
        target: Target::Start,
        current: Current::None,
    };
    for line in lines(text) {
        let raw = line.piece.text;
        // Blank and comment lines change no state: a continuation may follow
        // a comment line and still belong to the property above it.
        if raw.trim_matches(WS).is_empty() || raw.starts_with(['#', ';']) {
            continue;
        }
        if raw.starts_with('[') {
            parser.header_line(&line, kind);
        } else if raw.starts_with(WS) {
            parser.indented_line(&line);
        } else {
            parser.property_line(&line);
        }
    }
    parser.file
}

/// Cheap content sniff: does this text look like an AWS config or credentials
/// file?
///
/// True when it has a `[default]`, `[profile x]` or `[sso-session x]` header,
/// or a section holding one of the well-known keys (`aws_access_key_id`,
/// `aws_secret_access_key`, `role_arn`, `source_profile`, `credential_source`,
/// `region`, `sso_start_url`, `output`), or a credential key anywhere (written
/// `key = value` or `key: value`). Only the first 64 KiB are read, so
/// large files that are not INI cost little.
pub fn looks_like_aws_ini(text: &str) -> bool {
    let mut end = text.len().min(SNIFF_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or("");
    let mut in_section = false;
    for line in lines(head) {
        let raw = line.piece.text;
        if raw.starts_with('[') {
            // Either file kind would do; Config recognises every prefix.
            match parse_header(line.piece, FileKind::Config) {
                Ok(header) => {
                    if matches!(
                        header.kind,
                        SectionKind::Default | SectionKind::Profile | SectionKind::SsoSession
                    ) {
                        return true;
                    }
                    in_section = true;
                }
                Err(_) => in_section = false,
            }
        } else if !raw.starts_with(WS) {
            // A credential key marks the file wherever it is and however it is written
            // (`key: value` too, which the AWS CLI v1 accepts): a credential after a
            // broken header is still a credential file's.
            let known = |key: &str, keys: &[&str]| {
                let key = key.trim_matches(WS);
                keys.iter().any(|k| k.eq_ignore_ascii_case(key))
            };
            let by_equals = raw.split_once('=').map(|(key, _)| key);
            let by_either = raw.split_once(['=', ':']).map(|(key, _)| key);
            if by_equals.is_some_and(|key| in_section && known(key, &WELL_KNOWN_KEYS))
                || by_either.is_some_and(|key| known(key, &CREDENTIAL_KEYS))
            {
                return true;
            }
        }
    }
    false
}

/// Byte strings one of which an AWS config or credentials file found by its content (not
/// its name) holds: a search for them is the cheap test before any line is read. Every
/// key of [`AWS_ONLY_KEYS`] contains one, and so does a `[profile …]` header.
const CONTENT_MARKERS: &[&[u8]] = &[
    b"aws_",
    b"role_",
    b"source_profile",
    b"sso_",
    b"credential_",
    b"mfa_serial",
    b"web_identity",
    b"[profile ",
];

/// Keys no other INI dialect uses: one in a section marks a file as AWS config or
/// credentials whatever its name.
const AWS_ONLY_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "role_arn",
    "role_session_name",
    "source_profile",
    "credential_source",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "sso_account_id",
    "sso_role_name",
    "sso_region",
    "sso_registration_scopes",
    "web_identity_token_file",
    "mfa_serial",
];

/// Whether bytes may be an AWS config or credentials file: a `[` and one of
/// [`CONTENT_MARKERS`]. Cheap (a few byte searches), so a file whose name says nothing is
/// only read line by line ([`kind_by_content`]) when it passes.
pub fn may_be_aws_ini(bytes: &[u8]) -> bool {
    memchr::memchr(b'[', bytes).is_some()
        && CONTENT_MARKERS
            .iter()
            .any(|m| memchr::memmem::find(bytes, m).is_some())
}

/// Whether a text whose file name says nothing about AWS is an AWS config or credentials
/// file, and which of the two: stricter than [`looks_like_aws_ini`], which trusts the name.
/// Every meaningful line is a section header whose name the SDKs accept, a `key = value`
/// property or an indented continuation, the first one a header, and a section holds a key
/// of [`AWS_ONLY_KEYS`], or a `[profile …]` or `[sso-session …]` section holds a key of
/// [`WELL_KNOWN_KEYS`] (`region`). So git config (`[remote "origin"]`), `.editorconfig`
/// (`[*.py]`, keys before any section), `tox.ini`, `setup.cfg`, `php.ini`, systemd units
/// and desktop files (`[Desktop Entry]`) are not taken for one: none has such a key. A file
/// holding a profile header is a config file; one holding credentials and no profile
/// header is a credentials file.
pub fn kind_by_content(text: &str) -> Option<FileKind> {
    let mut end = text.len().min(SNIFF_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or("");
    let mut in_section = false;
    let mut in_profile = false;
    let mut profile_headers = false;
    let mut aws_key = false;
    let mut credentials = false;
    let mut region_in_profile = false;
    for line in lines(head) {
        let raw = line.piece.text;
        let text = raw.trim_matches(WS);
        if text.is_empty() || text.starts_with(['#', ';']) {
            continue;
        }
        if let Some(inner) = text.strip_prefix('[') {
            let name = inner.strip_suffix(']')?.trim_matches(WS);
            let (prefix, rest) = match name.split_once(WS) {
                Some((prefix, rest)) => (prefix, Some(rest.trim_matches(WS))),
                None => (name, None),
            };
            let rest_ok = rest.is_none_or(|r| !r.is_empty() && is_valid_identifier(r));
            match (prefix, rest) {
                ("profile" | "sso-session", Some(_)) if rest_ok => {
                    profile_headers = true;
                    in_profile = true;
                }
                ("services", Some(_)) if rest_ok => {
                    profile_headers = true;
                    in_profile = false;
                }
                (_, None) if !name.is_empty() && is_valid_identifier(name) => {
                    in_profile = name == "default";
                }
                _ => return None,
            }
            in_section = true;
            continue;
        }
        if !in_section {
            return None;
        }
        if raw.starts_with(WS) {
            // A continuation or a sub-property (`s3 =` then indented `max_concurrency`).
            continue;
        }
        let key = text.split_once('=')?.0.trim_matches(WS);
        if key.is_empty() || !is_valid_identifier(key) {
            return None;
        }
        let key = key.to_ascii_lowercase();
        aws_key |= AWS_ONLY_KEYS.contains(&key.as_str());
        credentials |= CREDENTIAL_KEYS.contains(&key.as_str());
        region_in_profile |= in_profile && WELL_KNOWN_KEYS.contains(&key.as_str());
    }
    if !(aws_key || (profile_headers && region_in_profile)) {
        return None;
    }
    Some(if credentials && !profile_headers {
        FileKind::Credentials
    } else {
        FileKind::Config
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_files_are_known_by_content() {
        let cases = [
            (
                "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n",
                Some(FileKind::Credentials),
            ),
            (
                "# ci\r\n[profile deploy]\r\nrole_arn = arn:aws:iam::123456789012:role/d\r\nsource_profile = default\r\n",
                Some(FileKind::Config),
            ),
            ("[profile dev]\nregion = eu-west-1\n", Some(FileKind::Config)),
            (
                "[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n",
                Some(FileKind::Config),
            ),
            (
                "[ci]\naws_access_key_id=AKIAEXAMPLE\n[profile x]\ncredential_process = /bin/creds\n",
                Some(FileKind::Config),
            ),
            (
                "[default]\ns3 =\n  max_concurrency = 4\nrole_arn = arn:aws:iam::123456789012:role/r\n",
                Some(FileKind::Config),
            ),
        ];
        for (text, kind) in cases {
            assert!(may_be_aws_ini(text.as_bytes()), "{text}");
            assert_eq!(kind_by_content(text), kind, "{text}");
        }
    }

    #[test]
    fn other_ini_dialects_are_not_aws_files() {
        let others = [
            // git config
            "[core]\n\trepositoryformatversion = 0\n[remote \"origin\"]\n\turl = git@example.com:x.git\n[credential]\n\thelper = aws_helper\n",
            // .editorconfig
            "root = true\n[*.py]\nindent_size = 4\n",
            // tox.ini
            "[tox]\nenvlist = py311\n[testenv]\npassenv = AWS_*\nsetenv =\n    AWS_ACCESS_KEY_ID = testing\ncommands = pytest\n",
            // setup.cfg
            "[metadata]\nname = aws_tools\n[options]\npackages = find:\n[flake8]\nmax-line-length = 100\n",
            // php.ini
            "[PHP]\nengine = On\nshort_open_tag = Off\n[Session]\nsession.name = PHPSESSID\n",
            // systemd unit
            "[Unit]\nDescription=aws_sync\n[Service]\nEnvironment=AWS_ACCESS_KEY_ID=x\nExecStart=/usr/bin/sync\n[Install]\nWantedBy=multi-user.target\n",
            // desktop file
            "[Desktop Entry]\nName=AWS Console\nExec=aws_console\nType=Application\n",
            // dotenv, shell
            "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=x\n",
            "#!/bin/sh\n[ -n \"$x\" ] && export aws_access_key_id=1\n",
            // region alone is every cloud tool's
            "[default]\nregion = eu-west-1\noutput = json\n",
        ];
        for text in others {
            assert_eq!(kind_by_content(text), None, "{text}");
        }
    }

    fn config(text: &str) -> IniFile {
        parse_ini(text, FileKind::Config)
    }

    fn creds(text: &str) -> IniFile {
        parse_ini(text, FileKind::Credentials)
    }

    fn section<'a>(file: &'a IniFile, kind: SectionKind, name: &str) -> &'a IniSection {
        match file
            .sections
            .iter()
            .find(|s| s.kind == kind && s.name == name)
        {
            Some(s) => s,
            None => panic!("no section {kind:?} {name:?} in {file:?}"),
        }
    }

    fn value<'a>(section: &'a IniSection, key: &str) -> &'a str {
        match section.get(key) {
            Some(e) => e.value.as_str(),
            None => panic!("no key {key:?}"),
        }
    }

    fn slice(text: &str, span: &Range<usize>) -> String {
        text.get(span.clone())
            .map(str::to_string)
            .unwrap_or_else(|| panic!("span {span:?} not in text"))
    }

    #[test]
    fn empty_and_blank_files_have_nothing() {
        for text in ["", "\n", " \t\n\r\n", "# only a comment\n; another"] {
            let file = config(text);
            assert!(file.sections.is_empty(), "{text:?}");
            assert!(file.errors.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn config_section_kinds() {
        let text = "[default]\nregion = eu-west-1\n\
                    [profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\n\
                    [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n\
                    [services local]\ns3 =\n  endpoint_url = http://localhost:4566\n\
                    [stray]\nregion = us-east-1\n\
                    [profile default]\noutput = json\n";
        let file = config(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let kinds: Vec<(SectionKind, &str)> = file
            .sections
            .iter()
            .map(|s| (s.kind.clone(), s.name.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (SectionKind::Default, "default"),
                (SectionKind::Profile, "dev"),
                (SectionKind::SsoSession, "corp"),
                (SectionKind::Services, "local"),
                (SectionKind::Other, "stray"),
                (SectionKind::Profile, "default"),
            ]
        );
        assert_eq!(
            value(section(&file, SectionKind::Profile, "dev"), "role_arn"),
            "arn:aws:iam::111122223333:role/dev"
        );
    }

    #[test]
    fn header_whitespace_is_tolerated() {
        let text = "[ profile  foo ]\n[profile\tbar]\n[\tdefault ]\n[profile \tbaz \t]";
        let file = config(text);
        assert!(file.errors.is_empty());
        let names: Vec<&str> = file.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["foo", "bar", "default", "baz"]);
        let foo = section(&file, SectionKind::Profile, "foo");
        assert_eq!(foo.header_span, 0..16);
        assert_eq!(slice(text, &foo.name_span), "foo");
        assert_eq!(section(&file, SectionKind::Default, "default").line, 3);
    }

    #[test]
    fn names_the_sdks_reject_become_other() {
        let file = config(
            "[profile in valid]\nx = 1\n[profile foo!bar]\n[profilefoo]\n\
             [sso-sesion foo]\n[Profile foo]\n[profile ok-name_1/2.3%4@5:6+]",
        );
        assert!(file.errors.is_empty());
        let got: Vec<(SectionKind, &str)> = file
            .sections
            .iter()
            .map(|s| (s.kind.clone(), s.name.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (SectionKind::Other, "profile in valid"),
                (SectionKind::Other, "profile foo!bar"),
                (SectionKind::Other, "profilefoo"),
                (SectionKind::Other, "sso-sesion foo"),
                (SectionKind::Other, "Profile foo"),
                (SectionKind::Profile, "ok-name_1/2.3%4@5:6+"),
            ]
        );
        // Entries of an Other section are still there for callers to inspect.
        assert_eq!(value(&file.sections[0], "x"), "1");
    }

    #[test]
    fn credentials_section_kinds() {
        let file = creds(
            "[default]\naws_access_key_id = AKIDEXAMPLE\n[ ci ]\n[profile ci]\n\
             [sso-session x]\n[sso-sessionx]\n[in valid]",
        );
        assert!(file.errors.is_empty());
        let got: Vec<(SectionKind, &str)> = file
            .sections
            .iter()
            .map(|s| (s.kind.clone(), s.name.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (SectionKind::Default, "default"),
                (SectionKind::Credentials, "ci"),
                (SectionKind::Other, "profile ci"),
                (SectionKind::Other, "sso-session x"),
                (SectionKind::Credentials, "sso-sessionx"),
                (SectionKind::Other, "in valid"),
            ]
        );
    }

    #[test]
    fn properties_and_spans() {
        let text = "[profile p]\nregion=us-east-1\n  \nName \t=  \tva=lue \t\nempty =\t \n";
        let file = config(text);
        assert!(file.errors.is_empty());
        let p = section(&file, SectionKind::Profile, "p");
        assert_eq!(p.entries.len(), 3);
        let region = &p.entries[0];
        assert_eq!((region.key.as_str(), region.line), ("region", 2));
        assert_eq!(slice(text, &region.key_span), "region");
        assert_eq!(slice(text, &region.value_span), "us-east-1");
        let name = &p.entries[1];
        assert_eq!(name.key, "Name", "keys keep their case");
        assert_eq!(name.value, "va=lue", "only the first '=' splits");
        assert_eq!(slice(text, &name.value_span), "va=lue");
        assert_eq!(name.line, 4);
        let empty = &p.entries[2];
        assert_eq!(empty.value, "");
        let eq = text.find("empty =").map(|i| i + "empty =".len());
        assert_eq!(Some(empty.value_span.start), eq);
        assert!(empty.value_span.is_empty());
    }

    #[test]
    fn inline_comments() {
        let text = "# full line\n; also full line\n[profile foo] # after header\n\
                    a = value # comment with # sign\nb = value ; comment\n\
                    c = value#kept\nd = value;kept\ne = ;only a comment\n\
                    [profile bar]; adjacent\n[profile baz]#adjacent";
        let file = config(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let foo = section(&file, SectionKind::Profile, "foo");
        assert_eq!(value(foo, "a"), "value");
        assert_eq!(value(foo, "b"), "value");
        assert_eq!(value(foo, "c"), "value#kept");
        assert_eq!(value(foo, "d"), "value;kept");
        let a = foo.get("a").map(|e| slice(text, &e.value_span));
        assert_eq!(a.as_deref(), Some("value"));
        assert_eq!(foo.header_span.len(), "[profile foo]".len());
        section(&file, SectionKind::Profile, "bar");
        section(&file, SectionKind::Profile, "baz");
    }

    #[test]
    fn continuation_lines() {
        let text = "[profile foo]\nname = value\n -continued # not a comment\n\
                    # a comment line does not end the value\n\t-and-continued \t\nnext = 1";
        let file = config(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let foo = section(&file, SectionKind::Profile, "foo");
        let name = foo
            .get("name")
            .map(|e| (e.value.clone(), e.line, e.value_span.clone()));
        let Some((val, line, span)) = name else {
            panic!("no name")
        };
        assert_eq!(val, "value\n-continued # not a comment\n-and-continued");
        assert_eq!(line, 2);
        assert!(slice(text, &span).starts_with("value\n -continued"));
        assert!(slice(text, &span).ends_with("\t-and-continued"));
        assert_eq!(value(foo, "next"), "1");
    }

    #[test]
    fn sub_sections() {
        let text = "[profile foo]\ns3 =\n  max_concurrent_requests = 10\n\n\
                    \tmax_queue_size=1000 # kept as written\n  addressing_style =\nregion = x\n";
        let file = config(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let foo = section(&file, SectionKind::Profile, "foo");
        let Some(s3) = foo.get("s3") else {
            panic!("no s3")
        };
        assert_eq!(s3.value, "");
        assert_eq!(s3.line, 2);
        let subs: Vec<(&str, &str, usize)> = s3
            .sub
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.line))
            .collect();
        assert_eq!(
            subs,
            vec![
                ("max_concurrent_requests", "10", 3),
                ("max_queue_size", "1000 # kept as written", 5),
                ("addressing_style", "", 6),
            ]
        );
        assert_eq!(slice(text, &s3.sub[0].key_span), "max_concurrent_requests");
        assert_eq!(slice(text, &s3.sub[1].value_span), "1000 # kept as written");
        assert_eq!(value(foo, "region"), "x");
    }

    #[test]
    fn bad_sub_properties_are_errors_and_parsing_goes_on() {
        let file = config("[profile foo]\ns3 =\n  invalid\n  = value\n  ok = 1\n");
        let messages: Vec<(usize, &str)> = file
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(messages, vec![(3, MSG_SUB_NO_EQUALS), (4, MSG_SUB_NO_NAME)]);
        let foo = section(&file, SectionKind::Profile, "foo");
        let subs = foo.get("s3").map(|e| e.sub.len());
        assert_eq!(subs, Some(1));
    }

    #[test]
    fn errors_keep_parsing() {
        let text = "orphan = 1\n  indented orphan\n[default]\n= us-east-1\n  dropped\n\
                    key : value\n[profile a]\n  no property\n[profile b\nlost = 1\n\
                    []\n[profile c] trailing\n[profile ok]\nregion = us-west-2\n";
        let file = config(text);
        let messages: Vec<(usize, &str)> = file
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            vec![
                (1, MSG_PROPERTY_BEFORE_SECTION),
                (4, MSG_NO_NAME),
                (6, MSG_NO_EQUALS),
                (8, MSG_CONTINUATION_WITHOUT_PROPERTY),
                (9, MSG_HEADER_UNTERMINATED),
                (11, MSG_HEADER_EMPTY),
                (12, MSG_HEADER_UNTERMINATED),
            ]
        );
        assert_eq!(slice(text, &file.errors[1].span), "= us-east-1");
        assert_eq!(slice(text, &file.errors[4].span), "[profile b");
        let ok = section(&file, SectionKind::Profile, "ok");
        assert_eq!(value(ok, "region"), "us-west-2");
        assert!(section(&file, SectionKind::Default, "default")
            .entries
            .is_empty());
        // Properties under a broken header go nowhere.
        assert!(file.sections.iter().all(|s| s.get("lost").is_none()));
    }

    #[test]
    fn lines_the_sdks_do_not_read_are_kept_as_stray() {
        let text = "orphan = 1\n[ci\naws_secret_access_key = a\n[profile ok]\n\
                    aws_access_key_id: b\nnot a property\nurl: https://x\n";
        let file = config(text);
        let stray: Vec<(Option<&str>, &str, String)> = file
            .stray
            .iter()
            .map(|s| {
                let section = s.section.map(|i| file.sections[i].name.as_str());
                (
                    section,
                    s.entry.key.as_str(),
                    slice(text, &s.entry.value_span),
                )
            })
            .collect();
        assert_eq!(
            stray,
            [
                (None, "orphan", "1".to_owned()),
                (None, "aws_secret_access_key", "a".to_owned()),
                (Some("ok"), "aws_access_key_id", "b".to_owned()),
                (Some("ok"), "url", "https://x".to_owned()),
            ]
        );
        // They are errors (or under a header that is one) as before, and no setting.
        assert_eq!(file.errors.len(), 5);
        assert!(file.sections.iter().all(|s| s.entries.is_empty()));
        // A value put on the line below its key.
        let text = "[ci]\naws_secret_access_key =\n    value-below\n";
        let file = creds(text);
        assert_eq!(file.errors.len(), 1);
        let stray: Vec<(&str, String, usize)> = file
            .stray
            .iter()
            .map(|s| {
                (
                    s.entry.key.as_str(),
                    slice(text, &s.entry.value_span),
                    s.entry.line,
                )
            })
            .collect();
        assert_eq!(
            stray,
            [("aws_secret_access_key", "value-below".to_owned(), 3)]
        );
    }

    #[test]
    fn indented_line_first_is_an_error() {
        let file = config(" -continued\n[profile foo]\n -continued");
        let messages: Vec<&str> = file.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                MSG_INDENTED_BEFORE_SECTION,
                MSG_CONTINUATION_WITHOUT_PROPERTY
            ]
        );
    }

    #[test]
    fn header_resets_continuation() {
        let file = config("[profile foo]\nname = value\n[profile foo]\n -continued");
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].message, MSG_CONTINUATION_WITHOUT_PROPERTY);
        assert_eq!(value(&file.sections[0], "name"), "value");
    }

    #[test]
    fn duplicate_keys_keep_both_and_last_wins() {
        let file = config("[profile foo]\nName = value\nname = value2\nNAME = value3\n");
        let foo = section(&file, SectionKind::Profile, "foo");
        assert_eq!(foo.entries.len(), 3);
        assert_eq!(value(foo, "name"), "value3");
        assert_eq!(foo.get("nAmE").map(|e| e.line), Some(4));
        assert!(foo.get("other").is_none());
    }

    #[test]
    fn duplicate_sections_merge() {
        let text =
            "[profile foo]\nname = value\n[profile bar]\n[ profile foo ]\nname = value2\nx = 1\n";
        let file = config(text);
        assert_eq!(file.sections.len(), 2);
        let foo = section(&file, SectionKind::Profile, "foo");
        assert_eq!(foo.line, 1);
        assert_eq!(foo.header_span, 0..13);
        assert_eq!(value(foo, "name"), "value2");
        let lines: Vec<usize> = foo.entries.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 5, 6]);
        // `[default]` and `[profile default]` stay apart: precedence is the
        // caller's decision.
        let file = config("[default]\na = 1\n[profile default]\nb = 2\n[default]\nc = 3");
        assert_eq!(file.sections.len(), 2);
        assert_eq!(
            section(&file, SectionKind::Default, "default")
                .entries
                .len(),
            2
        );
    }

    #[test]
    fn crlf_and_bom_positions() {
        let text = "\u{feff}[default]\r\nregion = eu-west-1\r\n\r\n[profile x] ; c\r\nrole_arn = arn:aws:iam::1:role/r\r\n  \r\nbad line\r\n";
        let file = config(text);
        let d = section(&file, SectionKind::Default, "default");
        assert_eq!(d.header_span, 3..12);
        assert_eq!(d.name_span, 4..11);
        assert_eq!(d.line, 1);
        let region = d
            .get("region")
            .map(|e| (e.line, e.key_span.clone(), e.value_span.clone()));
        assert_eq!(region, Some((2, 14..20, 23..32)));
        assert_eq!(slice(text, &(23..32)), "eu-west-1");
        let x = section(&file, SectionKind::Profile, "x");
        assert_eq!(x.line, 4);
        assert_eq!(slice(text, &x.header_span), "[profile x]");
        let Some(role) = x.get("role_arn") else {
            panic!("no role_arn")
        };
        assert_eq!(role.line, 5);
        assert_eq!(role.value, "arn:aws:iam::1:role/r");
        assert_eq!(slice(text, &role.value_span), "arn:aws:iam::1:role/r");
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].line, 7);
        assert_eq!(slice(text, &file.errors[0].span), "bad line");
    }

    #[test]
    fn crlf_continuation_does_not_keep_carriage_returns() {
        let text = "[profile a]\r\nk = v\r\n  more\r\n";
        let file = config(text);
        assert_eq!(value(&file.sections[0], "k"), "v\nmore");
        let span = file.sections[0].entries[0].value_span.clone();
        assert_eq!(slice(text, &span), "v\r\n  more");
    }

    #[test]
    fn no_trailing_newline() {
        let text = "[profile a]\nregion = us-east-1";
        let file = config(text);
        let span = file.sections[0].entries[0].value_span.clone();
        assert_eq!(span.end, text.len());
        let file = config("[profile a");
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].span, 0..10);
    }

    #[test]
    fn unicode_values_keep_byte_spans() {
        let text = "[profile ü]\n[profile foo]\nname = 😂 héllo # c\n";
        let file = config(text);
        assert_eq!(file.sections[0].kind, SectionKind::Other);
        let foo = section(&file, SectionKind::Profile, "foo");
        let span = foo.entries[0].value_span.clone();
        assert_eq!(slice(text, &span), "😂 héllo");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let cont = "CONTINUEDSECRETPART";
        let sub = "SUBSECRETVALUE";
        let text = format!(
            "[default]\naws_secret_access_key = {secret}\ntoken = abc\n {cont}\n\
             s3 =\n  k = {sub}\n{secret}\n = {secret}\n[{secret}\n"
        );
        for kind in [FileKind::Config, FileKind::Credentials] {
            let file = parse_ini(&text, kind);
            let shown = format!("{file:?} {file:#?}");
            for hidden in [secret, cont, sub] {
                assert!(!shown.contains(hidden), "{hidden} leaked: {shown}");
            }
            assert!(shown.contains("<redacted len 40>"));
            assert!(!file.errors.is_empty());
            for err in &file.errors {
                assert!(!err.message.contains(secret));
                assert_eq!(err.message, err.message.to_lowercase());
            }
        }
    }

    #[test]
    fn never_panics_and_spans_stay_in_bounds() {
        let sample = "\u{feff}[ profile é ]\r\n a=ü\r\n[default\nk = 😂 # c\n  x\n\
                      s =\n\t y = ß ;z\n  w\n[]\n[;]\n= v\n\u{a0}k = v\n[profile\t]\n;c\n#c\n\r\r\n";
        for (end, _) in sample.char_indices().chain([(sample.len(), ' ')]) {
            let Some(text) = sample.get(..end) else {
                continue;
            };
            for kind in [FileKind::Config, FileKind::Credentials] {
                let file = parse_ini(text, kind);
                let mut spans = Vec::new();
                for s in &file.sections {
                    spans.push(s.header_span.clone());
                    spans.push(s.name_span.clone());
                    for e in &s.entries {
                        spans.push(e.key_span.clone());
                        spans.push(e.value_span.clone());
                        for sub in &e.sub {
                            spans.push(sub.key_span.clone());
                            spans.push(sub.value_span.clone());
                        }
                    }
                }
                spans.extend(file.errors.iter().map(|e| e.span.clone()));
                for span in spans {
                    assert!(text.get(span.clone()).is_some(), "{span:?} in {text:?}");
                }
                let _ = looks_like_aws_ini(text);
            }
        }
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_aws_ini("[default]\n"));
        assert!(looks_like_aws_ini("# c\n[ profile dev ]\n"));
        assert!(looks_like_aws_ini("[sso-session corp]\n"));
        assert!(looks_like_aws_ini(
            "[ci]\naws_access_key_id = AKIDEXAMPLE\n"
        ));
        assert!(looks_like_aws_ini("\u{feff}[x]\r\nRegion=us-east-1\r\n"));
        assert!(!looks_like_aws_ini(""));
        assert!(
            !looks_like_aws_ini("region = us-east-1\n"),
            "not in a section"
        );
        assert!(!looks_like_aws_ini("[server]\nport = 80\n"));
        assert!(!looks_like_aws_ini("{\"Version\": \"2012-10-17\"}"));
        assert!(!looks_like_aws_ini("[profilefoo]\n[1, 2, 3]\n"));
        // A credential key marks the file wherever it is, `=` or `:`.
        assert!(looks_like_aws_ini("[ci\naws_secret_access_key = x\n"));
        assert!(looks_like_aws_ini("[x]\naws_access_key_id: x\n"));
        assert!(!looks_like_aws_ini("[server]\nregion: x\n"));
        // Only the first 64 KiB count, and a cut inside a character is fine.
        let mut big = String::from("a");
        big.push_str(&"é".repeat(SNIFF_LIMIT / 2 + 7));
        big.push_str("\n[default]\n");
        assert!(!looks_like_aws_ini(&big));
        let mut early = String::from("[default]\n");
        early.push_str(&"x".repeat(1 << 20));
        assert!(looks_like_aws_ini(&early));
    }
}
