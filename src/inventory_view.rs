//! Text views of what a scan understood, for people finding out why a rule did or did not
//! fire: `iamlint inventory` (human or JSON), `iamlint rules`, and `--statistics`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::docs::RULE_DOCS;
use crate::model::inventory::{Account, Inventory};
use crate::model::location::FileId;
use crate::model::policy::PolicyDocument;
use crate::report::{display_path, Resolved};

fn path_of(inv: &Inventory, file: FileId) -> String {
    inv.file_path(file).map(display_path).unwrap_or_default()
}

fn account_key(a: &Account, inv: &Inventory) -> String {
    match a {
        Account::Known(id) => id.to_string(),
        Account::Template(f) => format!("${{AWS::AccountId}} of {}", path_of(inv, *f)),
        Account::Unknown => "unknown".into(),
    }
}

fn doc_json(inv: &Inventory, d: &Arc<PolicyDocument>) -> Value {
    json!({
        "label": d.label,
        "file": path_of(inv, d.origin.file()),
        // The statements written, those the model left out included.
        "statements": d.statements.len() + d.omitted_statements as usize,
    })
}

fn files_of(inv: &Inventory, locs: &[crate::model::location::Location]) -> Vec<String> {
    let mut v: Vec<String> = locs.iter().map(|l| path_of(inv, l.file)).collect();
    v.sort();
    v.dedup();
    v
}

