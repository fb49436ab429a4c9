//! The IAM entities a template declares (roles, users, groups, managed policies) and
//! what its `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and
//! `AWS::IAM::UserToGroupAddition` resources attach to them.

use std::sync::Arc;

use foldhash::HashMap;
use serde_json::{Map, Value};

use super::template::{iam_arn, intrinsic, Template};
use crate::model::inventory::{Group, ManagedPolicy, Role, User};
use crate::model::path::JsonPath;
use crate::model::policy::{PolicyDocument, PolicyKind};
use crate::sources::account_dump::kind_of;

/// The IAM entity kinds a template declares, with their name property and ARN prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EntityKind {
    Role,
    User,
    Group,
    ManagedPolicy,
}

impl EntityKind {
    pub(super) fn of(type_name: &str) -> Option<Self> {
        match type_name {
            "AWS::IAM::Role" => Some(EntityKind::Role),
            "AWS::IAM::User" => Some(EntityKind::User),
            "AWS::IAM::Group" => Some(EntityKind::Group),
            "AWS::IAM::ManagedPolicy" => Some(EntityKind::ManagedPolicy),
            _ => None,
        }
    }

    pub(super) fn name_key(self) -> &'static str {
        match self {
            EntityKind::Role => "RoleName",
            EntityKind::User => "UserName",
            EntityKind::Group => "GroupName",
            EntityKind::ManagedPolicy => "ManagedPolicyName",
        }
    }

    pub(super) fn arn_kind(self) -> &'static str {
        match self {
            EntityKind::Role => "role",
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::ManagedPolicy => "policy",
        }
    }
}

