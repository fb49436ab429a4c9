//! Which pairs the graph has, and how each is kept. A pair P → R is one either side
//! mentions: P's identity policies grant `sts:AssumeRole` on R (by ARN or pattern), or R's
//! trust names P's ARN. Most pairs of an organisation are a grant of a principal whose side
//! is the same towards every role it is granted (a simple holder, see
//! [`is_simple_holder`]): its identity side is `Allowed`, so only the trust side is left to
//! judge, and the pair is kept as a light edge (two indexes, a flag and a verdict) or, for
//! a wide pattern, in a group of holders and roles. Where the role's trust judges callers by
//! account, the verdict is the role's for the holder's account, worked out once per role
//! and account; otherwise (the trust names the holder, or does not judge by account) the
//! pair's own. Every other pair is listed, to be judged in full.

use std::sync::Arc;

use rayon::prelude::*;

use super::evaluate::aws_values;
use super::implied::{is_simple_holder, LightEdge, WideGroup};
use super::{identity_docs, Graph, NodeIx, NodeKind, Pair, WIDE_PATTERN};
use crate::model::inventory::Inventory;
use crate::model::matching::{has_wildcard, matches_resource};
use crate::model::policy::{PolicyDocument, ASSUME_ROLE};

/// How a pair is mentioned.
const GRANTED: u8 = 1;
/// A grant names the role's ARN exactly.
const LITERAL: u8 = 2;
/// The role's trust names the principal's ARN.
const TRUSTED: u8 = 4;

/// How a simple holder's grant of a role is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RoleClass {
    Listed,
    /// A light edge with its own verdict.
    Own,
    /// A light edge (or a wide group's pair) judged by the holder's account.
    ByAccount,
}

/// A pair with how it is mentioned.
type Mentioned = (NodeIx, NodeIx, u8);

/// What principals' grants name: pairs, wide patterns with their holder, and the simple
/// holders (see [`is_simple_holder`]), in no order.
#[derive(Default)]
struct Found<'d> {
    pairs: Vec<Mentioned>,
    wide: Vec<(&'d str, NodeIx)>,
    simple: Vec<NodeIx>,
}

impl Found<'_> {
    fn append(mut self, mut other: Self) -> Self {
        self.pairs.append(&mut other.pairs);
        self.wide.append(&mut other.wide);
        self.simple.append(&mut other.simple);
        self
    }
}

/// The pairs of the graph, each kept one way.
pub(super) struct Pairs {
    /// Judged in full, sorted.
    pub listed: Vec<Pair>,
    /// Simple holders' grants (identity side `Allowed`), sorted.
    pub light: Vec<LightEdge>,
    pub groups: Vec<WideGroup>,
}

