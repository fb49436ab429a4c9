//! IAM104: a trust policy admits a principal that needs an identity-side grant
//! (cross-account, or the trust names only the account) and no policy gives it.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{
    account_of_value, identity_docs, identity_side, is_plain, is_uniform_trust, same_account,
    trust_side, verdict, NodeIx, TrustSide, Verdict, ASSUME_ROLE,
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
        let accounts = AccountPrincipals::new(ctx, by_account);
        // Each role's trust is judged on its own: in parallel (an organisation has tens of
        // thousands); the report sorts findings, so their order here does not matter.
        let found: Vec<Vec<Finding>> = inv
            .roles
            .par_iter()
            .enumerate()
            .map(|(ri, role)| {
                let mut out = Vec::new();
                self.check_role(ctx, ri, role, &complete, &accounts, &mut out);
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
        accounts: &AccountPrincipals,
        out: &mut Vec<Finding>,
    ) {
        let g = ctx.graph;
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
                // Where the value is, worked out only for a finding: most values give none.
                let loc = || trust.loc(&pv.path(&stmt.path()));
                if let Some(p) = g.node_by_arn(value) {
                    // A named principal: only its own edge matters, and only when this value
                    // is what decides the edge's trust side (not one under a condition
                    // iamlint does not evaluate while another statement names the account).
                    // Not listed: a grant's implied edge, whose identity side is `Allowed`.
                    let Some(edge) = g.edge(p, r) else { continue };
                    if edge.verdict != Verdict::MissingPermission {
                        continue;
                    }
                    let loc = loc();
                    let decided_here = matches!(
                        &edge.trust,
                        TrustSide::NamesPrincipal { at } | TrustSide::NamesAccount { at }
                            if at.location() == loc
                    );
                    if !decided_here {
                        continue;
                    }
                    let from = &g.nodes[p];
                    out.push(
                        ctx.finding(
                            ID,
                            loc,
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
                let Some(group) = accounts.by_account.get(acct.as_str()) else {
                    continue;
                };
                if group.principals.is_empty() || accounts.anyone_may_assume(ctx, group, role, r) {
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

/// Every principal of a completely known account is judged as the graph judges an edge,
/// the whole trust included: a principal the trust may admit another way, or under a
/// condition iamlint does not evaluate, is not a missing grant. Judging each principal for
/// each role that trusts its account would be principals × roles (an organisation's hub
/// account has thousands of principals and is trusted by hundreds of roles), so the
/// principals are split once:
/// - those with an edge into the role: the graph judged that pair with the same sides;
/// - "plain" ones, whose identity policies are all known and say nothing about
///   `sts:AssumeRole` except `Allow`s the graph followed: without an edge into the role
///   their identity side is `NotAllowed`, and when the trust's values do not depend on
///   which principal of the account asks (see [`is_uniform_trust`]) so is everything else,
///   so one of them stands for all;
/// - the rest (a `Deny`, a policy not in the inventory, an unresolved part), judged one by
///   one, as are all principals when the trust is not uniform.
struct AccountPrincipals<'a> {
    by_account: BTreeMap<&'a str, AccountGroup>,
    /// Edges into each node, by index into `Graph::edges`.
    incoming: Vec<Vec<usize>>,
}

struct AccountGroup {
    principals: Vec<NodeIx>,
    /// Whether each principal (same order) is plain.
    plain: Vec<bool>,
    /// The principals that are not plain.
    unusual: Vec<NodeIx>,
}

impl<'a> AccountPrincipals<'a> {
    fn new(ctx: &Context, by_account: BTreeMap<&'a str, Vec<NodeIx>>) -> Self {
        let (inv, g) = (ctx.inventory, ctx.graph);
        let by_account: BTreeMap<&str, AccountGroup> = by_account
            .into_iter()
            .map(|(acct, principals)| {
                let plain: Vec<bool> = principals
                    .par_iter()
                    .map(|&p| is_plain(&identity_docs(inv, g.nodes[p].kind)))
                    .collect();
                let unusual = principals
                    .iter()
                    .zip(&plain)
                    .filter(|(_, &plain)| !plain)
                    .map(|(&p, _)| p)
                    .collect();
                (
                    acct,
                    AccountGroup {
                        principals,
                        plain,
                        unusual,
                    },
                )
            })
            .collect();
        let mut incoming = vec![
            Vec::new();
            if by_account.is_empty() {
                0
            } else {
                g.nodes.len()
            }
        ];
        if !by_account.is_empty() {
            for (ix, e) in g.edges.iter().enumerate() {
                if let Some(into) = incoming.get_mut(e.to) {
                    into.push(ix);
                }
            }
        }
        AccountPrincipals {
            by_account,
            incoming,
        }
    }

    /// Whether some principal of `group`'s account may assume role node `r` other than by a
    /// missing identity-side grant.
    fn anyone_may_assume(
        &self,
        ctx: &Context,
        group: &AccountGroup,
        role: &Role,
        r: NodeIx,
    ) -> bool {
        let (inv, g) = (ctx.inventory, ctx.graph);
        let Some(trust) = role.trust.as_ref() else {
            return false;
        };
        let judge = |p: NodeIx| {
            let node = &g.nodes[p];
            let identity = identity_side(inv, node.kind, &role.arn, &role.account);
            let (trust_side, _) = trust_side(Some(trust), &node.arn, &node.account);
            let same = same_account(&node.account, &role.account);
            verdict(&identity, &trust_side, same) != Verdict::MissingPermission
        };
        let account = |p: NodeIx| g.nodes.get(p).and_then(|n| n.account.known());
        let Some(acct) = group.principals.first().and_then(|&p| account(p)) else {
            return false;
        };
        // A principal whose grant's edge is implied is allowed the role: its identity side
        // is `Allowed`, never a missing grant (and the plain principals below are judged as
        // if they had no grant but the listed edges).
        if g.implied_grant_from(acct, r) {
            return true;
        }
        // The principals of this account with an edge into the role, sorted.
        let mut with_edge: Vec<NodeIx> = Vec::new();
        for &e in self.incoming.get(r).map_or(&[][..], Vec::as_slice) {
            let Some(edge) = g.edges.get(e) else { continue };
            if account(edge.from) != Some(acct) {
                continue;
            }
            if edge.verdict != Verdict::MissingPermission {
                return true;
            }
            with_edge.push(edge.from);
        }
        with_edge.sort_unstable();
        let has_edge = |p: &NodeIx| with_edge.binary_search(p).is_ok();
        if group.unusual.iter().any(|p| !has_edge(p) && judge(*p)) {
            return true;
        }
        let mut plain_without_edge = group
            .principals
            .iter()
            .zip(&group.plain)
            .filter(|&(p, &plain)| plain && !has_edge(p))
            .map(|(&p, _)| p);
        if is_uniform_trust(trust) {
            plain_without_edge.next().is_some_and(judge)
        } else {
            plain_without_edge.any(judge)
        }
    }
}
