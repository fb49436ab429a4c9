//! Implied edges of wide grants. A wildcard grant whose pattern matches many roles
//! (`arn:aws:iam::*:role/*-from-hub` in an organisation's hub, `"Resource": "*"` on an
//! admin role) pairs every principal that holds it with every role it matches: listed one
//! by one, a hub of a thousand humans and a thousand accounts is millions of edges, where
//! the input holds one pattern per human. Where such a pair's verdict cannot depend on
//! which holder asks, the pairs are kept as a group instead, the holders and the roles,
//! and each role's verdict is worked out once for every account its trust names and once
//! for all the other accounts: linear in principals, roles and trusts.
//!
//! A holder joins a group only when its side is the same towards every role of it
//! ([`is_simple_holder`]): every identity policy known, every statement that may be about
//! `sts:AssumeRole` an unconditional `Allow` with nothing unresolved, its ARN exact and its
//! account known. Its identity side towards a role of the group is then `Allowed`, not
//! conditional, and (the grant being a pattern) not literal. A role joins only when its
//! trust judges every caller of a known account that it does not name by ARN alike
//! ([`is_uniform_trust`]). The group's other pairs are listed in `Graph::edges`, as is
//! every pair something else names (a literal or narrow grant, a trust naming the
//! principal): an implied edge is a pair of a group that `Graph::edges` does not list.
//! Made into an [`Edge`] (`Graph::edge_between`), it is judged by the same code as a
//! listed one, and a test requires that verdict to be the group's.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rayon::prelude::*;

use super::{
    is_uniform_trust, trust_side, verdict, Edge, Graph, IdentityDocs, IdentitySide, NodeIx, Verdict,
};
use crate::model::arn::{is_account_id, ArnRef};
use crate::model::inventory::{Account, Inventory, Role};
use crate::model::policy::{PolicyDocument, PrincipalKind};

/// One wide grant: the principals that hold it (each with the same side towards every
/// role of it) and the roles it matches whose trust judges their callers by account.
#[derive(Debug)]
pub struct WideGroup {
    /// Sorted node indexes.
    pub holders: Vec<NodeIx>,
    /// Sorted node indexes.
    pub roles: Vec<NodeIx>,
    /// The known accounts of the holders, sorted.
    accounts: Vec<Box<str>>,
    /// The roles that may lead on (they have edges of their own or hold a wide grant),
    /// sorted: the only ones a chain can continue through.
    onward: Vec<NodeIx>,
}

impl WideGroup {
    pub(super) fn new(mut holders: Vec<NodeIx>, mut roles: Vec<NodeIx>) -> WideGroup {
        holders.sort_unstable();
        holders.dedup();
        roles.sort_unstable();
        roles.dedup();
        WideGroup {
            holders,
            roles,
            accounts: Vec::new(),
            onward: Vec::new(),
        }
    }

    /// Whether a holder is of `account`.
    pub fn has_holder_in(&self, account: &str) -> bool {
        self.accounts
            .binary_search_by(|a| (**a).cmp(account))
            .is_ok()
    }
}

/// A role's verdict towards the holders of a wide grant, by the holder's account.
#[derive(Debug)]
struct AccountVerdicts {
    /// For a caller of a known account the trust does not name.
    other: Verdict,
    /// For a caller of each account the trust names, sorted.
    named: Vec<(Box<str>, Verdict)>,
}

impl AccountVerdicts {
    fn of(&self, account: &str) -> Verdict {
        self.named
            .binary_search_by(|(a, _)| (**a).cmp(account))
            .map_or(self.other, |i| self.named[i].1)
    }
}

/// Every wide grant's group, and the indexes that answer for a pair.
#[derive(Debug, Default)]
pub(super) struct Implied {
    pub groups: Vec<WideGroup>,
    /// (holder, group), sorted.
    held: Vec<(NodeIx, u32)>,
    /// (role, group), sorted.
    into: Vec<(NodeIx, u32)>,
    /// Each role of a group with its verdicts, sorted by role.
    verdicts: Vec<(NodeIx, AccountVerdicts)>,
}

/// A text no trust names, for the ARN of "some caller of this account": a role with a
/// value containing it is not judged by group (see [`may_judge_by_account`]).
const NOBODY: &str = "\u{1}iamlint-any-caller";

/// Whether a principal's side is the same towards every role a wide grant of it matches
/// and no other statement names: its policies are all known (`plain`), none of its
/// statements that may be about `sts:AssumeRole` has a condition, its ARN is exact (a
/// trust may name a principal known only by a grant under its real path) and its account
/// known (a trust's account values compare with it).
pub(super) fn is_simple_holder(
    ids: &IdentityDocs,
    plain: bool,
    exact: bool,
    account: &Account,
) -> bool {
    plain
        && exact
        && account.known().is_some()
        && ids.docs.iter().all(|doc| {
            doc.statements
                .iter()
                .all(|s| s.conditions.is_empty() || !s.covers_action(super::ASSUME_ROLE))
        })
}

