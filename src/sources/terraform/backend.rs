//! The back end: resources of either front end become inventory entries.

use std::sync::Arc;

use foldhash::{HashMap, HashSet, HashSetExt};
use serde_json::{Map, Value};

use super::attrs::{Attrs, Field, Flavor};
use super::hcl::places::PlaceTable;
use super::hcl::value::{Node, Text, Val};
use super::json::{is_module_ancestor, Resource};
use super::references::{module_call_path, plan_target, split_instance, template_target, Target};
use crate::finding::{Finding, Severity};
use crate::model::arn::{is_account_id, Arn};
use crate::model::inventory::{Account, Contribution, Group, ManagedPolicy, Role, User};
use crate::model::location::{Anchor, DocOrigin, FileId, Location, MappedSpans, WholePlace};
use crate::model::named_grant::{EntityKind, NamedGrant};
use crate::model::path::JsonPath;
use crate::model::policy::{PolicyDocument, PolicyKind};
use crate::model::shared_str::SharedStr;
use crate::sources::manifest::{split_entity_arn, UNKNOWN_ACCOUNT};
use crate::sources::{FileInput, LoadContext, MALFORMED_SOURCE};

/// An account as ARNs and the model spell it.
struct AccountRef {
    partition: String,
    text: String,
    account: Account,
}

/// The IAM entities of the file by name and by address, and the instances of every
/// resource, to join inline policies, attachments, memberships and login profiles to them.
#[derive(Default)]
struct Names {
    roles: HashMap<String, Vec<usize>>,
    users: HashMap<String, Vec<usize>>,
    groups: HashMap<String, Vec<usize>>,
    /// The entity each resource instance became.
    by_address: HashMap<String, Entity>,
    /// The instance keys of each resource, sorted, by (module instance, `type.name`):
    /// `None` for a resource without `count` or `for_each`.
    instances: HashMap<(String, String), Vec<Option<String>>>,
}

/// An entity of this file's contribution, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Entity {
    Role(usize),
    User(usize),
    Group(usize),
    Policy(usize),
}

impl Entity {
    fn resource_type(self) -> &'static str {
        match self {
            Entity::Role(_) => "aws_iam_role",
            Entity::User(_) => "aws_iam_user",
            Entity::Group(_) => "aws_iam_group",
            Entity::Policy(_) => "aws_iam_policy",
        }
    }
}

/// Who an owner attribute names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Owner {
    /// An entity of this file.
    Entity(Entity),
    /// A name (or ARN) the file does not define, for the merge to resolve.
    Name(String),
}

/// The entity of the instance that `target`, read by instance `r`, stands for: in `r`'s
/// module instance, the one instance of a resource without a key, the instance with the
/// literal key, or, key to key, the instance with `r`'s own key when both resources have
/// the same instance keys.
fn resolve(r: &Resource, target: &Target, names: &Names) -> Option<Entity> {
    let instances = |resource: &str| {
        names
            .instances
            .get(&(r.module.to_string(), resource.to_owned()))
    };
    let (resource, key) = match target {
        Target::Keyed(resource, key) => (resource, Some(key.clone())),
        Target::Only(resource) => match instances(resource)?.as_slice() {
            [only] => (resource, only.clone()),
            _ => return None,
        },
        Target::SameKey(resource) => {
            let (own, own_key) = local_instance(r)?;
            let own_key = own_key?;
            if instances(own)? != instances(resource)? {
                return None;
            }
            (resource, Some(own_key.to_owned()))
        }
    };
    let local = format!("{resource}{}", key.as_deref().unwrap_or_default());
    let address = if r.module.is_empty() {
        local
    } else {
        format!("{}.{local}", r.module)
    };
    names.by_address.get(&address).copied()
}

/// A plan's `configuration` resources by (module call path, `type.name`): their
/// `expressions`.
pub(super) type ConfigIndex<'a> = HashMap<(String, String), &'a Map<String, Value>>;

/// A managed resource's `type.name` and instance key within its module.
fn local_instance<'r>(r: &'r Resource) -> Option<(&'r str, Option<&'r str>)> {
    let local = if r.module.is_empty() {
        &*r.address
    } else {
        r.address.strip_prefix(&*r.module)?.strip_prefix('.')?
    };
    let (resource, key) = split_instance(local);
    resource
        .strip_prefix(r.kind)?
        .starts_with('.')
        .then_some((resource, key))
}

