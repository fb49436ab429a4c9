//! Who can assume whom. Nodes are the users and roles of the inventory; an edge P → R is
//! every pair where either side says something about P assuming R (P's identity policies
//! grant `sts:AssumeRole` on R, or R's trust names P or P's account), with the verdict of
//! both sides, what the trust requires (ExternalId, MFA, session name) and where each
//! side says so. The rules of IAM-SEMANTICS §1 decide whether an edge holds; wherever an
//! answer depends on something iamlint cannot see (a managed policy not in the inventory,
//! a condition it cannot evaluate, an unknown account) the verdict is `Uncertain`, and
//! rules stay silent on uncertain edges.
//!
//! Built once, in time linear in policies plus roles: roles are indexed by ARN (hashed
//! and sorted), so literal grants and trusts are hash look-ups and a wildcard pattern scans
//! only the roles whose ARN starts with its literal prefix. Most pairs are not listed in
//! [`Graph::edges`] but implied (`implied`: a simple holder's grant whose verdict is its
//! role's for the holder's account, or its own; a wide pattern's holders and roles as one
//! group), so an organisation whose humans each hold `arn:aws:iam::*:role/...` costs its
//! humans plus its roles, not their product. [`Graph::verdict_between`],
//! [`Graph::edge_between`] and the chain search answer for both.

use std::collections::BTreeMap;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use crate::config::Config;
use crate::model::inventory::{Account, Inventory, SourceFormat};
use crate::model::location::Location;
use crate::model::matching::matches_resource;
use crate::model::policy::{Effect, PolicyDocument, PrincipalKind};
use crate::model::shared_str::SharedStr;

mod entry;
mod evaluate;
mod identity;
mod implied;
mod pairs;
mod render;

pub use entry::{entry_points, EntryPoint};
pub use evaluate::{
    account_of_value, is_plain, is_rejected_trust, is_uniform_trust, may_admit_unnamed,
    requirements_of, same_account, trust_side, verdict,
};
pub use identity::identity_side;
use identity::PreparedIdentity;
use implied::{may_judge_by_account, may_judge_templates, Implied};
pub use implied::{HolderSide, LightEdge, WideGroup};
use pairs::Pairs;
pub use render::verdict_name;

/// The action every edge is about.
pub use crate::model::policy::ASSUME_ROLE;

/// Index of a node in [`Graph::nodes`].
pub type NodeIx = usize;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// Index into `Inventory::users`.
    User(usize),
    /// Index into `Inventory::roles`.
    Role(usize),
}

fn hash_arn(arn: &str) -> u64 {
    use std::hash::BuildHasher;
    // A fixed seed: the index is rebuilt every run and never leaves the process, and ARNs
    // made to collide only cost a binary search each (see `nodes_with_arn`).
    foldhash::fast::FixedState::with_seed(0).hash_one(arn)
}

/// Whether a principal is someone who signs in to the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Console {
    No,
    /// An IAM user with no evidence either way (IAM-SEMANTICS §5: warn, do not error).
    Maybe,
    /// A user with a login profile, a SAML-federated role, an Identity Center role.
    Yes,
}

/// A user or role.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub arn: String,
    pub account: Account,
    pub console: Console,
    /// Short name for messages: `user/alice`, `role/deploy`.
    pub label: String,
    /// Whether `arn` is the entity's real ARN: not so for a user or role only named by a
    /// grant, whose path is not known ([`crate::model::named_grant`]); a trust that does
    /// not name that ARN may still name the entity under its real path.
    pub arn_exact: bool,
}

/// Where one side of an edge says so: a `Resource` element or item, or a principal value,
/// of one statement. Kept as indices into the document and made a [`Location`] only when a
/// finding reports it: the graph has an edge for every pair, and few are ever reported.
#[derive(Clone, Debug)]
pub struct Place {
    doc: Arc<PolicyDocument>,
    stmt: u32,
    what: PlaceKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PlaceKind {
    /// The `Resource`/`NotResource` element as a whole.
    Resource,
    /// One item of it.
    ResourceItem(u32),
    /// One value of the principal's entry.
    Principal { entry: u32, item: u32 },
}

impl PartialEq for Place {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.doc, &other.doc) && self.stmt == other.stmt && self.what == other.what
    }
}

