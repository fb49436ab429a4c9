//! IAM407: a hop of a CLI profile chain (a role profile whose source profile is itself a
//! role profile) fails, because the source role may not assume the target, or the
//! target's trust does not admit the source role (IAM-SEMANTICS §1, §3).

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{identity_side, same_account, trust_side, verdict, Verdict};

pub struct ProfileChainBroken;

const ID: &str = "IAM407";

impl Rule for ProfileChainBroken {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let (inv, g) = (ctx.inventory, ctx.graph);
        let sets = inv.profile_sets();
        for (set, p) in sets
            .iter()
            .flat_map(|set| set.profiles.iter().map(move |p| (set, p)))
        {
            let (Some(role_arn), Some(src)) = (&p.role_arn, &p.source_profile) else {
                continue;
            };
            let Some(target) = inv.role_by_arn(&role_arn.value) else {
                continue;
            };
            let Some(source_role_arn) = set
                .get(&src.value)
                .filter(|s| s.name != p.name)
                .and_then(|s| s.role_arn.as_ref())
            else {
                continue;
            };
            let Some(from) = g.node_by_arn(&source_role_arn.value) else {
                continue;
            };
            let node = &g.nodes[from];
            let identity = identity_side(inv, node.kind, &target.arn, &target.account);
            let (trust, _) = trust_side(target.trust.as_ref(), &node.arn, &node.account);
            let v = verdict(
                &identity,
                &trust,
                same_account(&node.account, &target.account),
            );
            let why = match v {
                Verdict::MissingPermission => format!(
                    "no policy of `{}` allows `sts:AssumeRole` on `role/{}`",
                    node.label, target.name
                ),
                Verdict::MissingTrust => format!(
                    "the trust policy of `role/{}` does not admit `{}`",
                    target.name, node.label
                ),
                Verdict::Denied => format!(
                    "an explicit Deny stops `{}` from assuming `role/{}`",
                    node.label, target.name
                ),
                Verdict::Holds | Verdict::Uncertain => continue,
            };
            let mut finding = ctx
                .finding(
                    ID,
                    role_arn.loc(),
                    format!(
                        "profile `{}` chains from profile `{}` (`{}`), but {why}",
                        p.name, src.value, node.label
                    ),
                )
                .with_help("grant the source role `sts:AssumeRole` on the target and trust the source role in the target's trust policy; both sides are needed")
                .with_identity(format!("profile:{}", p.name));
            if let Some(t) = &target.trust {
                finding = finding.with_label(
                    t.origin.whole(),
                    format!("trust policy of role/{}", target.name),
                );
            }
            out.push(finding);
        }
    }
}
