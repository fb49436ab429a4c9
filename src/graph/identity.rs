//! The caller's side of an edge: what its identity policies say about assuming a role
//! (IAM-SEMANTICS §1). Wherever the answer depends on something iamlint cannot see (a
//! policy not in the inventory, a part a template left unresolved) it is `Unknown`.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use super::{identity_docs, IdentityDocs, IdentitySide, NodeKind, Place, PlaceKind, ASSUME_ROLE};
use crate::model::inventory::{Account, Inventory};
use crate::model::location::FileId;
use crate::model::matching::{has_wildcard, matches_resource};
use crate::model::policy::{Effect, PolicyDocument, Statement};

/// The identity side for principal `kind` assuming `role_arn` (of a role in `role_account`).
pub fn identity_side(
    inv: &Inventory,
    kind: NodeKind,
    role_arn: &str,
    role_account: &Account,
) -> IdentitySide {
    identity_side_of(&identity_docs(inv, kind), role_arn, role_account)
}

/// The identity side of a principal whose documents are already gathered.
pub(super) fn identity_side_of(
    ids: &IdentityDocs,
    role_arn: &str,
    role_account: &Account,
) -> IdentitySide {
    let hits = about_assume_role(ids)
        .filter_map(|(doc, si, stmt)| Hit::scan(doc, si, stmt, role_arn, role_account));
    decide(hits, ids.complete, may_allow_unseen(ids))
}

/// One statement about `sts:AssumeRole` with a `Resource`, and what it says of one role:
/// the first value that names it, and whether a value is its ARN exactly.
struct Hit<'d> {
    doc: &'d Arc<PolicyDocument>,
    si: usize,
    stmt: &'d Statement,
    named: Option<usize>,
    literal: bool,
}

impl<'d> Hit<'d> {
    /// What a statement's `Resource` values say of a role, each value looked at.
    fn scan(
        doc: &'d Arc<PolicyDocument>,
        si: usize,
        stmt: &'d Statement,
        role_arn: &str,
        role_account: &Account,
    ) -> Option<Hit<'d>> {
        let res = stmt.resource.as_ref()?;
        let file = doc.origin.file();
        let named = res
            .values
            .iter()
            .position(|p| resource_names(p, file, role_arn, role_account));
        let literal = res.values.iter().any(|p| p == role_arn);
        Some(Hit {
            doc,
            si,
            stmt,
            named,
            literal,
        })
    }
}

/// Every statement of the documents that covers `sts:AssumeRole`, in order.
fn about_assume_role<'a, 'd>(
    ids: &'a IdentityDocs<'d>,
) -> impl Iterator<Item = (&'d Arc<PolicyDocument>, usize, &'d Statement)> + 'a {
    ids.docs.iter().flat_map(|&doc| {
        doc.statements
            .iter()
            .enumerate()
            .filter(|(_, s)| s.covers_action(ASSUME_ROLE))
            .map(move |(si, s)| (doc, si, s))
    })
}

/// Whether a statement iamlint cannot read whole (not known statically: its action,
/// effect or resource) may allow any role.
fn may_allow_unseen(ids: &IdentityDocs) -> bool {
    ids.docs.iter().any(|doc| {
        let unresolved = !doc.unresolved.is_empty();
        if !unresolved {
            return false;
        }
        doc.has_unknown_statements()
            || doc.statements.iter().any(|stmt| {
                let part_unknown = |key: &str| doc.has_unresolved(&stmt.path().key(key));
                let action_unknown = part_unknown("Action") || part_unknown("NotAction");
                (stmt.covers_action(ASSUME_ROLE) || action_unknown)
                    && stmt.effect != Effect::Deny
                    && (action_unknown
                        || part_unknown("Effect")
                        || part_unknown("Resource")
                        || part_unknown("NotResource"))
            })
    })
}

