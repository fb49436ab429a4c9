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

mod sniff;
#[cfg(test)]
mod tests;

pub use sniff::{kind_by_content, looks_like_aws_ini, may_be_aws_ini};
