//! Which pairs the graph has, and how each is kept. A pair P → R is one either side
//! mentions: P's identity policies grant `sts:AssumeRole` on R (by ARN or pattern), or R's
//! trust names P's ARN. Most pairs of an organisation are a grant of a principal whose side
//! is the same towards every role it is granted (a simple holder, see [`holder`]):
//! its identity side is `Allowed`, so only the trust side is left to judge, or `Denied`,
//! and so is every verdict. The pair is kept as a light edge (two indexes, flags and a
//! verdict) or, for a wide pattern, in a group of holders and roles. Where the role's trust
//! judges callers by account, the verdict is the role's for the holder's account, worked
//! out once per role and account; otherwise (the trust names the holder, or does not judge
//! by account) the pair's own. Every other pair is listed, to be judged in full.

use std::sync::Arc;

use rayon::prelude::*;

use super::evaluate::aws_values;
use super::implied::{holder, Holder, HolderSide, LightEdge, WideGroup};
use super::{identity_docs, Graph, NodeIx, NodeKind, Pair, WIDE_PATTERN};
use crate::model::inventory::{Account, Inventory};
use crate::model::matching::{has_wildcard, matches_resource};
use crate::model::policy::{PolicyDocument, ASSUME_ROLE};
use crate::model::shared_str::SharedStr;

/// A hash of a list of strings (see `Graph::list_grants`).
fn hash_list(values: &[SharedStr]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one(values)
}

/// How a pair is mentioned.
const GRANTED: u8 = 1;
/// A grant names the role's ARN exactly.
const LITERAL: u8 = 2;
/// The role's trust names the principal's ARN.
const TRUSTED: u8 = 4;
/// A grant under a condition names the role.
const CONDITIONAL: u8 = 8;

/// `CONDITIONAL` for a statement with a condition.
fn condition_flag(stmt: &crate::model::policy::Statement) -> u8 {
    if stmt.conditions.is_empty() {
        0
    } else {
        CONDITIONAL
    }
}

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

/// A holder of a grant, with `CONDITIONAL` where the grant has a condition.
type Holding = (NodeIx, u8);

/// What principals' grants name: pairs, wide patterns and long lists of ARNs with their
/// holder (and `CONDITIONAL` where the grant has a condition), and the simple holders
/// (see [`holder`]), in no order.
#[derive(Default)]
struct Found<'d> {
    pairs: Vec<Mentioned>,
    wide: Vec<(&'d str, NodeIx, u8)>,
    lists: Vec<(&'d [SharedStr], NodeIx, u8)>,
    simple: Vec<(NodeIx, Holder)>,
}

impl Found<'_> {
    fn append(mut self, mut other: Self) -> Self {
        self.pairs.append(&mut other.pairs);
        self.wide.append(&mut other.wide);
        self.lists.append(&mut other.lists);
        self.simple.append(&mut other.simple);
        self
    }
}

/// Whether a `Resource` list is kept aside as a list of ARNs: more than [`WIDE_PATTERN`]
/// values, none a pattern. Holders of the same list (a hub's humans each given every
/// account's role by ARN, the members of one group) are paired with its roles once.
fn is_long_list(values: &[SharedStr]) -> bool {
    values.len() > WIDE_PATTERN && !values.iter().any(|v| has_wildcard(v))
}

/// One grant's holders (sorted) and roles (sorted), before they are kept one way or the
/// other (see `Graph::keep_grant`).
struct Grant {
    holders: Vec<Holding>,
    roles: Vec<NodeIx>,
    /// Whether the grant names each role's ARN exactly.
    literal: bool,
}

