//! Whether a file found by its content, not its name, is an AWS config or credentials
//! file, and which of the two.

use super::{
    is_valid_identifier, lines, parse_header, FileKind, SectionKind, CREDENTIAL_KEYS, SNIFF_LIMIT,
    WELL_KNOWN_KEYS, WS,
};

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
