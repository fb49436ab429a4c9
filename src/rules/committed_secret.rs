//! IAM501: an AWS CLI config or credentials file in the scanned tree holds a credential
//! (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`). The finding names the
//! key and the profile and points at the key; it never carries the value, and it is marked
//! redacted so that no reporter shows the line's text (IAM-SEMANTICS §7).

use super::{Context, Rule};
use crate::finding::Finding;

pub struct CommittedSecret;

const ID: &str = "IAM501";

impl Rule for CommittedSecret {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for s in ctx.inventory.secrets.iter().filter(|s| s.looks_real) {
            out.push(
                ctx.finding(
                    ID,
                    s.key_at.clone(),
                    format!("file holds `{}` of profile `{}`", s.key, s.section),
                )
                .with_help("remove the credential from the file and deactivate it (it stays in version control history); use IAM Identity Center, a role or `credential_process` instead")
                .with_identity(format!("profile:{}#{}", s.section, s.key))
                .redacted(),
            );
        }
    }
}
