//! IAM402: a role profile's `source_profile` names a profile that neither the config file
//! nor the credentials file beside it defines, or a profile's `sso_session` names an
//! `[sso-session]` the config file does not declare (IAM-SEMANTICS §7).

use super::{Context, Rule};
use crate::finding::{Finding, Severity};
use crate::model::inventory::{ConfigSectionKind, SourceFormat};
use crate::model::profile_set::ProfileSet;

pub struct UnknownSourceProfile;

const ID: &str = "IAM402";

/// What an undefined name may still be, as far as iamlint can tell.
enum Lookalike {
    /// Nothing: the name is simply not defined.
    None,
    /// `[NAME]` in a config file: the SDKs read only `[profile NAME]` and `[default]` there.
    BareConfigSection,
    /// A section some SDK may read as that profile though the shared rules reject it
    /// (`[profile a!b]`, `[a!b]` in a credentials file): stay silent.
    Uncertain,
}

fn lookalike(set: &ProfileSet, name: &str, ctx: &Context) -> Lookalike {
    let is_credentials = |file| {
        ctx.inventory
            .files
            .get(file as usize)
            .is_some_and(|f| f.format == SourceFormat::AwsCredentials)
    };
    let mut found = Lookalike::None;
    for s in set
        .sections
        .iter()
        .filter(|s| s.kind == ConfigSectionKind::Other)
    {
        let words: Vec<&str> = s
            .name
            .split([' ', '\t'])
            .filter(|w| !w.is_empty())
            .collect();
        if is_credentials(s.file) {
            if s.name == name {
                return Lookalike::Uncertain;
            }
        } else if words.as_slice() == ["profile", name] {
            return Lookalike::Uncertain;
        } else if s.name == name {
            found = Lookalike::BareConfigSection;
        }
    }
    found
}

impl Rule for UnknownSourceProfile {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for set in ctx.inventory.profile_sets() {
            for p in &set.profiles {
                // Without `role_arn` the SDKs do not follow `source_profile`.
                if let (Some(_), Some(source)) = (&p.role_arn, &p.source_profile) {
                    let name = source.value.trim();
                    if name.is_empty() {
                        out.push(
                            ctx.finding(
                                ID,
                                source.loc(),
                                format!("`source_profile` of profile `{}` is empty", p.name),
                            )
                            .with_help("name the profile whose credentials assume `role_arn`")
                            .with_identity(format!("profile:{}#source_profile", p.name)),
                        );
                    } else if set.get(name).is_none() {
                        let help = match lookalike(set, name, ctx) {
                            Lookalike::Uncertain => continue,
                            Lookalike::BareConfigSection => format!(
                                "`[{name}]` in a config file is not a profile: write `[profile {name}]`"
                            ),
                            Lookalike::None => format!(
                                "define `[profile {name}]` in the config file or `[{name}]` in the credentials file, or fix the name"
                            ),
                        };
                        // Without a credentials file beside the config, the profile may
                        // well live in each user's own `~/.aws/credentials`: say so
                        // quietly.
                        let (severity, where_) = if set.credentials.is_some() {
                            (
                                super::default_severity(ID),
                                "defined in neither the config nor the credentials file",
                            )
                        } else {
                            (
                                Severity::Note,
                                "not defined in this config file (no credentials file was scanned beside it)",
                            )
                        };
                        let mut f = ctx
                            .finding(
                                ID,
                                source.loc(),
                                format!(
                                    "`source_profile` of profile `{}` names `{name}`, which is {where_}",
                                    p.name
                                ),
                            )
                            .with_help(help)
                            .with_identity(format!("profile:{}#source_profile", p.name));
                        f.severity = severity;
                        out.push(f);
                    }
                }
                if let (Some(_), Some(session)) = (set.config, &p.sso_session) {
                    let name = session.value.trim();
                    if !set.has_sso_session(name) {
                        out.push(
                            ctx.finding(
                                ID,
                                session.loc(),
                                format!(
                                    "`sso_session` of profile `{}` names `{name}`, which has no `[sso-session {name}]` section",
                                    p.name
                                ),
                            )
                            .with_help(format!(
                                "add `[sso-session {name}]` with `sso_start_url` and `sso_region` to the config file, or fix the name"
                            ))
                            .with_identity(format!("profile:{}#sso_session", p.name)),
                        );
                    }
                }
            }
        }
    }
}
