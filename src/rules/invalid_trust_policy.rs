//! IAM303: a role trust policy uses elements IAM rejects in trust policies, or pairs a
//! federated principal with the wrong action (IAM-SEMANTICS §8; Access Analyzer's policy
//! validation).

use super::Rule;
use crate::finding::Finding;
use crate::model::arn::{has_placeholder, ArnRef};
use crate::model::federation::federated_action;
use crate::model::policy::{PolicyDocument, PolicyKind, PrincipalKind, Statement};

pub struct InvalidTrustPolicy;

const ID: &str = "IAM303";

/// Actions that may stand beside any principal's assume action in a trust statement.
fn is_session_action(action: &str) -> bool {
    ["sts:tagsession", "sts:setsourceidentity", "sts:setcontext"]
        .contains(&action.to_ascii_lowercase().as_str())
}

/// `AWS` principals whose ARN names something that cannot be a principal (a group, a
/// policy, an instance profile): IAM rejects the trust policy ("Invalid principal in
/// policy"). Malformed ARNs and types IAM does not have are IAM302's.
fn check_principal_types(doc: &PolicyDocument, stmt: &Statement, out: &mut Vec<Finding>) {
    let Some(principal) = &stmt.principal else {
        return;
    };
    for pv in principal.values() {
        let value = pv.value;
        if *pv.kind != PrincipalKind::Aws || has_placeholder(value) {
            continue;
        }
        let Ok(arn) = ArnRef::parse(value) else {
            continue;
        };
        let kind = arn.resource_type();
        let wild = kind.contains('*') || kind.contains('?');
        if wild || arn.is_principal_type() || arn.iam_problem().is_some() {
            continue;
        }
        if !matches!(arn.service, "iam" | "sts") {
            continue;
        }
        let path = pv.path(&stmt.path());
        out.push(
            super::finding(
                ID,
                doc.loc(&path),
                format!("principal `{value}` has resource type `{kind}`, which is not a principal: IAM rejects the trust policy"),
            )
            .with_help("name the account, a user, a role, or a role or federated session; to let a group's members assume the role, trust the account and allow the group `sts:AssumeRole`")
            .with_identity(format!("{}#{path}", doc.label)),
        );
    }
}

fn check_federated(doc: &PolicyDocument, stmt: &Statement, out: &mut Vec<Finding>) {
    let (Some(principal), Some(actions)) = (&stmt.principal, &stmt.action) else {
        return;
    };
    if actions.negated {
        return;
    }
    for pv in principal.values() {
        let value = pv.value;
        if *pv.kind != PrincipalKind::Federated {
            continue;
        }
        let Some(needed) = federated_action(value) else {
            continue;
        };
        for (i, action) in actions.values.iter().enumerate() {
            let wildcard = action.contains('*') || action.contains('?');
            if wildcard || action.eq_ignore_ascii_case(needed) || is_session_action(action) {
                continue;
            }
            let path = actions.item_path(&stmt.path(), i);
            out.push(
                super::finding(
                    ID,
                    doc.loc(&path),
                    format!("federated principal `{value}` is paired with `{action}`; it can only use `{needed}`"),
                )
                .with_help(format!("use `{needed}` for this principal, in a statement of its own"))
                .with_identity(format!("{}#{path}", doc.label)),
            );
        }
    }
}

impl Rule for InvalidTrustPolicy {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.kind != PolicyKind::Trust {
            return;
        }
        for stmt in &doc.statements {
            if let Some(res) = stmt.resource.as_ref().filter(|res| {
                // A value not known statically may be null (no element) once known.
                !doc.is_unresolved(&res.path(&stmt.path()))
            }) {
                let path = res.path(&stmt.path());
                out.push(
                    super::finding(
                        ID,
                        doc.origin.key_at(&path),
                        format!("a trust policy has no `{}` element", res.key),
                    )
                    .with_help("remove it: the resource of a trust policy is the role itself")
                    .with_identity(format!("{}#{path}", doc.label)),
                );
            }
            if let Some(principal) = &stmt.principal {
                if principal.negated {
                    let path = stmt.path().key("NotPrincipal");
                    out.push(
                        super::finding(
                            ID,
                            doc.origin.key_at(&path),
                            "a trust policy cannot use `NotPrincipal`",
                        )
                        .with_help("name the trusted principals in `Principal` instead")
                        .with_identity(format!("{}#{path}", doc.label)),
                    );
                } else if principal.star {
                    let path = stmt.path().key("Principal");
                    out.push(
                        super::finding(ID, doc.loc(&path), "a trust policy cannot use `\"Principal\": \"*\"`")
                            .with_help("write `{\"AWS\": \"*\"}` with a condition such as `aws:PrincipalOrgID`, or name the trusted principals")
                            .with_identity(format!("{}#{path}", doc.label)),
                    );
                }
            }
            check_principal_types(doc, stmt, out);
            check_federated(doc, stmt, out);
        }
    }
}
