//! How each side of an edge is judged: the caller's identity policies, the role's trust
//! policy, and the verdict of both (IAM-SEMANTICS §1). Wherever the answer depends on
//! something iamlint cannot see or evaluate, the side is `Unknown` or the verdict
//! `Uncertain`: the graph never claims more than it knows.

use std::sync::Arc;

use super::{
    IdentityDocs, IdentitySide, Place, PlaceKind, Requirements, TrustSide, Verdict, ASSUME_ROLE,
};
use crate::model::arn::{is_account_id, is_wild_or_placeholder, ArnRef};
use crate::model::inventory::Account;
use crate::model::location::FileId;
use crate::model::policy::{Effect, PolicyDocument, PrincipalKind, Statement};
use crate::model::shared_str::SharedStr;

/// How a CloudFormation template spells its own account when no account is known for it
/// (the loaders keep it literally; see `sources::cloudformation::TEMPLATE_ACCOUNT`).
pub(super) const TEMPLATE_ACCOUNT: &str = "${AWS::AccountId}";

/// The account a principal value of a policy in `file` names, if it names one:
/// `123456789012`, `arn:aws:iam::123456789012:root`, or the template's own account.
pub fn account_of_value(value: &str, file: FileId) -> Option<Account> {
    if is_account_id(value) {
        return Some(Account::Known(SharedStr::new(value)));
    }
    let arn = ArnRef::parse(value).ok()?;
    account_of_arn_part(arn.account, file)
}

fn account_of_arn_part(account: &str, file: FileId) -> Option<Account> {
    if is_account_id(account) {
        Some(Account::Known(SharedStr::new(account)))
    } else if account == TEMPLATE_ACCOUNT {
        Some(Account::Template(file))
    } else {
        None
    }
}

/// Whether two accounts are known to be the same (`Some(true)`), known to differ
/// (`Some(false)`), or cannot be told apart.
pub fn same_account(a: &Account, b: &Account) -> Option<bool> {
    match (a, b) {
        (Account::Known(x), Account::Known(y)) => Some(x == y),
        (Account::Template(x), Account::Template(y)) if x == y => Some(true),
        _ => None,
    }
}

/// Whether the text of a resource or principal ARN in `file` can stand for `arn` of an
/// entity in `account`: the literal, or the template's `${AWS::AccountId}` spelling.
fn names_entity_arn(pattern: &str, file: FileId, arn: &str, account: &Account) -> bool {
    pattern == arn
        && match account {
            // `${AWS::AccountId}` spelt in another template is another account.
            Account::Template(f) => *f == file,
            _ => true,
        }
}

/// Whether a principal ARN of a trust in `file` names the caller's entity (same resource
/// part) in an account that cannot be compared with the caller's.
fn same_entity_other_account(
    value: &str,
    caller: Option<&ArnRef>,
    account: &Account,
    file: FileId,
) -> bool {
    let (Ok(v), Some(c)) = (ArnRef::parse(value), caller) else {
        return false;
    };
    if v.resource != c.resource || v.service != c.service {
        return false;
    }
    match account_of_arn_part(v.account, file) {
        Some(a) => same_account(&a, account).is_none(),
        None => true,
    }
}

/// Condition keys whose presence on an Allow makes iamlint unable to say whether a given
/// caller is admitted (beyond the requirements it models).
fn is_modelled_requirement(key: &str) -> bool {
    [
        "sts:externalid",
        "aws:multifactorauthpresent",
        "aws:multifactorauthage",
        "sts:rolesessionname",
        "sts:sourceidentity",
        "aws:securetransport",
    ]
    .iter()
    .any(|k| key.eq_ignore_ascii_case(k))
}

