//! Implied edges: pairs kept without being judged in full one by one. Most pairs of an
//! organisation are a grant of a principal whose side is the same towards every role it is
//! granted, so only the role's trust is left to judge; where that trust judges callers by
//! account, the pair's verdict is the role's for the principal's account, worked out once
//! per role and account. Such pairs are kept in two ways (see `pairs`):
//! - a wildcard grant whose pattern matches many roles (`arn:aws:iam::*:role/*-from-hub`
//!   in an organisation's hub, `"Resource": "*"` on an admin role) as a [`WideGroup`], its
//!   holders and its roles: listed one by one, a hub of a thousand humans and a thousand
//!   accounts is millions of pairs where the input holds one pattern per human;
//! - any other grant as a [`LightEdge`]: two indexes, whether the grant names the role
//!   exactly (a hub human's list of every account's role), and the pair's own verdict where
//!   the trust names the holder or does not judge callers by account.
//!
//! A holder is kept so only when its side is the same towards every role it is granted
//! ([`holder`]): either an unconditional `Deny` of `sts:AssumeRole` on `"*"` makes it
//! `Denied` towards every role (and every pair's verdict `Denied`, whatever the trust), or
//! every statement of its known policies that may be about `sts:AssumeRole` is an `Allow`
//! on a `Resource` with nothing unresolved, all of them under a condition or none, its ARN
//! exact and its account known. Its identity side towards a role it is granted is then
//! `Allowed`, conditional or not as all its grants are; the verdict kept is the grant's
//! without its condition, made uncertain where it would hold (`granted_if`). A holder
//! with grants both under a condition and not is kept by grant ([`Holder::ByGrant`]):
//! each pair a light edge, conditional where a grant with a condition names its role, and
//! the holder in the group of an unconditional wide grant, whose pairs those light edges
//! stand for where they exist. A template's role is kept so only when a pattern grants it (a template's literal
//! `${AWS::AccountId}` ARN names only its own template's role); a role of no known account
//! is judged by its trust as any other (which compares the caller's account, not the
//! role's). A group holds only roles whose trust judges every caller of a known account
//! that it does not name by ARN alike ([`is_uniform_trust`]). Every other pair is listed
//! in `Graph::edges` and judged in full. An implied edge made into an [`Edge`]
//! (`Graph::edge_between`) is judged by the same code as a listed one, and a test requires
//! that verdict to be the one kept for it.

use std::borrow::Cow;

use foldhash::HashMap;
use rayon::prelude::*;

use super::evaluate::{
    assume_role_statements_known, aws_values, is_conditional_deny_of_all, is_deny_of_all,
    names_no_role, TEMPLATE_ACCOUNT,
};
use super::{
    is_uniform_trust, trust_side, verdict, Edge, Graph, IdentityDocs, IdentitySide, NodeIx,
    TrustSide, Verdict,
};
use crate::model::arn::{is_account_id, ArnRef};
use crate::model::inventory::{Account, Inventory, Role};
use crate::model::location::FileId;
use crate::model::policy::{Effect, PolicyDocument};
use crate::model::shared_str::SharedStr;

/// An account id of a holder, numbered (see [`Accounts`]).
type AccountIx = u32;

/// A holder's identity side towards every role it is granted (see `holder`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HolderSide {
    /// `Allowed` without a condition.
    Allowed,
    /// `Allowed` under a condition.
    AllowedIf,
    /// `Denied`: an unconditional `Deny` of `sts:AssumeRole` on `"*"`.
    Denied,
}

impl HolderSide {
    /// The verdict of a pair of a holder of this side, from the verdict an unconditional
    /// grant would have (asked only where the side leaves the trust to decide).
    fn verdict(self, unconditional: impl FnOnce() -> Verdict) -> Verdict {
        match self {
            HolderSide::Allowed => unconditional(),
            HolderSide::AllowedIf => granted_if(unconditional(), true),
            HolderSide::Denied => Verdict::Denied,
        }
    }
}

