//! IAM404: a CLI profile's `role_arn` that is not an IAM role ARN, or an `mfa_serial` that is
//! neither an MFA device ARN nor a hardware token serial number.

use super::{Context, Rule};
use crate::finding::Finding;
use crate::model::arn::{has_placeholder, is_account_id, ArnRef, IamArnProblem};
use crate::model::inventory::ProfileValue;

pub struct InvalidProfileArn;

const ID: &str = "IAM404";

fn has_wildcard(s: &str) -> bool {
    s.contains('*') || s.contains('?')
}

/// Role names: `[\w+=,.@-]{1,64}` (IAM API reference, CreateRole `RoleName`).
fn is_role_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
}

/// `v` parsed as a concrete IAM ARN of a 12-digit account, or what is wrong with it
/// (`wildcard` says why a wildcard is wrong for this key).
fn iam_arn<'a>(v: &'a str, wildcard: &str) -> Result<ArnRef<'a>, String> {
    let arn = ArnRef::parse(v).map_err(|e| e.to_string())?;
    if has_wildcard(v) {
        return Err(wildcard.to_owned());
    }
    if arn.service != "iam" {
        return Err(format!("names service `{}`, not `iam`", arn.service));
    }
    if !is_account_id(arn.account) {
        return Err(format!(
            "has account `{}`, which is not a 12-digit account id",
            arn.account
        ));
    }
    // The IAM meaning every ARN is checked for (as IAM302 does); a missing name is said
    // below in the key's own words.
    match arn.iam_problem() {
        Some(p @ (IamArnProblem::Region(_) | IamArnProblem::UnknownType(_))) => Err(p.to_string()),
        _ => Ok(arn),
    }
}

/// Why a `role_arn` value is not the ARN of a role STS can assume, if it is not.
fn role_arn_problem(v: &str) -> Option<String> {
    if v.is_empty() {
        return Some("is empty".into());
    }
    if has_placeholder(v) {
        return None;
    }
    let arn = match iam_arn(v, "holds a wildcard: a profile assumes one role") {
        Ok(arn) => arn,
        Err(problem) => return Some(problem),
    };
    let Some(rest) = arn.resource.strip_prefix("role/") else {
        let kind = arn.resource.split('/').next().unwrap_or_default();
        return Some(format!("names a `{kind}`, not a role (`role/NAME`)"));
    };
    let name = rest.rsplit('/').next().unwrap_or(rest);
    if !is_role_name(name) {
        return Some(format!(
            "has role name `{name}`, which is not 1 to 64 letters, digits or `_+=,.@-`"
        ));
    }
    None
}

/// Why an `mfa_serial` value is neither a virtual MFA device ARN nor a hardware token
/// serial number, if it is neither. STS takes `SerialNumber` of 9 to 256 characters of
/// `[\w+=/:,.@-]` (STS API reference, AssumeRole).
fn mfa_serial_problem(v: &str) -> Option<String> {
    if has_placeholder(v) {
        return None;
    }
    if v.starts_with("arn:") {
        let arn = match iam_arn(v, "holds a wildcard") {
            Ok(arn) => arn,
            Err(problem) => return Some(problem),
        };
        let kind = arn.resource.split('/').next().unwrap_or_default();
        return match kind {
            "mfa" if arn.resource.len() > "mfa/".len() => None,
            "mfa" => Some("has no device name after `mfa/`".into()),
            // FIDO security keys: whether STS accepts their ARN here is not documented.
            "u2f" => None,
            "user" => Some("names a user, not the user's MFA device (`mfa/NAME`)".into()),
            other => Some(format!("names a `{other}`, not an MFA device (`mfa/NAME`)")),
        };
    }
    // A serial number is the token's own code (`GAHT12345678`); one that holds an ARN's
    // `:iam::` is an ARN whose prefix was mistyped (`aarn:`, `ARN:`).
    if v.contains(":iam::") {
        return Some("looks like an MFA device ARN but does not start with `arn:`".into());
    }
    let well_formed = (9..=256).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=/:,.@-".contains(&b));
    (!well_formed).then(|| {
        "is neither an MFA device ARN (`arn:aws:iam::ACCOUNT:mfa/NAME`) nor a hardware token serial number".to_owned()
    })
}