/// Whether the account a principal value of a trust in `file` names (`123456789012`,
/// `arn:aws:iam::123456789012:root`, the template's own) is `account`, as
/// [`same_account`] tells; `None` when the value names no account. Allocates nothing:
/// this runs for every value of every trust of every pair.
fn value_names_same_account(value: &str, file: FileId, account: &Account) -> Option<Option<bool>> {
    let part = if is_account_id(value) || value == TEMPLATE_ACCOUNT {
        value
    } else {
        ArnRef::parse(value).ok()?.account
    };
    if is_account_id(part) {
        Some(match account {
            Account::Known(id) => Some(id == part),
            _ => None,
        })
    } else if part == TEMPLATE_ACCOUNT {
        Some(match account {
            Account::Template(f) if *f == file => Some(true),
            _ => None,
        })
    } else if part.contains("${") {
        // A template parameter or another placeholder: some account, not known which.
        Some(None)
    } else {
        None
    }
}

/// What a trust statement requires of the caller.
pub fn requirements_of(stmt: &Statement) -> Requirements {
    let mut req = Requirements::default();
    for c in &stmt.conditions {
        match c.key.to_ascii_lowercase().as_str() {
            "sts:externalid" => {
                // `Null: {sts:ExternalId: false}` only requires presence.
                let values = if c.operator.starts_with("Null") {
                    Vec::new()
                } else {
                    c.values.to_vec()
                };
                req.external_id.get_or_insert_with(Vec::new).extend(values);
            }
            "aws:multifactorauthpresent"
                if c.operator.starts_with("Bool")
                    && c.values.iter().any(|v| v.eq_ignore_ascii_case("true")) =>
            {
                req.mfa = true;
            }
            "aws:multifactorauthage" => req.mfa = true,
            "sts:rolesessionname" => req.role_session_name = true,
            "sts:sourceidentity" => req.source_identity = true,
            _ => {}
        }
    }
    req
}

/// How strongly a trust statement admits the caller: naming its account (which then needs
/// an identity-side grant) or naming the caller itself (enough on its own in its account).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    None,
    Account,
    Principal,
}

impl Strength {
    fn of(side: &TrustSide) -> Strength {
        match side {
            TrustSide::NamesPrincipal { .. } => Strength::Principal,
            TrustSide::NamesAccount { .. } => Strength::Account,
            _ => Strength::None,
        }
    }
}

/// How one principal value of a trust statement matches the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValueMatch {
    No,
    /// `"*"`: every principal of every account. What it does without an identity-side
    /// grant in the role's own account is not documented, so it never decides an edge.
    Everyone,
    /// The caller's account, by id or `:root`.
    Account,
    /// The caller's own ARN.
    Principal,
    /// A value iamlint cannot compare with the caller: an account it cannot resolve
    /// (`${AWS::AccountId}` of another template, a template parameter), the caller's
    /// entity in such an account, one session of the caller's role.
    Maybe,
}

/// Whether IAM would refuse this document as a role trust policy (what IAM303 reports):
/// `NotPrincipal`, `Resource`/`NotResource`, a bare `"Principal": "*"`. The role's real
/// trust is then not this document, and no edge through it is decided.
pub fn is_rejected_trust(trust: &PolicyDocument) -> bool {
    trust
        .statements
        .iter()
        .any(|s| s.resource.is_some() || s.principal.as_ref().is_some_and(|p| p.negated || p.star))
}

/// Whether a trust policy may admit callers it does not name: an Allow of `sts:AssumeRole`
/// to `"AWS": "*"`, to a principal a template left unresolved, or a trust IAM would refuse.
/// The graph gives such a role an (uncertain) edge from every principal that could use it.
pub fn may_admit_unnamed(trust: &PolicyDocument) -> bool {
    is_rejected_trust(trust)
        || trust.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && (s.covers_action(ASSUME_ROLE)
                    || trust.has_unresolved_in(s, "Action")
                    || trust.has_unresolved_in(s, "NotAction"))
                && s.principal
                    .as_ref()
                    .is_some_and(|p| p.is_everyone() || trust.has_unresolved_in(s, p.key()))
        })
}