/// One wide grant: the principals that hold it (each with the same side towards every
/// role of it) and the roles it matches whose trust judges their callers by account.
#[derive(Debug)]
pub struct WideGroup {
    /// Sorted node indexes.
    pub holders: Vec<NodeIx>,
    /// Sorted node indexes.
    pub roles: Vec<NodeIx>,
    /// The holders' accounts, sorted.
    accounts: Vec<AccountIx>,
    /// The roles that may lead on (they have edges of their own or are granted roles),
    /// sorted: the only ones a chain can continue through.
    onward: Vec<NodeIx>,
    /// Whether the grant names each role's ARN exactly (a long list of ARNs), not through
    /// a pattern.
    pub literal: bool,
    /// The holders' side towards every role.
    pub side: HolderSide,
}

impl WideGroup {
    pub(super) fn new(
        mut holders: Vec<NodeIx>,
        mut roles: Vec<NodeIx>,
        literal: bool,
        side: HolderSide,
    ) -> Self {
        holders.sort_unstable();
        holders.dedup();
        roles.sort_unstable();
        roles.dedup();
        WideGroup {
            holders,
            roles,
            accounts: Vec::new(),
            onward: Vec::new(),
            literal,
            side,
        }
    }
}

/// A pair a grant of a simple holder names: its identity side is the holder's towards
/// every role, and its verdict `Denied` (for a holder denied every role), or the role's for
/// the holder's account unless it has its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LightEdge {
    pub from: NodeIx,
    pub to: NodeIx,
    /// Whether a grant names the role's ARN exactly (not through a wildcard only).
    pub literal: bool,
    /// The holder's side towards every role.
    pub side: HolderSide,
    /// The verdict of the grant without its condition, worked out for this pair: where the
    /// trust names the holder, or does not judge callers by account.
    own: Option<Verdict>,
}

impl LightEdge {
    pub(super) fn new(
        (from, to): (NodeIx, NodeIx),
        literal: bool,
        side: HolderSide,
        own: Option<Verdict>,
    ) -> Self {
        LightEdge {
            from,
            to,
            literal,
            side,
            own,
        }
    }
}

/// The accounts of the principals, numbered: known ids, and templates' own
/// (`${AWS::AccountId}` of one template, see [`Account::Template`]).
#[derive(Debug, Default)]
struct Accounts {
    /// Each node's account, `AccountIx::MAX` when not known.
    of_node: Vec<AccountIx>,
    /// Account id -> number.
    ids: HashMap<Box<str>, AccountIx>,
    /// Template -> number.
    templates: HashMap<FileId, AccountIx>,
    /// Each number's account.
    accounts: Vec<Account>,
}

impl Accounts {
    fn id(&self, account: &str) -> Option<AccountIx> {
        self.ids.get(account).copied()
    }

    /// The number of an account (known or a template's), numbering it if new.
    fn number(&mut self, account: &Account) -> Option<AccountIx> {
        let next = AccountIx::try_from(self.accounts.len()).ok()?;
        let id = match account {
            Account::Known(id) => *self.ids.entry(Box::from(&**id)).or_insert(next),
            Account::Template(f) => *self.templates.entry(*f).or_insert(next),
            Account::Unknown => return None,
        };
        if id == next {
            self.accounts.push(account.clone());
        }
        Some(id)
    }

    /// Whether an account is a template's own.
    fn is_template(&self, a: AccountIx) -> bool {
        matches!(self.accounts.get(a as usize), Some(Account::Template(_)))
    }

    fn of(&self, n: NodeIx) -> Option<AccountIx> {
        self.of_node
            .get(n)
            .copied()
            .filter(|&a| a != AccountIx::MAX)
    }
}

/// A role's verdicts towards the principals it is implied for, by their account.
#[derive(Debug)]
struct AccountVerdicts {
    /// Sorted by account.
    by_account: Vec<(AccountIx, Verdict)>,
    /// For a holder of any other known account, which the trust does not name (only for a
    /// role of a group of holders of many accounts).
    other: Option<Verdict>,
    /// For a holder of any template but the role's own (only for a role of a group of
    /// holders of many templates).
    other_template: Option<Verdict>,
}

/// Holders' accounts a group may have before its roles are judged for the accounts their
/// trusts name and once for every other (see `Implied::new`).
const WIDE_ACCOUNTS: usize = 4;

/// In a role's needs, "every account its trust does not name".
const OTHERS: AccountIx = AccountIx::MAX;

/// In a role's needs, "every template but the role's own".
const OTHER_TEMPLATES: AccountIx = AccountIx::MAX - 1;

