//! IAM304: a role trust policy is longer than the role trust policy length quota
//! (IAM-SEMANTICS §8: 2,048 characters by default, 4,096 at most).

use super::Rule;
use crate::finding::{Finding, Severity};
use crate::model::policy::{PolicyDocument, PolicyKind};

pub struct TrustPolicyTooLong;

const ID: &str = "IAM304";

/// The default quota, which can be raised on request.
const DEFAULT_QUOTA: u32 = 2048;
/// The highest quota AWS grants.
const MAX_QUOTA: u32 = 4096;

impl Rule for TrustPolicyTooLong {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        // Characters IAM counts (white space left out), measured when the document was
        // built.
        let (PolicyKind::Trust, Some(len)) = (doc.kind, doc.quota_length) else {
            return;
        };
        if len <= DEFAULT_QUOTA {
            return;
        }
        let (severity, message) = if len > MAX_QUOTA {
            (
                Severity::Error,
                format!("trust policy is {len} characters, over the highest quota AWS grants ({MAX_QUOTA})"),
            )
        } else {
            (
                super::default_severity(ID),
                format!("trust policy is {len} characters, over the default quota of {DEFAULT_QUOTA} (the account's quota must have been raised)"),
            )
        };
        let mut finding = super::finding(ID, doc.origin.whole(), message)
            .with_help("trust fewer principals by account or with a condition on `aws:PrincipalOrgID`/`aws:PrincipalArn` instead of listing each ARN")
            .with_identity(doc.label.clone());
        finding.severity = severity;
        out.push(finding);
    }
}