impl Template<'_> {
    pub(super) fn load_resources(&mut self) {
        let resources = self.resources;
        let base = JsonPath::root().key("Resources");
        let mut entities = Entities::default();
        // Entities first, so that attachments find them whatever the order in the file.
        let mut attachments = Vec::new();
        let empty = Map::new();
        let template_quiet = self.quiet;
        for (id, res) in resources {
            self.quiet = template_quiet;
            // A loop of the `AWS::LanguageExtensions` transform (a list: identifier,
            // collection, resources to stamp out) is not expanded: its resources are not read.
            if id.starts_with("Fn::ForEach::") {
                continue;
            }
            let at = base.key(id);
            let Some(res) = res.as_object() else {
                self.malformed(
                    &at,
                    format!("resource `{id}` must be an object, found {}", kind_of(res)),
                );
                continue;
            };
            let type_name = match res.get("Type") {
                Some(Value::String(t)) => t.as_str(),
                // A module of the Rain tool (`Type: !Rain::Module path`): `rain pkg` turns
                // it into resources before deployment, so this file is Rain's source.
                Some(Value::Object(tag)) if tag.contains_key("Fn::Rain::Module") => continue,
                Some(other) => {
                    self.malformed(
                        &at.key("Type"),
                        format!("`Type` must be a string, found {}", kind_of(other)),
                    );
                    continue;
                }
                None => {
                    self.malformed(&at, format!("resource `{id}` has no `Type`"));
                    continue;
                }
            };
            let needs_properties = match type_name {
                "AWS::IAM::Role"
                | "AWS::IAM::Policy"
                | "AWS::IAM::ManagedPolicy"
                | "AWS::IAM::UserToGroupAddition" => true,
                "AWS::IAM::User"
                | "AWS::IAM::Group"
                | "AWS::Serverless::Function"
                | "AWS::Serverless::StateMachine" => false,
                _ => continue,
            };
            let props = match res.get("Properties") {
                Some(Value::Object(p)) => p,
                Some(other) => {
                    self.malformed(
                        &at.key("Properties"),
                        format!(
                            "`Properties` of `{type_name}` resource `{id}` must be an object, found {}",
                            kind_of(other)
                        ),
                    );
                    continue;
                }
                None if needs_properties => {
                    self.malformed(
                        &at,
                        format!("`{type_name}` resource `{id}` has no `Properties`"),
                    );
                    continue;
                }
                None => &empty,
            };
            // `Fn::Transform` (`AWS::Include`, a macro) adds properties at deploy time: what
            // the template lacks may come from it.
            self.quiet = template_quiet || props.contains_key("Fn::Transform");
            let props_at = at.key("Properties");
            match type_name {
                "AWS::IAM::Role" => {
                    let role = self.role(id, props, &props_at, &at);
                    entities.roles.insert(id.clone(), self.out.roles.len());
                    self.out.roles.push(role);
                }
                "AWS::IAM::User" => {
                    let user = self.user(id, props, &props_at, &at);
                    entities.users.insert(id.clone(), self.out.users.len());
                    self.out.users.push(user);
                }
                "AWS::IAM::Group" => {
                    let group = self.group(id, props, &props_at, &at);
                    entities.groups.insert(id.clone(), self.out.groups.len());
                    self.out.groups.push(group);
                }
                "AWS::Serverless::Function" => {
                    let role = self.serverless_function(id, props, &props_at, &at);
                    self.out.roles.extend(role);
                }
                "AWS::Serverless::StateMachine" => {
                    let role = self.serverless_state_machine(id, props, &props_at, &at);
                    self.out.roles.extend(role);
                }
                _ => attachments.push((id, type_name, props, props_at, at, self.quiet)),
            }
        }
        for (id, type_name, props, props_at, at, quiet) in attachments {
            self.quiet = quiet;
            match type_name {
                "AWS::IAM::Policy" => self.policy(id, props, &props_at, &at, &mut entities),
                "AWS::IAM::ManagedPolicy" => {
                    self.managed_policy(id, props, &props_at, &at, &mut entities)
                }
                _ => self.user_to_group(props, &props_at, &at, &mut entities),
            }
        }
        self.quiet = template_quiet;
    }

    pub(super) fn role(
        &mut self,
        id: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
    ) -> Role {
        let name = self.entity_name(id, EntityKind::Role, Some(props), 0).text;
        let path = self.entity_path(Some(props), 0).text;
        let trust = match props.get("AssumeRolePolicyDocument") {
            Some(v) => self.document(
                v,
                &props_at.key("AssumeRolePolicyDocument"),
                PolicyKind::Trust,
                format!("trust policy of {id}"),
            ),
            None => {
                self.malformed(
                    props_at,
                    format!("role `{id}` has no `AssumeRolePolicyDocument`"),
                );
                None
            }
        };
        let policies = self.inline_policies(id, props, props_at);
        let attached = self.managed_policy_arns(props);
        let max_session_duration = props
            .get("MaxSessionDuration")
            .map(|v| self.scalar(v, 0))
            .filter(|t| t.known)
            .and_then(|t| t.text.trim().parse::<u32>().ok());
        Role {
            arn: iam_arn(self.account_text(), "role", &path, &name),
            account: self.entity_account(),
            name,
            path,
            trust,
            policies,
            attached,
            max_session_duration,
            defined_at: vec![self.loc(at)],
        }
    }

    pub(super) fn user(
        &mut self,
        id: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
    ) -> User {
        let name = self.entity_name(id, EntityKind::User, Some(props), 0).text;
        let path = self.entity_path(Some(props), 0).text;
        let policies = self.inline_policies(id, props, props_at);
        let attached = self.managed_policy_arns(props);
        let groups = self.names(props.get("Groups"));
        // The template declares the whole user: no `LoginProfile`, no console password
        // (unless added outside CloudFormation). A conditional one is unknown.
        let console = match props.get("LoginProfile") {
            None => Some(false),
            Some(v) if intrinsic(v).is_some() => None,
            Some(_) => Some(true),
        };
        User {
            arn: iam_arn(self.account_text(), "user", &path, &name),
            account: self.entity_account(),
            name,
            path,
            policies,
            attached,
            groups,
            console,
            defined_at: vec![self.loc(at)],
        }
    }

    pub(super) fn group(
        &mut self,
        id: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
    ) -> Group {
        let name = self.entity_name(id, EntityKind::Group, Some(props), 0).text;
        let path = self.entity_path(Some(props), 0).text;
        let policies = self.inline_policies(id, props, props_at);
        let attached = self.managed_policy_arns(props);
        Group {
            arn: iam_arn(self.account_text(), "group", &path, &name),
            account: self.entity_account(),
            name,
            policies,
            attached,
            defined_at: vec![self.loc(at)],
        }
    }

    /// `Policies: [{PolicyName, PolicyDocument}]` of a role, user or group.
    pub(super) fn inline_policies(
        &mut self,
        owner: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
    ) -> Vec<Arc<PolicyDocument>> {
        let at = props_at.key("Policies");
        let items = match props.get("Policies") {
            None | Some(Value::Null) => return Vec::new(),
            Some(v) if intrinsic(v).is_some() => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.malformed(
                    &at,
                    format!("`Policies` must be a list, found {}", kind_of(other)),
                );
                return Vec::new();
            }
        };
        let mut docs = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_at = at.index(i);
            if intrinsic(item).is_some() {
                continue;
            }
            let Some(p) = item.as_object() else {
                self.malformed(
                    &item_at,
                    format!(
                        "`Policies` entry must be an object, found {}",
                        kind_of(item)
                    ),
                );
                continue;
            };
            let name = match p.get("PolicyName") {
                Some(v) => self.scalar(v, 0).text,
                None => {
                    self.malformed(&item_at, "inline policy has no `PolicyName`".into());
                    format!("#{i}")
                }
            };
            let Some(doc) = p.get("PolicyDocument") else {
                self.malformed(
                    &item_at,
                    format!("inline policy `{name}` has no `PolicyDocument`"),
                );
                continue;
            };
            docs.extend(self.document(
                doc,
                &item_at.key("PolicyDocument"),
                PolicyKind::Identity,
                format!("policy {name} of {owner}"),
            ));
        }
        docs
    }

    /// `ManagedPolicyArns`: the ARNs that are known (or stand for a managed policy of this
    /// template).
    pub(super) fn managed_policy_arns(&self, props: &Map<String, Value>) -> Vec<String> {
        self.names(props.get("ManagedPolicyArns"))
    }

    /// A list of names or ARNs (`Groups`, `Roles`, `ManagedPolicyArns`): the items whose
    /// value is known; unknown items are left out rather than guessed.
    pub(super) fn names(&self, v: Option<&Value>) -> Vec<String> {
        let Some(Value::Array(items)) = v else {
            return Vec::new();
        };
        items
            .iter()
            .map(|item| self.scalar(item, 0))
            .filter(|t| t.known)
            .map(|t| t.text)
            .collect()
    }

    /// The targets of an attachment (`Roles`, `Users`, `Groups`): an entity of the template
    /// (by `Ref` or by name), or else a stub for an entity declared elsewhere.
    pub(super) fn targets(
        &mut self,
        props: &Map<String, Value>,
        key: &str,
        kind: EntityKind,
        source: &JsonPath,
        entities: &mut Entities,
    ) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(Value::Array(items)) = props.get(key) else {
            return out;
        };
        for item in items {
            if let Some(("Ref", Value::String(id))) = intrinsic(item) {
                if let Some(&i) = entities.index(kind).get(id) {
                    out.push(i);
                    continue;
                }
            }
            let t = self.scalar(item, 0);
            if !t.known {
                continue;
            }
            let name = t.text;
            let found = match kind {
                EntityKind::Role => self.out.roles.iter().position(|r| r.name == name),
                EntityKind::User => self.out.users.iter().position(|u| u.name == name),
                EntityKind::Group => self.out.groups.iter().position(|g| g.name == name),
                EntityKind::ManagedPolicy => None,
            };
            out.push(found.unwrap_or_else(|| self.stub(kind, &name, source)));
        }
        out
    }

    /// An entity the template names but does not declare, in the template's account.
    pub(super) fn stub(&mut self, kind: EntityKind, name: &str, source: &JsonPath) -> usize {
        let arn = iam_arn(self.account_text(), kind.arn_kind(), "/", name);
        let account = self.entity_account();
        let defined_at = vec![self.loc(source)];
        match kind {
            EntityKind::Role => {
                self.out.roles.push(Role {
                    arn,
                    account,
                    name: name.to_owned(),
                    path: String::new(),
                    trust: None,
                    policies: Vec::new(),
                    attached: Vec::new(),
                    max_session_duration: None,
                    defined_at,
                });
                self.out.roles.len() - 1
            }
            EntityKind::User => {
                self.out.users.push(User {
                    arn,
                    account,
                    name: name.to_owned(),
                    path: String::new(),
                    policies: Vec::new(),
                    attached: Vec::new(),
                    groups: Vec::new(),
                    console: None,
                    defined_at,
                });
                self.out.users.len() - 1
            }
            EntityKind::Group | EntityKind::ManagedPolicy => {
                self.out.groups.push(Group {
                    arn,
                    account,
                    name: name.to_owned(),
                    policies: Vec::new(),
                    attached: Vec::new(),
                    defined_at,
                });
                self.out.groups.len() - 1
            }
        }
    }

    /// `AWS::IAM::Policy`: an inline policy of each role, user and group it names.
    pub(super) fn policy(
        &mut self,
        id: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
        entities: &mut Entities,
    ) {
        let Some(v) = props.get("PolicyDocument") else {
            self.malformed(props_at, format!("policy `{id}` has no `PolicyDocument`"));
            return;
        };
        let doc = self.document(
            v,
            &props_at.key("PolicyDocument"),
            PolicyKind::Identity,
            format!("policy {id}"),
        );
        let roles = self.targets(props, "Roles", EntityKind::Role, at, entities);
        let users = self.targets(props, "Users", EntityKind::User, at, entities);
        let groups = self.targets(props, "Groups", EntityKind::Group, at, entities);
        let Some(doc) = doc else { return };
        if roles.is_empty() && users.is_empty() && groups.is_empty() {
            // Attached to nothing we know: still a document the rules should read.
            self.out.documents.push(doc);
            return;
        }
        for i in roles {
            if let Some(r) = self.out.roles.get_mut(i) {
                r.policies.push(doc.clone());
            }
        }
        for i in users {
            if let Some(u) = self.out.users.get_mut(i) {
                u.policies.push(doc.clone());
            }
        }
        for i in groups {
            if let Some(g) = self.out.groups.get_mut(i) {
                g.policies.push(doc.clone());
            }
        }
    }

    /// `AWS::IAM::ManagedPolicy`: the policy, attached to each role, user and group it names.
    pub(super) fn managed_policy(
        &mut self,
        id: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
        entities: &mut Entities,
    ) {
        let arn = self.entity_arn(id, Some(props), 0).text;
        let document = match props.get("PolicyDocument") {
            Some(v) => self.document(
                v,
                &props_at.key("PolicyDocument"),
                PolicyKind::Identity,
                format!("managed policy {id}"),
            ),
            None => {
                self.malformed(
                    props_at,
                    format!("managed policy `{id}` has no `PolicyDocument`"),
                );
                None
            }
        };
        let roles = self.targets(props, "Roles", EntityKind::Role, at, entities);
        let users = self.targets(props, "Users", EntityKind::User, at, entities);
        let groups = self.targets(props, "Groups", EntityKind::Group, at, entities);
        let attach = |list: &mut Vec<String>| {
            if !list.contains(&arn) {
                list.push(arn.clone());
            }
        };
        for i in roles {
            if let Some(r) = self.out.roles.get_mut(i) {
                attach(&mut r.attached);
            }
        }
        for i in users {
            if let Some(u) = self.out.users.get_mut(i) {
                attach(&mut u.attached);
            }
        }
        for i in groups {
            if let Some(g) = self.out.groups.get_mut(i) {
                attach(&mut g.attached);
            }
        }
        self.out.managed_policies.push(ManagedPolicy {
            arn,
            document,
            defined_at: vec![self.loc(at)],
        });
    }

    /// `AWS::IAM::UserToGroupAddition`: group memberships.
    pub(super) fn user_to_group(
        &mut self,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
        entities: &mut Entities,
    ) {
        let Some(group) = props.get("GroupName") else {
            self.malformed(
                props_at,
                "`AWS::IAM::UserToGroupAddition` has no `GroupName`".into(),
            );
            return;
        };
        let group = self.scalar(group, 0);
        if !group.known {
            return;
        }
        for i in self.targets(props, "Users", EntityKind::User, at, entities) {
            if let Some(u) = self.out.users.get_mut(i) {
                if !u.groups.contains(&group.text) {
                    u.groups.push(group.text.clone());
                }
            }
        }
    }
}

/// Indices (in the contribution's lists) of the template's entities by logical id.
#[derive(Default)]
pub(super) struct Entities {
    roles: HashMap<String, usize>,
    users: HashMap<String, usize>,
    groups: HashMap<String, usize>,
    none: HashMap<String, usize>,
}

impl Entities {
    pub(super) fn index(&self, kind: EntityKind) -> &HashMap<String, usize> {
        match kind {
            EntityKind::Role => &self.roles,
            EntityKind::User => &self.users,
            EntityKind::Group => &self.groups,
            EntityKind::ManagedPolicy => &self.none,
        }
    }
}