/// Every implied edge, and the indexes that answer for a pair.
#[derive(Debug, Default)]
pub(super) struct Implied {
    pub groups: Vec<WideGroup>,
    /// Sorted by (from, to).
    pub light: Vec<LightEdge>,
    /// Positions in `light`, sorted by (to, from).
    light_into: Vec<u32>,
    /// (holder, group), sorted.
    held: Vec<(NodeIx, u32)>,
    /// (role, group), sorted.
    into: Vec<(NodeIx, u32)>,
    accounts: Accounts,
    /// Each role of a group or light edge with its verdicts, sorted by role.
    verdicts: Vec<(NodeIx, AccountVerdicts)>,
    /// Each node's position in `verdicts` (`u32::MAX` for none): a verdict is looked up for
    /// every implied edge a rule reads.
    verdicts_at: Vec<u32>,
    /// The holders of groups whose side is not `Allowed` without a condition, sorted.
    sides: Vec<(NodeIx, HolderSide)>,
}

/// A text no trust names, for the ARN of "some caller of this account": a role with a
/// value containing it is not judged by group (see [`may_judge_by_account`]).
const NOBODY: &str = "\u{1}iamlint-any-caller";

/// How a holder's side towards the roles it is granted is known without judging each
/// pair in full (see [`holder`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Holder {
    /// The same side towards every role.
    Simple(HolderSide),
    /// `Allowed` towards every role it is granted, under a condition where a statement
    /// with one names the role: some of its grants have a condition and some not (an
    /// admin allowed its own account's roles, and the production ones only with MFA).
    ByGrant,
}

/// How a principal's side towards the roles it is granted is known, if it is: `Denied`
/// towards all where an unconditional `Deny` of `sts:AssumeRole` on `"*"` covers every
/// role (`identity::decide` stops at it whatever else the policies say, known or not);
/// otherwise `Allowed` wherever its known policies leave nothing but `Allow`s to decide
/// (see [`allowed_holder`]).
pub(super) fn holder(ids: &IdentityDocs, exact: bool, account: &Account) -> Option<Holder> {
    let denied = ids
        .docs
        .iter()
        .flat_map(|doc| doc.statements.iter())
        .any(|s| s.covers_action(super::ASSUME_ROLE) && is_deny_of_all(s));
    if denied {
        return Some(Holder::Simple(HolderSide::Denied));
    }
    allowed_holder(ids, exact, account)
}

/// Whether a principal's side towards every role it is granted is `Allowed`, and whether
/// that is under a condition: every statement of its known policies that may be about
/// `sts:AssumeRole` is an `Allow` with nothing unresolved (`allows_known`; a policy not in
/// the inventory does not change the side towards a role a known one grants, see
/// `identity::decide`), none has a `NotResource` (which grants every role but some, so
/// the roles it pairs with are not all granted), its ARN is exact (a trust may name a
/// principal known only by a grant under its real path) and its account known (a trust's
/// account values compare with it). The side is conditional towards every role where all
/// the statements have a condition (a hub's humans granted every account's role only with
/// MFA) or a conditional `Deny` on `Resource: "*"` makes them all conditional (see
/// `is_conditional_deny_of_all`), towards none where none has, and otherwise by grant.
fn allowed_holder(ids: &IdentityDocs, exact: bool, account: &Account) -> Option<Holder> {
    if !exact
        || matches!(account, Account::Unknown)
        || !assume_role_statements_known(ids, |s| is_conditional_deny_of_all(s) || names_no_role(s))
    {
        return None;
    }
    // Statements that name no role (a `Deny` of `NotAction` on a bucket) change no side.
    let about_assume_role = || {
        ids.docs.iter().flat_map(|doc| {
            doc.statements
                .iter()
                .filter(|s| s.covers_action(super::ASSUME_ROLE) && !names_no_role(s))
        })
    };
    let no_not_resource = about_assume_role()
        .filter(|s| s.effect == Effect::Allow)
        .all(|s| s.resource.as_ref().is_none_or(|r| !r.negated));
    if !no_not_resource {
        return None;
    }
    // A `Deny` under a condition on every role makes each grant conditional, whatever
    // the `Allow`s' own conditions (an organisation's `Deny` of everything without MFA).
    if about_assume_role().any(|s| s.effect == Effect::Deny) {
        return Some(Holder::Simple(HolderSide::AllowedIf));
    }
    let (mut with, mut without) = (false, false);
    for s in about_assume_role() {
        if s.conditions.is_empty() {
            without = true;
        } else {
            with = true;
        }
    }
    match (with, without) {
        (false, false) => None,
        (true, false) => Some(Holder::Simple(HolderSide::AllowedIf)),
        (false, true) => Some(Holder::Simple(HolderSide::Allowed)),
        (true, true) => Some(Holder::ByGrant),
    }
}