/// The pairs of the graph, each kept one way.
pub(super) struct Pairs {
    /// Judged in full, sorted.
    pub listed: Vec<Pair>,
    /// Simple holders' grants (identity side the holder's towards every role), sorted.
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
        uniform: &[(bool, bool)],
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
                let before = (acc.pairs.len(), acc.wide.len(), acc.lists.len());
                self.granted_roles(p, &docs.docs, role_nodes, roles_by_arn, &mut acc);
                let granted = (acc.pairs.len(), acc.wide.len(), acc.lists.len()) != before;
                if let Some(holder) = granted
                    .then(|| holder(&docs, n.arn_exact, &n.account))
                    .flatten()
                {
                    acc.simple.push((p, holder));
                }
                acc
            })
            .reduce(Found::default, Found::append);
        let Found {
            mut pairs,
            mut wide,
            lists,
            simple: simple_list,
        } = found;
        // Each node: None, or a simple holder.
        let mut simple: Vec<Option<Holder>> = vec![None; self.nodes.len()];
        for (p, holder) in simple_list {
            if let Some(s) = simple.get_mut(p) {
                *s = Some(holder);
            }
        }
        let simple = |p: NodeIx| simple.get(p).copied().flatten();
        // A holder of a template's own account: grouped only for a wide pattern (a long
        // list of literal `${AWS::AccountId}` ARNs names only its own template's roles).
        let of_template = |p: NodeIx| {
            self.nodes
                .get(p)
                .is_some_and(|n| matches!(n.account, Account::Template(_)))
        };
        // How a simple holder's grant of each role is kept: light with its own verdict, or
        // light judged by account. A role of no known account (a Terraform module's) is
        // judged by its trust as any other: the trust side compares the caller's account
        // with the trust's, never with the role's.
        let class = |r: NodeIx| match self.nodes.get(r) {
            Some(n) if matches!(n.kind, NodeKind::Role(_)) => {
                if uniform.get(r).is_some_and(|u| u.0) {
                    RoleClass::ByAccount
                } else {
                    RoleClass::Own
                }
            }
            _ => RoleClass::Listed,
        };
        // A template's role is granted alike to every holder by a pattern only: a literal
        // `${AWS::AccountId}` ARN names only its own template's role.
        let same_side = |r: NodeIx, literal: bool| !literal || !of_template(r);
        let by_account = |r: &NodeIx| class(*r) == RoleClass::ByAccount;
        // A role a wide pattern's holders of templates are judged towards by account: of a
        // known account or a template's, its trust naming accounts only.
        let by_template = |r: &NodeIx| {
            self.nodes
                .get(*r)
                .is_some_and(|n| !matches!(n.account, Account::Unknown))
                && uniform.get(*r).is_some_and(|u| u.1)
        };
        // A grant of many roles, held by many principals: its simple holders (those with a
        // condition apart) and the roles judged by account make a group, and its holders
        // denied every role and all its roles another; every other of its pairs is
        // mentioned as usual.
        let keep_grant = |grant: Grant| -> (Vec<Mentioned>, Vec<WideGroup>) {
            let how = if grant.literal {
                GRANTED | LITERAL
            } else {
                GRANTED
            };
            // Holders by side (unconditional or conditional) and account (known or a
            // template's, for a pattern only), those denied every role, and those that are
            // not simple.
            let mut kinds: [Vec<NodeIx>; 4] = Default::default();
            let mut denied = Vec::new();
            let mut other = Vec::new();
            for &(p, condition) in &grant.holders {
                let template = of_template(p);
                match simple(p) {
                    Some(Holder::Simple(HolderSide::Denied)) => denied.push(p),
                    Some(_) if template && grant.literal => other.push((p, condition)),
                    Some(Holder::Simple(side)) => kinds
                        [usize::from(side == HolderSide::AllowedIf) + 2 * usize::from(template)]
                    .push(p),
                    // A holder whose grants are told apart by condition joins the group
                    // of an unconditional grant: the roles a grant with a condition
                    // names are its light (or listed) edges too, which stand for the
                    // group's pair. Its grants with a condition are kept pair by pair.
                    Some(Holder::ByGrant) if condition == 0 => {
                        kinds[2 * usize::from(template)].push(p)
                    }
                    Some(Holder::ByGrant) | None => other.push((p, condition)),
                }
            }
            let roles = &grant.roles;
            let mut pairs: Vec<Mentioned> = other
                .iter()
                .flat_map(|&(p, condition)| roles.iter().map(move |&r| (p, r, how | condition)))
                .collect();
            let mut groups = Vec::new();
            if !denied.is_empty() && !roles.is_empty() {
                groups.push(WideGroup::new(
                    denied,
                    roles.clone(),
                    grant.literal,
                    HolderSide::Denied,
                ));
            }
            for (kind, holders) in kinds.into_iter().enumerate() {
                if holders.is_empty() {
                    continue;
                }
                let template = kind >= 2;
                let (grouped, listed): (Vec<NodeIx>, Vec<NodeIx>) = if template {
                    roles.par_iter().copied().partition(by_template)
                } else {
                    roles
                        .par_iter()
                        .copied()
                        .partition(|&r| by_account(&r) && same_side(r, grant.literal))
                };
                pairs.extend(
                    holders
                        .iter()
                        .flat_map(|&p| listed.iter().map(move |&r| (p, r, how))),
                );
                if !grouped.is_empty() {
                    groups.push(WideGroup::new(
                        holders,
                        grouped,
                        grant.literal,
                        if kind % 2 == 1 {
                            HolderSide::AllowedIf
                        } else {
                            HolderSide::Allowed
                        },
                    ));
                }
            }
            (pairs, groups)
        };
        wide.par_sort_unstable();
        let wide_grants = wide.par_chunk_by(|a, b| a.0 == b.0).map(|holders| {
            let pattern = holders.first().map_or("", |h| h.0);
            Grant {
                holders: holders.iter().map(|&(_, p, c)| (p, c)).collect(),
                // Few patterns, each of many roles: matched in parallel.
                roles: self.roles_matching(pattern, roles_by_arn),
                literal: false,
            }
        });
        let list_grants = self.list_grants(lists).into_par_iter();
        let (grant_pairs, groups): (Vec<Vec<Mentioned>>, Vec<Vec<WideGroup>>) =
            wide_grants.chain(list_grants).map(keep_grant).unzip();
        pairs.extend(grant_pairs.into_iter().flatten());
        pairs.extend(self.trusted(inv, role_nodes));
        pairs.par_sort_unstable();
        // Each principal's pairs, with how each is mentioned, kept one way or the other,
        // gathered per job (rayon's reduce keeps their order: they stay sorted).
        type Kept = (Vec<Pair>, Vec<LightEdge>);
        let (listed, light): Kept = pairs
            .par_chunk_by(|a, b| a.0 == b.0)
            .fold(Kept::default, |(mut listed, mut light), run| {
                let p = run.first().map_or(0, |x| x.0);
                let (simple, template) = (simple(p), of_template(p));
                for same in run.chunk_by(|a, b| a.1 == b.1) {
                    let r = same.first().map_or(0, |x| x.1);
                    let how = same.iter().fold(0, |how, x| how | x.2);
                    // A template's holder is judged by its template's account only towards
                    // a role whose trust names accounts only (`by_template`): an ARN in a
                    // trust may name it in its own template.
                    let class = match class(r) {
                        RoleClass::ByAccount if template && !by_template(&r) => RoleClass::Own,
                        class => class,
                    };
                    // A holder allowed by grant: conditional where a grant with a condition
                    // names the role (every grant that names it is mentioned here).
                    let side = simple.map(|holder| match holder {
                        Holder::Simple(side) => side,
                        Holder::ByGrant if how & CONDITIONAL != 0 => HolderSide::AllowedIf,
                        Holder::ByGrant => HolderSide::Allowed,
                    });
                    // A holder denied every role: every grant's verdict is `Denied`, whatever
                    // the role and its trust.
                    let Some(side) = side.filter(|&side| {
                        how & GRANTED != 0
                            && (side == HolderSide::Denied
                                || (class != RoleClass::Listed && same_side(r, how & LITERAL != 0)))
                    }) else {
                        listed.push((p, r));
                        continue;
                    };
                    let literal = how & LITERAL != 0;
                    // A trust that names the principal judges it apart from its account.
                    let own = (side != HolderSide::Denied
                        && (how & TRUSTED != 0 || class == RoleClass::Own))
                        .then(|| self.light_verdict_of(inv, p, r));
                    light.push(LightEdge::new((p, r), literal, side, own));
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

    /// The grants of long lists of ARNs (see [`is_long_list`]): one per distinct list, its
    /// roles looked up once however many principals hold it.
    fn list_grants(&self, lists: Vec<(&[SharedStr], NodeIx, u8)>) -> Vec<Grant> {
        if lists.is_empty() {
            return Vec::new();
        }
        // Equal lists are found by hash, then compared: sorting by content would compare
        // whole lists many times over.
        let mut keyed: Vec<(u64, usize)> = lists
            .par_iter()
            .enumerate()
            .map(|(i, (values, _, _))| (hash_list(values), i))
            .collect();
        keyed.par_sort_unstable();
        let mut grants: Vec<(&[SharedStr], Vec<Holding>)> = Vec::new();
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            // Lists of one hash, nearly always equal: each joins the first equal one.
            let first = grants.len();
            for &(_, i) in run {
                let Some(&(values, p, condition)) = lists.get(i) else {
                    continue;
                };
                match grants
                    .get_mut(first..)
                    .and_then(|g| g.iter_mut().find(|(seen, _)| *seen == values))
                {
                    Some((_, holders)) => holders.push((p, condition)),
                    None => grants.push((values, vec![(p, condition)])),
                }
            }
        }
        grants
            .into_par_iter()
            .map(|(values, mut holders)| {
                holders.sort_unstable();
                holders.dedup();
                let mut roles: Vec<NodeIx> = values
                    .iter()
                    .flat_map(|arn| self.nodes_with_arn(arn))
                    .copied()
                    .filter(|&r| matches!(self.nodes[r].kind, NodeKind::Role(_)))
                    .collect();
                roles.sort_unstable();
                roles.dedup();
                Grant {
                    holders,
                    roles,
                    literal: true,
                }
            })
            .collect()
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
    /// ARN (`LITERAL`) or pattern, under a condition or not (`CONDITIONAL`), with repeats;
    /// wide patterns are put aside.
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
                let condition = condition_flag(stmt);
                if res.negated {
                    found
                        .pairs
                        .extend(role_nodes.iter().map(|&r| (p, r, GRANTED | condition)));
                    continue;
                }
                if is_long_list(&res.values) {
                    found.lists.push((&res.values, p, condition));
                    continue;
                }
                for pattern in &res.values {
                    if !has_wildcard(pattern) {
                        for &r in self.nodes_with_arn(pattern) {
                            if matches!(self.nodes[r].kind, NodeKind::Role(_)) {
                                found.pairs.push((p, r, GRANTED | LITERAL | condition));
                            }
                        }
                        continue;
                    }
                    let (start, end) = self.prefix_range(pattern, roles_by_arn);
                    if end - start > WIDE_PATTERN {
                        found.wide.push((pattern, p, condition));
                        continue;
                    }
                    let roles = roles_by_arn.get(start..end).unwrap_or_default();
                    found.pairs.extend(
                        roles
                            .iter()
                            .filter(|&&r| matches_resource(pattern, &self.nodes[r].arn))
                            .map(|&r| (p, r, GRANTED | condition)),
                    );
                }
            }
        }
    }
}
