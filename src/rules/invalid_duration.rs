//! IAM405: a role profile's `duration_seconds` that AssumeRole refuses: not a whole number,
//! under 900, over 43200, or over the target role's `MaxSessionDuration` when iamlint knows
//! the role (IAM-SEMANTICS §4). Chained sessions' one-hour cap needs the graph and lives in
//! a graph rule.

use super::{Context, Rule};
use crate::finding::Finding;

pub struct InvalidDuration;

const ID: &str = "IAM405";

/// AssumeRole's `DurationSeconds` range (STS API reference).
const MIN_SECONDS: u64 = 900;
const MAX_SECONDS: u64 = 43_200;

impl Rule for InvalidDuration {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for set in ctx.inventory.profile_sets() {
            for p in &set.profiles {
                // Without `role_arn` nothing reads `duration_seconds`.
                let (Some(role), Some(duration)) = (&p.role_arn, &p.duration_seconds) else {
                    continue;
                };
                let v = duration.value.trim();
                // Made only for a finding: most durations are fine.
                let identity = || format!("profile:{}#duration_seconds", p.name);
                let help = "write a whole number of seconds from 900 (15 minutes) up to the role's maximum session duration (3600 unless raised, at most 43200)";
                let problem = if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    Some("is not a whole number of seconds".to_owned())
                } else {
                    // Digits only, so the one failure left is overflow: far above the cap.
                    let secs = v.parse::<u64>().unwrap_or(u64::MAX);
                    if secs < MIN_SECONDS {
                        Some("is under the 900-second minimum of AssumeRole".to_owned())
                    } else if secs > MAX_SECONDS {
                        Some("is over the 43200-second (12-hour) maximum of AssumeRole".to_owned())
                    } else {
                        // Only a role whose definition iamlint has read says its maximum;
                        // a role known only by name or ARN has `None` and is left alone.
                        let role_arn = role.value.trim();
                        if let Some((target, max)) = ctx
                            .inventory
                            .role_by_arn(role_arn)
                            .and_then(|r| r.max_session_duration.map(|m| (r, m)))
                            .filter(|(_, m)| secs > u64::from(*m))
                        {
                            let mut f = ctx
                                .finding(
                                    ID,
                                    duration.loc(),
                                    format!(
                                        "`duration_seconds` `{v}` of profile `{}` is over the {max}-second maximum session duration of role `{role_arn}`",
                                        p.name
                                    ),
                                )
                                .with_help(format!("ask for at most {max} seconds, or raise the role's `MaxSessionDuration`"))
                                .with_identity(identity());
                            if let Some(at) = target.defined_at.first() {
                                f = f.with_label(at.clone(), "the role is defined here");
                            }
                            out.push(f);
                        }
                        None
                    }
                };
                if let Some(problem) = problem {
                    out.push(
                        ctx.finding(
                            ID,
                            duration.loc(),
                            format!("`duration_seconds` `{v}` of profile `{}` {problem}", p.name),
                        )
                        .with_help(help)
                        .with_identity(identity()),
                    );
                }
            }
        }
    }
}
