//! IAM302: a Resource or Principal value that is not a well-formed ARN (or account id).

use super::Rule;
use crate::finding::Finding;
use crate::model::arn::{has_placeholder, is_account_id, ArnError, ArnRef};
use crate::model::policy::{PolicyDocument, PrincipalKind};

pub struct MalformedArn;

const ID: &str = "IAM302";

/// IAM unique ids (`AROA…`, `AIDA…`) stand in a trust policy for a principal that was
/// deleted: not malformed, and not this rule's business.
fn is_unique_id(v: &str) -> bool {
    v.len() >= 16
        && v.starts_with('A')
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Why an `AWS` principal value is malformed, if it is.
fn aws_principal_problem(v: &str) -> Option<String> {
    if v == "*" || is_account_id(v) || has_placeholder(v) || is_unique_id(v) {
        return None;
    }
    if !v.starts_with("arn:") {
        return Some(format!("`{v}` is not an ARN, a 12-digit account id or `*`"));
    }
    match ArnRef::parse(v) {
        Err(e) => Some(format!("principal `{v}` {e}")),
        Ok(arn) if !matches!(arn.service, "iam" | "sts") && !arn.service.contains('*') => {
            Some(format!(
                "principal `{v}` names service `{}`; an AWS principal is an IAM or STS ARN",
                arn.service
            ))
        }
        Ok(arn) => arn.iam_problem().map(|p| format!("principal `{v}` {p}")),
    }
}

/// Why a Resource value is malformed, if it is.
fn resource_problem(v: &str) -> Option<String> {
    if v == "*" || has_placeholder(v) {
        return None;
    }
    if !v.starts_with("arn:") {
        // `*`-prefixed patterns and bare names are rejected by IAM ("Resource must be in
        // ARN format or \"*\"").
        return Some(format!("resource `{v}` is not an ARN or `*`"));
    }
    match ArnRef::parse(v) {
        // A `*` that is a whole segment matches across the colons after it (IAM user
        // guide, "Using wildcards in resource ARNs"): `arn:aws:logs:*` covers every log
        // ARN. The service segment takes no wildcard, so partition and service must be
        // there. A `*` inside a segment (`arn:aws:s3::bucket/*`) covers no missing colon.
        Err(ArnError::TooFewParts(n)) if n >= 4 && v.rsplit(':').next() == Some("*") => None,
        // IAM takes an empty resource part in a pattern: AWS's own managed policy
        // AmazonDevOpsGuruOrganizationsAccess has `arn:aws:organizations::*:`, which Access
        // Analyzer's policy validation does not flag either. Without a wildcard
        // (`arn:aws:s3:::`) the ARN names nothing: a value left empty, reported.
        Err(ArnError::EmptyResource) if v.contains(['*', '?']) => None,
        Err(e) => Some(format!("resource `{v}` {e}")),
        Ok(arn) => arn.iam_problem().map(|p| format!("resource `{v}` {p}")),
    }
}

impl Rule for MalformedArn {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.aws_managed {
            return;
        }
        for stmt in &doc.statements {
            if let Some(res) = &stmt.resource {
                for (i, v) in res.values.iter().enumerate() {
                    if let Some(msg) = resource_problem(v) {
                        let path = res.item_path(&stmt.path(), i);
                        out.push(
                            super::finding(ID, doc.loc(&path), msg)
                                .with_help(
                                    "write `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, or `*`",
                                )
                                .with_identity(format!("{}#{path}", doc.label)),
                        );
                    }
                }
            }
            if let Some(principal) = &stmt.principal {
                for pv in principal.values() {
                    let v = pv.value;
                    let problem = match pv.kind {
                        PrincipalKind::Aws => aws_principal_problem(v),
                        PrincipalKind::Federated
                            if v.starts_with("arn:") && !has_placeholder(v) =>
                        {
                            match ArnRef::parse(v) {
                                Err(e) => Some(format!("federated principal `{v}` {e}")),
                                Ok(arn) => arn
                                    .iam_problem()
                                    .map(|p| format!("federated principal `{v}` {p}")),
                            }
                        }
                        _ => None,
                    };
                    if let Some(msg) = problem {
                        let path = pv.path(&stmt.path());
                        out.push(
                            super::finding(ID, doc.loc(&path), msg)
                                .with_help("name an account (`123456789012` or `arn:aws:iam::123456789012:root`), a user or role ARN, or `*` with a condition")
                                .with_identity(format!("{}#{path}", doc.label)),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals() {
        assert!(aws_principal_problem("something").is_some());
        assert!(aws_principal_problem("arn:aws:iam::redacted:role/x").is_some());
        assert!(aws_principal_problem("arn:aws:s3:::bucket").is_some());
        assert!(aws_principal_problem("111122223333").is_none());
        assert!(aws_principal_problem("arn:aws:iam::111122223333:root").is_none());
        assert!(aws_principal_problem("arn:aws:sts::111122223333:assumed-role/r/s").is_none());
        assert!(aws_principal_problem("AROAEXAMPLEID1234567").is_none());
        assert!(aws_principal_problem("arn:aws:iam::${AWS::AccountId}:root").is_none());
        assert!(aws_principal_problem("arn:aws:iam:us-east-1:111122223333:root").is_some());
        assert!(aws_principal_problem("arn:aws:iam::111122223333:roles/x").is_some());
        assert!(aws_principal_problem("arn:aws:iam::111122223333:user/").is_some());
        // Not a principal type, but well-formed: IAM303's business in a trust policy.
        assert!(aws_principal_problem("arn:aws:iam::111122223333:group/g").is_none());
    }

    #[test]
    fn resources() {
        assert!(resource_problem("my-bucket").is_some());
        // IAM takes an empty resource part in a pattern (an AWS managed policy has one);
        // without a wildcard the ARN names nothing.
        assert!(resource_problem("arn:aws:s3:::").is_some());
        assert!(resource_problem("arn:aws:organizations::*:").is_none());
        assert!(resource_problem("arn:aws:s3:::bucket/*").is_none());
        assert!(resource_problem("arn:aws:iam::*:role/*").is_none());
        assert!(resource_problem("arn:aws:logs:*").is_none());
        assert!(resource_problem("arn:aws:logs").is_some());
        assert!(resource_problem("arn:aws:logs:us-east-1").is_some());
        assert!(resource_problem("arn:aws:iam:us-east-1:123456789012:role/x").is_some());
        assert!(resource_problem("arn:aws:iam::123456789012:usr/x").is_some());
        assert!(resource_problem("arn:aws:iam::123456789012:policy/").is_some());
        assert!(resource_problem("arn:aws:iam::123456789012:rol*").is_none());
        assert!(resource_problem("arn:aws:iam::123456789012:*").is_none());
        assert!(resource_problem("arn:aws:iam::${var.account}:roles/x").is_none());
    }
}
