//! AWS CLI `config` and `credentials` files: each `[default]` / `[profile NAME]` (config) or
//! `[NAME]` (credentials) becomes a [`Profile`] whose values keep their exact byte spans;
//! `[sso-session]`, `[services]` and sections the SDKs ignore are kept as
//! [`ConfigSection`]s; lines the parser refuses become IAM004 findings. Credential keys are
//! recorded by position only ([`SecretKey`]), and every byte range that may hold a secret is
//! listed in [`Contribution::redactions`] so that no reporter prints it. This module never
//! puts a credential value into the model, a message or a `Debug` string.

use std::ops::Range;
use std::path::Path;

use super::aws_ini::{parse_ini, FileKind, IniEntry, IniSection, SectionKind};
use super::{FileInput, LoadContext, MALFORMED_SOURCE};
use crate::finding::{Finding, Severity};
use crate::model::inventory::{
    ConfigSection, ConfigSectionKind, Contribution, Profile, ProfileValue, SecretKey, SecretPlace,
    SourceFormat,
};
use crate::model::location::{FileId, Location, TextSpan};

/// Keys whose values are AWS credentials (AWS CLI user guide, "Configuration and credential
/// file settings"; IAM-SEMANTICS §7).
pub const SECRET_KEYS: [&str; 3] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

/// Which of the two shared files a path is: only a file named `credentials` is read with
/// the credentials-file section rules (`[NAME]`); `config`, `aws_config` and
/// `*.aws-config` are config files (`[profile NAME]`).
pub fn file_kind(path: &Path) -> FileKind {
    let is_credentials = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("credentials"));
    if is_credentials {
        FileKind::Credentials
    } else {
        FileKind::Config
    }
}

/// Settings of the CLI's config that hold no secret, as written (lowercase): the
/// commonest keys of a profile or an `sso-session`.
const COMMON_PLAIN_KEYS: &[&str] = &[
    "region",
    "output",
    "role_arn",
    "source_profile",
    "credential_source",
    "external_id",
    "mfa_serial",
    "role_session_name",
    "duration_seconds",
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "sso_registration_scopes",
    "web_identity_token_file",
];

/// Whether a key's value is worth hiding from snippets: credentials, and anything named
/// like a secret (tool-specific keys such as `saml_password`), and `credential_process`,
/// whose command line can embed credentials. Hiding a harmless value costs nothing.
fn is_sensitive_key(key: &str) -> bool {
    // The settings most lines hold, answered without the search below (a config of
    // hundreds of profiles repeats them on every profile).
    if COMMON_PLAIN_KEYS.contains(&key) {
        return false;
    }
    // Without a lowercased copy: this runs for every line of every config file.
    let bytes = key.as_bytes();
    let has = |word: &str| {
        bytes
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    let token_file = bytes
        .len()
        .checked_sub(5)
        .and_then(|at| bytes.get(at..))
        .is_some_and(|end| end.eq_ignore_ascii_case(b"_file"));
    SECRET_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k))
        || has("secret")
        || has("password")
        || has("passwd")
        || (has("token") && !token_file)
        || key.eq_ignore_ascii_case("credential_process")
}

/// Loads one config or credentials file.
pub fn load(ctx: &LoadContext, input: &FileInput) -> (SourceFormat, Contribution) {
    load_as(ctx, input, file_kind(input.path))
}