/// Whether a role's trust judges every caller of a known account it does not name by ARN
/// alike, so that one verdict per account stands for all of them.
pub(super) fn may_judge_by_account(role: &Role) -> bool {
    role.trust
        .as_deref()
        .is_none_or(|t| is_uniform_trust(t) && aws_values(t).all(|v| !v.contains(NOBODY)))
}

fn aws_values(trust: &PolicyDocument) -> impl Iterator<Item = &String> {
    trust
        .statements
        .iter()
        .filter_map(|s| s.principal.as_ref())
        .flat_map(|p| p.entries.iter())
        .filter(|e| e.kind == PrincipalKind::Aws)
        .flat_map(|e| e.values.iter())
}

/// The accounts a trust's values name: bare ids, and the account part of ARNs.
fn named_accounts(trust: &PolicyDocument) -> BTreeSet<&str> {
    aws_values(trust)
        .filter_map(|v| {
            if is_account_id(v) {
                Some(v.as_str())
            } else {
                ArnRef::parse(v)
                    .ok()
                    .map(|a| a.account)
                    .filter(|a| is_account_id(a))
            }
        })
        .collect()
}

/// The verdict of an unconditional pattern grant held by "some caller of `account`"
/// towards a role with this trust.
fn verdict_for_account(role: &Role, account: &str) -> Verdict {
    let caller = format!("arn:aws:iam::{account}:user/{NOBODY}");
    let (side, _) = trust_side(
        role.trust.as_ref(),
        &caller,
        &Account::Known(account.to_owned()),
    );
    let granted = IdentitySide::Allowed {
        at: Vec::new(),
        conditional: false,
        literal: false,
    };
    verdict(&granted, &side, None)
}

impl Implied {
    /// Indexes the groups: who holds which, which role is in which, each role's verdicts
    /// (`role_of` gives a role node's inventory role), and the roles that lead on (those
    /// with an edge of their own, `has_out`, or holding a group).
    pub(super) fn new<'i>(
        mut groups: Vec<WideGroup>,
        account_of: impl Fn(NodeIx) -> Option<&'i str> + Sync,
        role_of: impl Fn(NodeIx) -> Option<&'i Role> + Sync,
        has_out: impl Fn(NodeIx) -> bool,
    ) -> Implied {
        if groups.is_empty() {
            return Implied::default();
        }
        let mut held = Vec::new();
        let mut into = Vec::new();
        for (gi, group) in groups.iter_mut().enumerate() {
            let gi = u32::try_from(gi).unwrap_or(u32::MAX);
            held.extend(group.holders.iter().map(|&h| (h, gi)));
            into.extend(group.roles.iter().map(|&r| (r, gi)));
            let mut accounts: Vec<Box<str>> = group
                .holders
                .iter()
                .filter_map(|&h| account_of(h))
                .map(Box::from)
                .collect();
            accounts.sort_unstable();
            accounts.dedup();
            group.accounts = accounts;
        }
        held.par_sort_unstable();
        into.par_sort_unstable();
        let holds = |r: NodeIx| {
            let at = held.partition_point(|&(h, _)| h < r);
            held.get(at).is_some_and(|&(h, _)| h == r)
        };
        for group in &mut groups {
            group.onward = group
                .roles
                .iter()
                .copied()
                .filter(|&r| has_out(r) || holds(r))
                .collect();
        }
        let mut roles: Vec<NodeIx> = into.iter().map(|&(r, _)| r).collect();
        roles.dedup();
        let verdicts = roles
            .par_iter()
            .filter_map(|&r| {
                let role = role_of(r)?;
                let named = role
                    .trust
                    .as_deref()
                    .map(named_accounts)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| (Box::from(a), verdict_for_account(role, a)))
                    .collect();
                // No real account id is empty: "another known account".
                let other = verdict_for_account(role, "");
                Some((r, AccountVerdicts { other, named }))
            })
            .collect();
        Implied {
            groups,
            held,
            into,
            verdicts,
        }
    }

    /// The groups `p` holds.
    pub(super) fn held_by(&self, p: NodeIx) -> impl Iterator<Item = &WideGroup> {
        let start = self.held.partition_point(|&(h, _)| h < p);
        self.held
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |&&(h, _)| h == p)
            .filter_map(|&(_, g)| self.groups.get(g as usize))
    }

    /// The groups whose roles include `r`.
    pub(super) fn containing(&self, r: NodeIx) -> impl Iterator<Item = &WideGroup> {
        let start = self.into.partition_point(|&(x, _)| x < r);
        self.into
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |&&(x, _)| x == r)
            .filter_map(|&(_, g)| self.groups.get(g as usize))
    }

    /// Whether some group pairs `p` with `r` (listed or not).
    pub(super) fn pairs(&self, p: NodeIx, r: NodeIx) -> bool {
        self.held_by(p).any(|g| g.roles.binary_search(&r).is_ok())
    }

    /// The verdict of a group's pair of a holder of `account` with role `r`.
    pub(super) fn verdict(&self, r: NodeIx, account: &str) -> Verdict {
        self.verdicts
            .binary_search_by_key(&r, |(x, _)| *x)
            .map_or(Verdict::Uncertain, |i| self.verdicts[i].1.of(account))
    }

    /// The roles of a group `p` may switch to next in a chain: all of them, or only those
    /// that lead on (for the first switch of a chain, whose roles that lead nowhere are
    /// reached directly and so are never the end of a chain).
    pub(super) fn roles_of(group: &WideGroup, only_onward: bool) -> &[NodeIx] {
        if only_onward {
            &group.onward
        } else {
            &group.roles
        }
    }
}

