//! IAM110: a trust that cannot admit a session it is documented to receive. An EKS Pod
//! Identity trust (`pods.eks.amazonaws.com`) must allow `sts:TagSession` as well as
//! `sts:AssumeRole`; a Terraform provider's chained `assume_role` block with `tags` or
//! `source_identity` needs `sts:TagSession` / `sts:SetSourceIdentity` for its caller in
//! the target's trust; and a role that assumes itself (a CLI profile or a Terraform provider
//! chain that goes from a role onto the same role) must name itself in its trust, since
//! roles no longer trust themselves implicitly (IAM-SEMANTICS §3). It speaks only when the
//! trust is read whole and nothing in it could allow the call.

use super::{Context, Rule};
use crate::finding::{Finding, Severity};
use crate::model::arn::{has_placeholder, is_account_id, ArnRef};
use crate::model::inventory::Role;
use crate::model::location::Location;
use crate::model::matching::has_wildcard;
use crate::model::policy::{
    Effect, PolicyDocument, PolicyKind, PrincipalKind, Statement, ASSUME_ROLE,
};

pub struct TrustMissingSessionGrant;

const ID: &str = "IAM110";

const TAG_SESSION: &str = "sts:TagSession";
const SET_SOURCE_IDENTITY: &str = "sts:SetSourceIdentity";
const POD_IDENTITY: &str = "pods.eks.amazonaws.com";

/// Whether a statement's Action/NotAction or Principal is not known statically.
fn is_partly_unknown(doc: &PolicyDocument, stmt: &Statement) -> bool {
    ["Action", "NotAction", "Principal", "NotPrincipal"]
        .iter()
        .any(|k| doc.has_unresolved_in(stmt, k))
}

fn names_pod_identity(stmt: &Statement) -> bool {
    stmt.principal.as_ref().is_some_and(|p| {
        !p.negated
            && p.values().any(|v| {
                *v.kind == PrincipalKind::Service && v.value.eq_ignore_ascii_case(POD_IDENTITY)
            })
    })
}

/// EKS Pod Identity: every statement that lets the agent assume the role is reported when
/// no statement of the document allows it `sts:TagSession` (IAM authorizes the tags as
/// their own action, so a second statement that allows them is enough).
fn check_pod_identity(doc: &PolicyDocument, out: &mut Vec<Finding>) {
    if doc.has_unknown_statements() || doc.statements.iter().any(|s| is_partly_unknown(doc, s)) {
        return;
    }
    let tags_allowed = doc.statements.iter().any(|s| {
        s.effect == Effect::Allow && names_pod_identity(s) && s.covers_action(TAG_SESSION)
    });
    if tags_allowed {
        return;
    }
    for stmt in &doc.statements {
        if stmt.effect != Effect::Allow || !stmt.covers_action(ASSUME_ROLE) {
            continue;
        }
        let Some(principal) = stmt.principal.as_ref().filter(|p| !p.negated) else {
            continue;
        };
        let stmt_path = stmt.path();
        for pv in principal.values() {
            if *pv.kind != PrincipalKind::Service || !pv.value.eq_ignore_ascii_case(POD_IDENTITY) {
                continue;
            }
            let path = pv.path(&stmt_path);
            out.push(
                super::finding(
                    ID,
                    doc.loc(&path),
                    "EKS Pod Identity assumes roles with session tags, but the trust does not allow `pods.eks.amazonaws.com` `sts:TagSession`: pods get no credentials",
                )
                .with_help("allow `[\"sts:AssumeRole\", \"sts:TagSession\"]` in the statement for `pods.eks.amazonaws.com`")
                .with_identity(format!("{}#{path}", doc.label)),
            );
        }
    }
}

/// Whether a principal value may stand for the role `role_arn` (its ARN, a session of it
/// (`role_name` without the path, as session ARNs write it), its account, everyone), or
/// cannot be read: each keeps the rule silent.
fn may_admit(value: &str, role_arn: &ArnRef, role_name: &str) -> bool {
    if value == "*" || has_placeholder(value) || has_wildcard(value) {
        return true;
    }
    if is_account_id(value) {
        return value == role_arn.account;
    }
    let Ok(arn) = ArnRef::parse(value) else {
        return true;
    };
    if has_placeholder(arn.account) || has_wildcard(arn.account) {
        return true;
    }
    if arn.account != role_arn.account {
        return false;
    }
    let session_prefix = format!("assumed-role/{role_name}/");
    arn.resource == "root"
        || (arn.service == "iam" && arn.resource.eq_ignore_ascii_case(role_arn.resource))
        || (arn.service == "sts"
            && arn
                .resource
                .get(..session_prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(&session_prefix)))
}

