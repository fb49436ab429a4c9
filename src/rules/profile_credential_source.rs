//! IAM401: a CLI profile with `role_arn` needs exactly one credential source
//! (`source_profile`, `credential_source` or `web_identity_token_file`), and a
//! `credential_source` must name one the SDKs know (IAM-SEMANTICS §7).

use super::{Context, Rule};
use crate::finding::Finding;
use crate::model::inventory::ProfileValue;

pub struct ProfileCredentialSource;

const ID: &str = "IAM401";

/// The values `credential_source` may take (AWS SDKs and Tools reference guide,
/// "Assume role credentials").
const CREDENTIAL_SOURCES: [&str; 3] = ["Environment", "Ec2InstanceMetadata", "EcsContainer"];

/// `a`, `a` and `b`, `a`, `b` and `c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|i| format!("`{i}`")).collect();
            format!("{} and `{last}`", init.join(", "))
        }
    }
}

impl Rule for ProfileCredentialSource {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for set in ctx.inventory.profile_sets() {
            for p in &set.profiles {
                if let Some(source) = &p.credential_source {
                    let v = source.value.trim();
                    // A value that differs only in case is left alone: whether every SDK
                    // compares these names case-sensitively is not documented.
                    if !CREDENTIAL_SOURCES.iter().any(|c| c.eq_ignore_ascii_case(v)) {
                        out.push(
                            ctx.finding(
                                ID,
                                source.loc(),
                                format!(
                                    "`credential_source` `{v}` of profile `{}` is not `Environment`, `Ec2InstanceMetadata` or `EcsContainer`",
                                    p.name
                                ),
                            )
                            .with_help("`credential_source` names where the SDK finds the credentials that assume `role_arn`: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`; to use another profile's credentials, write `source_profile`")
                            .with_identity(format!("profile:{}#credential_source", p.name)),
                        );
                    }
                }
                let Some(role) = &p.role_arn else {
                    continue;
                };
                // An array, not a vector: most of an organisation's profiles have one.
                let given = [
                    ("source_profile", &p.source_profile),
                    ("credential_source", &p.credential_source),
                    ("web_identity_token_file", &p.web_identity_token_file),
                ]
                .map(|(k, v)| v.as_deref().map(|v| (k, v)));
                let mut sources = given.iter().flatten();
                match (sources.next(), sources.next()) {
                    (Some(_), None) => {}
                    (None, _) => {
                        let help = if p.has_static_keys {
                            format!("to assume the role with this profile's own access keys, add `source_profile = {}`; otherwise name a profile with credentials in `source_profile`, or set `credential_source`", p.name)
                        } else if p.credential_process.is_some() || p.sso {
                            "`credential_process` and SSO settings do not supply credentials for `role_arn`: move them to a profile of their own and name it in `source_profile`".to_owned()
                        } else {
                            "name a profile with credentials in `source_profile`, or set `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`) or `web_identity_token_file`".to_owned()
                        };
                        out.push(
                            ctx.finding(
                                ID,
                                role.loc(),
                                format!(
                                    "profile `{}` has `role_arn` but no `source_profile`, `credential_source` or `web_identity_token_file`",
                                    p.name
                                ),
                            )
                            .with_help(help)
                            .with_identity(format!("profile:{}#no-source", p.name)),
                        );
                    }
                    (Some(first), Some(_)) => {
                        let sources: Vec<&(&str, &ProfileValue)> = given.iter().flatten().collect();
                        let keys: Vec<&str> = sources.iter().map(|(k, _)| *k).collect();
                        let mut f = ctx
                            .finding(
                                ID,
                                first.1.loc(),
                                format!(
                                    "profile `{}` has {}{}: a role profile takes one credential source",
                                    p.name,
                                    if keys.len() == 2 { "both " } else { "" },
                                    and_list(&keys)
                                ),
                            )
                            .with_help("keep one: the AWS CLI rejects `source_profile` with `credential_source`, and the SDKs disagree on which source wins next to `web_identity_token_file`")
                            .with_identity(format!("profile:{}#sources:{}", p.name, keys.join(",")));
                        for (k, v) in sources.iter().skip(1) {
                            f = f.with_label(v.loc(), format!("`{k}` is here"));
                        }
                        out.push(f);
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
    fn lists() {
        assert_eq!(and_list(&["a", "b"]), "`a` and `b`");
        assert_eq!(and_list(&["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