/// The verdict of a grant under a condition iamlint does not evaluate, from the verdict the
/// grant would have without it: a switch that would hold may or may not (IAM-SEMANTICS §1),
/// every other verdict stands (see `verdict`).
fn granted_if(verdict: Verdict, conditional: bool) -> Verdict {
    if conditional && verdict == Verdict::Holds {
        Verdict::Uncertain
    } else {
        verdict
    }
}

/// Whether a role's trust judges every caller of a known account it does not name by ARN
/// alike, so that one verdict per account stands for all of them.
pub(super) fn may_judge_by_account(role: &Role) -> bool {
    role.trust
        .as_deref()
        .is_none_or(|t| is_uniform_trust(t) && aws_values(t).all(|v| !v.contains(NOBODY)))
}

/// The account ids a trust's values name: bare ids, and the account part of ARNs (what
/// `trust_side` compares a caller's account with).
fn named_accounts(trust: &PolicyDocument) -> impl Iterator<Item = &str> {
    aws_values(trust).filter_map(|v| {
        if is_account_id(v) {
            Some(v.as_str())
        } else {
            ArnRef::parse(v)
                .ok()
                .map(|a| a.account)
                .filter(|a| is_account_id(a))
        }
    })
}

/// "Some caller of `account`": an ARN no trust names (see [`may_judge_by_account`]).
fn caller_of(account: &str) -> (String, Account) {
    (
        format!("arn:aws:iam::{account}:user/{NOBODY}"),
        Account::Known(SharedStr::new(account)),
    )
}

/// "Some caller of template `file`'s own account".
fn caller_of_template(file: FileId) -> (String, Account) {
    (
        format!("arn:aws:iam::{TEMPLATE_ACCOUNT}:user/{NOBODY}"),
        Account::Template(file),
    )
}

/// Whether a role's trust judges every caller of a template it does not name alike: each
/// `AWS` value is `"*"`, an account id or an account's `:root` (a template's caller may be
/// any entity of any account, so an entity's ARN, whatever its account, may name it).
pub(super) fn may_judge_templates(role: &Role) -> bool {
    may_judge_by_account(role)
        && role.trust.as_deref().is_none_or(|t| {
            aws_values(t).all(|v| v == "*" || is_account_id(v) || v.ends_with(":root"))
        })
}

/// The verdict of a pair whose identity side is an unconditional grant, given its trust
/// side (neither whether the grant names the role exactly nor the accounts change it).
fn granted_verdict(trust: &TrustSide) -> Verdict {
    let granted = IdentitySide::Allowed {
        at: Vec::new(),
        conditional: false,
        literal: false,
    };
    verdict(&granted, trust, None)
}

impl Graph {
    /// The verdict of P → R where P is a simple holder granted R.
    pub(super) fn light_verdict_of(&self, inv: &Inventory, p: NodeIx, r: NodeIx) -> Verdict {
        let (Some(from), Some(role)) = (self.nodes.get(p), self.role(inv, r)) else {
            return Verdict::Uncertain;
        };
        granted_verdict(&super::trust_of_pair(from, role).0)
    }
}

/// The verdict of an unconditional grant held by `caller` of `account` (see
/// [`caller_of`]) towards a role with this trust.
fn verdict_for_caller(role: &Role, caller: &str, account: &Account) -> Verdict {
    granted_verdict(&trust_side(role.trust.as_ref(), caller, account).0)
}

/// The run of a list sorted by node (`key`) whose key is `n`.
fn run_of<T>(list: &[T], n: NodeIx, key: impl Fn(&T) -> NodeIx) -> &[T] {
    let start = list.partition_point(|x| key(x) < n);
    let rest = list.get(start..).unwrap_or_default();
    rest.get(..rest.partition_point(|x| key(x) == n))
        .unwrap_or_default()
}