/// How a principal value of the trust in `file` matches the caller `arn` in `account`.
fn match_value(
    value: &str,
    file: FileId,
    arn: &str,
    account: &Account,
    caller: Option<&ArnRef>,
    session_of: Option<&str>,
) -> ValueMatch {
    if value == "*" {
        return ValueMatch::Everyone;
    }
    if names_entity_arn(value, file, arn, account) {
        return ValueMatch::Principal;
    }
    // One session of the caller's role (`assumed-role/NAME/SESSION`): the caller is that
    // session only if it picked that session name, which iamlint cannot know.
    let names_session = session_of.is_some_and(|name| {
        value.contains("assumed-role/")
            && ArnRef::parse(value).is_ok_and(|v| {
                v.service == "sts"
                    && v.resource
                        .strip_prefix("assumed-role/")
                        .and_then(|r| r.strip_prefix(name))
                        .is_some_and(|r| r.starts_with('/'))
                    && account_of_arn_part(v.account, file)
                        .is_none_or(|a| same_account(&a, account) != Some(false))
            })
    });
    if names_session {
        return ValueMatch::Maybe;
    }
    let is_account_value =
        is_account_id(value) || value == TEMPLATE_ACCOUNT || value.ends_with(":root");
    if is_account_value {
        return match value_names_same_account(value, file, account) {
            Some(Some(true)) => ValueMatch::Account,
            Some(Some(false)) => ValueMatch::No,
            // An account iamlint cannot compare with the caller's: it may be the one.
            Some(None) => ValueMatch::Maybe,
            None => ValueMatch::No,
        };
    }
    // The caller's ARN, in an account iamlint cannot compare with the caller's.
    if same_entity_other_account(value, caller, account, file) {
        return ValueMatch::Maybe;
    }
    ValueMatch::No
}