/// `Some(false)` when `trust` surely does not allow `action` to a session of the role
/// `caller` (an IAM role ARN); `None` when it cannot be told.
fn allows_session_of(trust: &PolicyDocument, caller: &str, action: &str) -> Option<bool> {
    let caller_arn = ArnRef::parse(caller).ok()?;
    let caller_name = caller_arn
        .resource
        .strip_prefix("role/")?
        .rsplit('/')
        .next()?;
    if trust.has_unknown_statements() || has_placeholder(caller) || has_wildcard(caller) {
        return None;
    }
    for stmt in &trust.statements {
        if stmt.effect != Effect::Allow {
            continue;
        }
        if is_partly_unknown(trust, stmt) {
            return None;
        }
        let Some(principal) = &stmt.principal else {
            continue;
        };
        if !stmt.covers_action(action) {
            continue;
        }
        if principal.negated || principal.star {
            return None;
        }
        let admits = principal.values().any(|v| {
            matches!(v.kind, PrincipalKind::Aws) && may_admit(v.value, &caller_arn, caller_name)
        });
        if admits {
            return Some(true);
        }
    }
    Some(false)
}

/// `Some(false)` when the trust surely does not admit a session of the role itself;
/// `None` when it cannot be told.
fn admits_itself(role: &Role) -> Option<bool> {
    allows_session_of(role.trust.as_ref()?, &role.arn, ASSUME_ROLE)
}

/// A Terraform provider's `assume_role` block that passes session tags or a source
/// identity, chained from the previous block's role: the target's trust must allow the
/// caller `sts:TagSession` / `sts:SetSourceIdentity` (the first block's caller, the
/// provider's own credentials, is not known and not judged).
fn check_provider_session_actions(ctx: &Context, out: &mut Vec<Finding>) {
    for chain in &ctx.inventory.provider_chains {
        for (i, pair) in chain.hops.windows(2).enumerate() {
            let (Some(caller), Some(target)) = (&pair[0].role_arn, &pair[1].role_arn) else {
                continue;
            };
            let Some(trust) = ctx
                .inventory
                .role_by_arn(&target.value)
                .and_then(|r| r.trust.as_ref())
            else {
                continue;
            };
            // Whether the caller gets in at all is IAM103's question.
            if allows_session_of(trust, &caller.value, ASSUME_ROLE) != Some(true) {
                continue;
            }
            let hop = &pair[1];
            let wants = [
                (hop.session_tags.clone(), TAG_SESSION, "passes session tags"),
                (
                    hop.source_identity.as_ref().map(|s| s.loc.clone()),
                    SET_SOURCE_IDENTITY,
                    "sets a source identity",
                ),
            ];
            for (at, action, what) in wants {
                let Some(at) = at else { continue };
                if allows_session_of(trust, &caller.value, action) != Some(false) {
                    continue;
                }
                out.push(
                    ctx.finding(
                        ID,
                        at,
                        format!(
                            "provider `{}` {what} when `{}` assumes `{}`, but the role's trust does not allow that caller `{action}`: the call fails",
                            chain.name, caller.value, target.value
                        ),
                    )
                    .with_label(trust.loc(&crate::model::path::JsonPath::root()), "the role's trust policy")
                    .with_help(format!("add `{action}` to the actions of the trust statement that admits `{}`", caller.value))
                    .with_identity(format!("provider:{}#{}:{action}", chain.name, i + 1)),
                );
            }
        }
    }
}

