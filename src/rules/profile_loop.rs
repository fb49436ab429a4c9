//! IAM403: role profiles whose `source_profile`s lead back to where they started, so that
//! no profile on the loop ever supplies credentials (IAM-SEMANTICS §7).

use super::{Context, Rule};
use crate::finding::{join_shortened, Finding, Label};
use crate::model::inventory::Profile;

pub struct ProfileLoop;

const ID: &str = "IAM403";

/// The profile `p` hands on to, when the SDKs follow its `source_profile`: only a role
/// profile whose one credential source is `source_profile`. A profile with another source
/// too is IAM401's business, and one without `role_arn` is not followed at all.
fn next_of(p: &Profile) -> Option<&str> {
    if p.role_arn.is_none() || p.credential_source.is_some() || p.web_identity_token_file.is_some()
    {
        return None;
    }
    p.source_profile
        .as_ref()
        .map(|s| s.value.trim())
        .filter(|s| !s.is_empty())
}

/// Whether a profile could supply credentials of its own. The SDKs disagree on whether
/// such a profile ends a chain that reaches it (the AWS CLI and the Rust SDK take static
/// keys first; the Java SDK follows `role_arn` first), so a loop through one is left alone.
fn has_own_credentials(p: &Profile) -> bool {
    p.has_static_keys || p.sso || p.credential_process.is_some()
}

impl Rule for ProfileLoop {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for set in ctx.inventory.profile_sets() {
            // Without a credentials file beside the config, each user's own
            // `~/.aws/credentials` (never committed) may give any profile on a loop its
            // keys: a profile naming itself is AWS's documented way to use them. Whether a
            // loop fails is then unknown.
            if set.credentials.is_none() {
                continue;
            }
            let n = set.profiles.len();
            let next: Vec<Option<usize>> = set
                .profiles
                .iter()
                .map(|p| next_of(p).and_then(|name| set.index_of(name)))
                .collect();
            // Each profile has at most one successor: walk every chain once, marking
            // profiles as on the current walk (1) or finished (2), so a set of N
            // profiles costs O(N) however long its chains are.
            let mut state = vec![0u8; n];
            let mut pos = vec![0usize; n];
            for start in 0..n {
                let mut path: Vec<usize> = Vec::new();
                let mut at = Some(start);
                while let Some(i) = at {
                    match state.get(i).copied() {
                        Some(0) => {
                            state[i] = 1;
                            pos[i] = path.len();
                            path.push(i);
                            at = next.get(i).copied().flatten();
                        }
                        Some(1) => {
                            let mut cycle = path
                                .get(pos[i]..)
                                .map(<[usize]>::to_vec)
                                .unwrap_or_default();
                            // One finding per loop, starting from its first profile.
                            let min_pos = cycle
                                .iter()
                                .enumerate()
                                .min_by_key(|(_, &j)| j)
                                .map_or(0, |(k, _)| k);
                            cycle.rotate_left(min_pos);
                            report(ctx, &set.profiles, &cycle, out);
                            break;
                        }
                        _ => break,
                    }
                }
                for &i in &path {
                    state[i] = 2;
                }
            }
        }
    }
}

fn report(
    ctx: &Context,
    profiles: &[std::sync::Arc<Profile>],
    cycle: &[usize],
    out: &mut Vec<Finding>,
) {
    let members: Vec<&Profile> = cycle
        .iter()
        .filter_map(|&i| profiles.get(i).map(|p| &**p))
        .collect();
    let Some(first) = members.first() else {
        return;
    };
    let Some(source) = &first.source_profile else {
        return;
    };
    if let [only] = members.as_slice() {
        // A profile may name itself to assume its role with its own static keys (AWS SDKs
        // and Tools reference guide, `source_profile`); without them the chain has no end.
        if has_own_credentials(only) {
            return;
        }
        out.push(
            ctx.finding(
                ID,
                source.loc(),
                format!(
                    "profile `{}` names itself as `source_profile` but has no access keys to start from",
                    only.name
                ),
            )
            .with_help("a profile may be its own `source_profile` only to assume its role with its own `aws_access_key_id` and `aws_secret_access_key`; add them, or name a profile with credentials")
            .with_identity(format!("profile:{}#loop", only.name)),
        );
        return;
    }
    if members.iter().any(|p| has_own_credentials(p)) {
        return;
    }
    let mut names: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
    names.push(first.name.as_str());
    let shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let flow: Vec<Label> = members
        .iter()
        .filter_map(|p| {
            let s = p.source_profile.as_ref()?;
            Some(Label {
                loc: s.loc(),
                message: format!(
                    "`{}` takes its credentials from `{}`",
                    p.name,
                    s.value.trim()
                ),
            })
        })
        .collect();
    out.push(
        ctx.finding(
            ID,
            source.loc(),
            format!(
                "`source_profile` loops without reaching credentials: {}",
                join_shortened(&shown, " → ")
            ),
        )
        .with_help("end the chain at a profile that has credentials: access keys, `credential_source`, `web_identity_token_file` or SSO")
        .with_identity(format!("loop:{}", names.join(">")))
        .with_flow(flow),
    );
}
