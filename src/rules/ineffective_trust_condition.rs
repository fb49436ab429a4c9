//! IAM106: a trust condition that cannot do what it was written for: a wildcard under
//! `StringEquals` on a key whose values never hold one (the value never matches), or a
//! condition that also holds when the request lacks the key (`ForAllValues:` on a
//! single-valued key; `…IfExists` on `sts:ExternalId` or `aws:PrincipalOrgID`).

use super::Rule;
use crate::finding::Finding;
use crate::model::arn::has_placeholder;
use crate::model::condition::SetQualifier;
use crate::model::federation::{Provider, WebIdentity};
use crate::model::matching::has_wildcard;
use crate::model::policy::{
    Condition, Effect, PolicyDocument, PolicyKind, PrincipalKind, Statement,
};

pub struct IneffectiveTrustCondition;

const ID: &str = "IAM106";

/// Global and STS keys whose request value is always one value (IAM user guide, AWS global
/// condition context keys: "Value type: Single-valued"; STS condition keys).
const SINGLE_VALUED: &[&str] = &[
    "sts:externalid",
    "sts:rolesessionname",
    "sts:sourceidentity",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
];

/// Keys whose values never hold `*` or `?`: account ids (12 digits), organization ids
/// (`o-` and 10 to 32 lower-case letters or digits), IAM principal ARNs (names of
/// `[\w+=,.@-]`), and ExternalIds (`[\w+=,.@:/-]`, STS API reference).
const NO_WILDCARD_CHARS: &[&str] = &[
    "sts:externalid",
    "aws:sourceaccount",
    "aws:principalaccount",
    "aws:resourceaccount",
    "aws:sourceorgid",
    "aws:principalorgid",
    "aws:resourceorgid",
    "aws:principalarn",
];

/// Keys whose absence an `…IfExists` turns into a pass for exactly the callers the
/// condition was meant to stop: callers that pass no ExternalId, principals of accounts
/// outside any organization.
const ABSENT_FOR_OUTSIDERS: &[&str] = &["sts:externalid", "aws:principalorgid"];

/// The web identity providers a statement trusts.
fn providers(stmt: &Statement) -> Vec<WebIdentity<'_>> {
    stmt.principal
        .iter()
        .flat_map(|p| p.values())
        .filter(|v| *v.kind == PrincipalKind::Federated)
        .filter_map(|v| WebIdentity::of_principal(v.value))
        .collect()
}

/// Whether a literal `*` or `?` in `value` can never be in a request value of `key`.
fn wildcard_never_literal(key: &str, value: &str, idps: &[WebIdentity]) -> bool {
    let lower = key.to_ascii_lowercase();
    if NO_WILDCARD_CHARS.contains(&lower.as_str()) {
        return true;
    }
    let Some(first) = value.find(['*', '?']) else {
        return false;
    };
    let literal = value.get(..first).unwrap_or_default();
    idps.iter().any(|idp| {
        match (idp.provider, idp.claim_of(key).as_deref()) {
            // Kubernetes names (DNS labels) and Cognito pool ids hold no wildcard.
            (Provider::Eks, Some("sub")) | (Provider::Cognito, Some("aud")) => true,
            // Owner and repository names hold letters, digits, `-`, `_`, `.`.
            (Provider::GitHub, Some("repository")) => true,
            // `repo:OWNER/REPO:CONTEXT…`: a wildcard in the owner, the repository, or
            // where the context keyword starts; or in the leading claim name of a
            // customised subject (`repository_owner_id:…`), before its first `:`.
            (Provider::GitHub, Some("sub")) => match literal.strip_prefix("repo:") {
                Some(rest) => match rest.find('/') {
                    Some(slash) => rest
                        .get(slash + 1..)
                        .is_none_or(|r| r.find(':').is_none_or(|k| k + 1 == r.len())),
                    None => true,
                },
                None => !literal.contains(':'),
            },
            _ => false,
        }
    })
}

fn is_single_valued(key: &str, idps: &[WebIdentity]) -> bool {
    let lower = key.to_ascii_lowercase();
    SINGLE_VALUED.contains(&lower.as_str())
        || idps.iter().any(|idp| {
            idp.claim_of(key)
                .is_some_and(|c| c == idp.subject_claim() || c == "sub")
        })
}

fn check_condition(
    doc: &PolicyDocument,
    stmt: &Statement,
    c: &Condition,
    idps: &[WebIdentity],
    out: &mut Vec<Finding>,
) {
    let op = c.op();
    if !op.is_known() {
        return;
    }
    let stmt_path = stmt.path();
    let cond_path = c.path(&stmt_path);
    if op.set == Some(SetQualifier::ForAllValues) && is_single_valued(&c.key, idps) {
        out.push(
            super::finding(
                ID,
                doc.origin.key_at(&cond_path),
                format!(
                    "`{}` on single-valued key `{}` also holds when the request has no `{}`",
                    c.operator, c.key, c.key
                ),
            )
            .with_help(format!(
                "use `{}{}` without `ForAllValues:`; AWS: do not use set operators with single-valued keys",
                op.base,
                if op.if_exists { "IfExists" } else { "" }
            ))
            .with_identity(format!("{}#{cond_path}#forall", doc.label)),
        );
        return;
    }
    if op.if_exists
        && !op.is_negated()
        && op.set.is_none()
        && ABSENT_FOR_OUTSIDERS.contains(&c.key.to_ascii_lowercase().as_str())
    {
        out.push(
            super::finding(
                ID,
                doc.origin.key_at(&cond_path),
                format!(
                    "`{}` on `{}` holds for every caller whose request has no `{}`",
                    c.operator, c.key, c.key
                ),
            )
            .with_help(format!(
                "use `{}`: the key must be present and match",
                op.base
            ))
            .with_identity(format!("{}#{cond_path}#ifexists", doc.label)),
        );
        return;
    }
    if !op.is_exact_string() || op.is_negated() {
        return;
    }
    for (i, v) in c.values.iter().enumerate() {
        let path = c.value_path(&stmt_path, i);
        if !has_wildcard(v) || has_placeholder(v) || doc.is_unresolved(&path) {
            continue;
        }
        if !wildcard_never_literal(&c.key, v, idps) {
            continue;
        }
        out.push(
            super::finding(
                ID,
                doc.loc(&path),
                format!(
                    "`{}` compares `{v}` literally, and no `{}` has `*` or `?` there: this value never matches",
                    c.operator, c.key
                ),
            )
            .with_help("use `StringLike` for a pattern, or write the exact value")
            .with_identity(format!("{}#{path}", doc.label)),
        );
    }
}

impl Rule for IneffectiveTrustCondition {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.kind != PolicyKind::Trust || doc.aws_managed {
            return;
        }
        for stmt in &doc.statements {
            // In a Deny, a condition that holds more often denies more: not this rule's.
            if stmt.effect != Effect::Allow || doc.has_unresolved_in(stmt, "Condition") {
                continue;
            }
            let idps = providers(stmt);
            for c in stmt.conditions.iter() {
                check_condition(doc, stmt, c, &idps, out);
            }
        }
    }
}
