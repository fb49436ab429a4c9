//! IAM203: a role session that comes from another role session (role chaining) asks for
//! more than one hour; AWS caps chained sessions at one hour and the call fails
//! (IAM-SEMANTICS §3).

use super::{Context, Rule};
use crate::finding::Finding;

pub struct ChainedDurationOverHour;

const ID: &str = "IAM203";

/// The session cap for role chaining, in seconds.
const CHAINED_MAX: u64 = 3600;

impl Rule for ChainedDurationOverHour {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let inv = ctx.inventory;
        for set in inv.profile_sets() {
            for p in &set.profiles {
                let (Some(role), Some(duration)) = (&p.role_arn, &p.duration_seconds) else {
                    continue;
                };
                let Ok(seconds) = duration.value.trim().parse::<u64>() else {
                    continue;
                };
                if seconds <= CHAINED_MAX {
                    continue;
                }
                let source = if let Some(src) = &p.source_profile {
                    // The source is a role session when the source profile assumes a role
                    // itself. SSO sources are left alone: whether AWS counts them as chained
                    // is not documented (see rules/IAM203.md).
                    set.get(&src.value)
                        .filter(|s| s.role_arn.is_some() && s.name != p.name)
                        .map(|s| format!("source profile `{}` is itself a role session", s.name))
                } else {
                    p.credential_source.as_ref().and_then(|c| {
                        matches!(c.as_str(), "Ec2InstanceMetadata" | "EcsContainer").then(|| {
                            format!(
                            "`credential_source = {}` is a role session (instance or task role)",
                            c.value
                        )
                        })
                    })
                };
                let Some(why) = source else { continue };
                out.push(
                ctx.finding(
                    ID,
                    duration.loc(),
                    format!(
                        "profile `{}` asks for {seconds} s on `{}`, but {why}: chained sessions last at most 3600 s and the call fails",
                        p.name, role.value
                    ),
                )
                .with_help("set `duration_seconds` to 3600 or less, or assume the role from long-term credentials")
                .with_identity(format!("profile:{}", p.name)),
            );
            }
        }
        for chain in &inv.provider_chains {
            // Blocks are counted as the user wrote them: `assume_role` blocks from 1, the
            // web identity block (the first hop when present) by its name.
            let offset = usize::from(chain.hops.first().is_some_and(|h| h.web_identity));
            let block_name = |i: usize| {
                if offset == 1 && i == 0 {
                    "the `assume_role_with_web_identity` block".to_owned()
                } else {
                    format!("block {}", i + 1 - offset)
                }
            };
            for (i, hop) in chain.hops.iter().enumerate().skip(1) {
                let Some(d) = &hop.duration_seconds else {
                    continue;
                };
                if d.value <= CHAINED_MAX {
                    continue;
                }
                out.push(
                    ctx.finding(
                        ID,
                        d.loc.clone(),
                        format!(
                            "provider `{}` asks for {} s in assume_role block {}, which chains from {}: chained sessions last at most 3600 s",
                            chain.name,
                            d.value,
                            i + 1 - offset,
                            block_name(i - 1)
                        ),
                    )
                    .with_help("set `duration` to \"1h\" or less on every chained assume_role block")
                    .with_identity(format!("provider:{}#{i}", chain.name)),
                );
            }
        }
    }
}