/// Loads one config or credentials file of the given kind (told by its content, for a
/// file whose name does not say: see [`crate::sources::aws_ini::kind_by_content`]).
pub fn load_as(
    _ctx: &LoadContext,
    input: &FileInput,
    kind: FileKind,
) -> (SourceFormat, Contribution) {
    let format = match kind {
        FileKind::Config => SourceFormat::AwsConfig,
        FileKind::Credentials => SourceFormat::AwsCredentials,
    };
    let mut ini = parse_ini(input.text, kind);
    let at = Spans {
        file: input.id,
        offset: input.offset,
    };
    let mut out = Contribution::default();

    // One error per refused line; the same message twice in a file is told apart by its
    // ordinal, so fingerprints do not depend on line numbers.
    let mut seen: Vec<&str> = Vec::new();
    for err in &ini.errors {
        let n = seen.iter().filter(|m| **m == err.message).count();
        seen.push(&err.message);
        let loc = at.loc(&err.span);
        // The refused line may be a pasted credential: never show its text.
        out.redactions.push(loc.clone());
        out.findings.push(
            Finding::new(
                MALFORMED_SOURCE,
                Severity::Error,
                loc,
                err.message.clone(),
            )
            .with_help("the AWS CLI and SDKs read `[section]` headers, `key = value` lines and indented continuation lines only")
            .with_identity(format!("{}#{n}", err.message))
            .redacted(),
        );
    }

    // `[profile default]` wins over `[default]` in a config file (the SDKs' shared
    // profile-file rules); keep one profile named `default`.
    let has_profile_default = kind == FileKind::Config
        && ini
            .sections
            .iter()
            .any(|s| s.kind == SectionKind::Profile && s.name == "default");
    for section in &mut ini.sections {
        let place = || SecretPlace::Section(section.name.clone());
        collect_secrets(&section.entries, place, input.text, &at, &mut out);
        let is_profile = match section.kind {
            SectionKind::Default => !has_profile_default,
            SectionKind::Profile | SectionKind::Credentials => true,
            SectionKind::SsoSession | SectionKind::Services | SectionKind::Other => false,
        };
        if is_profile {
            out.profiles.push(std::sync::Arc::new(profile(
                section,
                &at,
                kind == FileKind::Credentials,
            )));
            continue;
        }
        let section_kind = match section.kind {
            SectionKind::SsoSession => ConfigSectionKind::SsoSession,
            SectionKind::Services => ConfigSectionKind::Services,
            _ => ConfigSectionKind::Other,
        };
        out.config_sections.push(ConfigSection {
            file: input.id,
            kind: section_kind,
            name: section.name.clone(),
            header: at.loc(&section.header_span),
        });
    }
    // Lines the SDKs do not read still hold whatever was pasted into them: a credential
    // there is as committed as one in a profile.
    for stray in &ini.stray {
        let section = stray
            .section
            .and_then(|i| ini.sections.get(i))
            .map(|s| s.name.clone());
        let place = || SecretPlace::StrayLine(section.clone());
        collect_secrets(
            std::slice::from_ref(&stray.entry),
            place,
            input.text,
            &at,
            &mut out,
        );
    }
    (format, out)
}

/// Turns parser spans (relative to the text without its byte-order mark) into locations
/// in the file.
struct Spans {
    file: FileId,
    offset: usize,
}

impl Spans {
    fn loc(&self, span: &Range<usize>) -> Location {
        Location::bytes(self.file, span.start + self.offset, span.end + self.offset)
    }

    fn span(&self, span: &Range<usize>) -> TextSpan {
        TextSpan::new(span.start + self.offset, span.end + self.offset)
    }
}

/// The profile a section declares, in one pass over its entries: a key compares ASCII
/// case-insensitively and the last one wins, as for the SDKs (and
/// [`IniSection::get`]). The values are taken from the parsed section, which is not
/// read again.
fn profile(section: &mut IniSection, at: &Spans, from_credentials: bool) -> Profile {
    let mut p = Profile {
        name: section.name.clone(),
        file: at.file,
        header: Some(at.span(&section.header_span)),
        from_credentials,
        ..Profile::default()
    };
    for entry in &mut section.entries {
        let key = entry.key.as_str();
        p.sso |= key.get(..4).is_some_and(|k| k.eq_ignore_ascii_case("sso_"));
        if key.eq_ignore_ascii_case("aws_access_key_id")
            || key.eq_ignore_ascii_case("aws_secret_access_key")
        {
            p.has_static_keys = true;
            continue;
        }
        let Some(slot) = setting(&mut p, key) else {
            continue;
        };
        // The command line of `credential_process` can embed credentials: only its place
        // is kept.
        let value = if key.eq_ignore_ascii_case("credential_process") {
            String::new()
        } else {
            std::mem::take(&mut entry.value)
        };
        *slot = Some(Box::new(ProfileValue::new(
            value,
            at.file,
            at.span(&entry.value_span),
        )));
    }
    p
}