impl Eq for Place {}

impl Place {
    fn new(doc: &Arc<PolicyDocument>, stmt: usize, what: PlaceKind) -> Place {
        Place {
            doc: Arc::clone(doc),
            stmt: u32::try_from(stmt).unwrap_or(u32::MAX),
            what,
        }
    }

    /// Where it is.
    pub fn location(&self) -> Location {
        let doc = &self.doc;
        let Some(stmt) = doc.statements.get(self.stmt as usize) else {
            return doc.origin.whole();
        };
        let path = match (self.what, &stmt.resource, &stmt.principal) {
            (PlaceKind::Resource, Some(res), _) => res.path(&stmt.path()),
            (PlaceKind::ResourceItem(i), Some(res), _) => res.item_path(&stmt.path(), i as usize),
            (PlaceKind::Principal { entry, item }, _, Some(principal)) => {
                match principal.entries.get(entry as usize) {
                    Some(e) => {
                        let entry_path = stmt.path().key(principal.key()).key(&e.key);
                        if e.is_list {
                            entry_path.index(item as usize)
                        } else {
                            entry_path
                        }
                    }
                    None => stmt.path(),
                }
            }
            _ => stmt.path(),
        };
        doc.loc(&path)
    }
}

/// What the identity side says about P assuming R.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentitySide {
    /// An Allow covers it (with the statements' Resource locations). `literal` when a
    /// Resource names the role's ARN exactly (not through a wildcard); `conditional` when
    /// a condition (on the Allow, or on a Deny that may apply) makes it uncertain.
    Allowed {
        at: Vec<Place>,
        conditional: bool,
        literal: bool,
    },
    /// An explicit, unconditional Deny covers it.
    Denied { at: Place },
    /// Nothing allows it, and a Deny under a condition iamlint does not evaluate covers
    /// it: the switch works only if the trust alone is enough and the Deny does not apply.
    MaybeDenied { at: Place },
    /// Nothing allows it, and every policy of P is known.
    NotAllowed,
    /// Nothing known allows it, but some attached policy is not in the inventory.
    Unknown,
}

/// What the trust side says about P assuming R.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustSide {
    /// The trust names P's own ARN: enough on its own in P's account.
    NamesPrincipal { at: Place },
    /// The trust names P's account: the account delegates to P's identity policies.
    NamesAccount { at: Place },
    /// An explicit Deny in the trust covers P.
    Denied { at: Place },
    /// The trust admits nobody like P.
    NotTrusted,
    /// The trust has no known content (not in the inventory), or admits P only under a
    /// condition iamlint cannot evaluate (`"AWS": "*"` with `aws:PrincipalOrgID`, …).
    Unknown,
}

/// The verdict of an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Holds,
    /// The trust admits P but P's identity policies do not allow it.
    MissingPermission,
    /// P's identity policies allow it but the trust does not admit P.
    MissingTrust,
    /// An explicit Deny on one side.
    Denied,
    Uncertain,
}

/// What an edge's trust statement requires of the caller (IAM-SEMANTICS §6).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requirements {
    /// `sts:ExternalId` values (empty when only its presence is required).
    pub external_id: Option<Vec<SharedStr>>,
    pub mfa: bool,
    pub role_session_name: bool,
    pub source_identity: bool,
}

impl Requirements {
    pub fn is_empty(&self) -> bool {
        self == &Requirements::default()
    }
}

/// P → R.
#[derive(Clone, Debug)]
pub struct Edge {
    pub from: NodeIx,
    pub to: NodeIx,
    pub identity: IdentitySide,
    pub trust: TrustSide,
    pub verdict: Verdict,
    pub requires: Requirements,
}

