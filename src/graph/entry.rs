//! Federated entry points for `iamlint graph`: the OIDC and SAML providers whose tokens
//! or assertions a role's trust accepts, and under which subject. They are drawn beside
//! the graph, not as its edges: a provider is no AWS principal, no identity policy of
//! it is needed, and no rule reads them (IAM105 judges the subjects).

use crate::model::arn::has_placeholder;
use crate::model::federation::{federated_action, WebIdentity};
use crate::model::inventory::Inventory;
use crate::model::matching::matches_action;
use crate::model::policy::{Effect, PrincipalKind, Statement};

const WITH_WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// One provider admitted by one role's trust statement.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntryPoint {
    /// The `Federated` principal as written (`arn:…:oidc-provider/…`, `cognito-identity.amazonaws.com`).
    pub provider: String,
    /// Index into `Inventory::roles`.
    pub role: usize,
    /// `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`.
    pub action: &'static str,
    /// The subject conditions (`sub StringLike repo:org/repo:*`); empty when none pins it.
    pub subjects: Vec<String>,
    /// A Deny of the trust may narrow it (not evaluated).
    pub uncertain: bool,
    /// Whether the statement's conditions are known statically (not a template's unknown).
    pub conditions_known: bool,
}

impl EntryPoint {
    /// The subjects as one label: `any subject` when nothing pins it, `subject not known
    /// statically` when a template left the conditions unknown.
    pub fn label(&self) -> String {
        if !self.conditions_known {
            "subject not known statically".to_owned()
        } else if self.subjects.is_empty() {
            "any subject".to_owned()
        } else {
            self.subjects.join(" & ")
        }
    }
}

fn covers(stmt: &Statement, action: &str) -> bool {
    stmt.action
        .as_ref()
        .is_some_and(|l| l.values.iter().any(|p| matches_action(p, action)) != l.negated)
}

/// The subject conditions of a statement for a provider: positive string conditions on
/// its claims other than those that never pin (`aud`, `iss`, …), or for SAML on `SAML:sub`
/// and `SAML:aud`.
fn subjects(stmt: &Statement, provider: Option<&str>) -> Vec<String> {
    let idp = provider.and_then(WebIdentity::of_principal);
    let mut out = Vec::new();
    for c in stmt.conditions.iter() {
        let op = c.op();
        if !op.is_positive_string() {
            continue;
        }
        let claim = match &idp {
            Some(idp) => match idp.claim_of(&c.key) {
                Some(claim) if !idp.is_non_pinning_claim(&claim) => claim,
                _ => continue,
            },
            None if c.key.to_ascii_lowercase().starts_with("saml:") => c.key.to_string(),
            // A provider a template left unknown: its claims, whichever it is.
            None if provider.is_none()
                && c.key.contains(':')
                && !["aws:", "sts:"]
                    .iter()
                    .any(|p| c.key.to_ascii_lowercase().starts_with(p)) =>
            {
                c.key.to_string()
            }
            None => continue,
        };
        out.push(format!("{claim} {} {}", c.operator, c.values.join(" | ")));
    }
    out.sort();
    out
}

/// Every entry point of the inventory's role trusts, sorted.
pub fn entry_points(inv: &Inventory) -> Vec<EntryPoint> {
    let mut out = Vec::new();
    for (ri, role) in inv.roles.iter().enumerate() {
        let Some(trust) = &role.trust else { continue };
        let denies = |action: &str| {
            trust
                .statements
                .iter()
                .any(|s| s.effect != Effect::Allow && covers(s, action))
        };
        for stmt in &trust.statements {
            let Some(principal) = stmt.principal.as_ref().filter(|p| !p.negated) else {
                continue;
            };
            if stmt.effect != Effect::Allow {
                continue;
            }
            for pv in principal.values() {
                if *pv.kind != PrincipalKind::Federated {
                    continue;
                }
                let known =
                    !has_placeholder(pv.value) && !trust.is_unresolved(&pv.path(&stmt.path()));
                let action = federated_action(pv.value).unwrap_or(WITH_WEB_IDENTITY);
                if !covers(stmt, action) {
                    continue;
                }
                out.push(EntryPoint {
                    provider: if known {
                        pv.value.to_owned()
                    } else {
                        "provider not known statically".to_owned()
                    },
                    role: ri,
                    action,
                    subjects: subjects(stmt, known.then_some(pv.value)),
                    uncertain: denies(action),
                    conditions_known: !trust.has_unresolved(&stmt.path().key("Condition")),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
