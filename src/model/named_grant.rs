//! Grants a file makes to an entity it names but does not define: a Terraform plan that
//! manages `aws_iam_user_policy` or `aws_iam_role_policy_attachment` for a user or role
//! created elsewhere (by hand, or by another stack). IAM takes only a name there
//! (`PutUserPolicy`'s `UserName`), and the entity lives in the account the file deploys
//! to, so the merge gives the grant to the entity of that kind, account and name that
//! another file describes, or, when none does, adds the entity: its policies are real,
//! and leaving them unowned would hide every assume-role grant they make.
//!
//! An added entity's path is not known: the loader builds its ARN with the path `/`, the
//! path of almost every user and role, and the entity's `path` is left empty, which says
//! so. A trust that does not name that ARN may still name the entity under its real path,
//! so the graph never calls such a caller untrusted (see `graph::Node::arn_exact`).

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use super::inventory::{Account, Group, Inventory, Role, User};
use super::location::Location;
use super::policy::PolicyDocument;

/// The kind of entity a grant names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Role,
    User,
    Group,
}

/// Policies for an entity known only by name, in a known account.
#[derive(Clone, Debug)]
pub struct NamedGrant {
    pub kind: EntityKind,
    pub account: Account,
    pub name: String,
    /// The ARN to give the entity if no file defines it (path `/`).
    pub arn: String,
    /// Inline policies.
    pub policies: Vec<Arc<PolicyDocument>>,
    /// Managed policy ARNs.
    pub attached: Vec<String>,
    /// The resource that makes the grant.
    pub at: Location,
}

/// Gives each grant to its entity, adding the entities no file defines. Returns whether
/// roles were added (their ARN index must then be rebuilt).
pub(super) fn apply(inv: &mut Inventory, grants: Vec<NamedGrant>) -> bool {
    if grants.is_empty() {
        return false;
    }
    let mut found: HashMap<(EntityKind, Account, String), usize> = HashMap::new();
    let keys = inv
        .roles
        .iter()
        .map(|r| (EntityKind::Role, &r.account, &r.name))
        .enumerate()
        .chain(
            (inv.users.iter().enumerate())
                .map(|(i, u)| (i, (EntityKind::User, &u.account, &u.name))),
        )
        .chain(
            (inv.groups.iter().enumerate())
                .map(|(i, g)| (i, (EntityKind::Group, &g.account, &g.name))),
        );
    for (i, (kind, account, name)) in keys {
        found
            .entry((kind, account.clone(), name.clone()))
            .or_insert(i);
    }
    let mut roles_added = false;
    for g in grants {
        let key = (g.kind, g.account.clone(), g.name.clone());
        let (policies, attached, defined_at) = match (g.kind, found.get(&key).copied()) {
            (EntityKind::Role, Some(i)) => match inv.roles.get_mut(i) {
                Some(r) => (&mut r.policies, &mut r.attached, &mut r.defined_at),
                None => continue,
            },
            (EntityKind::User, Some(i)) => match inv.users.get_mut(i) {
                Some(u) => (&mut u.policies, &mut u.attached, &mut u.defined_at),
                None => continue,
            },
            (EntityKind::Group, Some(i)) => match inv.groups.get_mut(i) {
                Some(x) => (&mut x.policies, &mut x.attached, &mut x.defined_at),
                None => continue,
            },
            (kind, None) => {
                found.insert(key, add_entity(inv, kind, &g));
                roles_added |= kind == EntityKind::Role;
                continue;
            }
        };
        policies.extend(g.policies);
        for a in g.attached {
            if !attached.contains(&a) {
                attached.push(a);
            }
        }
        if !defined_at.contains(&g.at) {
            defined_at.push(g.at);
        }
    }
    roles_added
}

/// Adds the entity a grant names; returns its index in its list.
fn add_entity(inv: &mut Inventory, kind: EntityKind, g: &NamedGrant) -> usize {
    let (arn, account, name) = (g.arn.clone(), g.account.clone(), g.name.clone());
    let (policies, attached, defined_at) =
        (g.policies.clone(), g.attached.clone(), vec![g.at.clone()]);
    match kind {
        EntityKind::Role => {
            inv.roles.push(Role {
                arn,
                account,
                name,
                path: String::new(),
                // Not known: the role's trust is wherever the role is made.
                trust: None,
                policies,
                attached,
                max_session_duration: None,
                defined_at,
            });
            inv.roles.len() - 1
        }
        EntityKind::User => {
            inv.users.push(User {
                arn,
                account,
                name,
                path: String::new(),
                policies,
                attached,
                groups: Vec::new(),
                console: None,
                defined_at,
            });
            inv.users.len() - 1
        }
        EntityKind::Group => {
            inv.groups.push(Group {
                arn,
                account,
                name,
                policies,
                attached,
                defined_at,
            });
            inv.groups.len() - 1
        }
    }
}
