//! IAM107: a trust pairs a principal with an action it can never call, or a SAML trust
//! does not check where the assertion was presented (`SAML:aud`). Federated principals
//! paired with the wrong action are IAM303's (IAM rejects those policies); this rule
//! takes the pairs IAM accepts and that still cannot work, and the SAML audience.

use super::Rule;
use crate::finding::Finding;
use crate::model::policy::{Effect, PolicyDocument, PolicyKind, PrincipalKind, Statement};

pub struct TrustPrincipalActionMismatch;

const ID: &str = "IAM107";

const WITH_SAML: &str = "sts:AssumeRoleWithSAML";
const WITH_WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// `AssumeRoleWithWebIdentity`/`AssumeRoleWithSAML` granted to `AWS` or `Service`
/// principals only: those calls carry a token or an assertion, and the principal of the
/// request is the identity provider, never an AWS principal or a service.
fn check_federated_action_to_aws(doc: &PolicyDocument, stmt: &Statement, out: &mut Vec<Finding>) {
    let (Some(principal), Some(actions)) = (&stmt.principal, &stmt.action) else {
        return;
    };
    if principal.negated
        || principal.star
        || actions.negated
        || principal.entries.is_empty()
        || doc.has_unresolved_in(stmt, principal.key())
        || !principal
            .entries
            .iter()
            .all(|e| matches!(e.kind, PrincipalKind::Aws | PrincipalKind::Service))
    {
        return;
    }
    let kinds: Vec<&str> = principal.entries.iter().map(|e| e.key.as_str()).collect();
    // Paths are made only for the federated actions: nearly every trust has none.
    let stmt_path = stmt.path();
    for (i, action) in actions.values.iter().enumerate() {
        let what = if action.eq_ignore_ascii_case(WITH_WEB_IDENTITY) {
            "a web identity token, whose principal is the OIDC provider"
        } else if action.eq_ignore_ascii_case(WITH_SAML) {
            "a SAML assertion, whose principal is the SAML provider"
        } else {
            continue;
        };
        let path = actions.item_path(&stmt_path, i);
        if doc.is_unresolved(&path) {
            continue;
        }
        out.push(
            super::finding(
                ID,
                doc.loc(&path),
                format!(
                    "`{action}` is called with {what}, never by `{}` principals: this grant admits no one",
                    kinds.join("`/`")
                ),
            )
            .with_help("grant `sts:AssumeRole` to AWS and service principals; for federation, name the provider as the `Federated` principal")
            .with_identity(format!("{}#{path}", doc.label)),
        );
    }
}

/// A SAML provider trusted for `AssumeRoleWithSAML` without a positive condition on
/// `SAML:aud`.
fn check_saml_audience(doc: &PolicyDocument, stmt: &Statement, out: &mut Vec<Finding>) {
    let Some(principal) = stmt.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    if !stmt.covers_action(WITH_SAML) || doc.has_unresolved_in(stmt, "Condition") {
        return;
    }
    let checks_audience = stmt.conditions_on("SAML:aud").any(|c| {
        let op = c.op();
        !op.is_known() || !(op.is_negated() || op.base == "Null")
    });
    if checks_audience {
        return;
    }
    let stmt_path = stmt.path();
    for pv in principal.values() {
        if *pv.kind != PrincipalKind::Federated || !pv.value.contains(":saml-provider/") {
            continue;
        }
        let path = pv.path(&stmt_path);
        if doc.is_unresolved(&path) {
            continue;
        }
        out.push(
            super::finding(
                ID,
                doc.loc(&path),
                "the SAML trust does not check `SAML:aud`, the sign-in endpoint the assertion was presented to",
            )
            .with_help("add `\"StringEquals\": {\"SAML:aud\": \"https://signin.aws.amazon.com/saml\"}` (or the regional sign-in endpoints you use)")
            .with_identity(format!("{}#{path}", doc.label)),
        );
    }
}

impl Rule for TrustPrincipalActionMismatch {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.kind != PolicyKind::Trust || doc.aws_managed {
            return;
        }
        for stmt in &doc.statements {
            if stmt.effect != Effect::Allow {
                continue;
            }
            check_federated_action_to_aws(doc, stmt, out);
            check_saml_audience(doc, stmt, out);
        }
    }
}