/// What the HCL front end tells the back end beside the values: where each part of them
/// was written, and the policy documents as nodes (so they keep their places).
pub(super) trait HclSide {
    /// The place of the value at `path` (a path into the values the back end reads).
    fn place(&self, path: &JsonPath) -> Option<Location>;
    /// The node at `path`, for the policy documents held there.
    fn node(&self, path: &JsonPath) -> Option<&Node>;
}

/// What one Terraform file contributes, built up resource by resource.
pub(super) struct Loader<'x> {
    /// Set for HCL: paths are into its evaluated document, not into a file.
    pub(super) hcl: Option<&'x dyn HclSide>,
    pub(super) ctx: &'x LoadContext<'x>,
    pub(super) input: &'x FileInput<'x>,
    pub(super) out: Contribution,
    /// `data.aws_caller_identity`: (module, account id, partition).
    identities: Vec<(String, String, String)>,
    /// The place tables made of HCL documents' nodes, by node: a `json` of a policy
    /// document data source given to many roles is tabled once and its documents share
    /// it (and so still compare as placed alike).
    place_tables: HashMap<*const Node, Arc<PlaceTable>>,
}

impl<'x> Loader<'x> {
    pub(super) fn new(ctx: &'x LoadContext<'x>, input: &'x FileInput<'x>) -> Self {
        Loader {
            hcl: None,
            ctx,
            input,
            out: Contribution::default(),
            identities: Vec::new(),
            place_tables: HashMap::default(),
        }
    }

    /// The places of the document built from `node` (see [`Loader::place_tables`]). The
    /// nodes outlive the loader: the pointers are not reused while it lives.
    fn place_table(&mut self, node: &Arc<Node>, file: FileId) -> Arc<PlaceTable> {
        self.place_tables
            .entry(Arc::as_ptr(node))
            .or_insert_with(|| Arc::new(PlaceTable::new(node, file)))
            .clone()
    }

    pub(super) fn loc(&self, path: &JsonPath) -> Location {
        match self.hcl {
            Some(hcl) => hcl
                .place(path)
                .unwrap_or_else(|| Location::file(self.input.id)),
            None => Location::json(self.input.id, path.clone()),
        }
    }

    /// Where a policy held as a string at `path` sits.
    fn string_origin(&self, path: &JsonPath) -> DocOrigin {
        match self.hcl {
            Some(_) => DocOrigin::Mapped {
                file: self.input.id,
                spans: MappedSpans(Arc::new(WholePlace(self.loc(path)))),
            },
            None => DocOrigin::Embedded {
                file: self.input.id,
                string_at: path.clone(),
                url_encoded: false,
            },
        }
    }

    /// A shape error at `path`.
    pub(super) fn shape(&mut self, path: &JsonPath, message: &str) {
        self.out.findings.push(
            Finding::new(MALFORMED_SOURCE, Severity::Error, self.loc(path), message)
                .with_identity(format!("{MALFORMED_SOURCE}:{path}")),
        );
    }

