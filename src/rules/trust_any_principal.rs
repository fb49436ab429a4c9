//! IAM102: a trust policy lets every AWS account (or everyone) assume the role.

use super::Rule;
use crate::finding::Finding;
use crate::model::policy::{Effect, PolicyDocument, PolicyKind, Statement};

pub struct TrustAnyPrincipal;

const ID: &str = "IAM102";

/// Condition keys that do not narrow *who* may assume: a statement conditioned only on
/// them still trusts every AWS account.
pub(crate) fn is_non_narrowing_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    matches!(
        key.as_str(),
        "aws:multifactorauthpresent"
            | "aws:multifactorauthage"
            | "aws:securetransport"
            | "aws:currenttime"
            | "aws:epochtime"
            | "aws:requestedregion"
            | "aws:tokenissuetime"
            | "aws:viaawsservice"
    )
}

fn is_unconditioned(stmt: &Statement) -> bool {
    stmt.conditions.iter().all(|c| is_non_narrowing_key(&c.key))
}

impl Rule for TrustAnyPrincipal {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.kind != PolicyKind::Trust {
            return;
        }
        for stmt in &doc.statements {
            let Some(principal) = &stmt.principal else {
                continue;
            };
            // A condition a template left unresolved may narrow who: not guessed.
            if stmt.effect != Effect::Allow
                || !is_unconditioned(stmt)
                || doc.has_unresolved_in(stmt, "Condition")
            {
                continue;
            }
            let (path, what) = if principal.negated {
                (
                    stmt.path().key("NotPrincipal"),
                    "`NotPrincipal` with `Allow` trusts every principal not listed, in every AWS account".to_owned(),
                )
            } else if principal.star {
                (
                    stmt.path().key("Principal"),
                    "`Principal: \"*\"` trusts every principal in every AWS account".to_owned(),
                )
            } else if let Some(pv) = principal
                .values()
                .find(|v| *v.kind == crate::model::policy::PrincipalKind::Aws && v.value == "*")
            {
                (
                    pv.path(&stmt.path()),
                    "`\"AWS\": \"*\"` trusts every principal in every AWS account".to_owned(),
                )
            } else {
                continue;
            };
            let message = if stmt.conditions.is_empty() {
                format!("{what}, with no condition")
            } else {
                format!("{what}; its conditions (MFA, transport, time) do not narrow who")
            };
            out.push(
                super::finding(ID, doc.loc(&path), message)
                    .with_help("name the trusted accounts or roles, or add a condition on `aws:PrincipalOrgID`, `aws:PrincipalArn` or `sts:ExternalId`")
                    .with_identity(format!("{}#{path}", doc.label)),
            );
        }
    }
}