impl Implied {
    /// Indexes the implied edges: who holds which group, which role is in which, the
    /// light edges into each role, each role's verdicts for the accounts it needs
    /// (`account_of` gives a node's known account, `role_of` a role node's inventory
    /// role), and the roles that lead on (`has_out`: an edge of their own).
    pub(super) fn new<'i>(
        mut groups: Vec<WideGroup>,
        light: Vec<LightEdge>,
        nodes: usize,
        account_of: impl Fn(NodeIx) -> Option<&'i Account> + Sync,
        role_of: impl Fn(NodeIx) -> Option<&'i Role> + Sync,
        has_out: impl Fn(NodeIx) -> bool,
    ) -> Implied {
        if groups.is_empty() && light.is_empty() {
            return Implied::default();
        }
        // The accounts of the principals that hold a group or a light edge, numbered.
        let mut accounts = Accounts {
            of_node: vec![AccountIx::MAX; nodes],
            ..Accounts::default()
        };
        let principals = groups
            .iter()
            .flat_map(|g| g.holders.iter().copied())
            .chain(light.iter().map(|e| e.from));
        for n in principals {
            if accounts.of(n).is_some() {
                continue;
            }
            let Some(a) = account_of(n).and_then(|a| accounts.number(a)) else {
                continue;
            };
            if let Some(slot) = accounts.of_node.get_mut(n) {
                *slot = a;
            }
        }
        let mut held = Vec::new();
        let mut into = Vec::new();
        for (gi, group) in groups.iter_mut().enumerate() {
            let gi = u32::try_from(gi).unwrap_or(u32::MAX);
            held.extend(group.holders.iter().map(|&h| (h, gi)));
            into.extend(group.roles.iter().map(|&r| (r, gi)));
            let mut of: Vec<AccountIx> = group
                .holders
                .iter()
                .filter_map(|&h| accounts.of(h))
                .collect();
            of.sort_unstable();
            of.dedup();
            group.accounts = of;
        }
        held.par_sort_unstable();
        into.par_sort_unstable();
        let leads_on = |r: NodeIx| {
            has_out(r)
                || !run_of(&held, r, |&(h, _)| h).is_empty()
                || !run_of(&light, r, |e| e.from).is_empty()
        };
        for group in &mut groups {
            group.onward = group
                .roles
                .iter()
                .copied()
                .filter(|&r| leads_on(r))
                .collect();
        }
        let mut light_into: Vec<u32> = (0..light.len())
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        light_into.par_sort_unstable_by_key(|&i| light.get(i as usize).map(|e| (e.to, e.from)));
        // Each role is judged once for each account it is implied for: the accounts of its
        // light edges' holders, and of its groups' holders. A group of holders of many
        // accounts (one CI role per account granted `arn:aws:iam::*:role/deploy`) would
        // make that accounts x roles, so such a group asks instead for the accounts the
        // role's trust names and one verdict for every other account (`WIDE_ACCOUNTS`).
        // A holder denied every role needs no verdict of the role's.
        let mut needs: Vec<(NodeIx, AccountIx)> = light
            .par_iter()
            .filter(|e| e.own.is_none() && e.side != HolderSide::Denied)
            .filter_map(|e| Some((e.to, accounts.of(e.from)?)))
            .collect();
        for &(r, g) in &into {
            let Some(group) = groups
                .get(g as usize)
                .filter(|g| g.side != HolderSide::Denied)
            else {
                continue;
            };
            if group.accounts.len() <= WIDE_ACCOUNTS {
                needs.extend(group.accounts.iter().map(|&a| (r, a)));
            } else if group.accounts.iter().any(|&a| accounts.is_template(a)) {
                // A group of templates' holders: the role's own template, if it holds it,
                // and every other.
                let own = role_of(r).and_then(|role| match role.account {
                    Account::Template(f) => accounts.templates.get(&f).copied(),
                    _ => None,
                });
                needs.extend(
                    own.filter(|a| group.accounts.binary_search(a).is_ok())
                        .map(|a| (r, a)),
                );
                needs.push((r, OTHER_TEMPLATES));
            } else {
                needs.push((r, OTHERS));
            }
        }
        needs.par_sort_unstable();
        needs.dedup();
        // "Some caller of this account", once per account.
        let callers: Vec<(String, Account)> = accounts
            .accounts
            .iter()
            .map(|a| match a {
                Account::Known(id) => caller_of(id),
                Account::Template(f) => caller_of_template(*f),
                Account::Unknown => (String::new(), Account::Unknown),
            })
            .collect();
        let verdicts: Vec<(NodeIx, AccountVerdicts)> = needs
            .par_chunk_by(|a, b| a.0 == b.0)
            .filter_map(|run| {
                let r = run.first()?.0;
                let role = role_of(r)?;
                let mut wanted: Vec<AccountIx> = run.iter().map(|&(_, a)| a).collect();
                let others = wanted.last() == Some(&OTHERS);
                if others {
                    wanted.pop();
                }
                let other_templates = wanted.last() == Some(&OTHER_TEMPLATES);
                if other_templates {
                    wanted.pop();
                }
                if others {
                    wanted.extend(
                        role.trust
                            .as_deref()
                            .into_iter()
                            .flat_map(named_accounts)
                            .filter_map(|a| accounts.id(a)),
                    );
                    wanted.sort_unstable();
                    wanted.dedup();
                }
                let by_account = wanted
                    .into_iter()
                    .filter_map(|a| {
                        let (arn, account) = callers.get(a as usize)?;
                        Some((a, verdict_for_caller(role, arn, account)))
                    })
                    .collect();
                // No real account id is empty: "another known account"; no file has the
                // last number: "another template".
                let other = others.then(|| {
                    let (arn, account) = caller_of("");
                    verdict_for_caller(role, &arn, &account)
                });
                let other_template = other_templates.then(|| {
                    let (arn, account) = caller_of_template(FileId::MAX);
                    verdict_for_caller(role, &arn, &account)
                });
                Some((
                    r,
                    AccountVerdicts {
                        by_account,
                        other,
                        other_template,
                    },
                ))
            })
            .collect();
        // (A light edge keeps its own.)
        let mut sides: Vec<(NodeIx, HolderSide)> = groups
            .iter()
            .filter(|g| g.side != HolderSide::Allowed)
            .flat_map(|g| g.holders.iter().map(|&h| (h, g.side)))
            .collect();
        sides.par_sort_unstable();
        sides.dedup();
        let mut verdicts_at = vec![u32::MAX; nodes];
        for (i, (r, _)) in verdicts.iter().enumerate() {
            if let (Some(slot), Ok(i)) = (verdicts_at.get_mut(*r), u32::try_from(i)) {
                *slot = i;
            }
        }
        Implied {
            groups,
            light,
            light_into,
            held,
            into,
            accounts,
            verdicts,
            verdicts_at,
            sides,
        }
    }

    /// The groups `p` holds.
    fn held_by(&self, p: NodeIx) -> impl Iterator<Item = &WideGroup> {
        run_of(&self.held, p, |&(h, _)| h)
            .iter()
            .filter_map(|&(_, g)| self.groups.get(g as usize))
    }

    /// The groups whose roles include `r`.
    fn containing(&self, r: NodeIx) -> impl Iterator<Item = &WideGroup> {
        run_of(&self.into, r, |&(x, _)| x)
            .iter()
            .filter_map(|&(_, g)| self.groups.get(g as usize))
    }

    /// The light edges from `p`, sorted by role.
    fn light_from(&self, p: NodeIx) -> &[LightEdge] {
        run_of(&self.light, p, |e| e.from)
    }

    /// The light edges into `r`.
    fn light_into(&self, r: NodeIx) -> impl Iterator<Item = &LightEdge> {
        let at = |i: &u32| self.light.get(*i as usize);
        let start = self
            .light_into
            .partition_point(|i| at(i).is_some_and(|e| e.to < r));
        self.light_into
            .get(start..)
            .unwrap_or_default()
            .iter()
            .map_while(move |i| at(i).filter(|e| e.to == r))
    }

    /// The light edge `p` → `r`.
    fn light_edge(&self, p: NodeIx, r: NodeIx) -> Option<&LightEdge> {
        let from = self.light_from(p);
        from.binary_search_by_key(&r, |e| e.to)
            .ok()
            .and_then(|i| from.get(i))
    }

    /// Whether `p` → `r` is implied (a light edge, or a pair of a group, which `edges` may
    /// list too).
    fn pairs(&self, p: NodeIx, r: NodeIx) -> bool {
        self.light_edge(p, r).is_some()
            || self.held_by(p).any(|g| g.roles.binary_search(&r).is_ok())
    }

    /// The verdict of an implied pair: its light edge's, or its role's for the holder's
    /// account.
    fn pair_verdict(&self, p: NodeIx, r: NodeIx) -> Verdict {
        match self.light_edge(p, r) {
            Some(e) => self.light_verdict(e),
            None => self.side(p).verdict(|| self.verdict(p, r)),
        }
    }

    /// The side of a holder of a group.
    fn side(&self, p: NodeIx) -> HolderSide {
        let at = self.sides.partition_point(|&(h, _)| h < p);
        match self.sides.get(at) {
            Some(&(h, side)) if h == p => side,
            _ => HolderSide::Allowed,
        }
    }

    fn light_verdict(&self, e: &LightEdge) -> Verdict {
        e.side
            .verdict(|| e.own.unwrap_or_else(|| self.verdict(e.from, e.to)))
    }

    /// The verdict of an unconditional grant from `p` to role `r`, by `p`'s account.
    fn verdict(&self, p: NodeIx, r: NodeIx) -> Verdict {
        let at = self.verdicts_at.get(r).copied().unwrap_or(u32::MAX);
        let (Some(account), Some((_, v))) = (self.accounts.of(p), self.verdicts.get(at as usize))
        else {
            return Verdict::Uncertain;
        };
        let other = if self.accounts.is_template(account) {
            v.other_template
        } else {
            v.other
        };
        v.by_account
            .binary_search_by_key(&account, |&(a, _)| a)
            .ok()
            .and_then(|i| v.by_account.get(i))
            .map_or(other.unwrap_or(Verdict::Uncertain), |&(_, v)| v)
    }

    /// The roles of a group `p` may switch to next in a chain: all of them, or only those
    /// that lead on (for the first switch of a chain, whose roles that lead nowhere are
    /// reached directly and so are never the end of a chain).
    fn roles_of(group: &WideGroup, only_onward: bool) -> &[NodeIx] {
        if only_onward {
            &group.onward
        } else {
            &group.roles
        }
    }
}