impl Graph {
    /// The verdict of the implied edge P → R; None where `edges` lists P → R or no wide
    /// grant pairs them.
    pub fn implied_verdict(&self, p: NodeIx, r: NodeIx) -> Option<Verdict> {
        if !self.implied.pairs(p, r) || self.edge(p, r).is_some() {
            return None;
        }
        let account = self.nodes.get(p)?.account.known()?;
        Some(self.implied.verdict(r, account))
    }

    /// The edge P → R, listed or implied (then judged in full, as a listed edge is).
    pub fn edge_between(&self, inv: &Inventory, p: NodeIx, r: NodeIx) -> Option<Cow<'_, Edge>> {
        if let Some(e) = self.edge(p, r) {
            return Some(Cow::Borrowed(e));
        }
        if !self.implied.pairs(p, r) {
            return None;
        }
        self.judge(inv, p, r).map(Cow::Owned)
    }

    /// The groups of wide grants whose pairs are implied edges.
    pub fn wide_groups(&self) -> &[WideGroup] {
        &self.implied.groups
    }

    /// The groups of wide grants that pair their holders with role `r`.
    pub fn wide_groups_into(&self, r: NodeIx) -> impl Iterator<Item = &WideGroup> {
        self.implied.containing(r)
    }

    /// The verdict of a wide grant's implied edge from a holder of `account` to role `r`.
    pub fn wide_verdict(&self, r: NodeIx, account: &str) -> Verdict {
        self.implied.verdict(r, account)
    }

    /// The roles of the implied edges of each holder, in node order: (holder, roles).
    fn implied_targets(&self) -> Vec<(NodeIx, Vec<NodeIx>)> {
        let mut holders: Vec<NodeIx> = self.implied.held.iter().map(|&(h, _)| h).collect();
        holders.dedup();
        holders
            .par_iter()
            .map(|&h| {
                let mut roles: Vec<NodeIx> = self
                    .implied
                    .held_by(h)
                    .flat_map(|g| g.roles.iter().copied())
                    .filter(|&r| self.edge(h, r).is_none())
                    .collect();
                roles.sort_unstable();
                roles.dedup();
                (h, roles)
            })
            .collect()
    }

    /// Every implied edge, judged in full: as many as the groups' pairs, for `iamlint
    /// graph` and tests, never for a scan.
    pub fn implied_edges(&self, inv: &Inventory) -> Vec<Edge> {
        self.implied_targets()
            .into_par_iter()
            .flat_map_iter(|(h, roles)| {
                roles.into_iter().filter_map(move |r| self.judge(inv, h, r))
            })
            .collect()
    }

    /// How many edges there are, listed and implied.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
            + self
                .implied_targets()
                .iter()
                .map(|(_, roles)| roles.len())
                .sum::<usize>()
    }

    /// The roles `p` switches to over an edge that holds, listed or implied, in node order
    /// (appended to `out`); of a wide grant's roles only those that lead on when
    /// `only_onward`.
    pub(super) fn holding_targets(&self, p: NodeIx, only_onward: bool, out: &mut Vec<NodeIx>) {
        let start = out.len();
        for &e in self.out.get(p).into_iter().flatten() {
            if let Some(edge) = self.edges.get(e).filter(|e| e.verdict == Verdict::Holds) {
                out.push(edge.to);
            }
        }
        let Some(account) = self.nodes.get(p).and_then(|n| n.account.known()) else {
            return;
        };
        let listed = out.len();
        for group in self.implied.held_by(p) {
            for &r in Implied::roles_of(group, only_onward) {
                if self.implied.verdict(r, account) == Verdict::Holds && self.edge(p, r).is_none() {
                    out.push(r);
                }
            }
        }
        if out.len() > listed {
            if let Some(tail) = out.get_mut(start..) {
                tail.sort_unstable();
            }
            out.dedup();
        }
    }
}