/// The side, from the statements about `sts:AssumeRole` in document order.
fn decide<'d>(
    hits: impl Iterator<Item = Hit<'d>>,
    complete: bool,
    maybe_allowed: bool,
) -> IdentitySide {
    let mut allowed = Vec::new();
    let mut conditional = false;
    let mut literal = false;
    // A Deny under a condition iamlint does not evaluate, which may apply.
    let mut maybe_denied = None;
    // A statement whose `Effect` is neither `Allow` nor `Deny` (`allow`): IAM documents
    // the value as case sensitive, yet policies written so are in use, so what it does
    // is not known; it may allow or deny.
    let mut unknown_effect = false;
    for hit in hits {
        let Some(res) = &hit.stmt.resource else {
            continue;
        };
        if hit.named.is_some() == res.negated {
            continue;
        }
        let at = match hit.named {
            Some(i) if !res.negated => Place::new(
                hit.doc,
                hit.si,
                PlaceKind::ResourceItem(u32::try_from(i).unwrap_or(u32::MAX)),
            ),
            _ => Place::new(hit.doc, hit.si, PlaceKind::Resource),
        };
        match hit.stmt.effect {
            Effect::Deny if hit.stmt.conditions.is_empty() => return IdentitySide::Denied { at },
            // A conditional Deny may or may not apply: no verdict either way.
            Effect::Deny => {
                conditional = true;
                maybe_denied.get_or_insert(at);
            }
            Effect::Allow => {
                conditional |= !hit.stmt.conditions.is_empty();
                literal |= !res.negated && hit.literal;
                allowed.push(at);
            }
            Effect::Invalid => {
                conditional = true;
                unknown_effect = true;
            }
        }
    }
    if !allowed.is_empty() {
        IdentitySide::Allowed {
            at: allowed,
            conditional,
            literal,
        }
    } else if let Some(at) = maybe_denied {
        IdentitySide::MaybeDenied { at }
    } else if complete && !maybe_allowed && !unknown_effect {
        IdentitySide::NotAllowed
    } else {
        IdentitySide::Unknown
    }
}

/// A principal's identity documents prepared to be judged against many roles: the literal
/// `Resource` values of its statements about `sts:AssumeRole` are hashed, so each role
/// costs the statements that may name it rather than every value of every statement (a
/// hub human's grant lists a role in every account, and pairs with each of them).
pub(super) struct PreparedIdentity<'d> {
    complete: bool,
    maybe_allowed: bool,
    /// The statements about `sts:AssumeRole` with a `Resource`, in document order.
    stmts: Vec<(&'d Arc<PolicyDocument>, usize, &'d Statement)>,
    /// Statements (positions in `stmts`) whose values are looked at for every role: those
    /// with a wildcard value, and `NotResource`.
    scanned: Vec<usize>,
    /// A literal value -> the statements of only literal values that list it, each with
    /// the value's first position.
    literal: HashMap<&'d str, Vec<(usize, usize)>>,
}

impl<'d> PreparedIdentity<'d> {
    /// Prepared for `roles` roles: for a few, hashing the values costs more than it saves.
    pub(super) fn new(ids: &IdentityDocs<'d>, roles: usize) -> Self {
        let index = roles > 8;
        let stmts: Vec<_> = about_assume_role(ids)
            .filter(|(_, _, s)| s.resource.is_some())
            .collect();
        let mut scanned = Vec::new();
        let mut literal: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for (n, (_, _, stmt)) in stmts.iter().enumerate() {
            let Some(res) = &stmt.resource else { continue };
            if !index || res.negated || res.values.iter().any(|v| has_wildcard(v)) {
                scanned.push(n);
                continue;
            }
            for (i, v) in res.values.iter().enumerate() {
                let at = literal.entry(v.as_str()).or_default();
                if at.last().is_none_or(|&(last, _)| last != n) {
                    at.push((n, i));
                }
            }
        }
        PreparedIdentity {
            complete: ids.complete,
            maybe_allowed: may_allow_unseen(ids),
            stmts,
            scanned,
            literal,
        }
    }

    /// The identity side towards one role, as [`identity_side_of`] gives it.
    pub(super) fn side(&self, role_arn: &str, role_account: &Account) -> IdentitySide {
        // (position in `stmts`, what the statement says of the role)
        let mut hits: Vec<(usize, Hit)> = Vec::new();
        for &n in &self.scanned {
            if let Some(hit) = self
                .stmts
                .get(n)
                .and_then(|&(doc, si, stmt)| Hit::scan(doc, si, stmt, role_arn, role_account))
            {
                hits.push((n, hit));
            }
        }
        for &(n, i) in self.literal.get(role_arn).into_iter().flatten() {
            let Some(&(doc, si, stmt)) = self.stmts.get(n) else {
                continue;
            };
            let named =
                resource_names(role_arn, doc.origin.file(), role_arn, role_account).then_some(i);
            hits.push((
                n,
                Hit {
                    doc,
                    si,
                    stmt,
                    named,
                    literal: true,
                },
            ));
        }
        hits.sort_unstable_by_key(|&(n, _)| n);
        decide(
            hits.into_iter().map(|(_, hit)| hit),
            self.complete,
            self.maybe_allowed,
        )
    }
}

/// Whether a Resource pattern of a policy in `file` covers a role's ARN. A template's
/// `${AWS::AccountId}` stands for the template's own account only.
fn resource_names(pattern: &str, file: FileId, role_arn: &str, role_account: &Account) -> bool {
    if matches_resource(pattern, role_arn) {
        return match role_account {
            // A literal `${AWS::AccountId}` pattern only names roles of its own template.
            Account::Template(f) => *f == file || has_wildcard(pattern),
            _ => true,
        };
    }
    false
}
