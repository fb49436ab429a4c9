//! Credential caches the AWS CLI and SSO login write as JSON: `.aws/cli/cache/*.json`
//! (`{"Credentials": {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}, …}`)
//! and `.aws/sso/cache/*.json` (`{"accessToken", "expiresAt", …}`, or a client registration
//! `{"clientId", "clientSecret", …}`). They are recognised by place and by content, never
//! read as policies, and every credential in them is recorded by position only
//! ([`SecretKey`], reported by IAM501); their bytes are never shown
//! ([`SourceFormat::CredentialCache`] shows no source). Keys are found by a small scan of
//! the JSON tokens, so a truncated or otherwise broken cache still gives its credentials.

use std::ops::Range;
use std::path::Path;

use serde_json::{Map, Value};

use super::record_secret;
use super::FileInput;
use crate::model::inventory::{Contribution, SecretPlace};

/// Keys whose values are credentials in a CLI or SSO cache (the AWS CLI's
/// `JSONFileCache` of `AssumeRole` results, and the SSO token and client-registration
/// caches). `AccessKeyId` is reported as `aws_access_key_id` is in a credentials file.
pub const CACHE_SECRET_KEYS: [&str; 6] = [
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "accessToken",
    "refreshToken",
    "clientSecret",
];

/// Whether a path is in one of the cache folders (`…/.aws/cli/cache/`, `…/.aws/sso/cache/`).
pub fn is_cache_path(path: &Path) -> bool {
    // Most paths name no `.aws` folder: told without splitting them into components (this
    // runs for every JSON file).
    let bytes = path.as_os_str().as_encoded_bytes();
    if !bytes.windows(4).any(|w| w.eq_ignore_ascii_case(b".aws")) {
        return false;
    }
    let parts: Vec<&str> = path
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    parts.windows(3).any(|w| {
        w[0].eq_ignore_ascii_case(".aws")
            && (w[1].eq_ignore_ascii_case("cli") || w[1].eq_ignore_ascii_case("sso"))
            && w[2].eq_ignore_ascii_case("cache")
    })
}

/// Whether a JSON document has the shape of a credential cache, or of a command's output
/// that holds a credential, wherever it was found: an `AssumeRole` result or a CLI cache
/// (`Credentials` holding a secret key or session token), `aws iam create-access-key`
/// output (`AccessKey` holding a secret key), an SSO token (`accessToken` with
/// `expiresAt`), or an SSO client registration (`clientSecret` with `clientId`). Both keys
/// are asked for where one alone is common in application JSON (`accessToken`).
pub fn looks_like_cache(obj: &Map<String, Value>) -> bool {
    let holds = |outer: &str| {
        obj.get(outer)
            .and_then(Value::as_object)
            .is_some_and(|c| c.contains_key("SecretAccessKey") || c.contains_key("SessionToken"))
    };
    holds("Credentials")
        || holds("AccessKey")
        || (obj.contains_key("accessToken") && obj.contains_key("expiresAt"))
        || (obj.contains_key("clientSecret") && obj.contains_key("clientId"))
}

/// Whether a credential key of a cache is a key anywhere in a parsed document. Walking
/// the keys of the document at hand costs a fraction of a pass over every byte of its
/// text, which this question, asked of every JSON object without a `Statement` (lock
/// files and dumps of several MB among them), used to take (7% of a scan).
pub fn holds_cache_key(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| CACHE_SECRET_KEYS.contains(&k.as_str()) || holds_cache_key(v)),
        Value::Array(items) => items.iter().any(holds_cache_key),
        _ => false,
    }
}

/// [`holds_cache_key`] for a document parsed from `text`, told by a look at the bytes
/// first: each credential key ends in `Token"`, `Secret"`, or holds `AccessKey`, and most
/// documents (a role's `get-role` output, a lock file) hold none of these at all.
pub fn text_holds_cache_key(text: &str, value: &Value) -> bool {
    // Built once: a searcher costs more to set up than a small file costs to search.
    static FRAGMENTS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 3]> =
        std::sync::LazyLock::new(|| {
            [&b"Token\""[..], b"Secret\"", b"AccessKey"].map(memchr::memmem::Finder::new)
        });
    let bytes = text.as_bytes();
    let may = FRAGMENTS.iter().any(|f| f.find(bytes).is_some());
    may && holds_cache_key(value)
}

/// Records every credential of a cache by position, and every value as a redaction.
pub fn load(input: &FileInput) -> Contribution {
    let mut out = Contribution::default();
    scan_keys(input.text, &mut |key, key_span, value_span| {
        if !CACHE_SECRET_KEYS.contains(&key) {
            return;
        }
        let value = input.text.get(value_span.clone()).unwrap_or_default();
        record_secret(
            &mut out,
            input,
            key,
            SecretPlace::Cache,
            (key_span, value_span),
            value.trim_matches('"'),
        );
    });
    out
}

/// What [`scan_keys`] calls for each pair: the key, its span, the value's span.
type OnPair<'a> = dyn FnMut(&str, Range<usize>, Range<usize>) + 'a;