impl Graph {
    /// The verdict of the implied edge P → R; None where `edges` lists P → R or nothing
    /// implies it.
    pub fn implied_verdict(&self, p: NodeIx, r: NodeIx) -> Option<Verdict> {
        if !self.implied.pairs(p, r) || self.edge(p, r).is_some() {
            return None;
        }
        Some(self.implied.pair_verdict(p, r))
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

    /// The light edges (implied edges of grants that are not wide), sorted.
    pub fn light_edges(&self) -> &[LightEdge] {
        &self.implied.light
    }

    /// The verdict of a light edge.
    pub fn light_verdict(&self, e: &LightEdge) -> Verdict {
        self.implied.light_verdict(e)
    }

    /// Whether a principal of `account` is granted role `r` by a grant whose edge is
    /// implied (its identity side is then `Allowed`, or `Denied` for a holder denied every
    /// role, so its verdict is never a missing grant).
    pub fn implied_grant_from(&self, account: &str, r: NodeIx) -> bool {
        let Some(a) = self.implied.accounts.id(account) else {
            return false;
        };
        self.implied
            .containing(r)
            .any(|g| g.accounts.binary_search(&a).is_ok())
            || self
                .implied
                .light_into(r)
                .any(|e| self.implied.accounts.of(e.from) == Some(a))
    }

    /// The roles of the implied edges of each principal, in node order: (principal,
    /// roles).
    fn implied_targets(&self) -> Vec<(NodeIx, Vec<NodeIx>)> {
        let mut from: Vec<NodeIx> = self.implied.held.iter().map(|&(h, _)| h).collect();
        from.extend(self.implied.light.iter().map(|e| e.from));
        from.par_sort_unstable();
        from.dedup();
        from.par_iter()
            .map(|&h| {
                let mut roles: Vec<NodeIx> = self
                    .implied
                    .held_by(h)
                    .flat_map(|g| g.roles.iter().copied())
                    .filter(|&r| self.edge(h, r).is_none())
                    .chain(self.implied.light_from(h).iter().map(|e| e.to))
                    .collect();
                roles.sort_unstable();
                roles.dedup();
                (h, roles)
            })
            .collect()
    }

    /// Every implied edge, judged in full: as many as the pairs, for `iamlint graph` and
    /// tests, never for a scan.
    pub fn implied_edges(&self, inv: &Inventory) -> Vec<Edge> {
        self.implied_edges_where(inv, |_, _| true)
    }

    /// The implied edges P → R for which `keep(P, R)`, judged in full (only those).
    pub fn implied_edges_where(
        &self,
        inv: &Inventory,
        keep: impl Fn(NodeIx, NodeIx) -> bool + Sync,
    ) -> Vec<Edge> {
        let keep = &keep;
        self.implied_targets()
            .into_par_iter()
            .flat_map_iter(|(h, roles)| {
                roles
                    .into_iter()
                    .filter(move |&r| keep(h, r))
                    .filter_map(move |r| self.judge(inv, h, r))
            })
            .collect()
    }

    /// The implied edges of grants that name their role's ARN exactly (light edges and the
    /// pairs of long lists of ARNs) into a role that passes `role_ok`, with a verdict that
    /// passes `verdict_ok`, from a principal that passes `holder_ok`: judged in full, for
    /// rules that report on a few of them. A group's verdict is asked once per role and
    /// holders' account, so the cost is its roles times its accounts, not times its
    /// holders, plus the edges kept.
    pub fn literal_edges_judged(
        &self,
        inv: &Inventory,
        role_ok: impl Fn(NodeIx) -> bool + Sync,
        verdict_ok: impl Fn(Verdict) -> bool + Sync,
        holder_ok: impl Fn(NodeIx) -> bool + Sync,
    ) -> Vec<Edge> {
        let implied = &self.implied;
        let (role_ok, verdict_ok, holder_ok) = (&role_ok, &verdict_ok, &holder_ok);
        let mut pairs: Vec<(NodeIx, NodeIx)> = implied
            .light
            .par_iter()
            .filter(|e| {
                e.literal
                    && role_ok(e.to)
                    && holder_ok(e.from)
                    && verdict_ok(implied.light_verdict(e))
            })
            .map(|e| (e.from, e.to))
            .collect();
        for group in implied.groups.iter().filter(|g| g.literal) {
            // The holders by account: one verdict stands for each account's holders.
            // (Holders denied every role have one verdict whatever their account, known
            // or not.)
            let denied = group.side == HolderSide::Denied;
            let mut by_account: Vec<(AccountIx, NodeIx)> = group
                .holders
                .iter()
                .filter_map(|&h| Some((if denied { 0 } else { implied.accounts.of(h)? }, h)))
                .collect();
            by_account.sort_unstable();
            let found: Vec<(NodeIx, NodeIx)> = group
                .roles
                .par_iter()
                .copied()
                .filter(|&r| role_ok(r))
                .flat_map_iter(|r| {
                    by_account
                        .chunk_by(|a, b| a.0 == b.0)
                        .filter(move |run| {
                            run.first().is_some_and(|&(_, h)| {
                                verdict_ok(group.side.verdict(|| implied.verdict(h, r)))
                            })
                        })
                        .flatten()
                        .map(move |&(_, h)| (h, r))
                })
                // A light edge (judged above, perhaps with a verdict of its own) or a
                // listed one stands for the pair.
                .filter(|&(h, r)| {
                    holder_ok(h) && implied.light_edge(h, r).is_none() && self.edge(h, r).is_none()
                })
                .collect();
            pairs.extend(found);
        }
        pairs.par_sort_unstable();
        pairs.dedup();
        pairs
            .par_iter()
            .filter_map(|&(p, r)| self.judge(inv, p, r))
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
        for e in self.implied.light_from(p) {
            if self.implied.light_verdict(e) == Verdict::Holds {
                out.push(e.to);
            }
        }
        for group in self.implied.held_by(p) {
            for &r in Implied::roles_of(group, only_onward) {
                if self.implied.pair_verdict(p, r) == Verdict::Holds && self.edge(p, r).is_none() {
                    out.push(r);
                }
            }
        }
        if let Some(tail) = out.get_mut(start..) {
            tail.sort_unstable();
        }
        out.dedup();
    }
}
