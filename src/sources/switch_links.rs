//! Console switch-role links in documentation (`.md`, `.html`): a link
//! `https://signin.aws.amazon.com/switchrole?account=…&roleName=…` says that people are
//! meant to switch to that role in the console, which rules compare with the role's trust.

use super::FileInput;
use crate::model::inventory::{Contribution, SwitchLink};
use crate::model::location::Location;

const MARKER: &str = "signin.aws.amazon.com/switchrole?";

/// Whether a file name is documentation that may hold switch-role links.
pub fn is_doc_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".html") || lower.ends_with(".htm")
}

/// Percent-decodes a query value (`%2F` in role paths); invalid escapes stay as written.
fn decode(value: &str) -> String {
    crate::span::decode_url(value)
        .map(|d| d.text)
        .unwrap_or_else(|| value.to_owned())
}

/// Every switch-role link of the text.
pub fn load(input: &FileInput) -> Contribution {
    let mut out = Contribution::default();
    let text = input.text;
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|t| t.find(MARKER)) {
        let start = from + found;
        let query_start = start + MARKER.len();
        let end = text
            .get(query_start..)
            .and_then(|t| {
                t.find(|c: char| {
                    c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '<' | '>' | ']')
                })
            })
            .map_or(text.len(), |i| query_start + i);
        let query = text.get(query_start..end).unwrap_or_default();
        let mut account = None;
        let mut role_name = None;
        // HTML writes `&` as `&amp;`.
        for pair in query.replace("&amp;", "&").split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "account" => account = Some(decode(value)),
                "roleName" => role_name = Some(decode(value)),
                _ => {}
            }
        }
        if let (Some(account), Some(role_name)) = (account, role_name) {
            let scheme = "https://";
            let link_start =
                if start >= scheme.len() && text.get(start - scheme.len()..start) == Some(scheme) {
                    start - scheme.len()
                } else {
                    start
                };
            out.switch_links.push(SwitchLink {
                account,
                role_name,
                at: Location::bytes(input.id, link_start, end),
            });
        }
        from = end.max(query_start);
    }
    out
}
