//! IAM108: a trust admits an account that is not one of the organisation's own (as the
//! configuration declares them) without requiring `sts:ExternalId`: the confused-deputy
//! problem. Silent when the configuration declares no own account.

use std::sync::Arc;

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{account_of_value, ASSUME_ROLE};
use crate::model::arn::{has_placeholder, is_account_id, ArnRef};
use crate::model::inventory::Account;
use crate::model::matching::has_wildcard;
use crate::model::policy::{Effect, PolicyDocument, PolicyKind, PrincipalKind, Statement};

pub struct ThirdPartyWithoutExternalId;

const ID: &str = "IAM108";

/// Keys whose conditions do not narrow *which* account's principals act, nor for whom:
/// the third party meets them for every customer alike.
fn is_non_narrowing_key(key: &str) -> bool {
    super::trust_any_principal::is_non_narrowing_key(key)
        || key.eq_ignore_ascii_case("aws:SourceIp")
}

/// Whether an account text (an id, or an ARN's account part) is one of `own`, or cannot
/// be told (a wildcard, a placeholder): both keep the rule silent.
fn own_or_unknown(account: &str, own: &[&str]) -> bool {
    has_wildcard(account) || has_placeholder(account) || own.contains(&account)
}

/// Whether the statement's conditions require an ExternalId, or keep callers to the
/// organisation (or do something iamlint does not judge).
fn is_guarded(doc: &PolicyDocument, stmt: &Statement, own: &[&str]) -> bool {
    if doc.has_unresolved_in(stmt, "Condition") {
        return true;
    }
    stmt.conditions.iter().any(|c| {
        let op = c.op();
        if !op.is_known() {
            return true;
        }
        let positive = !op.is_negated() && op.base != "Null";
        match c.key.to_ascii_lowercase().as_str() {
            "sts:externalid" | "aws:principalorgid" | "aws:principalorgpaths" => positive,
            "aws:principalaccount" => {
                positive
                    && c.values
                        .iter()
                        .all(|v| own_or_unknown(v, own) || !is_account_id(v))
            }
            "aws:principalarn" => {
                positive
                    && c.values.iter().all(|v| match ArnRef::parse(v) {
                        Ok(arn) => own_or_unknown(arn.account, own),
                        Err(_) => true,
                    })
            }
            key => !is_non_narrowing_key(key),
        }
    })
}

fn check_trust(
    doc: &PolicyDocument,
    role_account: Option<&str>,
    own: &[&str],
    out: &mut Vec<Finding>,
) {
    if doc.aws_managed || doc.has_unknown_statements() {
        return;
    }
    // A Deny may require the ExternalId (`Null` on `sts:ExternalId`): not evaluated.
    if doc.may_deny(ASSUME_ROLE) {
        return;
    }
    let file = doc.origin.file();
    for stmt in &doc.statements {
        let Some(principal) = stmt.principal.as_ref().filter(|p| !p.negated && !p.star) else {
            continue;
        };
        let stmt_path = stmt.path();
        if stmt.effect != Effect::Allow
            || !stmt.covers_action(ASSUME_ROLE)
            || doc.has_unresolved_in(stmt, principal.key())
            || is_guarded(doc, stmt, own)
        {
            continue;
        }
        for pv in principal.values() {
            if *pv.kind != PrincipalKind::Aws || pv.value == "*" || has_placeholder(pv.value) {
                continue;
            }
            let path = pv.path(&stmt_path);
            if doc.is_unresolved(&path) {
                continue;
            }
            let Some(Account::Known(account)) = account_of_value(pv.value, file) else {
                continue;
            };
            if own.contains(&account.as_str()) || role_account == Some(account.as_str()) {
                continue;
            }
            out.push(
                super::finding(
                    ID,
                    doc.loc(&path),
                    format!(
                        "the trust admits account `{account}`, which is not one of the organisation's accounts, without an `sts:ExternalId` condition"
                    ),
                )
                .with_help(format!("if `{account}` is a vendor's, require the ExternalId it gave you (`StringEquals` on `sts:ExternalId`); if it is your own, list it in `organisation` in .iamlint.toml"))
                .with_identity(format!("{}#{path}", doc.label)),
            );
        }
    }
}

impl Rule for ThirdPartyWithoutExternalId {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // `default-account` alone says which account raw files belong to, not which
        // accounts are the organisation's: it does not turn the rule on.
        if ctx.config.accounts.is_empty() && ctx.config.organisation.is_empty() {
            return;
        }
        let own = ctx.config.own_accounts();
        let mut seen = foldhash::HashSet::default();
        let role_trusts = ctx.inventory.roles.iter().filter_map(|r| {
            let account = match &r.account {
                Account::Known(id) => Some(id.as_str()),
                _ => None,
            };
            r.trust.as_ref().map(|t| (t, account))
        });
        let standalone = ctx.inventory.documents.iter().map(|d| (d, None));
        for (doc, account) in role_trusts.chain(standalone) {
            if doc.kind == PolicyKind::Trust && seen.insert(Arc::as_ptr(doc)) {
                check_trust(doc, account, &own, out);
            }
        }
    }
}
