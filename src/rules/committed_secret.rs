//! IAM501: an AWS CLI config or credentials file in the scanned tree holds a credential
//! (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`). The finding names the
//! key and the profile and points at the key; it never carries the value, and it is marked
//! redacted so that no reporter shows the line's text (IAM-SEMANTICS §7).

use super::{Context, Rule};
use crate::finding::Finding;
use crate::model::inventory::SecretPlace;

pub struct CommittedSecret;

const ID: &str = "IAM501";

impl Rule for CommittedSecret {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for s in ctx.inventory.secrets.iter().filter(|s| s.looks_real) {
            let (message, identity) = match &s.place {
                SecretPlace::Section(section) => (
                    format!("file holds `{}` of profile `{section}`", s.key),
                    format!("profile:{section}#{}", s.key),
                ),
                SecretPlace::StrayLine(Some(section)) => (
                    format!(
                        "file holds `{}` in profile `{section}` on a line the AWS SDKs do not read",
                        s.key
                    ),
                    format!("stray:{section}#{}", s.key),
                ),
                SecretPlace::StrayLine(None) => (
                    format!(
                        "file holds `{}` outside any section the AWS SDKs read",
                        s.key
                    ),
                    format!("stray#{}", s.key),
                ),
                SecretPlace::Terraform(place) => (
                    format!("Terraform file holds `{}` in {place}", s.key),
                    format!("terraform:{place}#{}", s.key),
                ),
                SecretPlace::Cache => (
                    format!("credential cache holds `{}`", s.key),
                    format!("cache#{}", s.key),
                ),
            };
            out.push(
                ctx.finding(ID, s.key_at.clone(), message)
                .with_help("remove the credential from the file and deactivate it (it stays in version control history); use IAM Identity Center, a role or `credential_process` instead")
                .with_identity(identity)
                .redacted(),
            );
        }
    }
}