impl Graph {
    /// Every pair either side mentions, found per principal in parallel, then sorted so
    /// edges are numbered the same whatever the thread count. A wildcard pattern whose
    /// literal prefix leaves many roles to try is put aside and matched once however many
    /// principals hold it: a group's policy reaches every member, and an organisation's
    /// hub gives each of its humans the same `arn:aws:iam::*:role/...` pattern, whose
    /// prefix narrows nothing.
    pub(super) fn pairs(
        &self,
        inv: &Inventory,
        uniform: &[bool],
        role_nodes: &[NodeIx],
        roles_by_arn: &[NodeIx],
    ) -> Pairs {
        // Each principal's grants, and whether it is a simple holder (worked out here for a
        // principal with grants, while its documents are in cache). Gathered per job, not
        // per principal: tens of thousands of principals' small vectors were megabytes.
        let found = self
            .nodes
            .par_iter()
            .enumerate()
            .fold(Found::default, |mut acc, (p, n)| {
                let docs = identity_docs(inv, n.kind);
                let (roles, wide) = (acc.pairs.len(), acc.wide.len());
                self.granted_roles(p, &docs.docs, role_nodes, roles_by_arn, &mut acc);
                let granted = acc.pairs.len() > roles || acc.wide.len() > wide;
                if granted && is_simple_holder(&docs, n.arn_exact, &n.account) {
                    acc.simple.push(p);
                }
                acc
            })
            .reduce(Found::default, Found::append);
        let Found {
            mut pairs,
            mut wide,
            simple: simple_list,
        } = found;
        let mut simple = vec![false; self.nodes.len()];
        for p in simple_list {
            if let Some(s) = simple.get_mut(p) {
                *s = true;
            }
        }
        let simple = |p: NodeIx| simple.get(p).copied().unwrap_or(false);
        // How a simple holder's grant of each role is kept: listed (a role of no known
        // account: a template's literal `${AWS::AccountId}` ARN names only its own
        // template's role), light with its own verdict, or light judged by account.
        let class = |r: NodeIx| match self.nodes.get(r) {
            Some(n) if matches!(n.kind, NodeKind::Role(_)) && n.account.known().is_some() => {
                if uniform.get(r).copied().unwrap_or(false) {
                    RoleClass::ByAccount
                } else {
                    RoleClass::Own
                }
            }
            _ => RoleClass::Listed,
        };
        let by_account = |r: &NodeIx| class(*r) == RoleClass::ByAccount;
        wide.par_sort_unstable();
        let (wide_pairs, groups): (Vec<Vec<Mentioned>>, Vec<Option<WideGroup>>) = wide
            .par_chunk_by(|a, b| a.0 == b.0)
            .map(|holders| {
                let pattern = holders.first().map_or("", |h| h.0);
                // Few patterns, each of many roles: the roles are split in parallel.
                let roles = self.roles_matching(pattern, roles_by_arn);
                let (grouped, listed): (Vec<NodeIx>, Vec<NodeIx>) =
                    roles.par_iter().copied().partition(by_account);
                let (simple, other): (Vec<NodeIx>, Vec<NodeIx>) =
                    holders.iter().map(|&(_, p)| p).partition(|&p| simple(p));
                let mut pairs: Vec<Mentioned> = other
                    .iter()
                    .flat_map(|&p| roles.iter().map(move |&r| (p, r, GRANTED)))
                    .collect();
                pairs.extend(
                    simple
                        .iter()
                        .flat_map(|&p| listed.iter().map(move |&r| (p, r, GRANTED))),
                );
                let group = (!simple.is_empty() && !grouped.is_empty())
                    .then(|| WideGroup::new(simple, grouped));
                (pairs, group)
            })
            .unzip();
        pairs.extend(wide_pairs.into_iter().flatten());
        pairs.extend(self.trusted(inv, role_nodes));
        pairs.par_sort_unstable();
        // Each principal's pairs, with how each is mentioned, kept one way or the other,
        // gathered per job (rayon's reduce keeps their order: they stay sorted).
        type Kept = (Vec<Pair>, Vec<LightEdge>);
        let (listed, light): Kept = pairs
            .par_chunk_by(|a, b| a.0 == b.0)
            .fold(Kept::default, |(mut listed, mut light), run| {
                let p = run.first().map_or(0, |x| x.0);
                let simple = simple(p);
                for same in run.chunk_by(|a, b| a.1 == b.1) {
                    let r = same.first().map_or(0, |x| x.1);
                    let how = same.iter().fold(0, |how, x| how | x.2);
                    let class = class(r);
                    if !simple || how & GRANTED == 0 || class == RoleClass::Listed {
                        listed.push((p, r));
                        continue;
                    }
                    let literal = how & LITERAL != 0;
                    // A trust that names the principal judges it apart from its account.
                    let own = (how & TRUSTED != 0 || class == RoleClass::Own)
                        .then(|| self.light_verdict_of(inv, p, r));
                    light.push(LightEdge::new(p, r, literal, own));
                }
                (listed, light)
            })
            .reduce(Kept::default, |(mut a, mut b), (mut c, mut d)| {
                a.append(&mut c);
                b.append(&mut d);
                (a, b)
            });
        // The sorted pairs are done with: free them before the groups are flattened.
        drop(pairs);
        Pairs {
            listed,
            light,
            groups: groups.into_iter().flatten().collect(),
        }
    }

    /// The pairs trusts name: principals by ARN (accounts are covered by grants).
    fn trusted(&self, inv: &Inventory, role_nodes: &[NodeIx]) -> Vec<Mentioned> {
        role_nodes
            .par_iter()
            .flat_map_iter(|&r| {
                let trust = self.role(inv, r).and_then(|role| role.trust.as_deref());
                trust
                    .into_iter()
                    .flat_map(aws_values)
                    .flat_map(|value| self.nodes_with_arn(value))
                    .map(move |&p| (p, r, TRUSTED))
            })
            .collect()
    }

    /// The roles identity documents `docs` of principal `p` grant `sts:AssumeRole` on, by
    /// ARN (`LITERAL`) or pattern, with repeats; wide patterns are put aside.
    fn granted_roles<'d>(
        &self,
        p: NodeIx,
        docs: &[&'d Arc<PolicyDocument>],
        role_nodes: &[NodeIx],
        roles_by_arn: &[NodeIx],
        found: &mut Found<'d>,
    ) {
        for doc in docs {
            for stmt in doc.allows(ASSUME_ROLE) {
                let Some(res) = &stmt.resource else { continue };
                if res.negated {
                    found
                        .pairs
                        .extend(role_nodes.iter().map(|&r| (p, r, GRANTED)));
                    continue;
                }
                for pattern in &res.values {
                    if !has_wildcard(pattern) {
                        for &r in self.nodes_with_arn(pattern) {
                            if matches!(self.nodes[r].kind, NodeKind::Role(_)) {
                                found.pairs.push((p, r, GRANTED | LITERAL));
                            }
                        }
                        continue;
                    }
                    let (start, end) = self.prefix_range(pattern, roles_by_arn);
                    if end - start > WIDE_PATTERN {
                        found.wide.push((pattern, p));
                        continue;
                    }
                    let roles = roles_by_arn.get(start..end).unwrap_or_default();
                    found.pairs.extend(
                        roles
                            .iter()
                            .filter(|&&r| matches_resource(pattern, &self.nodes[r].arn))
                            .map(|&r| (p, r, GRANTED)),
                    );
                }
            }
        }
    }
}