/// The inventory as JSON (sorted, stable).
pub fn json(inv: &Inventory) -> String {
    let mut accounts: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
    let mut bucket = |acct: &Account, kind: &str, v: Value| {
        let entry = accounts.entry(account_key(acct, inv)).or_default();
        if let Some(Value::Array(list)) = entry
            .entry(kind.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .map(|a| Value::Array(std::mem::take(a)))
            .map(|mut a| {
                if let Value::Array(items) = &mut a {
                    items.push(v);
                }
                a
            })
        {
            entry.insert(kind.to_owned(), Value::Array(list));
        }
    };
    let mut roles: Vec<_> = inv.roles.iter().collect();
    roles.sort_by(|a, b| a.arn.cmp(&b.arn));
    for r in roles {
        bucket(
            &r.account,
            "roles",
            json!({
                "arn": r.arn, "name": r.name, "path": r.path,
                "trust": r.trust.as_ref().map(|d| doc_json(inv, d)),
                "policies": r.policies.iter().map(|d| doc_json(inv, d)).collect::<Vec<_>>(),
                "attached": r.attached,
                "max_session_duration": r.max_session_duration,
                "defined_in": files_of(inv, &r.defined_at),
            }),
        );
    }
    let mut users: Vec<_> = inv.users.iter().collect();
    users.sort_by(|a, b| a.arn.cmp(&b.arn));
    for u in users {
        bucket(
            &u.account,
            "users",
            json!({
                "arn": u.arn, "name": u.name, "path": u.path,
                "policies": u.policies.iter().map(|d| doc_json(inv, d)).collect::<Vec<_>>(),
                "attached": u.attached, "groups": u.groups, "console": u.console,
                "defined_in": files_of(inv, &u.defined_at),
            }),
        );
    }
    let mut groups: Vec<_> = inv.groups.iter().collect();
    groups.sort_by(|a, b| a.arn.cmp(&b.arn));
    for g in groups {
        bucket(
            &g.account,
            "groups",
            json!({
                "arn": g.arn, "name": g.name,
                "policies": g.policies.iter().map(|d| doc_json(inv, d)).collect::<Vec<_>>(),
                "attached": g.attached,
                "defined_in": files_of(inv, &g.defined_at),
            }),
        );
    }
    let mut policies: Vec<_> = inv.managed_policies.iter().collect();
    policies.sort_by(|a, b| a.arn.cmp(&b.arn));
    let managed: Vec<Value> = policies
        .iter()
        .map(|p| {
            json!({
                "arn": p.arn,
                "document": p.document.as_ref().map(|d| doc_json(inv, d)),
                "defined_in": files_of(inv, &p.defined_at),
            })
        })
        .collect();
    let profiles: Vec<Value> = inv
        .profiles
        .iter()
        .map(|p| {
            let v = |s: &Option<Box<crate::model::inventory::ProfileValue>>| {
                s.as_ref().map(|x| x.as_str().to_owned())
            };
            json!({
                "name": p.name, "file": path_of(inv, p.file),
                "role_arn": v(&p.role_arn), "source_profile": v(&p.source_profile),
                "credential_source": v(&p.credential_source),
                "web_identity_token_file": v(&p.web_identity_token_file),
                "external_id": p.external_id.as_ref().map(|_| "(set)"),
                "mfa_serial": v(&p.mfa_serial), "role_session_name": v(&p.role_session_name),
                "duration_seconds": v(&p.duration_seconds), "sso": p.sso,
                "has_static_keys": p.has_static_keys,
            })
        })
        .collect();
    let chains: Vec<Value> = inv
        .provider_chains
        .iter()
        .map(|c| {
            json!({
                "provider": c.name,
                "hops": c.hops.iter().map(|h| json!({
                    "role_arn": h.role_arn.as_ref().map(|s| s.value.clone()),
                    "duration_seconds": h.duration_seconds.as_ref().map(|s| s.value),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let files: Vec<Value> = inv
        .files
        .iter()
        // The files `check` counts, and the config file that said what they hold.
        .filter(|f| f.is_scanned() || f.format == crate::model::inventory::SourceFormat::Config)
        .map(|f| json!({"path": display_path(&f.path), "format": f.format}))
        .collect();
    let standalone: Vec<Value> = inv
        .documents
        .iter()
        .map(|d| {
            json!({
                "label": d.label, "file": path_of(inv, d.origin.file()),
                "kind": format!("{:?}", d.kind).to_lowercase(),
                "statements": d.statements.len(),
            })
        })
        .collect();
    let out = json!({
        "files": files,
        "accounts": accounts,
        "managed_policies": managed,
        "profiles": profiles,
        "provider_chains": chains,
        "standalone_documents": standalone,
        "unknown_values": inv.unknown_values.iter().map(|u| json!({
            "what": u.what,
            "why": u.why,
            "file": u.at.as_ref().map(|l| path_of(inv, l.file)),
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// The inventory for people.
pub fn human(inv: &Inventory) -> String {
    let mut out = String::new();
    let mut by_account: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &inv.roles {
        let trust = if r.trust.is_some() {
            ""
        } else {
            " (no trust policy seen)"
        };
        by_account
            .entry(account_key(&r.account, inv))
            .or_default()
            .push(format!("role  {}{trust}", r.arn));
    }
    for u in &inv.users {
        let console = match u.console {
            Some(true) => " (console)",
            _ => "",
        };
        by_account
            .entry(account_key(&u.account, inv))
            .or_default()
            .push(format!("user  {}{console}", u.arn));
    }
    for g in &inv.groups {
        by_account
            .entry(account_key(&g.account, inv))
            .or_default()
            .push(format!("group {}", g.arn));
    }
    for (acct, mut items) in by_account {
        items.sort();
        out.push_str(&format!("account {acct}\n"));
        for i in items {
            out.push_str(&format!("  {i}\n"));
        }
    }
    if !inv.profiles.is_empty() {
        out.push_str("profiles\n");
        for p in &inv.profiles {
            let target = p
                .role_arn
                .as_ref()
                .map(|r| format!(" -> {}", r.value))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {} ({}){target}\n",
                p.name,
                path_of(inv, p.file)
            ));
        }
    }
    if !inv.unknown_values.is_empty() {
        out.push_str("not known statically (rules stay silent on what depends on them)\n");
        for u in &inv.unknown_values {
            let place =
                u.at.as_ref()
                    .map(|l| format!(" ({})", path_of(inv, l.file)))
                    .unwrap_or_default();
            out.push_str(&format!("  {}: {}{place}\n", u.what, u.why));
        }
    }
    out.push_str(&format!(
        "{} files scanned, {} documents ({} standalone), {} roles, {} users, {} groups, {} managed policies, {} profiles\n",
        inv.files_scanned(),
        inv.all_documents().len(),
        inv.documents.len(),
        inv.roles.len(),
        inv.users.len(),
        inv.groups.len(),
        inv.managed_policies.len(),
        inv.profiles.len()
    ));
    out
}

/// `iamlint rules`.
pub fn rules_table() -> String {
    let mut out = String::new();
    // The name column as wide as the longest name, so no name runs into its severity.
    let width = RULE_DOCS.iter().map(|d| d.name.len()).max().unwrap_or(0);
    for d in RULE_DOCS {
        out.push_str(&format!(
            "{:<7} {:<width$} {:<8} {}\n",
            d.id, d.name, d.severity, d.summary
        ));
    }
    out
}

/// `--statistics`: unsuppressed findings per rule.
pub fn statistics(results: &[Resolved]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results.iter().filter(|r| r.suppressed.is_none()) {
        *counts.entry(r.finding.rule).or_default() += 1;
    }
    let mut out = String::new();
    for (id, n) in counts {
        let name = crate::docs::get(id).map_or("", |d| d.name);
        out.push_str(&format!("{n:>6}  {id}  {name}\n"));
    }
    out
}