/// The trust side for a caller with `arn` in `account` (a role session is named by its
/// role ARN, or by `arn:aws:sts::ACCT:assumed-role/NAME/...`).
///
/// Each statement that covers `sts:AssumeRole` either surely applies to the caller, may
/// apply (a condition iamlint does not evaluate, a value it cannot compare, `"AWS": "*"`),
/// or does not. A Deny that surely applies decides the side; otherwise the strongest Allow
/// that surely applies does, unless a statement that only may apply could change the
/// verdict: an Allow stronger than it, or a Deny beside any Allow. Then the side is
/// `Unknown`, and so is the edge.
pub fn trust_side(
    trust: Option<&Arc<PolicyDocument>>,
    arn: &str,
    account: &Account,
) -> (TrustSide, Requirements) {
    let Some(trust) = trust else {
        return (TrustSide::Unknown, Requirements::default());
    };
    if is_rejected_trust(trust) {
        return (TrustSide::Unknown, Requirements::default());
    }
    let file = trust.origin.file();
    // Worked out once: this runs for every pair of the graph.
    let caller = ArnRef::parse(arn).ok();
    // A role caller may be named by a session of it: `assumed-role/NAME/...`.
    let session_of = caller.and_then(|a| a.role_path_and_name()).map(|(_, n)| n);
    let mut best = TrustSide::NotTrusted;
    let mut requires = Requirements::default();
    // The strongest Allow that may apply, and whether a Deny may apply.
    let mut maybe_allow = Strength::None;
    let mut maybe_deny = false;
    let unresolved = !trust.unresolved.is_empty();
    // A whole statement (or the list of them) not known statically may admit anyone.
    if unresolved && trust.has_unknown_statements() {
        return (TrustSide::Unknown, Requirements::default());
    }
    for (si, stmt) in trust.statements.iter().enumerate() {
        let Some(principal) = &stmt.principal else {
            continue;
        };
        // A statement for other actions only (`sts:TagSession`) says nothing about
        // AssumeRole; one whose actions a template left unresolved may.
        let action_unknown = unresolved
            && (trust.has_unresolved(&stmt.path().key("Action"))
                || trust.has_unresolved(&stmt.path().key("NotAction")));
        if !stmt.covers_action(ASSUME_ROLE) && !action_unknown {
            continue;
        }
        let condition_unresolved =
            unresolved && trust.has_unresolved(&stmt.path().key("Condition"));
        let conditions_unknown = condition_unresolved
            || stmt
                .conditions
                .iter()
                .any(|c| !is_modelled_requirement(&c.key));
        // The strongest match of the statement's AWS values, and where it is; and whether
        // some value may admit the caller without surely naming it (`"*"` beside an
        // account is not forgotten for the account).
        let mut found = (ValueMatch::No, 0usize, 0usize);
        let mut vague = false;
        let rank = |m: ValueMatch| match m {
            ValueMatch::No => 0,
            ValueMatch::Maybe => 1,
            ValueMatch::Everyone => 2,
            ValueMatch::Account => 3,
            ValueMatch::Principal => 4,
        };
        for (entry, e) in principal.entries.iter().enumerate() {
            if e.kind != PrincipalKind::Aws {
                continue;
            }
            for (i, value) in e.values.iter().enumerate() {
                let m = match_value(value, file, arn, account, caller.as_ref(), session_of);
                vague |= matches!(m, ValueMatch::Everyone | ValueMatch::Maybe);
                if rank(m) > rank(found.0) {
                    found = (m, entry, i);
                }
            }
        }
        if unresolved && trust.has_unresolved(&stmt.path().key(principal.key())) {
            vague = true;
            if found.0 == ValueMatch::No {
                found.0 = ValueMatch::Maybe;
            }
        }
        let (m, entry, item) = found;
        let at = || {
            let what = PlaceKind::Principal {
                entry: u32::try_from(entry).unwrap_or(u32::MAX),
                item: u32::try_from(item).unwrap_or(u32::MAX),
            };
            Place::new(trust, si, what)
        };
        match (stmt.effect, m) {
            (_, ValueMatch::No) => {}
            // An `Effect` that is neither `Allow` nor `Deny` (`allow`): what IAM makes of
            // it is not known (see `identity::decide`), so it may admit or refuse.
            (Effect::Invalid, _) => {
                maybe_allow = Strength::Principal;
                maybe_deny = true;
            }
            // A Deny applies to every principal it names: the caller, its account, or
            // everyone. Its conditions are not evaluated: a conditional Deny may apply.
            (Effect::Deny, ValueMatch::Maybe) => maybe_deny = true,
            (Effect::Deny, _) => {
                if stmt.conditions.is_empty() && !condition_unresolved && !action_unknown {
                    return (TrustSide::Denied { at: at() }, Requirements::default());
                }
                maybe_deny = true;
            }
            // `"AWS": "*"`, or a value that may be the caller itself.
            (Effect::Allow, ValueMatch::Everyone | ValueMatch::Maybe) => {
                maybe_allow = Strength::Principal;
            }
            (Effect::Allow, ValueMatch::Account | ValueMatch::Principal) => {
                if vague {
                    maybe_allow = Strength::Principal;
                }
                let strength = if m == ValueMatch::Principal {
                    Strength::Principal
                } else {
                    Strength::Account
                };
                if conditions_unknown || action_unknown {
                    maybe_allow = maybe_allow.max(strength);
                } else if strength > Strength::of(&best) {
                    best = if strength == Strength::Principal {
                        TrustSide::NamesPrincipal { at: at() }
                    } else {
                        TrustSide::NamesAccount { at: at() }
                    };
                    requires = requirements_of(stmt);
                }
            }
        }
    }
    let decided = Strength::of(&best);
    if maybe_allow > decided || (maybe_deny && decided > Strength::None) {
        return (TrustSide::Unknown, Requirements::default());
    }
    (best, requires)
}

