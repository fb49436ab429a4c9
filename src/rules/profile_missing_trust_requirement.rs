//! IAM406: a CLI profile targets a role whose trust requires an ExternalId, MFA or a
//! session name, and the profile does not provide it (IAM-SEMANTICS §6).

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{requirements_of, Requirements, ASSUME_ROLE};
use crate::model::inventory::{Profile, Role};
use crate::model::policy::{Effect, PolicyDocument, PrincipalKind};
use crate::model::profile_set::ProfileSet;

pub struct ProfileMissingTrustRequirement;

const ID: &str = "IAM406";

/// Whether the chain of source profiles ends in long-term keys: only then can the
/// profile's own `mfa_serial` supply the MFA context (a session from SSO or an instance
/// role carries whatever context it has, which iamlint cannot see).
fn ends_in_static_keys(set: &ProfileSet, p: &Profile) -> bool {
    let mut current = p;
    // Bounded: a loop of profiles is IAM403's, not a reason to spin here.
    for _ in 0..16 {
        let Some(src) = &current.source_profile else {
            return false;
        };
        let Some(source) = set.get(&src.value) else {
            return false;
        };
        if source.role_arn.is_some() && source.name != current.name {
            current = source;
            continue;
        }
        return source.has_static_keys;
    }
    false
}

/// The requirements every AWS-principal Allow of the trust shares, or None when the
/// trust has no such statement.
fn common_requirements(reqs: &[Requirements]) -> Option<Requirements> {
    let first = reqs.first()?;
    let external_id = if reqs.iter().all(|r| r.external_id.is_some()) {
        // The values any statement accepts; empty when one accepts any value.
        if reqs
            .iter()
            .any(|r| r.external_id.as_ref().is_some_and(Vec::is_empty))
        {
            Some(Vec::new())
        } else {
            Some(
                reqs.iter()
                    .filter_map(|r| r.external_id.clone())
                    .flatten()
                    .collect(),
            )
        }
    } else {
        None
    };
    Some(Requirements {
        external_id,
        mfa: reqs.iter().all(|r| r.mfa),
        role_session_name: reqs.iter().all(|r| r.role_session_name),
        source_identity: first.source_identity && reqs.iter().all(|r| r.source_identity),
    })
}

/// What every statement of a trust that admits AWS principals requires in common, if
/// anything.
fn trust_requirements(trust: &PolicyDocument) -> Option<Requirements> {
    let reqs: Vec<Requirements> = trust
        .statements
        .iter()
        .filter(|s| {
            s.effect == Effect::Allow
                && s.covers_action(ASSUME_ROLE)
                && s.principal.as_ref().is_some_and(|pr| {
                    !pr.negated
                        && (pr.star || pr.entries.iter().any(|e| e.kind == PrincipalKind::Aws))
                })
        })
        .map(requirements_of)
        .collect();
    common_requirements(&reqs)
}

impl Rule for ProfileMissingTrustRequirement {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let inv = ctx.inventory;
        let sets = inv.profile_sets();
        // What each role's trust requires, worked out once: many profiles (one per region,
        // per team) name the same role.
        let mut required: foldhash::HashMap<*const Role, Option<Requirements>> =
            foldhash::HashMap::default();
        for (set, p) in sets
            .iter()
            .flat_map(|set| set.profiles.iter().map(move |p| (set, p)))
        {
            let Some(role_arn) = &p.role_arn else {
                continue;
            };
            let Some(role) = inv.role_by_arn(&role_arn.value) else {
                continue;
            };
            let Some(trust) = &role.trust else { continue };
            let req = required
                .entry(std::ptr::from_ref(role))
                .or_insert_with(|| trust_requirements(trust));
            let Some(req) = req.as_ref() else {
                continue;
            };
            let mut push =
                |loc: crate::model::location::Location, what: &str, help: &str, key: &str| {
                    let target = format!("role/{}", role.name);
                    out.push(
                        ctx.finding(
                            ID,
                            loc,
                            format!(
                            "profile `{}` assumes `{target}`, whose trust policy requires {what}",
                            p.name
                        ),
                        )
                        .with_label(trust.origin.whole(), format!("trust policy of {target}"))
                        .with_help(help.to_owned())
                        .with_identity(format!("profile:{}:{key}", p.name)),
                    );
                };
            if let Some(values) = &req.external_id {
                match &p.external_id {
                    None => push(
                        role_arn.loc(),
                        "`sts:ExternalId`, but the profile sets no `external_id`",
                        "add `external_id = …` with the value the role's owner gave you",
                        "external_id",
                    ),
                    Some(given)
                        if !values.is_empty()
                            && !values.iter().any(|v| {
                                crate::model::matching::matches_wildcard(v, &given.value)
                            }) =>
                    {
                        push(
                            given.loc(),
                            "an `sts:ExternalId` that the profile's `external_id` does not match",
                            "set `external_id` to the value in the role's trust policy",
                            "external_id_mismatch",
                        )
                    }
                    Some(_) => {}
                }
            }
            if req.mfa && p.mfa_serial.is_none() && ends_in_static_keys(set, p) {
                push(
                    role_arn.loc(),
                    "MFA (`aws:MultiFactorAuthPresent`), but the profile sets no `mfa_serial`",
                    "add `mfa_serial = arn:aws:iam::ACCOUNT:mfa/DEVICE` so the CLI asks for a code",
                    "mfa",
                );
            }
            if req.role_session_name && p.role_session_name.is_none() {
                push(
                    role_arn.loc(),
                    "a specific `sts:RoleSessionName`, but the profile sets no `role_session_name` (the CLI would send a generated one)",
                    "add `role_session_name = …` matching the trust policy's condition",
                    "role_session_name",
                );
            }
        }
    }
}
