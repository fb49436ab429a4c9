//! IAM105: a trust lets an OIDC provider's tokens assume the role without pinning whose
//! token it is (the subject): any GitHub workflow, any service account of the cluster,
//! any identity pool's users get in. A subject pattern whose wildcard covers the owner and
//! repository (namespace and service account, organization, identity pool) is a warning.

use super::Rule;
use crate::finding::{Finding, Severity};
use crate::model::arn::has_placeholder;
use crate::model::federation::{Pattern, Provider, WebIdentity};
use crate::model::matching::has_wildcard;
use crate::model::policy::{
    Condition, Effect, PolicyDocument, PolicyKind, PrincipalKind, Statement,
};

pub struct OidcTrustWithoutSubject;

const ID: &str = "IAM105";

/// The action web identity tokens are exchanged with.
pub(crate) const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// What one statement requires of a provider's tokens, from the least to the most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Pin {
    /// Nothing pins the subject.
    Open,
    /// The subject is a pattern over owners/repositories: condition `0`, value `1`.
    Wide(usize, usize),
    /// Pinned, or iamlint cannot tell (then it keeps quiet).
    Pinned,
}

/// What a condition contributes: `None` when it does not narrow whose token it is.
fn condition_pin(
    doc: &PolicyDocument,
    stmt: &Statement,
    idp: &WebIdentity,
    ci: usize,
    c: &Condition,
) -> Option<Pin> {
    let op = c.op();
    if !op.is_known() {
        return Some(Pin::Pinned);
    }
    let Some(claim) = idp.claim_of(&c.key) else {
        // MFA, time, transport narrow nothing; any other key (`aws:SourceIp`, another
        // provider's claim) is not judged.
        return (!super::trust_any_principal::is_non_narrowing_key(&c.key)).then_some(Pin::Pinned);
    };
    if op.is_negated() {
        return None;
    }
    if op.base == "Null" {
        // `Null: false` only requires the claim to be there.
        let presence = c.values.iter().all(|v| v.eq_ignore_ascii_case("false"));
        return (!presence).then_some(Pin::Pinned);
    }
    if !op.is_positive_string() {
        return Some(Pin::Pinned);
    }
    if idp.is_non_pinning_claim(&claim) {
        return None;
    }
    let stmt_path = stmt.path();
    let unknown = c.values.is_empty()
        || c.values
            .iter()
            .enumerate()
            .any(|(i, v)| has_placeholder(v) || doc.is_unresolved(&c.value_path(&stmt_path, i)));
    if unknown {
        return Some(Pin::Pinned);
    }
    let subject = claim == idp.subject_claim();
    // The subject is in every token, so `…IfExists` and `ForAllValues:` read as the plain
    // operator on it; on another claim that a token may lack they may hold without it.
    if op.holds_without_key() && !subject {
        return Some(Pin::Pinned);
    }
    let judged = subject || (idp.provider == Provider::GitHub && claim == "repository");
    let mut worst = (Pattern::Narrow, 0);
    for (i, v) in c.values.iter().enumerate() {
        let p = if op.base != "StringLike" || !has_wildcard(v) {
            Pattern::Narrow
        } else if judged {
            idp.judge_pattern(&claim, v)
        } else if v.bytes().all(|b| b == b'*' || b == b'?') {
            Pattern::Open
        } else {
            Pattern::Unknown
        };
        if p < worst.0 {
            worst = (p, i);
        }
    }
    Some(match worst.0 {
        Pattern::Open => Pin::Open,
        Pattern::Wide => Pin::Wide(ci, worst.1),
        Pattern::Unknown | Pattern::Narrow => Pin::Pinned,
    })
}

/// How a statement pins the subject for `idp`: the most any of its conditions does
/// (conditions are ANDed).
fn statement_pin(doc: &PolicyDocument, stmt: &Statement, idp: &WebIdentity) -> Pin {
    stmt.conditions
        .iter()
        .enumerate()
        .filter_map(|(ci, c)| condition_pin(doc, stmt, idp, ci, c))
        .max()
        .unwrap_or(Pin::Open)
}

fn help(idp: &WebIdentity) -> String {
    let key = format!("{}:{}", idp.prefix, idp.subject_claim());
    match idp.provider {
        Provider::GitHub => format!("add `StringEquals` (or `StringLike`) on `{key}` naming the repository, such as `repo:ORG/REPO:ref:refs/heads/main` or `repo:ORG/REPO:environment:prod`"),
        Provider::Eks => format!("add `StringEquals` on `{key}` naming the service account: `system:serviceaccount:NAMESPACE:NAME`"),
        Provider::Cognito => format!("add `StringEquals` on `{key}` naming the identity pool id, and `ForAnyValue:StringLike` on `cognito-identity.amazonaws.com:amr` (`authenticated`)"),
        Provider::TerraformCloud => format!("add `StringLike` on `{key}`, such as `organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:*`"),
        Provider::GitLab => format!("add `StringEquals` (or `StringLike`) on `{key}`, such as `project_path:GROUP/PROJECT:ref_type:branch:ref:main`"),
        Provider::Other => format!("add a condition on `{key}` (or at least on `{}:aud`)", idp.prefix),
    }
}

impl Rule for OidcTrustWithoutSubject {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.kind != PolicyKind::Trust || doc.aws_managed || doc.has_unknown_statements() {
            return;
        }
        // A Deny (or a statement whose effect is not known) may narrow who gets in:
        // iamlint does not evaluate it, so it says nothing about the document.
        if doc.may_deny(WEB_IDENTITY) {
            return;
        }
        for stmt in &doc.statements {
            let Some(principal) = stmt.principal.as_ref().filter(|p| !p.negated) else {
                continue;
            };
            if stmt.effect != Effect::Allow
                || !stmt.covers_action(WEB_IDENTITY)
                || doc.has_unresolved_in(stmt, "Condition")
            {
                continue;
            }
            for pv in principal.values() {
                if *pv.kind != PrincipalKind::Federated {
                    continue;
                }
                let Some(idp) = WebIdentity::of_principal(pv.value) else {
                    continue;
                };
                let key = format!("{}:{}", idp.prefix, idp.subject_claim());
                match statement_pin(doc, stmt, &idp) {
                    Pin::Pinned => {}
                    Pin::Open => {
                        let path = pv.path(&stmt.path());
                        out.push(
                            super::finding(
                                ID,
                                doc.loc(&path),
                                format!(
                                    "the trust admits {}: no condition pins `{key}`",
                                    idp.everyone()
                                ),
                            )
                            .with_help(help(&idp))
                            .with_identity(format!("{}#{path}", doc.label)),
                        );
                    }
                    Pin::Wide(ci, vi) => {
                        let Some((c, v)) = stmt
                            .conditions
                            .get(ci)
                            .and_then(|c| Some((c, c.values.get(vi)?)))
                        else {
                            continue;
                        };
                        let path = c.value_path(&stmt.path(), vi);
                        let claim = idp.claim_of(&c.key).unwrap_or_default();
                        let (scope, others) = idp.wide_scope(&claim, v);
                        let mut finding = super::finding(
                            ID,
                            doc.loc(&path),
                            format!(
                                "`{}` pattern `{v}` leaves the {scope} open: {others} match it",
                                c.key
                            ),
                        )
                        .with_label(doc.loc(&pv.path(&stmt.path())), "the provider it trusts")
                        .with_help(help(&idp))
                        .with_identity(format!("{}#{path}", doc.label));
                        finding.severity = Severity::Warning;
                        out.push(finding);
                    }
                }
            }
        }
    }
}