/// A profile's field that a setting fills.
type Slot = fn(&mut Profile) -> &mut Option<Box<ProfileValue>>;

/// The settings the model keeps, as written (compared ignoring case), and their fields.
const SETTINGS: [(&str, Slot); 10] = [
    ("role_arn", |p| &mut p.role_arn),
    ("source_profile", |p| &mut p.source_profile),
    ("credential_source", |p| &mut p.credential_source),
    ("web_identity_token_file", |p| {
        &mut p.web_identity_token_file
    }),
    ("credential_process", |p| &mut p.credential_process),
    ("external_id", |p| &mut p.external_id),
    ("mfa_serial", |p| &mut p.mfa_serial),
    ("role_session_name", |p| &mut p.role_session_name),
    ("duration_seconds", |p| &mut p.duration_seconds),
    ("sso_session", |p| &mut p.sso_session),
];

/// The field of a profile that a key sets, if the model keeps it.
fn setting<'p>(p: &'p mut Profile, key: &str) -> Option<&'p mut Option<Box<ProfileValue>>> {
    let (_, slot) = SETTINGS
        .iter()
        .find(|(name, _)| key.eq_ignore_ascii_case(name))?;
    Some(slot(p))
}

/// Records every credential key of a section's entries (sub-properties too) by position,
/// and every sensitive value as a redaction.
fn collect_secrets(
    entries: &[IniEntry],
    place: impl Fn() -> SecretPlace,
    text: &str,
    at: &Spans,
    out: &mut Contribution,
) {
    let entries = entries
        .iter()
        .flat_map(|e| std::iter::once(e).chain(e.sub.iter()));
    for entry in entries {
        if !is_sensitive_key(&entry.key) {
            // An indented line under an ordinary key continues its value; AWS settings
            // never need one, so it may well be a pasted credential: hide it.
            let first_break = text
                .get(entry.value_span.clone())
                .and_then(|v| v.find('\n'))
                .map(|i| entry.value_span.start + i);
            if let Some(start) = first_break {
                out.redactions.push(at.loc(&(start..entry.value_span.end)));
            }
            continue;
        }
        let value_at = at.loc(&entry.value_span);
        if !entry.value_span.is_empty() {
            out.redactions.push(value_at.clone());
        }
        let key = entry.key.to_ascii_lowercase();
        if SECRET_KEYS.contains(&key.as_str()) {
            out.secrets.push(SecretKey {
                key,
                place: place(),
                key_at: at.loc(&entry.key_span),
                value_at,
                looks_real: !is_placeholder_credential(&entry.value),
            });
        }
    }
}

/// Words that only fake credentials hold (compared ignoring case). A real key is random:
/// the chance that a 40-character secret holds one of them is about one in twenty thousand.
const PLACEHOLDER_WORDS: [&str; 5] = ["example", "placeholder", "changeme", "redacted", "your"];