/// Combines both sides (IAM-SEMANTICS §1).
pub fn verdict(identity: &IdentitySide, trust: &TrustSide, same: Option<bool>) -> Verdict {
    match (identity, trust) {
        (IdentitySide::Denied { .. }, _) | (_, TrustSide::Denied { .. }) => Verdict::Denied,
        (_, TrustSide::Unknown) => Verdict::Uncertain,
        // The trust does not admit P: no identity policy changes that.
        (IdentitySide::MaybeDenied { .. }, TrustSide::NotTrusted) => Verdict::MissingTrust,
        // The trust may be enough on its own (same account), and then whether the Deny
        // applies decides; iamlint does not evaluate its condition.
        (IdentitySide::MaybeDenied { .. }, _) => Verdict::Uncertain,
        (
            IdentitySide::Allowed { conditional, .. },
            TrustSide::NamesPrincipal { .. } | TrustSide::NamesAccount { .. },
        ) => {
            if *conditional {
                Verdict::Uncertain
            } else {
                Verdict::Holds
            }
        }
        // Same account and the trust names the caller itself: the trust alone is enough.
        (_, TrustSide::NamesPrincipal { .. }) if same == Some(true) => Verdict::Holds,
        (IdentitySide::Unknown, _) => Verdict::Uncertain,
        (IdentitySide::NotAllowed, TrustSide::NamesPrincipal { .. }) if same.is_none() => {
            Verdict::Uncertain
        }
        (
            IdentitySide::NotAllowed,
            TrustSide::NamesPrincipal { .. } | TrustSide::NamesAccount { .. },
        ) => Verdict::MissingPermission,
        // The trust surely admits nobody like P for `sts:AssumeRole` (it may name P for
        // another action only): the switch fails whatever P's policies say.
        (IdentitySide::Allowed { .. } | IdentitySide::NotAllowed, TrustSide::NotTrusted) => {
            Verdict::MissingTrust
        }
    }
}

/// Whether a principal's identity side for every role it has no edge to is `NotAllowed`:
/// its policies are all known, and every statement that may be about `sts:AssumeRole` is
/// an `Allow` with nothing unresolved (which the graph followed to every role it names).
pub fn is_plain(ids: &IdentityDocs) -> bool {
    ids.complete && allows_known(ids)
}

/// Whether every statement of the documents that may be about `sts:AssumeRole` is an
/// `Allow` with nothing unresolved (whether or not every document is known).
pub(super) fn allows_known(ids: &IdentityDocs) -> bool {
    assume_role_statements_known(ids, |_| false)
}

/// A `Deny` under a condition on `Resource: "*"`: it may apply to every role alike, so
/// beside it an `Allow` makes the side towards each role `Allowed` under a condition
/// (`identity::decide`), the same towards all of them.
pub(super) fn is_conditional_deny_of_all(stmt: &Statement) -> bool {
    stmt.effect == Effect::Deny && !stmt.conditions.is_empty() && names_every_resource(stmt)
}

/// An unconditional `Deny` on `Resource: "*"`: where it covers `sts:AssumeRole`, its
/// holder's side towards every role is `Denied` (`identity::decide` stops at the first
/// such statement whatever comes before or after it).
pub(super) fn is_deny_of_all(stmt: &Statement) -> bool {
    stmt.effect == Effect::Deny && stmt.conditions.is_empty() && names_every_resource(stmt)
}

/// Whether a statement's `Resource` (not `NotResource`) holds `"*"`.
fn names_every_resource(stmt: &Statement) -> bool {
    stmt.resource
        .as_ref()
        .is_some_and(|r| !r.negated && r.values.iter().any(|v| v.as_str() == "*"))
}

/// Whether a statement's `Resource` can name no role: each value an ARN of another
/// service, spelt out to its service (`arn:aws:s3:::logs/*`: no wildcard or placeholder
/// before it), which a role's ARN (`arn:…:iam::…`) never matches. A `Deny` of `NotAction` on a bucket covers
/// `sts:AssumeRole` by its action, and no role by its resource.
pub(super) fn names_no_role(stmt: &Statement) -> bool {
    stmt.resource.as_ref().is_some_and(|r| {
        !r.negated
            && !r.values.is_empty()
            && r.values.iter().all(|v| {
                ArnRef::parse(v).is_ok_and(|arn| {
                    !is_wild_or_placeholder(arn.partition)
                        && !is_wild_or_placeholder(arn.service)
                        && arn.service != "iam"
                })
            })
    })
}