    /// Records the accounts `data.aws_caller_identity` sources give.
    pub(super) fn add_identities<'r, 'a: 'r>(
        &mut self,
        data: impl Iterator<Item = &'r Resource<'a>>,
    ) {
        for r in data.filter(|r| r.kind == "aws_caller_identity") {
            let Some((account, _)) = r.attrs.known_text("account_id") else {
                continue;
            };
            if !is_account_id(account) {
                continue;
            }
            let partition = r
                .attrs
                .known_text("arn")
                .and_then(|(arn, _)| Arn::parse(arn).ok())
                .map_or_else(|| "aws".to_owned(), |a| a.partition);
            self.identities
                .push((r.module.to_string(), account.to_owned(), partition));
        }
    }

    /// The account of a resource in `module` whose ARN is not known: the caller identity
    /// of its module (or the nearest ancestor), the one account all caller identities of
    /// the file agree on, the configuration's account for the file, or unknown.
    /// The account of resource `r`: its provider's when the front end knows it, else
    /// [`Loader::account_for`] its module.
    fn account_of(&self, r: &Resource) -> AccountRef {
        match &r.account {
            Some((partition, account)) => AccountRef {
                partition: String::from(*partition),
                text: String::from(*account),
                account: Account::Known(SharedStr::new(account)),
            },
            None => self.account_for(&r.module),
        }
    }

    fn account_for(&self, module: &str) -> AccountRef {
        let nearest = self
            .identities
            .iter()
            .filter(|(m, _, _)| is_module_ancestor(m, module))
            .max_by_key(|(m, _, _)| m.len());
        let agreed = || {
            let first = self.identities.first()?;
            self.identities
                .iter()
                .all(|(_, a, _)| *a == first.1)
                .then_some(first)
        };
        if let Some((_, account, partition)) = nearest.or_else(agreed) {
            return AccountRef {
                partition: partition.clone(),
                text: account.clone(),
                account: Account::Known(SharedStr::new(account)),
            };
        }
        let configured = self
            .ctx
            .config
            .account_for(self.input.path)
            .or(self.ctx.config.default_account.as_deref())
            .filter(|a| is_account_id(a));
        match configured {
            Some(a) => AccountRef {
                partition: "aws".into(),
                text: a.to_owned(),
                account: Account::Known(SharedStr::new(a)),
            },
            None => AccountRef {
                partition: "aws".into(),
                text: UNKNOWN_ACCOUNT.into(),
                account: Account::Unknown,
            },
        }
    }

    /// ARN, account, path and name of an IAM entity: from its `arn` when known, else built
    /// from its name and path. None when neither is known.
    fn identify(&self, r: &Resource, what: &str) -> Option<(String, Account, String, String)> {
        if let Some((arn, _)) = r.attrs.known_text("arn") {
            let prefix = format!("{what}/");
            if Arn::parse(arn).is_ok_and(|a| a.resource.starts_with(&prefix)) {
                let (account, path, name) = split_entity_arn(arn, &prefix);
                return Some((arn.to_owned(), account, path, name));
            }
        }
        let Field::Known(name, _) = r.attrs.text("name") else {
            return None;
        };
        let path = match r.attrs.text("path") {
            Field::Known(p, _) => p.to_owned(),
            Field::Unset => "/".to_owned(),
            Field::Unknown | Field::Wrong(..) => return None,
        };
        let acct = self.account_of(r);
        let arn = format!(
            "arn:{}:iam::{}:{what}{path}{name}",
            acct.partition, acct.text
        );
        Some((arn, acct.account, path, name.to_owned()))
    }

    /// The policy document in string attribute `key`: None when unset, unknown, empty or
    /// not JSON (then with an IAM004 finding at the string).
    fn policy(
        &mut self,
        attrs: &Attrs,
        key: &str,
        kind: PolicyKind,
        label: &str,
    ) -> Option<Arc<PolicyDocument>> {
        let (text, path) = match attrs.text(key) {
            Field::Known(text, path) => (text, path),
            Field::Unknown | Field::Unset => return None,
            Field::Wrong(_, path) => {
                self.out.findings.push(
                    Finding::new(
                        MALFORMED_SOURCE,
                        Severity::Error,
                        self.loc(&path),
                        format!("`{key}` of `{label}` is not a string"),
                    )
                    .with_help("Terraform takes a policy as a JSON string: wrap it in `jsonencode(…)` or a heredoc")
                    .with_identity(format!("{MALFORMED_SOURCE}:{label}.{key}")),
                );
                return None;
            }
        };
        if text.trim().is_empty() {
            return None;
        }
        let mut origin = None;
        if let Some(node) = self.hcl.and_then(|h| h.node(&path)) {
            match (&node.value, &node.loc()) {
                (Val::Json(inner), at) if matches!(inner.value, Val::Object(_)) => {
                    let file = inner.at.as_ref().map_or(self.input.id, |l| l.file());
                    let origin = match at {
                        // A JSON text in the file (a heredoc with interpolations): its
                        // parts are found in the text by path.
                        Some(Location {
                            file,
                            anchor: Anchor::Bytes { start, end },
                        }) if inner.at.is_none() => DocOrigin::JsonIn {
                            file: *file,
                            start: *start,
                            end: *end,
                        },
                        _ => DocOrigin::Mapped {
                            file,
                            spans: MappedSpans(self.place_table(inner, file)),
                        },
                    };
                    let label = label.to_owned();
                    // Read in place; as JSON only when it holds what only JSON shows.
                    let (mut doc, unresolved) = match inner.plain_document() {
                        Some((view, unresolved)) => (
                            PolicyDocument::from_view(view, origin, kind, label),
                            unresolved,
                        ),
                        None => {
                            let (value, unresolved) = inner.to_document();
                            let doc = PolicyDocument::from_value(&value, origin, kind, label);
                            (doc, unresolved)
                        }
                    };
                    doc.unresolved = unresolved.into_boxed_slice();
                    return Some(Arc::new(doc));
                }
                (
                    Val::String(_, Text::Verbatim),
                    Some(Location {
                        file,
                        anchor: Anchor::Bytes { start, end },
                    }),
                ) => {
                    origin = Some(DocOrigin::JsonIn {
                        file: *file,
                        start: *start,
                        end: *end,
                    });
                }
                _ => {}
            }
        }
        let problem = match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => {
                let origin = origin.unwrap_or_else(|| self.string_origin(&path));
                return Some(Arc::new(PolicyDocument::from_value(
                    &value,
                    origin,
                    kind,
                    label.to_owned(),
                )));
            }
            Ok(_) => "is JSON but not a policy object".to_owned(),
            Err(e) => {
                let msg = e.to_string();
                let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
                format!(
                    "is not valid JSON: {msg} (line {}, column {} of the policy)",
                    e.line(),
                    e.column()
                )
            }
        };
        self.out.findings.push(
            Finding::new(
                MALFORMED_SOURCE,
                Severity::Error,
                self.loc(&path),
                format!("`{key}` of `{label}` {problem}"),
            )
            .with_help("AWS rejects the policy and Terraform fails at apply; `jsonencode(…)` or `data.aws_iam_policy_document` write valid JSON")
            .with_identity(format!("{MALFORMED_SOURCE}:{label}.{key}")),
        );
        None
    }

    /// Reads the IAM resources: entities first, then what joins to them by name, or by a
    /// reference when the name is not known yet.
    pub(super) fn load_resources(&mut self, resources: &[Resource], config: &ConfigIndex) {
        let mut names = Names::default();
        let managed = || resources.iter().filter(|r| !r.data);
        for r in managed() {
            // A `.tf.json` block with `count` or `for_each` stands for instances this
            // file does not show: nothing refers to one of them for sure.
            let expanded = r.attrs.flavor == Flavor::TfJson
                && (r.attrs.obj.contains_key("count") || r.attrs.obj.contains_key("for_each"));
            if let (Some((resource, key)), false) = (local_instance(r), expanded) {
                names
                    .instances
                    .entry((r.module.to_string(), resource.to_owned()))
                    .or_default()
                    .push(key.map(str::to_owned));
            }
            match r.kind {
                "aws_iam_role" => self.load_role(r, &mut names),
                "aws_iam_user" => self.load_user(r, &mut names),
                "aws_iam_group" => self.load_group(r, &mut names),
                "aws_iam_policy" => self.load_managed_policy(r, &mut names),
                _ => {}
            }
        }
        for keys in names.instances.values_mut() {
            keys.sort_unstable();
        }
        for r in managed() {
            match r.kind {
                "aws_iam_role_policy" => self.load_inline(r, "role", &names, config),
                "aws_iam_user_policy" => self.load_inline(r, "user", &names, config),
                "aws_iam_group_policy" => self.load_inline(r, "group", &names, config),
                "aws_iam_role_policy_attachment" => {
                    self.load_attachment(r, &[("role", "role")], &names, config);
                }
                "aws_iam_user_policy_attachment" => {
                    self.load_attachment(r, &[("user", "user")], &names, config);
                }
                "aws_iam_group_policy_attachment" => {
                    self.load_attachment(r, &[("group", "group")], &names, config);
                }
                "aws_iam_policy_attachment" => {
                    let targets = [("user", "users"), ("role", "roles"), ("group", "groups")];
                    self.load_attachment(r, &targets, &names, config);
                }
                "aws_iam_group_membership" => {
                    let groups = self.owners(r, "group", "group", &names, config);
                    let users = self.owners(r, "users", "user", &names, config);
                    self.add_memberships(&groups, &users);
                }
                "aws_iam_user_group_membership" => {
                    let users = self.owners(r, "user", "user", &names, config);
                    let groups = self.owners(r, "groups", "group", &names, config);
                    self.add_memberships(&groups, &users);
                }
                "aws_iam_user_login_profile" => {
                    // Only a user of this file can be marked: one elsewhere is known by
                    // ARN, which needs a path this resource does not give.
                    for owner in self.owners(r, "user", "user", &names, config) {
                        if let Owner::Entity(Entity::User(i)) = owner {
                            if let Some(u) = self.out.users.get_mut(i) {
                                u.console = Some(true);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn load_role(&mut self, r: &Resource, names: &mut Names) {
        let trust = self.policy(
            &r.attrs,
            "assume_role_policy",
            PolicyKind::Trust,
            &r.address,
        );
        let mut policies = Vec::new();
        for (i, block) in r.attrs.blocks("inline_policy").iter().enumerate() {
            let label = format!("{}.inline_policy[{i}]", r.address);
            policies.extend(self.policy(block, "policy", PolicyKind::Identity, &label));
        }
        let Some((arn, account, path, name)) = self.identify(r, "role") else {
            // Not knowing which role it is, its documents still get per-document rules.
            self.out.documents.extend(trust);
            self.out.documents.extend(policies);
            return;
        };
        let index = self.out.roles.len();
        names.roles.entry(name.clone()).or_default().push(index);
        names
            .by_address
            .insert(r.address.to_string(), Entity::Role(index));
        self.out.roles.push(Role {
            arn,
            account,
            name,
            path,
            trust,
            policies,
            attached: r
                .attrs
                .strings("managed_policy_arns")
                .into_iter()
                .map(|(a, _)| a.to_owned())
                .collect(),
            max_session_duration: r
                .attrs
                .number("max_session_duration")
                .and_then(|(n, _)| u32::try_from(n).ok()),
            defined_at: vec![self.loc(&r.at)],
        });
    }

    fn load_user(&mut self, r: &Resource, names: &mut Names) {
        let Some((arn, account, path, name)) = self.identify(r, "user") else {
            return;
        };
        let index = self.out.users.len();
        names.users.entry(name.clone()).or_default().push(index);
        names
            .by_address
            .insert(r.address.to_string(), Entity::User(index));
        self.out.users.push(User {
            arn,
            account,
            name,
            path,
            policies: Vec::new(),
            attached: Vec::new(),
            groups: Vec::new(),
            // No login profile in this file is no evidence: one may be managed elsewhere.
            console: None,
            defined_at: vec![self.loc(&r.at)],
        });
    }

    fn load_group(&mut self, r: &Resource, names: &mut Names) {
        let Some((arn, account, _, name)) = self.identify(r, "group") else {
            return;
        };
        let index = self.out.groups.len();
        names.groups.entry(name.clone()).or_default().push(index);
        names
            .by_address
            .insert(r.address.to_string(), Entity::Group(index));
        self.out.groups.push(Group {
            arn,
            account,
            name,
            policies: Vec::new(),
            attached: Vec::new(),
            defined_at: vec![self.loc(&r.at)],
        });
    }

    /// A customer managed policy, under its ARN when that is known or can be built in a
    /// known account. Otherwise under `terraform:<file>:<address>`: an ARN in the
    /// placeholder account would merge with a same-named policy of another file, and a
    /// policy whose name is not known yet has no ARN at all; the key lets what this file
    /// attaches by reference find the document, and nothing else.
    fn load_managed_policy(&mut self, r: &Resource, names: &mut Names) {
        let document = self.policy(&r.attrs, "policy", PolicyKind::Identity, &r.address);
        let arn = match self.identify(r, "policy") {
            Some((arn, account, ..))
                if account != Account::Unknown || r.attrs.known_text("arn").is_some() =>
            {
                arn
            }
            _ => format!("terraform:{}:{}", self.input.path.display(), r.address),
        };
        names.by_address.insert(
            r.address.to_string(),
            Entity::Policy(self.out.managed_policies.len()),
        );
        self.out.managed_policies.push(ManagedPolicy {
            arn,
            document,
            defined_at: vec![self.loc(&r.at)],
        });
    }

    /// Who attribute `key` of `r` names, an entity of type `aws_iam_<what>`: its known
    /// names (an entity of this file by that name, else the name for the merge to
    /// resolve), or, where the value is not known yet, the entity of this file its
    /// expression plainly refers to.
    fn owners(
        &self,
        r: &Resource,
        key: &str,
        what: &str,
        names: &Names,
        config: &ConfigIndex,
    ) -> Vec<Owner> {
        let by_name = match what {
            "role" => &names.roles,
            "user" => &names.users,
            _ => &names.groups,
        };
        let entity = |i: usize| match what {
            "role" => Entity::Role(i),
            "user" => Entity::User(i),
            _ => Entity::Group(i),
        };
        let mut out = Vec::new();
        for (name, _) in r.attrs.strings(key) {
            match by_name.get(name) {
                Some(indices) => out.extend(indices.iter().map(|&i| Owner::Entity(entity(i)))),
                None => out.push(Owner::Name(name.to_owned())),
            }
        }
        for e in self.referenced(r, key, &format!("aws_iam_{what}"), names, config) {
            out.push(Owner::Entity(e));
        }
        let mut seen = HashSet::new();
        out.retain(|o| seen.insert(o.clone()));
        out
    }

    /// The entities of type `kind` of this file that attribute `key` of `r` refers to
    /// while its value is not known: a plan's configuration expression, or `.tf.json`
    /// `${…}` strings, that name one such resource of the same module and nothing else.
    ///
    /// Owners are read through `id` or `name` only: the IAM API takes a role, user or
    /// group name there and rejects an ARN at apply (hashicorp/terraform-provider-aws
    /// issues 3087 and 26081), so a plan reading another attribute grants nothing. A
    /// policy is read through `arn` or `id` (its `id` is the ARN).
    fn referenced(
        &self,
        r: &Resource,
        key: &str,
        kind: &str,
        names: &Names,
        config: &ConfigIndex,
    ) -> Vec<Entity> {
        let attrs: &[&str] = if kind == "aws_iam_policy" {
            &["arn", "id"]
        } else {
            &["id", "name"]
        };
        let targets: Vec<Target> = match r.attrs.flavor {
            Flavor::Plan if r.attrs.is_unknown(key) => {
                let Some((resource, _)) = local_instance(r) else {
                    return Vec::new();
                };
                config
                    .get(&(module_call_path(&r.module), resource.to_owned()))
                    .and_then(|expressions| expressions.get(key)?.get("references")?.as_array())
                    .and_then(|refs| plan_target(refs, kind, attrs))
                    .into_iter()
                    .collect()
            }
            Flavor::TfJson => match r.attrs.obj.get(key) {
                Some(Value::String(s)) => template_target(s, kind, attrs).into_iter().collect(),
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|s| template_target(s, kind, attrs))
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for target in targets {
            if let Some(e) = resolve(r, &target, names).filter(|e| e.resource_type() == kind) {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// `aws_iam_role_policy` and friends: the policy joins its owner when the owner is in
    /// this file; otherwise it is a standalone document (per-document rules still run).
    fn load_inline(&mut self, r: &Resource, owner: &str, names: &Names, config: &ConfigIndex) {
        let Some(doc) = self.policy(&r.attrs, "policy", PolicyKind::Identity, &r.address) else {
            return;
        };
        // A policy names one owner: by its known name, or by reference.
        let owners: Vec<Owner> = match r.attrs.known_text(owner) {
            Some(_) => self.owners(r, owner, owner, names, config),
            None => self
                .referenced(r, owner, &format!("aws_iam_{owner}"), names, config)
                .into_iter()
                .map(Owner::Entity)
                .collect(),
        };
        let mut placed = false;
        for o in owners {
            let list = match o {
                Owner::Entity(Entity::Role(i)) => {
                    self.out.roles.get_mut(i).map(|e| &mut e.policies)
                }
                Owner::Entity(Entity::User(i)) => {
                    self.out.users.get_mut(i).map(|e| &mut e.policies)
                }
                Owner::Entity(Entity::Group(i)) => {
                    self.out.groups.get_mut(i).map(|e| &mut e.policies)
                }
                Owner::Entity(Entity::Policy(_)) => None,
                Owner::Name(name) => match self.named_grant(r, owner, &name) {
                    Some(mut grant) => {
                        grant.policies.push(doc.clone());
                        self.out.named_grants.push(grant);
                        placed = true;
                        continue;
                    }
                    None => None,
                },
            };
            if let Some(list) = list {
                list.push(doc.clone());
                placed = true;
            }
        }
        if !placed {
            self.out.documents.push(doc);
        }
    }

    /// A grant of `r` to the `what` (role, user or group) called `name` that this file
    /// does not define: it lives in the account `r` is deployed to, so when that account
    /// is known the merge gives the grant to it (see [`NamedGrant`]). None for an unknown
    /// account, or an ARN where IAM takes a name (the apply fails).
    fn named_grant(&self, r: &Resource, what: &str, name: &str) -> Option<NamedGrant> {
        let kind = match what {
            "role" => EntityKind::Role,
            "user" => EntityKind::User,
            "group" => EntityKind::Group,
            _ => return None,
        };
        if name.starts_with("arn:") || name.contains('/') {
            return None;
        }
        let acct = self.account_of(r);
        acct.account.known()?;
        Some(NamedGrant {
            kind,
            arn: format!("arn:{}:iam::{}:{what}/{name}", acct.partition, acct.text),
            account: acct.account,
            name: name.to_owned(),
            policies: Vec::new(),
            attached: Vec::new(),
            at: self.loc(&r.at),
        })
    }

    /// A policy attachment: the policy (its known ARN, or the key of the managed policy
    /// of this file it refers to) goes straight onto each entity of this file it names
    /// (so a role and a user of the same name stay apart), or by name for the merge to
    /// resolve. `targets` are (entity kind, attribute) pairs.
    fn load_attachment(
        &mut self,
        r: &Resource,
        targets: &[(&str, &str)],
        names: &Names,
        config: &ConfigIndex,
    ) {
        let policies: Vec<String> = match r.attrs.known_text("policy_arn") {
            Some((policy, _)) => vec![policy.to_owned()],
            None => self
                .referenced(r, "policy_arn", "aws_iam_policy", names, config)
                .into_iter()
                .filter_map(|e| match e {
                    Entity::Policy(i) => self.out.managed_policies.get(i).map(|p| p.arn.clone()),
                    _ => None,
                })
                .collect(),
        };
        if policies.is_empty() {
            return;
        }
        let owners: Vec<(&str, Owner)> = targets
            .iter()
            .flat_map(|(what, key)| {
                self.owners(r, key, what, names, config)
                    .into_iter()
                    .map(|o| (*what, o))
            })
            .collect();
        for (what, owner) in &owners {
            if let Owner::Name(name) = owner {
                if let Some(mut grant) = self.named_grant(r, what, name) {
                    grant.attached.clone_from(&policies);
                    self.out.named_grants.push(grant);
                    continue;
                }
            }
            for policy in &policies {
                self.attach(owner, policy);
            }
        }
    }

    fn attach(&mut self, owner: &Owner, policy: &str) {
        let list = match owner {
            // In an account not known: for the merge to find by name, if anything has it.
            Owner::Name(name) => {
                self.out.attachments.push((name.clone(), policy.to_owned()));
                return;
            }
            Owner::Entity(Entity::Role(i)) => self.out.roles.get_mut(*i).map(|e| &mut e.attached),
            Owner::Entity(Entity::User(i)) => self.out.users.get_mut(*i).map(|e| &mut e.attached),
            Owner::Entity(Entity::Group(i)) => self.out.groups.get_mut(*i).map(|e| &mut e.attached),
            Owner::Entity(Entity::Policy(_)) => None,
        };
        if let Some(list) = list {
            if !list.iter().any(|p| p == policy) {
                list.push(policy.to_owned());
            }
        }
    }

    /// Group memberships for the merge: (group, user) as names, or as the ARNs of the
    /// entities of this file they refer to.
    fn add_memberships(&mut self, groups: &[Owner], users: &[Owner]) {
        let text = |o: &Owner| match o {
            Owner::Name(name) => Some(name.clone()),
            Owner::Entity(Entity::Group(i)) => self.out.groups.get(*i).map(|g| g.arn.clone()),
            Owner::Entity(Entity::User(i)) => self.out.users.get(*i).map(|u| u.arn.clone()),
            Owner::Entity(_) => None,
        };
        let pairs: Vec<(String, String)> = groups
            .iter()
            .filter_map(text)
            .flat_map(|g| users.iter().filter_map(text).map(move |u| (g.clone(), u)))
            .collect();
        self.out.memberships.extend(pairs);
    }
}