/// The who-can-assume-whom graph.
#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Edges leaving each node.
    pub out: Vec<Vec<usize>>,
    /// Every node, sorted by ARN (then index).
    by_arn: Vec<NodeIx>,
    /// Hash of an ARN -> the run of `by_arn` (start, length) of the nodes with the first
    /// ARN of that hash: ARN look-ups are one hash probe and one comparison, without a map
    /// of copied ARNs (see `nodes_with_arn`).
    arn_hashes: HashMap<u64, (u32, u32)>,
    /// Index of the first role node.
    first_role: usize,
    /// Role nodes whose trust may admit callers it does not name (`"AWS": "*"`, a
    /// principal a template left unresolved, a trust IAM would refuse), sorted. Each has an
    /// implied uncertain edge from every principal of its own account; those edges are not
    /// listed in `edges` (an organisation's `"*"` trusts times its principals would be
    /// millions), and [`Graph::verdict_between`] answers for them.
    open_roles: Vec<NodeIx>,
    /// The implied edges (light edges and wide grants' groups), not listed in `edges`.
    implied: Implied,
}

/// Roles a wildcard pattern's literal prefix may leave to try before the pattern is put
/// aside and matched once for all its holders (see `Graph::pairs`).
const WIDE_PATTERN: usize = 64;

/// A principal and a role.
type Pair = (NodeIx, NodeIx);

/// One pair while the graph is built, with its trust side once worked out.
struct PairWork {
    from: NodeIx,
    to: NodeIx,
    trust: Option<(TrustSide, Requirements)>,
}

/// The trust side of P → R, with what it requires.
fn trust_of_pair(from: &Node, role: &crate::model::inventory::Role) -> (TrustSide, Requirements) {
    let (side, requires) = trust_side(role.trust.as_ref(), &from.arn, &from.account);
    let side = match side {
        // The trust may name the caller under the path iamlint does not know.
        TrustSide::NotTrusted if !from.arn_exact => TrustSide::Unknown,
        side => side,
    };
    (side, requires)
}

/// The identity documents of a principal and whether they are all known.
pub struct IdentityDocs<'a> {
    pub docs: Vec<&'a Arc<PolicyDocument>>,
    pub complete: bool,
}

/// Every identity document of a user (its own and its groups') or role, and whether all
/// of them are in the inventory. A principal that only saved `aws iam get-user` /
/// `get-role` output (and the like) describes has unknown policies: those calls print
/// none of its inline or attached policies, nor a user's groups. So has one only a
/// folder of all roles names (`roles/<Role>.policy.json`): that file is one inline
/// policy, and its managed policies (or a user's groups) are kept elsewhere.
pub fn identity_docs<'a>(inv: &'a Inventory, kind: NodeKind) -> IdentityDocs<'a> {
    let mut docs = Vec::new();
    // Whether every file that defines the entity describes only part of its policies.
    let only_partial_sources = |at: &[Location]| {
        !at.is_empty()
            && at.iter().all(|l| {
                inv.files.get(l.file as usize).is_some_and(|f| {
                    f.format == SourceFormat::IamApiOutput
                        || (f.format == SourceFormat::PolicyJson
                            && crate::sources::manifest::is_flat_layout_file(&f.path))
                })
            })
    };
    let mut complete = match kind {
        NodeKind::User(i) => inv.users.get(i).map(|u| &u.defined_at[..]),
        NodeKind::Role(i) => inv.roles.get(i).map(|r| &r.defined_at[..]),
    }
    .is_none_or(|at| !only_partial_sources(at));
    // Attached managed policies; false when one is not in the inventory.
    let attach = |arns: &[String], docs: &mut Vec<&'a Arc<PolicyDocument>>| -> bool {
        let mut all = true;
        for arn in arns {
            match inv.managed_policy(arn).and_then(|p| p.document.as_ref()) {
                Some(d) => docs.push(d),
                None => all = false,
            }
        }
        all
    };
    match kind {
        NodeKind::User(i) => {
            if let Some(u) = inv.users.get(i) {
                docs.extend(u.policies.iter());
                complete &= attach(&u.attached, &mut docs);
                for gname in &u.groups {
                    let name = gname.rsplit('/').next().unwrap_or(gname);
                    match inv.group(&u.account, name) {
                        Some(g) => {
                            docs.extend(g.policies.iter());
                            complete &= attach(&g.attached, &mut docs);
                        }
                        None => complete = false,
                    }
                }
            }
        }
        NodeKind::Role(i) => {
            if let Some(r) = inv.roles.get(i) {
                docs.extend(r.policies.iter());
                complete &= attach(&r.attached, &mut docs);
            }
        }
    }
    IdentityDocs { docs, complete }
}