/// Whether every statement of the documents that may be about `sts:AssumeRole` has
/// nothing unresolved and is an `Allow` or a `Deny` that `deny_ok` accepts.
pub(super) fn assume_role_statements_known(
    ids: &IdentityDocs,
    deny_ok: impl Fn(&Statement) -> bool,
) -> bool {
    ids.docs.iter().all(|doc| {
        let unresolved = !doc.unresolved.is_empty();
        !(unresolved && doc.has_unknown_statements())
            && doc.statements.iter().all(|stmt| {
                let part_unknown =
                    |key: &str| unresolved && doc.has_unresolved(&stmt.path().key(key));
                let action_unknown = part_unknown("Action") || part_unknown("NotAction");
                if !stmt.covers_action(ASSUME_ROLE) && !action_unknown {
                    return true;
                }
                (stmt.effect == Effect::Allow || (stmt.effect == Effect::Deny && deny_ok(stmt)))
                    && !action_unknown
                    && !part_unknown("Effect")
                    && !part_unknown("Resource")
                    && !part_unknown("NotResource")
                    && !(stmt.effect == Effect::Deny && part_unknown("Condition"))
            })
    })
}

/// Whether a trust judges every principal of a known account it does not name by ARN
/// alike: each `AWS` value is `"*"`, an account (id, `:root`, a template's own), text that
/// is no ARN, or an ARN of a literal account; none names a role session
/// (`assumed-role/…`, which depends on the caller's role name), and none is an ARN in an
/// account iamlint cannot compare (which may be the caller under another account).
pub fn is_uniform_trust(trust: &PolicyDocument) -> bool {
    aws_values(trust).all(|v| {
        !v.contains("assumed-role/")
            && (v == "*"
                || is_account_id(v)
                || v.ends_with(":root")
                || match ArnRef::parse(v) {
                    Ok(a) => is_account_id(a.account),
                    Err(_) => !v.contains("${"),
                })
    })
}

/// Every `AWS` principal value of a trust's statements, in order.
pub(super) fn aws_values(trust: &PolicyDocument) -> impl Iterator<Item = &SharedStr> {
    trust
        .statements
        .iter()
        .filter_map(|s| s.principal.as_ref())
        .flat_map(|p| p.entries.iter())
        .filter(|e| e.kind == PrincipalKind::Aws)
        .flat_map(|e| e.values.iter())
}

#[cfg(test)]
mod tests {
    use super::names_no_role;
    use crate::model::location::DocOrigin;
    use crate::model::path::JsonPath;
    use crate::model::policy::{PolicyDocument, PolicyKind};

    #[test]
    fn only_a_resource_of_another_service_spelt_out_names_no_role() {
        let names_none = |resource: serde_json::Value| {
            let doc = PolicyDocument::from_value(
                &serde_json::json!({"Statement": [{"Effect": "Deny", "NotAction": "s3:GetObject",
                    "Resource": resource}]}),
                DocOrigin::Json {
                    file: 0,
                    base: JsonPath::root(),
                },
                PolicyKind::Identity,
                "test".into(),
            );
            names_no_role(&doc.statements[0])
        };
        for none in [
            serde_json::json!("arn:aws:s3:::logs/*"),
            serde_json::json!(["arn:aws:s3:::logs", "arn:aws:dynamodb:*:*:table/t"]),
        ] {
            assert!(names_none(none.clone()), "{none}");
        }
        for some in [
            serde_json::json!("*"),
            serde_json::json!("arn:aws:iam::111122223333:role/x"),
            serde_json::json!("arn:aws:*:*:*:*"),
            serde_json::json!("arn:*:iam::*:role/*"),
            serde_json::json!(["arn:aws:s3:::logs", "arn:aws:iam::*:role/*"]),
            serde_json::json!("logs-bucket"),
            // A placeholder holds colons, and may be any partition or service.
            serde_json::json!("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x"),
            serde_json::json!("arn:aws:${Service}:::x"),
        ] {
            assert!(!names_none(some.clone()), "{some}");
        }
    }
}