fn push(
    ctx: &Context,
    out: &mut Vec<Finding>,
    profile: &str,
    key: &str,
    value: &ProfileValue,
    problem: String,
    help: &str,
) {
    out.push(
        ctx.finding(
            ID,
            value.loc(),
            format!("`{key}` of profile `{profile}` {problem}"),
        )
        .with_help(help)
        .with_identity(format!("profile:{profile}#{key}")),
    );
}

impl Rule for InvalidProfileArn {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // Each file's own values, once: merging config and credentials adds nothing here.
        // A value is judged once however many profiles repeat it (one per region, per team).
        let mut role_problems: foldhash::HashMap<&str, Option<String>> =
            foldhash::HashMap::default();
        let mut mfa_problems: foldhash::HashMap<&str, Option<String>> =
            foldhash::HashMap::default();
        for p in &ctx.inventory.profiles {
            if let Some(role) = &p.role_arn {
                let value = role.value.trim();
                let problem = role_problems
                    .entry(value)
                    .or_insert_with(|| role_arn_problem(value));
                if let Some(problem) = problem.clone() {
                    push(
                        ctx,
                        out,
                        &p.name,
                        "role_arn",
                        role,
                        problem,
                        "write the role's ARN: `arn:aws:iam::123456789012:role/NAME` (with its path, if any)",
                    );
                }
            }
            if let Some(mfa) = &p.mfa_serial {
                let value = mfa.value.trim();
                let problem = mfa_problems
                    .entry(value)
                    .or_insert_with(|| mfa_serial_problem(value));
                if let Some(problem) = problem.clone() {
                    push(
                        ctx,
                        out,
                        &p.name,
                        "mfa_serial",
                        mfa,
                        problem,
                        "write the MFA device's ARN (`arn:aws:iam::123456789012:mfa/NAME`) or a hardware token's serial number",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        assert!(role_arn_problem("arn:aws:iam::123456789012:role/a").is_none());
        assert!(role_arn_problem("arn:aws:iam::123456789012:role/p/q/Name_1+=,.@-").is_none());
        assert!(role_arn_problem("arn:aws-cn:iam::123456789012:role/a").is_none());
        assert!(role_arn_problem("arn:aws:iam::${ACCOUNT}:role/a").is_none());
        assert!(role_arn_problem("arn:aws:iam::<account>:role/a").is_none());
        let bad = |v| role_arn_problem(v).unwrap_or_default();
        assert!(bad("arn:aws:iam::123456789:role/a").contains("`123456789`"));
        assert!(bad("arn:aws:iam::aws:role/a").contains("`aws`"));
        assert!(bad("arn:aws:iam::123456789012:user/a").contains("`user`"));
        assert!(bad("arn:aws:sts::123456789012:role/a").contains("`sts`"));
        assert!(bad("arn:aws:iam::123456789012:role/*").contains("wildcard"));
        assert!(bad("arn:aws:iam::123456789012:role/").contains("role name"));
        assert!(bad("\"arn:aws:iam::123456789012:role/a\"").contains("arn:"));
        assert!(bad("").contains("empty"));
        assert!(bad("arn:aws:iam:us-east-1:123456789012:role/a").contains("region `us-east-1`"));
        assert!(bad("arn:aws:iam::123456789012:roles/a").contains("`roles`"));
    }

    #[test]
    fn mfa_serials() {
        assert!(mfa_serial_problem("arn:aws:iam::123456789012:mfa/alice").is_none());
        assert!(mfa_serial_problem("arn:aws-us-gov:iam::123456789012:mfa/a/b").is_none());
        assert!(mfa_serial_problem("GAHT12345678").is_none());
        assert!(mfa_serial_problem("arn:aws:iam::123456789012:u2f/user/a/x").is_none());
        assert!(mfa_serial_problem("arn:aws:iam::123456789012:user/alice").is_some());
        assert!(mfa_serial_problem("arn:aws:iam::1234:mfa/alice").is_some());
        assert!(mfa_serial_problem("arn:aws:iam::123456789012:mfa/").is_some());
        assert!(mfa_serial_problem("my phone").is_some());
        assert!(mfa_serial_problem("short").is_some());
    }
}