fn self_assume_finding(
    ctx: &Context,
    role: &Role,
    at: Location,
    how: String,
    identity: String,
) -> Option<Finding> {
    if admits_itself(role)? {
        return None;
    }
    let trust = role.trust.as_ref()?;
    let trust_at: Location = trust.loc(&crate::model::path::JsonPath::root());
    let mut finding = ctx.finding(
            ID,
            at,
            format!(
                "{how} assumes `{}` from a session of that same role, but the role's trust does not name it: roles no longer trust themselves implicitly, so the call fails",
                role.arn
            ),
        )
        .with_label(trust_at, "the role's trust policy")
        .with_help(format!(
            "add a statement allowing `sts:AssumeRole` to `{{\"AWS\": \"{}\"}}`, or assume the role from the original credentials instead",
            role.arn
        ))
        .with_identity(identity);
    // AWS kept the old implicit self-trust for roles that had used it until its automated
    // removal (announcement, June 2023 and April 2024 updates): a warning, not an error.
    finding.severity = Severity::Warning;
    Some(finding)
}

impl Rule for TrustMissingSessionGrant {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.kind != PolicyKind::Trust || doc.aws_managed {
            return;
        }
        check_pod_identity(doc, out);
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        check_provider_session_actions(ctx, out);
        let inv = ctx.inventory;
        for set in inv.profile_sets() {
            for p in &set.profiles {
                let (Some(role_arn), Some(src)) = (&p.role_arn, &p.source_profile) else {
                    continue;
                };
                let Some(source) = set.get(&src.value).filter(|s| s.name != p.name) else {
                    continue;
                };
                // The role is looked up only for a profile that chains into its own role.
                let same = source
                    .role_arn
                    .as_ref()
                    .is_some_and(|s| s.value == role_arn.value);
                let Some(role) = same.then(|| inv.role_by_arn(&role_arn.value)).flatten() else {
                    continue;
                };
                out.extend(self_assume_finding(
                    ctx,
                    role,
                    role_arn.loc(),
                    format!("profile `{}`", p.name),
                    format!("profile:{}", p.name),
                ));
            }
        }
        for chain in &inv.provider_chains {
            for (i, pair) in chain.hops.windows(2).enumerate() {
                let (Some(from), Some(to)) = (&pair[0].role_arn, &pair[1].role_arn) else {
                    continue;
                };
                if from.value != to.value {
                    continue;
                }
                let Some(role) = inv.role_by_arn(&to.value) else {
                    continue;
                };
                out.extend(self_assume_finding(
                    ctx,
                    role,
                    to.loc.clone(),
                    format!("provider `{}`", chain.name),
                    format!("provider:{}#{}", chain.name, i + 1),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::222222222222:role/team/ops";

    fn admits(value: &str) -> bool {
        let arn = ArnRef::parse(ROLE).expect("test ARN parses");
        may_admit(value, &arn, "ops")
    }

    #[test]
    fn principals_that_may_stand_for_the_role() {
        assert!(admits(ROLE));
        assert!(admits("arn:aws:iam::222222222222:role/team/OPS"));
        assert!(admits("arn:aws:sts::222222222222:assumed-role/ops/session"));
        assert!(admits("arn:aws:iam::222222222222:root"));
        assert!(admits("222222222222"));
        assert!(admits("*"));
        assert!(
            admits("AROAEXAMPLEUNIQUEID"),
            "a unique id is not read: silent"
        );
        assert!(admits("arn:aws:iam::${var.account}:role/team/ops"));
        assert!(!admits("arn:aws:iam::111111111111:role/team/ops"));
        assert!(!admits("arn:aws:iam::222222222222:role/ops"));
        assert!(!admits(
            "arn:aws:sts::222222222222:assumed-role/opsx/session"
        ));
        assert!(!admits("111111111111"));
    }

    proptest::proptest! {
        /// Whatever the principal or caller text, the helpers return.
        #[test]
        fn never_panics(value in "\\PC{0,60}", caller in "(arn:aws:iam::[0-9]{0,12}:role/)?\\PC{0,30}") {
            let _ = admits(&value);
            let doc = serde_json::json!({"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": value}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
            ]});
            let origin = crate::model::location::DocOrigin::Json { file: 0, base: crate::model::path::JsonPath::root() };
            let doc = PolicyDocument::from_value(&doc, origin, PolicyKind::Trust, "t".into());
            let _ = allows_session_of(&doc, &caller, TAG_SESSION);
        }
    }
}