/// Whether a role is a console sign-in role: federated through SAML, or an IAM Identity
/// Center permission-set role (IAM-SEMANTICS §5).
pub fn is_console_role(name: &str, path: &str, trust: Option<&Arc<PolicyDocument>>) -> bool {
    if name.starts_with("AWSReservedSSO_") || path.starts_with("/aws-reserved/sso.amazonaws.com/") {
        return true;
    }
    trust.is_some_and(|t| {
        t.statements.iter().any(|s| {
            // The provider first: matching the action is the dearer test, and most trusts
            // name no SAML provider.
            s.effect == Effect::Allow
                && s.principal.as_ref().is_some_and(|p| {
                    p.entries.iter().any(|e| {
                        e.kind == PrincipalKind::Federated
                            && e.values.iter().any(|v| v.contains(":saml-provider/"))
                    })
                })
                && s.covers_action("sts:AssumeRoleWithSAML")
        })
    })
}

impl Graph {
    /// Builds the graph.
    pub fn build(inv: &Inventory, _config: &Config) -> Graph {
        let mut g = Graph::default();
        let mut timings = crate::timings::Timings::start();
        // Nodes are made in parallel (a role's console evidence reads its trust policy),
        // then numbered in inventory order: users first, then roles.
        let users = inv.users.par_iter().enumerate().map(|(i, u)| Node {
            kind: NodeKind::User(i),
            arn: u.arn.clone(),
            account: u.account.clone(),
            console: match u.console {
                Some(true) => Console::Yes,
                Some(false) => Console::No,
                None => Console::Maybe,
            },
            label: format!("user/{}", u.name),
            arn_exact: !u.path.is_empty(),
        });
        // A role's trust is read once here for both its console evidence and whether it
        // judges callers by account (`uniform`, see `implied`): the trusts are scattered
        // over the heap.
        let roles = inv.roles.par_iter().enumerate().map(|(i, r)| {
            let node = Node {
                kind: NodeKind::Role(i),
                arn: r.arn.clone(),
                account: r.account.clone(),
                console: if is_console_role(&r.name, &r.path, r.trust.as_ref()) {
                    Console::Yes
                } else {
                    Console::No
                },
                label: format!("role/{}", r.name),
                arn_exact: !r.path.is_empty(),
            };
            (node, (may_judge_by_account(r), may_judge_templates(r)))
        });
        let (nodes, uniform): (Vec<Node>, Vec<(bool, bool)>) =
            users.map(|u| (u, (false, false))).chain(roles).unzip();
        g.first_role = inv.users.len();
        g.out = vec![Vec::new(); nodes.len()];
        g.nodes = nodes;
        // Sorted by ARN: each comparison reads two ARNs, not two nodes and their ARNs.
        let mut keyed: Vec<(&str, NodeIx)> = g
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.arn.as_str(), i))
            .collect();
        keyed.par_sort_unstable();
        let mut arn_hashes = HashMap::with_capacity(keyed.len());
        let mut pos = 0;
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            if let (Some(&(arn, _)), Ok(start), Ok(len)) =
                (run.first(), u32::try_from(pos), u32::try_from(run.len()))
            {
                arn_hashes.entry(hash_arn(arn)).or_insert((start, len));
            }
            pos += run.len();
        }
        let by_arn: Vec<NodeIx> = keyed.into_iter().map(|(_, n)| n).collect();
        timings.phase("  nodes");
        g.by_arn = by_arn;
        g.arn_hashes = arn_hashes;
        let role_nodes: Vec<NodeIx> = (0..g.nodes.len())
            .filter(|&n| matches!(g.nodes[n].kind, NodeKind::Role(_)))
            .collect();
        // Role nodes sorted by ARN: a pattern can only match ARNs that start with its
        // literal prefix (the text before its first wildcard, compared case-sensitively
        // like every ARN), which is one contiguous run of this list. A pattern of one
        // account (or one template's `${AWS::AccountId}`) so scans that account's roles,
        // not the organisation's.
        let roles_by_arn: Vec<NodeIx> = g
            .by_arn
            .iter()
            .copied()
            .filter(|&n| matches!(g.nodes[n].kind, NodeKind::Role(_)))
            .collect();
        let g_ref = &g;
        // Each principal's identity documents are gathered again where they are needed
        // (here and for the listed pairs below): kept for every principal between the two,
        // they were a vector per principal, for a few pointers each.
        let Pairs {
            listed: pairs,
            light,
            groups,
        } = g.pairs(inv, &uniform, &role_nodes, &roles_by_arn);
        timings.phase("  pairs");
        if crate::timings::enabled() {
            eprintln!(
                "iamlint graph: {} listed pairs, {} light edges, {} groups of {} holders and {} roles",
                pairs.len(),
                light.len(),
                groups.len(),
                groups.iter().map(|g| g.holders.len()).sum::<usize>(),
                groups.iter().map(|g| g.roles.len()).sum::<usize>(),
            );
        }
        // A trust that may admit callers it does not name (`"AWS": "*"`, a principal a
        // template left unresolved, a trust IAM would refuse) may admit every principal of
        // its own account, grant or no grant: such a role is marked, and its edges from
        // them are implied (uncertain) rather than listed. A principal of another account
        // (or of one iamlint cannot compare, such as another template's) needs an
        // identity-side grant, which makes the pair above, as for a trust that names an
        // account.
        let open_roles: Vec<NodeIx> = role_nodes
            .par_iter()
            .copied()
            .filter(|&r| {
                g_ref
                    .role(inv, r)
                    .and_then(|role| role.trust.as_deref())
                    .is_some_and(may_admit_unnamed)
            })
            .collect();
        // Both sides of every listed pair, in parallel: the bulk of the work. Trust sides are
        // worked out in role order, so the pairs of one role read its trust policy while it
        // is in cache (the heap is far larger than the cache); identity sides in principal
        // order, for the same reason with the principal's documents.
        let mut work: Vec<PairWork> = pairs
            .iter()
            .map(|&(p, r)| PairWork {
                from: p,
                to: r,
                trust: None,
            })
            .collect();
        let mut role_order: Vec<usize> = (0..work.len()).collect();
        role_order.par_sort_unstable_by_key(|&i| (work[i].to, work[i].from));
        let trusts: Vec<Option<(TrustSide, Requirements)>> = role_order
            .par_iter()
            .map(|&i| {
                let (from, role) = (&g_ref.nodes[work[i].from], g_ref.role(inv, work[i].to)?);
                Some(trust_of_pair(from, role))
            })
            .collect();
        for (&i, trust) in role_order.iter().zip(trusts) {
            if let Some(w) = work.get_mut(i) {
                w.trust = trust;
            }
        }
        let edges: Vec<Edge> = work
            .par_chunk_by_mut(|a, b| a.from == b.from)
            .flat_map_iter(|run| {
                let p = run.first().map_or(0, |w| w.from);
                let from = &g_ref.nodes[p];
                let docs = identity_docs(inv, from.kind);
                let docs = PreparedIdentity::new(&docs, run.len());
                run.iter_mut().filter_map(move |w| {
                    let (trust, requires) = w.trust.take()?;
                    let role = g_ref.role(inv, w.to)?;
                    let identity = docs.side(&role.arn, &role.account);
                    let same = same_account(&from.account, &role.account);
                    let verdict = verdict(&identity, &trust, same);
                    Some(Edge {
                        from: p,
                        to: w.to,
                        identity,
                        trust,
                        verdict,
                        requires,
                    })
                })
            })
            .collect();
        timings.phase("  edges");
        // Edges come in pair order (sorted by from, then to): `edge` binary-searches them.
        g.edges = edges;
        for (ix, edge) in g.edges.iter().enumerate() {
            if let Some(out) = g.out.get_mut(edge.from) {
                out.push(ix);
            }
        }
        g.open_roles = open_roles;
        g.open_roles.sort_unstable();
        let g_ref = &g;
        g.implied = Implied::new(
            groups,
            light,
            g_ref.nodes.len(),
            |n| g_ref.nodes.get(n).map(|n| &n.account),
            |r| g_ref.role(inv, r),
            |r| g_ref.out.get(r).is_some_and(|o| !o.is_empty()),
        );
        timings.phase("  implied");
        g
    }

    /// The positions in `roles_by_arn` of the roles whose ARN starts with a pattern's
    /// literal prefix (the text before its first wildcard; ARNs compare case-sensitively):
    /// the only ones it can match.
    fn prefix_range(&self, pattern: &str, roles_by_arn: &[NodeIx]) -> (usize, usize) {
        let prefix = pattern
            .find(['*', '?'])
            .and_then(|i| pattern.get(..i))
            .unwrap_or(pattern);
        let start = roles_by_arn.partition_point(|&r| self.nodes[r].arn.as_str() < prefix);
        let len = roles_by_arn
            .get(start..)
            .unwrap_or_default()
            .partition_point(|&r| self.nodes[r].arn.starts_with(prefix));
        (start, start + len)
    }

    /// The role nodes whose ARN a wildcard pattern matches, in ARN order.
    fn roles_matching(&self, pattern: &str, roles_by_arn: &[NodeIx]) -> Vec<NodeIx> {
        let (start, end) = self.prefix_range(pattern, roles_by_arn);
        roles_by_arn
            .get(start..end)
            .unwrap_or_default()
            .par_iter()
            .copied()
            .filter(|&r| matches_resource(pattern, &self.nodes[r].arn))
            .collect()
    }

    /// The nodes whose ARN is `arn`, in index order (several when template accounts
    /// repeat an ARN).
    fn nodes_with_arn(&self, arn: &str) -> &[NodeIx] {
        // Every node's hash is in the map, so a miss means no node has the ARN. A hit on
        // another ARN (two ARNs with one 64-bit hash) falls back to a binary search.
        let Some(&(start, len)) = self.arn_hashes.get(&hash_arn(arn)) else {
            return &[];
        };
        let (start, len) = (start as usize, len as usize);
        if self
            .by_arn
            .get(start)
            .is_some_and(|&n| self.nodes[n].arn == arn)
        {
            return self.by_arn.get(start..start + len).unwrap_or_default();
        }
        let start = self
            .by_arn
            .partition_point(|&n| self.nodes[n].arn.as_str() < arn);
        let len = self
            .by_arn
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&n| self.nodes[n].arn == arn)
            .count();
        self.by_arn.get(start..start + len).unwrap_or_default()
    }

    /// The node of a role or user ARN (the first, when template accounts repeat it).
    pub fn node_by_arn(&self, arn: &str) -> Option<NodeIx> {
        self.nodes_with_arn(arn).first().copied()
    }

    /// The node of the role at `Inventory::roles[i]`.
    pub fn role_node(&self, i: usize) -> Option<NodeIx> {
        // Users come first, then roles, in inventory order (see `build`).
        let ix = self.first_role + i;
        self.nodes
            .get(ix)
            .filter(|n| n.kind == NodeKind::Role(i))
            .map(|_| ix)
    }

    /// The inventory role behind a node.
    pub fn role<'a>(
        &self,
        inv: &'a Inventory,
        n: NodeIx,
    ) -> Option<&'a crate::model::inventory::Role> {
        match self.nodes.get(n)?.kind {
            NodeKind::Role(i) => inv.roles.get(i),
            NodeKind::User(_) => None,
        }
    }

    /// Where a node's entity is defined (its first place).
    pub fn defined_at(&self, inv: &Inventory, n: NodeIx) -> Option<Location> {
        match self.nodes.get(n)?.kind {
            NodeKind::Role(i) => inv.roles.get(i)?.defined_at.first().cloned(),
            NodeKind::User(i) => inv.users.get(i)?.defined_at.first().cloned(),
        }
    }

    /// Whether role `r`'s trust may admit callers of its own account that it does not name
    /// (see [`Graph::verdict_between`]).
    pub fn is_open(&self, r: NodeIx) -> bool {
        self.open_roles.binary_search(&r).is_ok()
    }

    /// The verdict of P → R: its edge's, listed or implied by a wide grant, or `Uncertain`
    /// where R's trust may admit P without naming it (an implied edge, see `open_roles`);
    /// None where there is none.
    pub fn verdict_between(&self, from: NodeIx, to: NodeIx) -> Option<Verdict> {
        if let Some(e) = self.edge(from, to) {
            return Some(e.verdict);
        }
        if let Some(v) = self.implied_verdict(from, to) {
            return Some(v);
        }
        let (p, r) = (self.nodes.get(from)?, self.nodes.get(to)?);
        (self.is_open(to) && same_account(&p.account, &r.account) == Some(true))
            .then_some(Verdict::Uncertain)
    }

    /// The listed edge P → R, if either side mentions it (see [`Graph::edge_between`] for
    /// the implied edges of wide grants too).
    pub fn edge(&self, from: NodeIx, to: NodeIx) -> Option<&Edge> {
        self.edges
            .binary_search_by(|e| (e.from, e.to).cmp(&(from, to)))
            .ok()
            .and_then(|i| self.edges.get(i))
    }

    /// P → R judged in full, as `build` judges every listed edge.
    fn judge(&self, inv: &Inventory, p: NodeIx, r: NodeIx) -> Option<Edge> {
        let (from, role) = (self.nodes.get(p)?, self.role(inv, r)?);
        let (trust, requires) = trust_of_pair(from, role);
        let identity = identity_side(inv, from.kind, &role.arn, &role.account);
        let verdict = verdict(
            &identity,
            &trust,
            same_account(&from.account, &role.account),
        );
        Some(Edge {
            from: p,
            to: r,
            identity,
            trust,
            verdict,
            requires,
        })
    }

    /// The roles `start` reaches only through a chain of two or more switches that hold,
    /// each with the shortest such chain of nodes (start first, breadth first in node
    /// order, so the same whatever the thread count).
    pub fn chained(&self, start: NodeIx) -> BTreeMap<NodeIx, Vec<NodeIx>> {
        let mut parent: HashMap<NodeIx, NodeIx> = HashMap::new();
        let mut frontier = vec![start];
        let mut next = Vec::new();
        let mut targets = Vec::new();
        let mut step = Vec::new();
        let mut first = true;
        while !frontier.is_empty() {
            for &n in &frontier {
                step.clear();
                // A role of a wide grant that leads nowhere, reached by the first switch,
                // is reached directly: never the end of a chain, and left out (a hub's
                // humans each reach every account's role that way).
                self.holding_targets(n, first, &mut step);
                for &t in &step {
                    if t == start || parent.contains_key(&t) {
                        continue;
                    }
                    parent.insert(t, n);
                    if !first {
                        targets.push(t);
                    }
                    next.push(t);
                }
            }
            first = false;
            frontier = std::mem::take(&mut next);
        }
        targets
            .into_iter()
            .map(|t| {
                let mut chain = vec![t];
                let mut at = t;
                while let Some(&p) = parent.get(&at) {
                    chain.push(p);
                    at = p;
                }
                chain.reverse();
                (t, chain)
            })
            .collect()
    }
}