/// The one rule that tells a fake credential value from one that could be real, applied
/// the same way to every credential key of every file (CLI config and credentials files,
/// CLI and SSO caches), whatever profile or line it is in; `rules/IAM501.md` documents it.
/// After trimming blanks and one pair of surrounding quotes, a value is a placeholder when
/// 1. it is shorter than 16 characters (the shortest access key id IAM issues; secret keys
///    are 40): empty, `FAKE`, `xxx`, `<your-key>`;
/// 2. it holds a template marker: `${`, `$(`, `{{`, `%(`, `<` or `>`, or starts with `$`
///    (`${AWS_SECRET_ACCESS_KEY}`, `$SECRET`, `{{ key }}`, `<secret>`);
/// 3. it holds one of [`PLACEHOLDER_WORDS`] in any case (`AKIAIOSFODNN7EXAMPLE`,
///    `YOUR_SECRET_ACCESS_KEY`, `changeme-changeme`);
/// 4. it is made of at most two distinct characters (`xxxxxxxxxxxxxxxxxxxx`,
///    `****************`, `0000000000000000`, `x-x-x-x-x-x-x-x-`);
/// 5. it has neither an upper-case letter nor a digit (`correct_secret_secondary`,
///    `secret-refresh-token`): an access key id is upper case, and 40 random characters
///    of a secret key (or a token) without either come up about once in 10^14.
pub fn is_placeholder_credential(value: &str) -> bool {
    let v = value.trim();
    let v = ['"', '\'']
        .iter()
        .find_map(|q| v.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)))
        .unwrap_or(v)
        .trim();
    if v.chars().count() < 16 {
        return true;
    }
    if ["${", "$(", "{{", "%(", "<", ">"]
        .iter()
        .any(|m| v.contains(m))
        || v.starts_with('$')
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    if !v
        .bytes()
        .any(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return true;
    }
    let mut distinct: Vec<char> = Vec::with_capacity(3);
    for c in v.chars() {
        if !distinct.contains(&c) {
            distinct.push(c);
            if distinct.len() > 2 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_common_plain_keys_are_plain_by_the_full_search_too() {
        // The shortcut must never change an answer: each key is judged by the search
        // as if it were not listed (the same key in upper case is not listed).
        for key in super::COMMON_PLAIN_KEYS {
            let upper = key.to_ascii_uppercase();
            assert!(!super::is_sensitive_key(&upper), "{key}");
            assert!(!super::is_sensitive_key(key), "{key}");
        }
        assert!(super::is_sensitive_key("aws_session_token"));
        assert!(super::is_sensitive_key("sso_token"));
        assert!(super::is_sensitive_key("credential_process"));
    }

    use super::*;
    use crate::config::Config;
    use crate::model::location::Anchor;

    fn load_text(name: &str, text: &str, offset: usize) -> (SourceFormat, Contribution) {
        let config = Config::default();
        let ctx = LoadContext::new(&config);
        let path = std::path::PathBuf::from(format!("home/.aws/{name}"));
        let input = FileInput {
            id: 7,
            path: &path,
            text,
            offset,
        };
        load(&ctx, &input)
    }

    fn slice<'a>(text: &'a str, loc: &Location) -> &'a str {
        match loc.anchor {
            Anchor::Bytes { start, end } => text.get(start..end).unwrap_or("<out of range>"),
            _ => "<not bytes>",
        }
    }

    #[test]
    fn config_profiles_and_sections() {
        let text = "[default]\nregion = us-east-1\n\
                    [profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\n\
                    source_profile = default\nduration_seconds = 7200\nmfa_serial = GAHT12345678\n\
                    [profile sso]\nsso_session = corp\nsso_account_id = 111122223333\n\
                    [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n\
                    [stray]\nregion = x\n";
        let (format, out) = load_text("config", text, 0);
        assert_eq!(format, SourceFormat::AwsConfig);
        assert!(out.findings.is_empty());
        let names: Vec<&str> = out.profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["default", "dev", "sso"]);
        let dev = &out.profiles[1];
        assert!(!dev.from_credentials);
        let role = dev.role_arn.as_ref().map(|s| slice(text, &s.loc()));
        assert_eq!(role, Some("arn:aws:iam::111122223333:role/dev"));
        assert_eq!(
            dev.source_profile.as_ref().map(|s| s.as_str()),
            Some("default")
        );
        assert_eq!(
            dev.header.map(|h| slice(text, &h.loc(dev.file))),
            Some("[profile dev]")
        );
        let sso = &out.profiles[2];
        assert!(sso.sso);
        assert_eq!(sso.sso_session.as_ref().map(|s| s.as_str()), Some("corp"));
        let sections: Vec<(ConfigSectionKind, &str)> = out
            .config_sections
            .iter()
            .map(|s| (s.kind, s.name.as_str()))
            .collect();
        assert_eq!(
            sections,
            [
                (ConfigSectionKind::SsoSession, "corp"),
                (ConfigSectionKind::Other, "stray")
            ]
        );
    }

    #[test]
    fn a_key_in_any_case_is_read_and_the_last_one_wins() {
        let text = "[profile dev]\nROLE_ARN = arn:aws:iam::111122223333:role/first\n\
                    Role_Arn = arn:aws:iam::111122223333:role/last\n\
                    Credential_Process = /bin/get-creds --secret s3cr3t\n\
                    AWS_Access_Key_Id = AKIAIOSFODNN7EXAMPLE\nSSO_region = eu-west-1\n\
                    Duration_Seconds = 900\n[profile other]\nregion = x\n";
        let (_, out) = load_text("config", text, 0);
        let dev = &out.profiles[0];
        let role = dev
            .role_arn
            .as_ref()
            .map(|s| (s.as_str(), slice(text, &s.loc())));
        assert_eq!(
            role,
            Some((
                "arn:aws:iam::111122223333:role/last",
                "arn:aws:iam::111122223333:role/last"
            ))
        );
        // Only the place of the command line is kept.
        let process = dev.credential_process.as_ref().expect("credential_process");
        assert_eq!(process.as_str(), "");
        assert!(slice(text, &process.loc()).starts_with("/bin/get-creds"));
        assert_eq!(
            dev.duration_seconds.as_ref().map(|s| s.as_str()),
            Some("900")
        );
        assert!(dev.has_static_keys && dev.sso);
        let other = &out.profiles[1];
        assert!(other.role_arn.is_none() && !other.has_static_keys && !other.sso);
    }

    #[test]
    fn profile_default_wins_over_default() {
        let text = "[default]\nregion = a\n[profile default]\nrole_arn = x\n";
        let (_, out) = load_text("config", text, 0);
        assert_eq!(out.profiles.len(), 1);
        assert!(out.profiles[0].role_arn.is_some());
    }

    #[test]
    fn credentials_file_keeps_secrets_out() {
        let secret = "Zq9vL2mX8pR4tY6wB1nC3dF5gH7jK0sA2eU4iO6q";
        let key_id = "AKIAZZZZTESTKEYID123";
        let text = format!(
            "[ci]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n\
             [profile ci]\naws_secret_access_key = {secret}\n\
             [short]\naws_secret_access_key = FAKE\n\
             {secret}\n"
        );
        let (format, out) = load_text("credentials", &text, 0);
        assert_eq!(format, SourceFormat::AwsCredentials);
        assert!(out.profiles[0].from_credentials);
        assert!(out.profiles[0].has_static_keys);
        let keys: Vec<(&str, &str, bool)> = out
            .secrets
            .iter()
            .map(|s| {
                let SecretPlace::Section(section) = &s.place else {
                    panic!("not in a section")
                };
                (s.key.as_str(), section.as_str(), s.looks_real)
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("aws_access_key_id", "ci", true),
                ("aws_secret_access_key", "ci", true),
                ("aws_secret_access_key", "profile ci", true),
                ("aws_secret_access_key", "short", false),
            ]
        );
        assert_eq!(
            slice(&text, &out.secrets[1].key_at),
            "aws_secret_access_key"
        );
        assert_eq!(slice(&text, &out.secrets[1].value_at), secret);
        // The refused line (a bare secret) is an IAM004 finding that shows no text.
        assert_eq!(out.findings.len(), 1);
        assert!(out.findings[0].redact);
        assert_eq!(slice(&text, &out.findings[0].primary), secret);
        for loc in [&out.secrets[0].value_at, &out.findings[0].primary] {
            assert!(out.redactions.contains(loc));
        }
        let shown = format!("{out:?}");
        assert!(
            !shown.contains(secret) && !shown.contains(key_id),
            "{shown}"
        );
    }

    #[test]
    fn one_placeholder_rule_for_every_value() {
        for fake in [
            "",
            "FAKE",
            "<your-key>",
            "${AWS_SECRET_ACCESS_KEY}",
            "$AWS_SECRET_ACCESS_KEY_VALUE",
            "{{ secret_access_key }}",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "akiaiosfodnn7example",
            "YOUR_SECRET_ACCESS_KEY_HERE",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
            "'xxxxxxxxxxxxxxxxxxxx'",
            "****************",
            "x-x-x-x-x-x-x-x-x-x",
            "correct_secret_secondary",
            "secret-refresh-token",
            "my secret access key here",
        ] {
            assert!(is_placeholder_credential(fake), "{fake} is a placeholder");
        }
        for real in [
            "Zq9vL2mX8pR4tY6wB1nC3dF5gH7jK0sA2eU4iO6q",
            "AKIAZZZZTESTKEYID123",
            "\"Zq9vL2mX8pR4tY6wB1nC3dF5gH7jK0sA2eU4iO6q\"",
        ] {
            assert!(!is_placeholder_credential(real), "{real} could be real");
        }
    }

    #[test]
    fn credentials_in_lines_the_sdks_do_not_read_are_found() {
        let text = "[ci\naws_secret_access_key = Zq9vL2mX8pR4tY6wB1nC3dF5gH7jK0sA2eU4iO6q\n\
                    [ok]\naws_access_key_id: AKIAZZZZTESTKEYID123\n";
        let (_, out) = load_text("credentials", text, 0);
        let keys: Vec<(&str, &SecretPlace, bool)> = out
            .secrets
            .iter()
            .map(|s| (slice(text, &s.key_at), &s.place, s.looks_real))
            .collect();
        assert_eq!(
            keys,
            [
                ("aws_secret_access_key", &SecretPlace::StrayLine(None), true),
                (
                    "aws_access_key_id",
                    &SecretPlace::StrayLine(Some("ok".into())),
                    true
                ),
            ]
        );
        let hidden: Vec<&str> = out.redactions.iter().map(|l| slice(text, l)).collect();
        assert!(hidden.contains(&"Zq9vL2mX8pR4tY6wB1nC3dF5gH7jK0sA2eU4iO6q"));
        assert!(hidden.contains(&"AKIAZZZZTESTKEYID123"));
    }

    #[test]
    fn continuation_lines_are_redacted() {
        let text = "[profile a]\nregion = eu-west-1\n  PASTEDSECRET\n";
        let (_, out) = load_text("config", text, 0);
        let hidden: Vec<&str> = out.redactions.iter().map(|l| slice(text, l)).collect();
        assert_eq!(hidden, ["\n  PASTEDSECRET"]);
    }

    #[test]
    fn byte_order_mark_shifts_spans() {
        let body = "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/a\n";
        let file = format!("\u{feff}{body}");
        let (_, out) = load_text("config", body, 3);
        let role = out.profiles[0]
            .role_arn
            .as_ref()
            .map(|s| slice(&file, &s.loc()));
        assert_eq!(role, Some("arn:aws:iam::111122223333:role/a"));
    }

    #[test]
    fn parse_errors_are_iam004() {
        let text = "[default]\n= us-east-1\n";
        let (_, out) = load_text("config", text, 0);
        assert_eq!(out.findings.len(), 1);
        let f = &out.findings[0];
        assert_eq!(f.rule, MALFORMED_SOURCE);
        assert_eq!(slice(text, &f.primary), "= us-east-1");
        assert!(!f.message.contains("us-east-1"));
    }
}
