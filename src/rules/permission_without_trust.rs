//! IAM103: an identity policy allows assuming a role whose trust policy does not admit
//! the principal (IAM-SEMANTICS §1: both sides must agree).

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{IdentitySide, Verdict};

pub struct PermissionWithoutTrust;

const ID: &str = "IAM103";

impl Rule for PermissionWithoutTrust {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let g = ctx.graph;
        // Implied edges of grants that name the role: judged in full here, the few that
        // are missing a trust (the pairs of wide patterns are never literal).
        let implied = g.literal_edges_judged(
            ctx.inventory,
            |_| true,
            |v| v == Verdict::MissingTrust,
            |_| true,
        );
        for e in g.edges.iter().chain(&implied) {
            if e.verdict != Verdict::MissingTrust {
                continue;
            }
            // Only grants that name this role exactly: a wildcard grant is not a claim
            // that every matching role trusts the holder.
            let IdentitySide::Allowed {
                at, literal: true, ..
            } = &e.identity
            else {
                continue;
            };
            let (from, to) = (&g.nodes[e.from], &g.nodes[e.to]);
            let Some(role) = ctx.graph.role(ctx.inventory, e.to) else {
                continue;
            };
            let Some(trust) = &role.trust else { continue };
            let account = from
                .account
                .known()
                .map(|a| format!(" or its account `{a}`"))
                .unwrap_or_default();
            for loc in at {
                out.push(
                    ctx.finding(
                        ID,
                        loc.location(),
                        format!(
                            "`{}` is allowed to assume `{}`, but the role's trust policy does not trust `{}`{account}",
                            from.label, to.label, from.arn
                        ),
                    )
                    .with_label(trust.origin.whole(), format!("trust policy of {}", to.label))
                    .with_help(format!(
                        "add `{}` to the `Principal` of the role's trust policy, or remove this grant",
                        from.arn
                    ))
                    .with_identity(format!("{}->{}", from.arn, to.arn)),
                );
            }
        }
    }
}