/// Calls `found(key, key_span, value_span)` for every `"key": value` pair in JSON text, at
/// any depth, however broken the rest of the text is. The key span is the key's text
/// inside its quotes (as written: escapes are not decoded, which no cache key needs); the
/// value span is a string value with its quotes, or any other value up to the next `,`,
/// `}`, `]` or line break.
fn scan_keys(text: &str, found: &mut OnPair) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let key_start = i + 1;
        let key_end = string_end(b, key_start);
        i = (key_end + 1).min(b.len());
        let mut j = skip_blanks(b, i);
        if b.get(j) != Some(&b':') {
            continue;
        }
        j = skip_blanks(b, j + 1);
        let value_span = if b.get(j) == Some(&b'"') {
            let end = string_end(b, j + 1);
            j..(end + 1).min(b.len())
        } else {
            let end = b[j..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']' | b'\n' | b'\r'))
                .map_or(b.len(), |n| j + n);
            let mut e = end;
            while e > j && b[e - 1].is_ascii_whitespace() {
                e -= 1;
            }
            j..e
        };
        if let Some(key) = text.get(key_start..key_end) {
            if text.get(value_span.clone()).is_some() {
                found(key, key_start..key_end, value_span.clone());
            }
        }
        // A string value is skipped whole (it may hold quotes of its own, escaped).
        if b.get(value_span.start) == Some(&b'"') {
            i = value_span.end;
        }
    }
}

/// The index of the closing quote of a string whose text starts at `from` (or the end of
/// the text, or of the line, for an unterminated one).
fn string_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' | b'\n' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::location::{Anchor, Location};

    fn load_text(text: &str) -> Contribution {
        let path = std::path::PathBuf::from("home/.aws/cli/cache/x.json");
        load(&FileInput {
            id: 1,
            path: &path,
            text,
            offset: 0,
        })
    }

    fn slice<'a>(text: &'a str, loc: &Location) -> &'a str {
        match loc.anchor {
            Anchor::Bytes { start, end } => text.get(start..end).unwrap_or("<out of range>"),
            _ => "<not bytes>",
        }
    }

    #[test]
    fn finds_every_credential_once_and_only_by_position() {
        let text = "{\"Credentials\": {\"AccessKeyId\": \"ASIAQWERTYUIOPASDFGH\",\n \
                    \"SecretAccessKey\": \"Zq9vL2mX8pR4tY6wB1nC3dF5gH7jK0sA2eU4iO6q\",\n \
                    \"SessionToken\": \"Tok\\\"en/with+escapes0123456789\", \"Expiration\": \"x\"},\
                    \"AssumedRoleUser\": {\"Arn\": \"arn:aws:sts::1:assumed-role/r/s\"}}";
        let out = load_text(text);
        let got: Vec<(&str, &str, bool)> = out
            .secrets
            .iter()
            .map(|s| (s.key.as_str(), slice(text, &s.key_at), s.looks_real))
            .collect();
        assert_eq!(
            got,
            [
                ("AccessKeyId", "AccessKeyId", true),
                ("SecretAccessKey", "SecretAccessKey", true),
                ("SessionToken", "SessionToken", true),
            ]
        );
        assert_eq!(
            slice(text, &out.secrets[2].value_at),
            "\"Tok\\\"en/with+escapes0123456789\""
        );
        assert_eq!(out.redactions.len(), 3);
    }

    #[test]
    fn broken_json_still_gives_its_credentials() {
        let text = "{\"accessToken\": \"aoaAAAAAGZqLmNvbS9zdGFydDEyMzQ1Njc4OTA\", \"expiresAt\": ";
        let out = load_text(text);
        assert_eq!(out.secrets.len(), 1);
        assert_eq!(out.secrets[0].key, "accessToken");
        let out =
            load_text("{\"clientSecret\": eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0");
        assert_eq!(out.secrets.len(), 1);
        assert!(out.secrets[0].looks_real);
        // Never panics on a cut anywhere.
        let text = "{\"Credentials\":{\"SecretAccessKey\":\"abc\\";
        for end in 0..=text.len() {
            let _ = load_text(&text[..end]);
        }
    }

    #[test]
    fn recognised_by_place_and_shape() {
        assert!(is_cache_path(Path::new("home/.aws/cli/cache/abc.json")));
        assert!(is_cache_path(Path::new(".aws/sso/cache/abc.json")));
        assert!(!is_cache_path(Path::new("home/.aws/abc.json")));
        assert!(!is_cache_path(Path::new("cli/cache/abc.json")));
        for cache in [
            serde_json::json!({"Credentials": {"SessionToken": "x"}}),
            serde_json::json!({"AccessKey": {"AccessKeyId": "x", "SecretAccessKey": "y"}}),
            serde_json::json!({"accessToken": "x", "expiresAt": "y"}),
            serde_json::json!({"clientId": "x", "clientSecret": "y"}),
        ] {
            assert!(cache.as_object().is_some_and(looks_like_cache), "{cache}");
        }
        let app: Value = serde_json::json!({"accessToken": "x", "user": "y"});
        assert!(!app.as_object().is_some_and(looks_like_cache));
        let policy: Value = serde_json::json!({"Statement": [], "Version": "2012-10-17"});
        assert!(!policy.as_object().is_some_and(looks_like_cache));
        assert!(holds_cache_key(
            &serde_json::json!({"a": {"refreshToken": 1}})
        ));
        assert!(holds_cache_key(
            &serde_json::json!({"a": [{"b": {"SessionToken": "t"}}]})
        ));
        assert!(!holds_cache_key(&serde_json::json!({"a": "refreshToken"})));
        assert!(!holds_cache_key(
            &serde_json::json!({"a": ["{\"SecretAccessKey\": 1}"]})
        ));
        // The look at the bytes lets every key through.
        for key in CACHE_SECRET_KEYS {
            let text = format!("{{\"a\": {{\"{key}\": \"v\"}}}}");
            let value: Value = serde_json::from_str(&text).expect("JSON");
            assert!(text_holds_cache_key(&text, &value), "{key}");
        }
        let role = r#"{"Role": {"RoleName": "r", "Arn": "arn:aws:iam::1:role/r"}}"#;
        let value: Value = serde_json::from_str(role).expect("JSON");
        assert!(!text_holds_cache_key(role, &value));
    }
}
