//! IAM104: a trust policy admits a principal that needs an identity-side grant
//! (cross-account, or the trust names only the account) and no policy gives it.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{
    account_of_value, identity_side, same_account, trust_side, verdict, TrustSide, Verdict,
    ASSUME_ROLE,
};
use crate::model::arn::is_account_id;
use crate::model::inventory::{Account, Role, SourceFormat};
use crate::model::policy::{Effect, PrincipalKind};

pub struct TrustWithoutPermission;

const ID: &str = "IAM104";

impl Rule for TrustWithoutPermission {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let (inv, g) = (ctx.inventory, ctx.graph);
        // An account's principals are only all known when an account dump describes it;
        // a trust that delegates to a partly known account says nothing wrong.
        let complete: BTreeSet<&str> = inv
            .users
            .iter()
            .map(|u| (&u.account, &u.defined_at))
            .chain(inv.roles.iter().map(|r| (&r.account, &r.defined_at)))
            .filter(|(_, at)| {
                at.iter().any(|l| {
                    inv.files
                        .get(l.file as usize)
                        .is_some_and(|f| f.format == SourceFormat::AccountDump)
                })
            })
            .filter_map(|(a, _)| a.known())
            .collect();
        let mut by_account: BTreeMap<&str, Vec<usize>> = Default::default();
        for (n, node) in g.nodes.iter().enumerate() {
            if let Some(a) = node.account.known().filter(|a| complete.contains(a)) {
                by_account.entry(a).or_default().push(n);
            }
        }
        // Each role's trust is judged on its own: in parallel (an organisation has tens of
        // thousands); the report sorts findings, so their order here does not matter.
        let found: Vec<Vec<Finding>> = inv
            .roles
            .par_iter()
            .enumerate()
            .map(|(ri, role)| {
                let mut out = Vec::new();
                self.check_role(ctx, ri, role, &complete, &by_account, &mut out);
                out
            })
            .collect();
        out.extend(found.into_iter().flatten());
    }
}

impl TrustWithoutPermission {
    /// The findings of one role's trust policy.
    fn check_role(
        &self,
        ctx: &Context,
        ri: usize,
        role: &Role,
        complete: &BTreeSet<&str>,
        by_account: &BTreeMap<&str, Vec<usize>>,
        out: &mut Vec<Finding>,
    ) {
        let (inv, g) = (ctx.inventory, ctx.graph);
        let Some(trust) = &role.trust else { return };
        let Some(r) = g.role_node(ri) else { return };
        let file = trust.origin.file();
        for stmt in &trust.statements {
            if stmt.effect != Effect::Allow || !stmt.covers_action(ASSUME_ROLE) {
                continue;
            }
            let Some(principal) = &stmt.principal else {
                continue;
            };
            if principal.negated {
                continue;
            }
            for pv in principal.values() {
                let (kind, value) = (pv.kind, pv.value);
                if *kind != PrincipalKind::Aws || value == "*" {
                    continue;
                }
                // Made only for values that get this far: most edges are not missing a grant.
                let loc = || trust.loc(&pv.path(&stmt.path()));
                if let Some(p) = g.node_by_arn(value) {
                    // A named principal: only its own edge matters, and only when this value
                    // is what decides the edge's trust side (not one under a condition
                    // iamlint does not evaluate while another statement names the account).
                    let Some(edge) = g.edge(p, r) else { continue };
                    if edge.verdict != Verdict::MissingPermission {
                        continue;
                    }
                    let decided_here = matches!(
                        &edge.trust,
                        TrustSide::NamesPrincipal { at } | TrustSide::NamesAccount { at }
                            if at.location() == loc()
                    );
                    if !decided_here {
                        continue;
                    }
                    let from = &g.nodes[p];
                    out.push(
                        ctx.finding(
                            ID,
                            loc(),
                            format!(
                                "trust policy of `role/{}` admits `{}`, but no policy of `{}` allows `sts:AssumeRole` on the role",
                                role.name, from.label, from.label
                            ),
                        )
                        .with_help(format!(
                            "allow `sts:AssumeRole` on `{}` in a policy of `{}` (cross-account, both sides are needed)",
                            role.arn, from.arn
                        ))
                        .with_identity(format!("{}<-{}", role.arn, from.arn)),
                    );
                    continue;
                }
                // Only an account value delegates to an account: the ARN of a user or role
                // iamlint does not know is not its account.
                if !(is_account_id(value) || value.ends_with(":root")) {
                    continue;
                }
                let Some(Account::Known(acct)) = account_of_value(value, file) else {
                    continue;
                };
                if !complete.contains(acct.as_str()) {
                    continue;
                }
                let principals = by_account.get(acct.as_str()).map_or(&[][..], Vec::as_slice);
                // Every principal of the account is judged as the graph judges an edge, the
                // whole trust included: a principal the trust may admit another way, or
                // under a condition iamlint does not evaluate, is not a missing grant.
                let anyone = principals.iter().any(|&p| {
                    let node = &g.nodes[p];
                    let identity = identity_side(inv, node.kind, &role.arn, &role.account);
                    let (trust_side, _) = trust_side(Some(trust), &node.arn, &node.account);
                    let same = same_account(&node.account, &role.account);
                    verdict(&identity, &trust_side, same) != Verdict::MissingPermission
                });
                if principals.is_empty() || anyone {
                    continue;
                }
                out.push(
                    ctx.finding(
                        ID,
                        loc(),
                        format!(
                            "trust policy of `role/{}` delegates to account `{acct}`, but no user or role of that account is allowed to assume it",
                            role.name
                        ),
                    )
                    .with_help(format!(
                        "allow `sts:AssumeRole` on `{}` in a policy of the users or roles of `{acct}` that should switch to it, or remove the account from the trust",
                        role.arn
                    ))
                    .with_identity(format!("{}<-{acct}", role.arn)),
                );
            }
        }
    }
}
