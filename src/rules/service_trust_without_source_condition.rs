//! IAM109: a service role's trust lets a service that AWS documents as passing the source
//! of its request (`aws:SourceAccount`, `aws:SourceArn`) assume the role with no condition
//! on that source: the cross-service confused deputy. Only services whose own
//! documentation shows those keys in the *role trust policy* are judged; service-linked
//! roles and trusts whose conditions a template leaves unknown are not.

use std::sync::Arc;

use super::{Context, Rule};
use crate::finding::Finding;
use crate::model::arn::has_placeholder;
use crate::model::inventory::Role;
use crate::model::policy::{
    Effect, PolicyDocument, PolicyKind, PrincipalKind, Statement, ASSUME_ROLE,
};

pub struct ServiceTrustWithoutSourceCondition;

const ID: &str = "IAM109";

/// Service principals whose AWS documentation shows `aws:SourceAccount`/`aws:SourceArn`
/// in the trust policy of the role the service assumes (rules/IAM109.md cites each page).
/// Services that assume roles without passing them (or whose documentation does not say)
/// are left out on purpose: a condition they never satisfy breaks the role.
const DOCUMENTED_SERVICES: &[&str] = &[
    "bedrock.amazonaws.com",
    "config.amazonaws.com",
    "personalize.amazonaws.com",
    "scheduler.amazonaws.com",
];

/// The global keys that bind a service's request to the source resource or account.
const SOURCE_KEYS: &[&str] = &[
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

fn documented_service(value: &str) -> Option<&'static str> {
    let value = value.strip_suffix(".cn").unwrap_or(value);
    DOCUMENTED_SERVICES
        .iter()
        .copied()
        .find(|s| s.eq_ignore_ascii_case(value))
}

/// Service-linked roles live under `/aws-service-role/` and their trust is the service's
/// own, not editable: never judged.
fn is_service_linked(role: &Role) -> bool {
    role.path.starts_with("/aws-service-role/")
        || role.arn.contains(":role/aws-service-role/")
        || role.name.starts_with("AWSServiceRoleFor")
}

/// The role an AWS Config organization aggregator assumes (it carries AWS's policy for
/// reading the organization): AWS Config's documentation shows the source keys only in the
/// trust of the recorder's role, so whether the aggregator passes them is not known.
fn is_config_aggregator(role: &Role) -> bool {
    role.attached
        .iter()
        .any(|arn| arn.ends_with(":policy/service-role/AWSConfigRoleForOrganizations"))
}

/// Whether the statement binds the source (any operator: the rule does not judge the
/// values), or its conditions are not known statically.
fn binds_source(doc: &PolicyDocument, stmt: &Statement) -> bool {
    doc.has_unresolved_in(stmt, "Condition")
        || stmt
            .conditions
            .iter()
            .any(|c| SOURCE_KEYS.iter().any(|k| c.key.eq_ignore_ascii_case(k)))
}

fn check_trust(doc: &PolicyDocument, out: &mut Vec<Finding>) {
    if doc.aws_managed || doc.has_unknown_statements() {
        return;
    }
    // A Deny may bind the source for every Allow (`StringNotEquals` on
    // `aws:SourceAccount`): not evaluated, so the document is left alone.
    if doc.may_deny(ASSUME_ROLE) {
        return;
    }
    for stmt in &doc.statements {
        let Some(principal) = stmt.principal.as_ref().filter(|p| !p.negated && !p.star) else {
            continue;
        };
        if stmt.effect != Effect::Allow
            || !stmt.covers_action(ASSUME_ROLE)
            || doc.has_unresolved_in(stmt, "Action")
            || doc.has_unresolved_in(stmt, "NotAction")
            || binds_source(doc, stmt)
        {
            continue;
        }
        for pv in principal.values() {
            if *pv.kind != PrincipalKind::Service || has_placeholder(pv.value) {
                continue;
            }
            let Some(service) = documented_service(pv.value) else {
                continue;
            };
            // Built only here: most trusts name no documented service.
            let path = pv.path(&stmt.path());
            if doc.is_unresolved(&path) {
                continue;
            }
            out.push(
                super::finding(
                    ID,
                    doc.loc(&path),
                    format!(
                        "`{service}` may assume the role on behalf of any account's resources: the trust has no `aws:SourceAccount` or `aws:SourceArn` condition"
                    ),
                )
                .with_help("add `\"StringEquals\": {\"aws:SourceAccount\": \"<your account id>\"}` (or `ArnLike` on `aws:SourceArn` with the resources that use the role), as the service's documentation shows")
                .with_identity(format!("{}#{path}", doc.label)),
            );
        }
    }
}

impl Rule for ServiceTrustWithoutSourceCondition {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let mut seen = foldhash::HashSet::default();
        // A service-linked (or Config aggregator) role's trust is marked seen first, so a
        // document it shares with nothing else is never judged.
        for role in &ctx.inventory.roles {
            if let Some(trust) = &role.trust {
                if is_service_linked(role) || is_config_aggregator(role) {
                    seen.insert(Arc::as_ptr(trust));
                }
            }
        }
        let role_trusts = ctx.inventory.roles.iter().filter_map(|r| r.trust.as_ref());
        for doc in role_trusts.chain(ctx.inventory.documents.iter()) {
            if doc.kind == PolicyKind::Trust && seen.insert(Arc::as_ptr(doc)) {
                check_trust(doc, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_services_only() {
        assert_eq!(
            documented_service("config.amazonaws.com"),
            Some("config.amazonaws.com")
        );
        assert_eq!(
            documented_service("Scheduler.AmazonAWS.com"),
            Some("scheduler.amazonaws.com")
        );
        assert_eq!(
            documented_service("bedrock.amazonaws.com.cn"),
            Some("bedrock.amazonaws.com")
        );
        for other in [
            "lambda.amazonaws.com",
            "ec2.amazonaws.com",
            "ecs-tasks.amazonaws.com",
            "pods.eks.amazonaws.com",
            "config.amazonaws.com.evil",
            "",
        ] {
            assert_eq!(documented_service(other), None, "{other}");
        }
    }
}
