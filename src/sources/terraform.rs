//! Terraform JSON: `terraform show -json` plans and state, and `.tf.json` files. Reads the
//! AWS IAM resource types (roles, users, groups, managed policies, their inline policies,
//! attachments, memberships and login profiles) and the `assume_role` blocks of AWS
//! providers into the model. Policies are JSON strings in Terraform, so each document keeps
//! the path of its string and findings inside it point at the exact escaped characters.
//! What Terraform does not know yet (`(known after apply)`, `${…}` templates) stays unknown:
//! it is never guessed and never a finding. One kind of reference is followed: an owner
//! (`role`, `user`, `group`, `users`, `roles`, `groups`) or `policy_arn` not known yet
//! whose expression names exactly one IAM resource of that type in the same module
//! (`role = aws_iam_role.deploy.id`), so the grants of infrastructure a plan creates join
//! the entities it creates (see [`references`]).

mod references;

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde_json::{Map, Value};

use super::manifest::{split_entity_arn, UNKNOWN_ACCOUNT};
use super::{FileInput, LoadContext, MALFORMED_SOURCE};
use crate::finding::{Finding, Severity};
use crate::model::arn::{is_account_id, Arn};
use crate::model::inventory::{
    Account, Contribution, Group, ManagedPolicy, ProviderChain, ProviderHop, Role, User,
};
use crate::model::location::{DocOrigin, Location, Spanned};
use crate::model::named_grant::{EntityKind, NamedGrant};
use crate::model::path::JsonPath;
use crate::model::policy::{PolicyDocument, PolicyKind};

use references::{module_call_path, plan_target, split_instance, template_target, Target};

/// Loads a `terraform show -json` plan: `planned_values` (every resource that will exist,
/// with its address), the `resource_changes` missing from it, `after_unknown` for what is
/// not known yet, `prior_state` data sources for the account, and the AWS providers'
/// `assume_role` blocks from `configuration`.
pub fn load_plan(ctx: &LoadContext, input: &FileInput, value: &Value) -> Contribution {
    let mut loader = Loader::new(ctx, input);
    let root = JsonPath::root();
    let changes_path = root.key("resource_changes");
    let changes: Vec<&Value> = match value.get("resource_changes") {
        Some(Value::Array(items)) => items.iter().collect(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            loader.shape(&changes_path, "`resource_changes` is not a list");
            Vec::new()
        }
    };
    // `after_unknown` by address: planned_values omits unknown attributes, and this says
    // which omissions (and nulls) are unknown rather than unset.
    let unknowns: HashMap<&str, &Value> = changes
        .iter()
        .filter_map(|rc| {
            let address = rc.get("address")?.as_str()?;
            Some((address, rc.pointer("/change/after_unknown")?))
        })
        .collect();
    let mut resources = Vec::new();
    if let Some(module) = value.pointer("/planned_values/root_module") {
        let path = root.key("planned_values").key("root_module");
        loader.collect_module(module, path, "", Flavor::Plan, &unknowns, &mut resources);
    }
    // A resource in both planned_values and resource_changes is read once, from
    // planned_values; resource_changes adds only what planned_values lacks. Deleted
    // resources (`after: null`) will not exist and are left out.
    let mut seen: HashSet<String> = resources.iter().map(|r| r.address.clone()).collect();
    for (i, rc) in changes.iter().enumerate() {
        let Some(rc_obj) = rc.as_object() else {
            loader.shape(&changes_path.index(i), "resource change is not an object");
            continue;
        };
        let Some(after) = rc.pointer("/change/after").and_then(Value::as_object) else {
            continue;
        };
        let (Some(kind), Some(address)) = (
            rc_obj.get("type").and_then(Value::as_str),
            rc_obj.get("address").and_then(Value::as_str),
        ) else {
            continue;
        };
        if !seen.insert(address.to_owned()) {
            continue;
        }
        let path = changes_path.index(i);
        resources.push(Resource {
            address: address.to_owned(),
            module: rc_obj
                .get("module_address")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            kind,
            data: is_data(rc_obj, address),
            attrs: Attrs {
                obj: after,
                path: path.key("change").key("after"),
                unknown: rc.pointer("/change/after_unknown"),
                flavor: Flavor::Plan,
            },
            at: path,
        });
    }
    // The prior state is the old world: only its data sources (the caller's account) count.
    if let Some(module) = value.pointer("/prior_state/values/root_module") {
        let path = root.key("prior_state").key("values").key("root_module");
        let mut prior = Vec::new();
        loader.collect_module(module, path, "", Flavor::State, &HashMap::new(), &mut prior);
        loader.add_identities(prior.iter().filter(|r| r.data));
    }
    loader.add_identities(resources.iter().filter(|r| r.data));
    let mut config = ConfigIndex::new();
    if let Some(module) = value.pointer("/configuration/root_module") {
        collect_config(module, String::new(), &mut config);
    }
    loader.load_resources(&resources, &config);
    if let Some(Value::Object(providers)) = value.pointer("/configuration/provider_config") {
        let base = root.key("configuration").key("provider_config");
        for (key, config) in providers {
            loader.load_plan_provider(key, config, base.key(key));
        }
    }
    loader.out
}

/// Loads `terraform show -json` state: `values.root_module` and its child modules.
pub fn load_state(ctx: &LoadContext, input: &FileInput, value: &Value) -> Contribution {
    let mut loader = Loader::new(ctx, input);
    let mut resources = Vec::new();
    if let Some(module) = value.pointer("/values/root_module") {
        let path = JsonPath::root().key("values").key("root_module");
        loader.collect_module(
            module,
            path,
            "",
            Flavor::State,
            &HashMap::new(),
            &mut resources,
        );
    }
    loader.add_identities(resources.iter().filter(|r| r.data));
    loader.load_resources(&resources, &ConfigIndex::new());
    loader.out
}

/// Loads a `.tf.json` file: `resource.<type>.<name>` blocks and `provider.aws` blocks.
pub fn load_tf_json(ctx: &LoadContext, input: &FileInput, value: &Value) -> Contribution {
    let mut loader = Loader::new(ctx, input);
    let root = JsonPath::root();
    let mut resources = Vec::new();
    if let Some(v) = value.get("resource") {
        let mut blocks = Vec::new();
        json_blocks(v, root.key("resource"), 2, Vec::new(), &mut blocks);
        for (labels, body, path) in blocks {
            let (Some(kind), Some(name)) = (labels.first(), labels.get(1)) else {
                continue;
            };
            resources.push(Resource {
                address: format!("{kind}.{name}"),
                module: String::new(),
                kind,
                data: false,
                attrs: Attrs {
                    obj: body,
                    path: path.clone(),
                    unknown: None,
                    flavor: Flavor::TfJson,
                },
                at: path,
            });
        }
    }
    loader.load_resources(&resources, &ConfigIndex::new());
    if let Some(v) = value.get("provider") {
        let mut blocks = Vec::new();
        json_blocks(v, root.key("provider"), 1, Vec::new(), &mut blocks);
        for (labels, body, path) in blocks {
            if labels.first() != Some(&"aws") {
                continue;
            }
            let attrs = Attrs {
                obj: body,
                path: path.clone(),
                unknown: None,
                flavor: Flavor::TfJson,
            };
            let name = match attrs.text("alias") {
                Field::Known(alias, _) => format!("aws.{alias}"),
                _ => "aws".to_owned(),
            };
            loader.load_provider(name, &attrs);
        }
    }
    loader.out
}

/// How a file marks values it does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    /// Plan values: an attribute left out, or marked `true` in `after_unknown`, is unknown.
    Plan,
    /// State values: everything is known; a missing attribute is unset.
    State,
    /// `.tf.json`: a string holding a `${…}` or `%{…}` template is unknown.
    TfJson,
    /// Plan `configuration` expressions: `{"constant_value": …}` is known, anything else
    /// (`references`, an empty expression) is unknown.
    Config,
}

/// One attribute as far as the file knows it.
enum Field<'a, T> {
    Known(T, JsonPath),
    Unknown,
    /// Absent, null or an empty string.
    Unset,
    /// Present but of the wrong JSON type.
    Wrong(&'a Value, JsonPath),
}

/// The attributes of one resource instance or block, with where they are and which of
/// them are unknown.
#[derive(Clone)]
struct Attrs<'a> {
    obj: &'a Map<String, Value>,
    path: JsonPath,
    /// The matching `after_unknown` object (plans).
    unknown: Option<&'a Value>,
    flavor: Flavor,
}

impl<'a> Attrs<'a> {
    fn marked_unknown(&self, key: &str) -> bool {
        self.unknown.and_then(|u| u.get(key)) == Some(&Value::Bool(true))
    }

    /// Whether a plan does not know the attribute yet, or some item of it.
    fn is_unknown(&self, key: &str) -> bool {
        match self.get(key) {
            Field::Unknown => true,
            Field::Known(Value::Array(_), _) => self
                .unknown
                .and_then(|u| u.get(key))
                .and_then(Value::as_array)
                .is_some_and(|items| items.contains(&Value::Bool(true))),
            _ => false,
        }
    }

    /// The raw value of an attribute.
    fn get(&self, key: &str) -> Field<'a, &'a Value> {
        if self.marked_unknown(key) {
            return Field::Unknown;
        }
        let value = self.obj.get(key);
        if self.flavor == Flavor::Config {
            return match value {
                None => Field::Unset,
                Some(Value::Object(expr)) => match expr.get("constant_value") {
                    Some(Value::Null) => Field::Unset,
                    Some(v) => Field::Known(v, self.path.key(key).key("constant_value")),
                    None => Field::Unknown,
                },
                Some(v) => Field::Wrong(v, self.path.key(key)),
            };
        }
        match value {
            None if self.flavor == Flavor::Plan => Field::Unknown,
            None | Some(Value::Null) => Field::Unset,
            Some(Value::String(s)) if self.flavor == Flavor::TfJson && is_template(s) => {
                Field::Unknown
            }
            Some(v) => Field::Known(v, self.path.key(key)),
        }
    }

    /// A string attribute; an empty string is unset (Terraform writes `""` for values a
    /// provider left empty).
    fn text(&self, key: &str) -> Field<'a, &'a str> {
        match self.get(key) {
            Field::Known(Value::String(s), _) if s.is_empty() => Field::Unset,
            Field::Known(Value::String(s), p) => Field::Known(s.as_str(), p),
            Field::Known(v, p) | Field::Wrong(v, p) => Field::Wrong(v, p),
            Field::Unknown => Field::Unknown,
            Field::Unset => Field::Unset,
        }
    }

    /// A known string, or None.
    fn known_text(&self, key: &str) -> Option<(&'a str, JsonPath)> {
        match self.text(key) {
            Field::Known(s, p) => Some((s, p)),
            _ => None,
        }
    }

    /// A whole number given as a JSON number or a numeric string.
    fn number(&self, key: &str) -> Option<(u64, JsonPath)> {
        match self.get(key) {
            Field::Known(Value::Number(n), p) => n.as_u64().map(|n| (n, p)),
            Field::Known(Value::String(s), p) => s.trim().parse().ok().map(|n| (n, p)),
            _ => None,
        }
    }

    /// The known strings of a list attribute (a lone string counts as a list of one);
    /// unknown items are left out.
    fn strings(&self, key: &str) -> Vec<(&'a str, JsonPath)> {
        let item_unknown = |i: usize| {
            self.unknown.and_then(|u| u.get(key)).and_then(|u| u.get(i)) == Some(&Value::Bool(true))
        };
        match self.get(key) {
            Field::Known(Value::String(s), p) if !s.is_empty() => vec![(s.as_str(), p)],
            Field::Known(Value::Array(items), p) => items
                .iter()
                .enumerate()
                .filter(|(i, _)| !item_unknown(*i))
                .filter_map(|(i, v)| match v {
                    Value::String(s) if s.is_empty() => None,
                    Value::String(s) if self.flavor == Flavor::TfJson && is_template(s) => None,
                    Value::String(s) => Some((s.as_str(), p.index(i))),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The nested blocks of a block type (one object or a list of objects).
    fn blocks(&self, key: &str) -> Vec<Attrs<'a>> {
        if self.marked_unknown(key) {
            return Vec::new();
        }
        let unknown = self.unknown.and_then(|u| u.get(key));
        let block =
            |obj: &'a Map<String, Value>, path: JsonPath, unknown: Option<&'a Value>| Attrs {
                obj,
                path,
                unknown,
                flavor: self.flavor,
            };
        let path = self.path.key(key);
        match self.obj.get(key) {
            Some(Value::Object(obj)) => vec![block(obj, path, unknown)],
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let obj = v.as_object()?;
                    Some(block(obj, path.index(i), unknown.and_then(|u| u.get(i))))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Whether a `.tf.json` string is a template Terraform evaluates (`${…}` or `%{…}`);
/// `$${` and `%%{` are escapes for the literal text.
fn is_template(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') {
            i += 3;
            continue;
        }
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&b'{') {
            return true;
        }
        i += 1;
    }
    false
}

/// One resource instance.
struct Resource<'a> {
    /// `module.x.aws_iam_role.y["k"]`: the label of its documents.
    address: String,
    /// `module.x` (empty at the root).
    module: String,
    kind: &'a str,
    data: bool,
    attrs: Attrs<'a>,
    /// The resource object in the file.
    at: JsonPath,
}

fn is_data(obj: &Map<String, Value>, address: &str) -> bool {
    match obj.get("mode").and_then(Value::as_str) {
        Some(mode) => mode == "data",
        None => address.starts_with("data.") || address.contains(".data."),
    }
}

/// The bodies of `.tf.json` blocks with `labels` label levels. At every level the JSON
/// syntax allows one object or a list of objects.
fn json_blocks<'a>(
    v: &'a Value,
    path: JsonPath,
    labels: usize,
    prefix: Vec<&'a str>,
    out: &mut Vec<(Vec<&'a str>, &'a Map<String, Value>, JsonPath)>,
) {
    let objects: Vec<(&'a Map<String, Value>, JsonPath)> = match v {
        Value::Object(obj) => vec![(obj, path)],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| Some((item.as_object()?, path.index(i))))
            .collect(),
        _ => Vec::new(),
    };
    for (obj, path) in objects {
        if labels == 0 {
            out.push((prefix.clone(), obj, path));
            continue;
        }
        for (label, sub) in obj {
            // `"//"` keys are comments in Terraform's JSON syntax.
            if label == "//" {
                continue;
            }
            let mut labels_so_far = prefix.clone();
            labels_so_far.push(label.as_str());
            json_blocks(sub, path.key(label), labels - 1, labels_so_far, out);
        }
    }
}

/// Whether `outer` is `inner` or one of its ancestor modules.
fn is_module_ancestor(outer: &str, inner: &str) -> bool {
    outer.is_empty()
        || outer == inner
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with(".module."))
}

/// Seconds of a Go duration (`1h30m`, `3600s`, `90m`, `1.5h`), as the AWS provider's
/// `duration` takes it. None if it is not one, or is negative.
pub fn parse_go_duration(s: &str) -> Option<u64> {
    let s = s.strip_prefix('+').unwrap_or(s);
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total_ns: u128 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_end);
        let unit_end = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_end);
        rest = tail;
        let per: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let int: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
        // Digits past the 18th cannot change whole seconds.
        let frac: String = frac.chars().take(18).collect();
        let frac_ns = if frac.is_empty() {
            0
        } else {
            let digits: u128 = frac.parse().ok()?;
            digits.checked_mul(per)? / 10u128.checked_pow(frac.len() as u32)?
        };
        total_ns = total_ns.checked_add(int.checked_mul(per)?.checked_add(frac_ns)?)?;
    }
    u64::try_from(total_ns / 1_000_000_000).ok()
}

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
            .get(&(r.module.clone(), resource.to_owned()))
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
type ConfigIndex<'a> = HashMap<(String, String), &'a Map<String, Value>>;

/// The `expressions` of a `configuration` module's resources and of its module calls'.
/// The configuration only explains planned values, so a shape it does not have is
/// skipped, not reported.
fn collect_config<'a>(module: &'a Value, call: String, out: &mut ConfigIndex<'a>) {
    if let Some(Value::Array(resources)) = module.get("resources") {
        for r in resources {
            let Some(Value::Object(expressions)) = r.get("expressions") else {
                continue;
            };
            let address = match r.get("address").and_then(Value::as_str) {
                Some(a) => a.to_owned(),
                None => {
                    let (Some(kind), Some(name)) = (
                        r.get("type").and_then(Value::as_str),
                        r.get("name").and_then(Value::as_str),
                    ) else {
                        continue;
                    };
                    format!("{kind}.{name}")
                }
            };
            out.insert((call.clone(), address), expressions);
        }
    }
    if let Some(Value::Object(calls)) = module.get("module_calls") {
        for (name, c) in calls {
            if let Some(child) = c.get("module") {
                let path = if call.is_empty() {
                    format!("module.{name}")
                } else {
                    format!("{call}.module.{name}")
                };
                collect_config(child, path, out);
            }
        }
    }
}

/// A managed resource's `type.name` and instance key within its module.
fn local_instance<'r>(r: &'r Resource) -> Option<(&'r str, Option<&'r str>)> {
    let local = if r.module.is_empty() {
        r.address.as_str()
    } else {
        r.address
            .strip_prefix(r.module.as_str())?
            .strip_prefix('.')?
    };
    let (resource, key) = split_instance(local);
    resource
        .strip_prefix(r.kind)?
        .starts_with('.')
        .then_some((resource, key))
}

/// What one Terraform file contributes, built up resource by resource.
struct Loader<'x> {
    ctx: &'x LoadContext<'x>,
    input: &'x FileInput<'x>,
    out: Contribution,
    /// `data.aws_caller_identity`: (module, account id, partition).
    identities: Vec<(String, String, String)>,
}

impl<'x> Loader<'x> {
    fn new(ctx: &'x LoadContext<'x>, input: &'x FileInput<'x>) -> Self {
        Loader {
            ctx,
            input,
            out: Contribution::default(),
            identities: Vec::new(),
        }
    }

    fn loc(&self, path: &JsonPath) -> Location {
        Location::json(self.input.id, path.clone())
    }

    /// A shape error at `path`.
    fn shape(&mut self, path: &JsonPath, message: &str) {
        self.out.findings.push(
            Finding::new(MALFORMED_SOURCE, Severity::Error, self.loc(path), message)
                .with_identity(format!("{MALFORMED_SOURCE}:{path}")),
        );
    }

    /// Resource instances of a `root_module`-style module and its child modules.
    fn collect_module<'a>(
        &mut self,
        module: &'a Value,
        path: JsonPath,
        module_address: &str,
        flavor: Flavor,
        unknowns: &HashMap<&str, &'a Value>,
        out: &mut Vec<Resource<'a>>,
    ) {
        let Some(module) = module.as_object() else {
            self.shape(&path, "module is not an object");
            return;
        };
        match module.get("resources") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let at = path.key("resources").index(i);
                    let Some(obj) = item.as_object() else {
                        self.shape(&at, "resource is not an object");
                        continue;
                    };
                    let Some(kind) = obj.get("type").and_then(Value::as_str) else {
                        self.shape(&at, "resource has no `type`");
                        continue;
                    };
                    let address = match obj.get("address").and_then(Value::as_str) {
                        Some(a) => a.to_owned(),
                        None => {
                            let name = obj.get("name").and_then(Value::as_str).unwrap_or("?");
                            let local = if is_data(obj, "") {
                                format!("data.{kind}.{name}")
                            } else {
                                format!("{kind}.{name}")
                            };
                            if module_address.is_empty() {
                                local
                            } else {
                                format!("{module_address}.{local}")
                            }
                        }
                    };
                    let values = match obj.get("values") {
                        Some(Value::Object(values)) => values,
                        None | Some(Value::Null) => continue,
                        Some(_) => {
                            self.shape(&at.key("values"), "resource `values` is not an object");
                            continue;
                        }
                    };
                    out.push(Resource {
                        module: module_address.to_owned(),
                        kind,
                        data: is_data(obj, &address),
                        attrs: Attrs {
                            obj: values,
                            path: at.key("values"),
                            unknown: unknowns.get(address.as_str()).copied(),
                            flavor,
                        },
                        address,
                        at,
                    });
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => self.shape(&path.key("resources"), "`resources` is not a list"),
        }
        match module.get("child_modules") {
            Some(Value::Array(children)) => {
                for (i, child) in children.iter().enumerate() {
                    let child_address = child
                        .get("address")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    self.collect_module(
                        child,
                        path.key("child_modules").index(i),
                        child_address,
                        flavor,
                        unknowns,
                        out,
                    );
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => self.shape(&path.key("child_modules"), "`child_modules` is not a list"),
        }
    }

    /// Records the accounts `data.aws_caller_identity` sources give.
    fn add_identities<'r, 'a: 'r>(&mut self, data: impl Iterator<Item = &'r Resource<'a>>) {
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
                .push((r.module.clone(), account.to_owned(), partition));
        }
    }

    /// The account of a resource in `module` whose ARN is not known: the caller identity
    /// of its module (or the nearest ancestor), the one account all caller identities of
    /// the file agree on, the configuration's account for the file, or unknown.
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
                account: Account::Known(account.clone()),
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
                account: Account::Known(a.to_owned()),
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
        let acct = self.account_for(&r.module);
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
        let problem = match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => {
                let origin = DocOrigin::Embedded {
                    file: self.input.id,
                    string_at: path,
                    url_encoded: false,
                };
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
    fn load_resources(&mut self, resources: &[Resource], config: &ConfigIndex) {
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
                    .entry((r.module.clone(), resource.to_owned()))
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
            .insert(r.address.clone(), Entity::Role(index));
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
            .insert(r.address.clone(), Entity::User(index));
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
            .insert(r.address.clone(), Entity::Group(index));
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
            r.address.clone(),
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
        let acct = self.account_for(&r.module);
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

    /// One entry of a plan's `configuration.provider_config`.
    fn load_plan_provider(&mut self, key: &str, config: &Value, path: JsonPath) {
        let Some(obj) = config.as_object() else {
            return;
        };
        let provider = obj
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_else(|| key.rsplit(':').next().unwrap_or(key));
        if provider != "aws" {
            return;
        }
        let mut name = match obj.get("alias").and_then(Value::as_str) {
            Some(alias) => format!("aws.{alias}"),
            None => "aws".to_owned(),
        };
        // A provider configured inside a module is keyed `module.x:aws`.
        if let Some(module) = obj
            .get("module_address")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
        {
            name = format!("{module}:{name}");
        }
        let Some(expressions) = obj.get("expressions").and_then(Value::as_object) else {
            return;
        };
        let attrs = Attrs {
            obj: expressions,
            path: path.key("expressions"),
            unknown: None,
            flavor: Flavor::Config,
        };
        self.load_provider(name, &attrs);
    }

    /// A provider's `assume_role` blocks, in order, as a chain (providers without one
    /// assume nothing and are not recorded).
    fn load_provider(&mut self, name: String, provider: &Attrs) {
        let mut hops = Vec::new();
        for block in provider.blocks("assume_role") {
            let spanned = |field: Field<&str>| match field {
                Field::Known(v, p) => Some(Spanned::new(v.to_owned(), self.loc(&p))),
                _ => None,
            };
            let role_arn = spanned(block.text("role_arn"));
            let external_id = spanned(block.text("external_id"));
            let session_name = spanned(block.text("session_name"));
            let duration_seconds = match block.text("duration") {
                Field::Known(text, path) => {
                    match parse_go_duration(text) {
                        Some(secs) => Some(Spanned::new(secs, self.loc(&path))),
                        None => {
                            self.out.findings.push(
                            Finding::new(
                                MALFORMED_SOURCE,
                                Severity::Error,
                                self.loc(&path),
                                format!("`duration` of provider `{name}` is `{text}`, not a duration"),
                            )
                            .with_help("write a Go duration such as `1h`, `45m` or `3600s`")
                            .with_identity(format!("{MALFORMED_SOURCE}:provider.{name}.duration")),
                        );
                            None
                        }
                    }
                }
                _ => block
                    .number("duration_seconds")
                    .map(|(secs, path)| Spanned::new(secs, self.loc(&path))),
            };
            hops.push(ProviderHop {
                role_arn,
                duration_seconds,
                external_id,
                session_name,
                at: self.loc(&block.path),
            });
        }
        if !hops.is_empty() {
            self.out.provider_chains.push(ProviderChain { name, hops });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::Config;
    use crate::model::location::Anchor;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/sources/terraform")
            .join(name)
    }

    /// Loads `text` as the Terraform format its content (or `.tf.json` name) says.
    fn load_text(config: &Config, path: &Path, text: &str) -> Contribution {
        let value: Value = serde_json::from_str(text).expect("test input is JSON");
        let ctx = LoadContext::new(config);
        let input = FileInput {
            id: 0,
            path,
            text,
            offset: 0,
        };
        if path.to_string_lossy().ends_with(".tf.json") {
            load_tf_json(&ctx, &input, &value)
        } else if value.get("values").is_some() {
            load_state(&ctx, &input, &value)
        } else {
            load_plan(&ctx, &input, &value)
        }
    }

    fn load(name: &str) -> Contribution {
        let path = fixture(name);
        let text = std::fs::read_to_string(&path).expect("fixture exists");
        load_text(&Config::default(), &path, &text)
    }

    fn load_plan_text(text: &str) -> Contribution {
        load_text(&Config::default(), Path::new("tfplan.json"), text)
    }

    fn role<'a>(c: &'a Contribution, name: &str) -> &'a Role {
        c.roles
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("role {name} loaded"))
    }

    fn json_at(loc: &Location) -> String {
        match &loc.anchor {
            Anchor::Json { path, .. } => path.to_string(),
            other => panic!("expected a JSON anchor, got {other:?}"),
        }
    }

    #[test]
    fn plan_reads_roles_of_root_and_nested_modules_once() {
        let c = load("plan.json");
        let mut arns: Vec<&str> = c.roles.iter().map(|r| r.arn.as_str()).collect();
        arns.sort_unstable();
        // planned_values and resource_changes hold each role; the destroyed
        // `aws_iam_role.legacy` (only in resource_changes and prior_state) is not loaded.
        assert_eq!(
            arns,
            vec![
                "arn:aws:iam::111122223333:role/build",
                "arn:aws:iam::111122223333:role/ci/deploy",
                "arn:aws:iam::111122223333:role/team/team-api",
                "arn:aws:iam::111122223333:role/team/team-web",
            ]
        );
        assert!(c.findings.is_empty(), "{:?}", c.findings);

        let deploy = role(&c, "deploy");
        assert_eq!(deploy.account, Account::Known("111122223333".into()));
        assert_eq!(deploy.path, "/ci/");
        assert_eq!(deploy.max_session_duration, Some(7200));
        assert_eq!(
            deploy.attached,
            vec!["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"]
        );
        assert_eq!(
            json_at(&deploy.defined_at[0]),
            "/planned_values/root_module/resources/5"
        );
        let trust = deploy.trust.as_ref().expect("trust loaded");
        assert_eq!(trust.kind, PolicyKind::Trust);
        assert_eq!(trust.label, "aws_iam_role.deploy");
        assert_eq!(
            trust.origin,
            DocOrigin::Embedded {
                file: 0,
                string_at: JsonPath::from_pointer(
                    "/planned_values/root_module/resources/5/values/assume_role_policy"
                ),
                url_encoded: false,
            }
        );
        assert!(trust.statements[0].has_condition_key("sts:ExternalId"));
        let inline: Vec<&str> = deploy.policies.iter().map(|d| d.label.as_str()).collect();
        assert_eq!(inline, vec!["aws_iam_role.deploy.inline_policy[0]"]);

        // for_each instances in module.team, each with its own address as label; the
        // CRLF-laden trust strings parse.
        let api = role(&c, "team-api");
        assert_eq!(
            api.trust.as_ref().map(|d| d.label.as_str()),
            Some("module.team.aws_iam_role.app[\"api\"]")
        );
        assert_eq!(api.trust.as_ref().map(|d| d.statements.len()), Some(1));
        assert_eq!(
            api.attached,
            vec!["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
        );
    }

    #[test]
    fn plan_unknown_values_are_left_out_without_findings() {
        let c = load("plan.json");
        // `build`'s trust is `(known after apply)`: no document, no finding; its separate
        // `aws_iam_role_policy` still joins it by name.
        let build = role(&c, "build");
        assert!(build.trust.is_none());
        let labels: Vec<&str> = build.policies.iter().map(|d| d.label.as_str()).collect();
        assert_eq!(labels, vec!["aws_iam_role_policy.build_readonly"]);
        // The auditor role's name is generated at apply: not an entity, but its documents
        // (and those of the role policy whose role is unknown) are still checked.
        assert!(c.roles.iter().all(|r| !r.arn.contains("auditor")));
        let standalone: Vec<(&str, PolicyKind)> = c
            .documents
            .iter()
            .map(|d| (d.label.as_str(), d.kind))
            .collect();
        assert_eq!(
            standalone,
            vec![
                (
                    "module.team.module.audit.aws_iam_role.auditor",
                    PolicyKind::Trust
                ),
                (
                    "module.team.module.audit.aws_iam_role_policy.auditor",
                    PolicyKind::Identity
                ),
            ]
        );
        // The user attachment's policy_arn is unknown: nothing attached, nothing guessed.
        let alice = c.users.iter().find(|u| u.name == "alice").expect("alice");
        assert!(alice.attached.is_empty());
    }

    #[test]
    fn plan_reads_users_groups_memberships_and_policies() {
        let c = load("plan.json");
        let alice = c.users.iter().find(|u| u.name == "alice").expect("alice");
        assert_eq!(alice.arn, "arn:aws:iam::111122223333:user/people/alice");
        assert_eq!(alice.console, Some(true));
        let group = c
            .groups
            .iter()
            .find(|g| g.name == "admins")
            .expect("admins");
        assert_eq!(group.arn, "arn:aws:iam::111122223333:group/admins");
        assert_eq!(
            group.attached,
            vec!["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        );
        // Entities of this file go by ARN (so another file's `alice` is not confused with
        // this one); the `operators` group is not in the file and goes by name.
        assert_eq!(
            c.memberships,
            vec![
                (
                    "arn:aws:iam::111122223333:group/admins".to_owned(),
                    "arn:aws:iam::111122223333:user/people/alice".to_owned()
                ),
                (
                    "operators".to_owned(),
                    "arn:aws:iam::111122223333:user/people/alice".to_owned()
                )
            ]
        );
        assert!(c.attachments.is_empty());
        let arns: Vec<&str> = c.managed_policies.iter().map(|p| p.arn.as_str()).collect();
        assert_eq!(arns, vec!["arn:aws:iam::111122223333:policy/switch-roles"]);
        // The KMS key policy is not an IAM resource.
        assert!(c
            .managed_policies
            .iter()
            .filter_map(|p| p.document.as_ref())
            .chain(&c.documents)
            .all(|d| !d.label.contains("kms")));
    }

    #[test]
    fn plan_provider_with_two_assume_role_blocks_is_a_chain() {
        let c = load("plan.json");
        assert_eq!(c.provider_chains.len(), 1, "aws.audit assumes nothing");
        let chain = &c.provider_chains[0];
        assert_eq!(chain.name, "aws");
        let [first, second] = chain.hops.as_slice() else {
            panic!("two hops, got {}", chain.hops.len());
        };
        assert_eq!(
            first.role_arn.as_ref().map(|s| s.value.as_str()),
            Some("arn:aws:iam::111122223333:role/terraform/bootstrap")
        );
        assert_eq!(first.duration_seconds.as_ref().map(|s| s.value), Some(5400));
        assert_eq!(
            first.session_name.as_ref().map(|s| s.value.as_str()),
            Some("terraform")
        );
        assert_eq!(
            json_at(&first.duration_seconds.as_ref().expect("duration").loc),
            "/configuration/provider_config/aws/expressions/assume_role/0/duration/constant_value"
        );
        assert_eq!(
            json_at(&first.at),
            "/configuration/provider_config/aws/expressions/assume_role/0"
        );
        // A role_arn from a variable is a reference: unknown.
        assert!(second.role_arn.is_none());
        assert_eq!(
            second.external_id.as_ref().map(|s| s.value.as_str()),
            Some("tf-7781")
        );
        assert_eq!(
            second.duration_seconds.as_ref().map(|s| s.value),
            Some(3600)
        );
    }

    #[test]
    fn state_reads_arns_attachments_and_modules() {
        let c = load("state.json");
        assert!(c.findings.is_empty(), "{:?}", c.findings);
        let op = role(&c, "operator");
        assert_eq!(op.arn, "arn:aws:iam::111122223333:role/ops/operator");
        assert_eq!(op.path, "/ops/");
        assert_eq!(op.account, Account::Known("111122223333".into()));
        assert_eq!(op.max_session_duration, Some(14400));
        // managed_policy_arns and the attachment resource name the same policy once; the
        // empty inline policy the provider records is no document.
        assert_eq!(op.attached, vec!["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        assert!(op.policies.is_empty());
        assert!(op.trust.is_some());
        let policy = &c.managed_policies[0];
        assert_eq!(
            policy.arn,
            "arn:aws:iam::111122223333:policy/ops/ops-switch"
        );
        assert!(policy.document.is_some());
        let ops = "arn:aws:iam::111122223333:policy/ops/ops-switch".to_owned();
        assert_eq!(c.groups[0].attached, vec![ops.clone()]);
        assert_eq!(c.users[0].attached, vec![ops]);
        assert!(c.attachments.is_empty());
        assert!(c.provider_chains.is_empty());
    }

    #[test]
    fn tf_json_reads_resources_providers_and_templates() {
        let c = load("main.tf.json");
        assert!(c.findings.is_empty(), "{:?}", c.findings);
        // No caller identity and no configured account: the placeholder account.
        let reporting = role(&c, "reporting");
        assert_eq!(
            reporting.arn,
            format!("arn:aws:iam::{UNKNOWN_ACCOUNT}:role/services/reporting")
        );
        assert_eq!(reporting.account, Account::Unknown);
        // The inline block, and the role policy whose `role` is the plain reference
        // `${aws_iam_role.reporting.name}`.
        let labels: Vec<&str> = reporting
            .policies
            .iter()
            .map(|d| d.label.as_str())
            .collect();
        assert_eq!(
            labels,
            vec![
                "aws_iam_role.reporting.inline_policy[0]",
                "aws_iam_role_policy.reporting_queue"
            ]
        );
        assert_eq!(
            reporting.attached,
            vec!["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
        );
        // `${var.prefix}-worker` and `${data….json}` are templates: unknown.
        assert_eq!(c.roles.len(), 1);
        assert!(c.documents.is_empty());

        let chains: Vec<(&str, Vec<Option<u64>>)> = c
            .provider_chains
            .iter()
            .map(|ch| {
                (
                    ch.name.as_str(),
                    ch.hops
                        .iter()
                        .map(|h| h.duration_seconds.as_ref().map(|d| d.value))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            chains,
            vec![
                ("aws", vec![Some(3600)]),
                ("aws.prod", vec![Some(3600), Some(7200)])
            ]
        );
        let prod = &c.provider_chains[1].hops[1];
        assert!(
            prod.external_id.is_none(),
            "`${{var.external_id}}` is unknown"
        );
        assert_eq!(
            json_at(&prod.role_arn.as_ref().expect("role_arn").loc),
            "/provider/aws/1/assume_role/1/role_arn"
        );
    }

    #[test]
    fn account_comes_from_the_configuration_when_the_file_names_none() {
        let path = fixture("main.tf.json");
        let text = std::fs::read_to_string(&path).expect("fixture exists");
        let config = Config {
            default_account: Some("999988887777".into()),
            ..Config::default()
        };
        let c = load_text(&config, &path, &text);
        assert_eq!(
            c.roles[0].arn,
            "arn:aws:iam::999988887777:role/services/reporting"
        );
        assert_eq!(c.roles[0].account, Account::Known("999988887777".into()));
    }

    #[test]
    fn policy_that_is_not_json_is_reported_and_the_scan_goes_on() {
        let c = load_plan_text(
            r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
              {"address": "aws_iam_role.a", "mode": "managed", "type": "aws_iam_role", "name": "a",
               "values": {"name": "a", "path": "/", "assume_role_policy": "{\"Version\": \"2012-10-17\", Statement: []}"}},
              {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
               "values": {"name": "p", "path": "/", "policy": "[]"}},
              {"address": "aws_iam_role.b", "mode": "managed", "type": "aws_iam_role", "name": "b",
               "values": {"name": "b", "path": "/", "assume_role_policy": "  \r\n"}}
            ]}}}"#,
        );
        let messages: Vec<(&str, String)> = c
            .findings
            .iter()
            .map(|f| (f.rule, f.message.clone()))
            .collect();
        assert_eq!(
            messages,
            vec![
                (
                    MALFORMED_SOURCE,
                    "`assume_role_policy` of `aws_iam_role.a` is not valid JSON: key must be a string (line 1, column 27 of the policy)".to_owned()
                ),
                (
                    MALFORMED_SOURCE,
                    "`policy` of `aws_iam_policy.p` is JSON but not a policy object".to_owned()
                ),
            ]
        );
        assert_eq!(
            json_at(&c.findings[0].primary),
            "/planned_values/root_module/resources/0/values/assume_role_policy"
        );
        // Both roles are still there, without trust; the blank policy is skipped silently.
        assert_eq!(c.roles.len(), 2);
        assert!(c.roles.iter().all(|r| r.trust.is_none()));
        assert!(c.managed_policies[0].document.is_none());
    }

    #[test]
    fn resource_changes_fill_in_what_planned_values_lack() {
        let c = load_plan_text(
            r#"{"format_version": "0.1", "resource_changes": [
              {"address": "aws_iam_role.x", "mode": "managed", "type": "aws_iam_role", "name": "x",
               "change": {"actions": ["create"], "before": null,
                 "after": {"name": "x", "path": "/", "assume_role_policy": null, "arn": null},
                 "after_unknown": {"assume_role_policy": true, "arn": true}}},
              {"address": "aws_iam_user.gone", "mode": "managed", "type": "aws_iam_user", "name": "gone",
               "change": {"actions": ["delete"], "before": {"name": "gone", "path": "/"}, "after": null}}
            ]}"#,
        );
        assert_eq!(c.roles.len(), 1);
        assert_eq!(
            c.roles[0].arn,
            format!("arn:aws:iam::{UNKNOWN_ACCOUNT}:role/x")
        );
        assert!(c.roles[0].trust.is_none());
        assert!(c.users.is_empty());
        assert!(c.findings.is_empty());
    }

    #[test]
    fn bad_shapes_and_durations_are_findings_not_panics() {
        let c = load_plan_text(
            r#"{"format_version": "1.0", "planned_values": {"root_module": {"resources": 5,
                "child_modules": [{"resources": [7, {"type": "aws_iam_role", "values": []}]}]}},
              "resource_changes": {},
              "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {
                "assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::111122223333:role/a"},
                                 "duration": {"constant_value": "an hour"}}]}}}}}"#,
        );
        let at: Vec<String> = c.findings.iter().map(|f| json_at(&f.primary)).collect();
        assert_eq!(
            at,
            vec![
                "/resource_changes",
                "/planned_values/root_module/resources",
                "/planned_values/root_module/child_modules/0/resources/0",
                "/planned_values/root_module/child_modules/0/resources/1/values",
                "/configuration/provider_config/aws/expressions/assume_role/0/duration/constant_value",
            ]
        );
        assert!(c.findings.iter().all(|f| f.rule == MALFORMED_SOURCE));
        // The hop is still recorded, without the duration it could not read.
        assert_eq!(c.provider_chains[0].hops.len(), 1);
        assert!(c.provider_chains[0].hops[0].duration_seconds.is_none());
    }

    #[test]
    fn tf_json_policy_given_as_an_object_is_reported() {
        let c = load_text(
            &Config::default(),
            Path::new("iam.tf.json"),
            r#"{"resource": [{"aws_iam_policy": {"p": [{"name": "p",
                "policy": {"Version": "2012-10-17", "Statement": []}}]}}]}"#,
        );
        assert_eq!(c.findings.len(), 1);
        assert_eq!(
            c.findings[0].message,
            "`policy` of `aws_iam_policy.p` is not a string"
        );
        assert_eq!(
            json_at(&c.findings[0].primary),
            "/resource/0/aws_iam_policy/p/0/policy"
        );
    }

    fn labels(docs: &[Arc<PolicyDocument>]) -> Vec<&str> {
        docs.iter().map(|d| d.label.as_str()).collect()
    }

    #[test]
    fn plan_references_join_policies_to_the_entities_the_plan_creates() {
        let c = load("plan_references.json");
        assert!(c.findings.is_empty(), "{:?}", c.findings);
        let extra = "arn:aws:iam::111122223333:policy/deploy-extra";
        // `role = aws_iam_role.deploy.id`, `policy_arn = aws_iam_policy.deploy_extra.arn`.
        let deploy = role(&c, "deploy");
        assert_eq!(
            labels(&deploy.policies),
            vec!["aws_iam_role_policy.deploy_logs"]
        );
        assert_eq!(deploy.attached, vec![extra]);
        let policy = &c.managed_policies[0];
        assert_eq!(policy.arn, extra);
        assert_eq!(
            policy.document.as_ref().map(|d| d.label.as_str()),
            Some("aws_iam_policy.deploy_extra")
        );
        // `user = aws_iam_user.ci.id` on the policy and the login profile; the attachment
        // names the user by its known name and the policy by `.id` (its ARN).
        let ci = c.users.iter().find(|u| u.name == "ci").expect("ci");
        assert_eq!(labels(&ci.policies), vec!["aws_iam_user_policy.ci"]);
        assert_eq!(ci.attached, vec![extra]);
        assert_eq!(ci.console, Some(true));
        assert_eq!(
            c.memberships,
            vec![(
                "arn:aws:iam::111122223333:group/ops".to_owned(),
                "arn:aws:iam::111122223333:user/bots/ci".to_owned()
            )]
        );
        assert!(c.attachments.is_empty());
        // for_each key to key, and a literal key, inside module.team["blue"].
        assert_eq!(
            labels(&role(&c, "blue-api").policies),
            vec!["module.team[\"blue\"].aws_iam_role_policy.app[\"api\"]"]
        );
        assert_eq!(
            labels(&role(&c, "blue-web").policies),
            vec![
                "module.team[\"blue\"].aws_iam_role_policy.app[\"web\"]",
                "module.team[\"blue\"].aws_iam_role_policy.pinned"
            ]
        );
        // Not followed: the role's ARN (IAM takes names), a template with a variable, a
        // resource of two instances read without a key, keys that differ, and a name
        // that is no resource of the policy's own module.
        assert_eq!(
            labels(&c.documents),
            vec![
                "aws_iam_role_policy.by_arn",
                "aws_iam_role_policy.templated",
                "module.team[\"blue\"].aws_iam_role_policy.any_app",
                "module.team[\"blue\"].aws_iam_role_policy.mismatch[\"api\"]",
                "module.team[\"blue\"].aws_iam_role_policy.mismatch[\"db\"]",
                "module.team[\"blue\"].aws_iam_role_policy.outer",
            ]
        );
    }

    /// A plan of `resources` (planned_values) and `configuration` resources.
    fn plan_with(resources: &str, config: &str) -> Contribution {
        load_plan_text(&format!(
            r#"{{"format_version": "1.2",
              "planned_values": {{"root_module": {{"resources": [{resources}]}}}},
              "configuration": {{"root_module": {{"resources": [{config}]}}}}}}"#
        ))
    }

    #[test]
    fn plan_references_to_counted_resources_and_old_formats() {
        let doc =
            r#"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"#;
        let c = plan_with(
            &format!(
                r#"{{"address": "aws_iam_role.one[0]", "type": "aws_iam_role", "name": "one", "index": 0, "values": {{"name": "one", "path": "/"}}}},
                {{"address": "aws_iam_role.two[0]", "type": "aws_iam_role", "name": "two", "index": 0, "values": {{"name": "two-0", "path": "/"}}}},
                {{"address": "aws_iam_role.two[1]", "type": "aws_iam_role", "name": "two", "index": 1, "values": {{"name": "two-1", "path": "/"}}}},
                {{"address": "aws_iam_role_policy.bare", "type": "aws_iam_role_policy", "name": "bare", "values": {{"policy": "{doc}"}}}},
                {{"address": "aws_iam_role_policy.keyed", "type": "aws_iam_role_policy", "name": "keyed", "values": {{"policy": "{doc}"}}}},
                {{"address": "aws_iam_role_policy.each[0]", "type": "aws_iam_role_policy", "name": "each", "index": 0, "values": {{"policy": "{doc}"}}}},
                {{"address": "aws_iam_role_policy.each[1]", "type": "aws_iam_role_policy", "name": "each", "index": 1, "values": {{"policy": "{doc}"}}}},
                {{"address": "aws_iam_role_policy.all", "type": "aws_iam_role_policy", "name": "all", "values": {{"policy": "{doc}"}}}}"#
            ),
            r#"{"address": "aws_iam_role_policy.bare", "type": "aws_iam_role_policy", "name": "bare",
                "expressions": {"role": {"references": ["aws_iam_role.one"]}}},
               {"address": "aws_iam_role_policy.keyed", "type": "aws_iam_role_policy", "name": "keyed",
                "expressions": {"role": {"references": ["aws_iam_role.two[1].id", "aws_iam_role.two[1]", "aws_iam_role.two"]}}},
               {"address": "aws_iam_role_policy.each", "type": "aws_iam_role_policy", "name": "each",
                "expressions": {"role": {"references": ["aws_iam_role.two", "count.index"]}}},
               {"address": "aws_iam_role_policy.all", "type": "aws_iam_role_policy", "name": "all",
                "expressions": {"role": {"references": ["aws_iam_role.two"]}}}"#,
        );
        // Terraform before 1.1 lists only `aws_iam_role.one`: its one instance.
        assert_eq!(
            labels(&role(&c, "one").policies),
            vec!["aws_iam_role_policy.bare"]
        );
        assert_eq!(
            labels(&role(&c, "two-0").policies),
            vec!["aws_iam_role_policy.each[0]"]
        );
        assert_eq!(
            labels(&role(&c, "two-1").policies),
            vec!["aws_iam_role_policy.keyed", "aws_iam_role_policy.each[1]"]
        );
        assert_eq!(labels(&c.documents), vec!["aws_iam_role_policy.all"]);
    }

    #[test]
    fn odd_configuration_shapes_are_no_references() {
        let c = load_plan_text(
            r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
                {"address": "aws_iam_role.r", "type": "aws_iam_role", "name": "r", "values": {"name": "r", "path": "/"}},
                {"address": "aws_iam_role_policy.p", "type": "aws_iam_role_policy", "name": "p", "values": {"policy": "{}"}}]}},
              "configuration": {"root_module": {"module_calls": [1], "resources": [
                {"address": 5, "expressions": {"role": {"references": ["aws_iam_role.r.id"]}}},
                {"address": "aws_iam_role_policy.p", "expressions": {"role": {"references": "aws_iam_role.r.id"}}},
                {"address": "aws_iam_role_policy.p", "expressions": {"role": {"references": [null, "aws_iam_role.r"]}}}]}}}"#,
        );
        assert!(c.findings.is_empty(), "{:?}", c.findings);
        assert!(role(&c, "r").policies.is_empty());
        assert_eq!(labels(&c.documents), vec!["aws_iam_role_policy.p"]);
    }

    #[test]
    fn policy_without_a_known_arn_meets_its_attachment_under_a_file_key() {
        // No caller identity: neither policy has an ARN, one has no name yet either.
        let c = plan_with(
            r#"{"address": "aws_iam_role.r", "type": "aws_iam_role", "name": "r", "values": {"name": "r", "path": "/"}},
               {"address": "aws_iam_policy.named", "type": "aws_iam_policy", "name": "named", "values": {"name": "named", "path": "/", "policy": "{\"Statement\":[]}"}},
               {"address": "aws_iam_policy.generated", "type": "aws_iam_policy", "name": "generated", "values": {"path": "/", "policy": "{\"Statement\":[]}"}},
               {"address": "aws_iam_role_policy_attachment.named", "type": "aws_iam_role_policy_attachment", "name": "named", "values": {"role": "r"}},
               {"address": "aws_iam_role_policy_attachment.generated", "type": "aws_iam_role_policy_attachment", "name": "generated", "values": {"role": "elsewhere"}}"#,
            r#"{"address": "aws_iam_role_policy_attachment.named", "type": "aws_iam_role_policy_attachment", "name": "named",
                "expressions": {"role": {"references": ["aws_iam_role.r.name", "aws_iam_role.r"]},
                                "policy_arn": {"references": ["aws_iam_policy.named.arn", "aws_iam_policy.named"]}}},
               {"address": "aws_iam_role_policy_attachment.generated", "type": "aws_iam_role_policy_attachment", "name": "generated",
                "expressions": {"role": {"constant_value": "elsewhere"},
                                "policy_arn": {"references": ["aws_iam_policy.generated.id", "aws_iam_policy.generated"]}}}"#,
        );
        let keys: Vec<&str> = c.managed_policies.iter().map(|p| p.arn.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "terraform:tfplan.json:aws_iam_policy.named",
                "terraform:tfplan.json:aws_iam_policy.generated"
            ]
        );
        assert!(c.managed_policies.iter().all(|p| p.document.is_some()));
        assert_eq!(
            role(&c, "r").attached,
            vec!["terraform:tfplan.json:aws_iam_policy.named"]
        );
        // A role of another file, by name: the merge joins it to the same key.
        assert_eq!(
            c.attachments,
            vec![(
                "elsewhere".to_owned(),
                "terraform:tfplan.json:aws_iam_policy.generated".to_owned()
            )]
        );
        assert!(c.documents.is_empty());
    }

    #[test]
    fn tf_json_plain_references() {
        let c = load_text(
            &Config::default(),
            Path::new("iam.tf.json"),
            r#"{"resource": {
              "aws_iam_role": {
                "r": {"name": "r"},
                "fixed": {"count": 1, "name": "fixed"}
              },
              "aws_iam_policy": {"p": {"name": "p", "policy": "{\"Statement\":[]}"}},
              "aws_iam_role_policy": {
                "by_id": {"role": "${aws_iam_role.r.id}", "policy": "{\"Statement\":[]}"},
                "by_arn": {"role": "${aws_iam_role.r.arn}", "policy": "{\"Statement\":[]}"},
                "suffixed": {"role": "${aws_iam_role.r.name}-x", "policy": "{\"Statement\":[]}"},
                "counted": {"role": "${aws_iam_role.fixed.name}", "policy": "{\"Statement\":[]}"}
              },
              "aws_iam_policy_attachment": {
                "p": {"name": "p", "policy_arn": "${aws_iam_policy.p.arn}",
                      "roles": ["${aws_iam_role.r.name}", "legacy", "${var.more}"]}
              }
            }}"#,
        );
        let key = "terraform:iam.tf.json:aws_iam_policy.p";
        let r = role(&c, "r");
        assert_eq!(labels(&r.policies), vec!["aws_iam_role_policy.by_id"]);
        assert_eq!(r.attached, vec![key]);
        assert_eq!(c.managed_policies[0].arn, key);
        assert_eq!(c.attachments, vec![("legacy".to_owned(), key.to_owned())]);
        // `fixed` has `count`: which instance the file means is not shown.
        assert_eq!(
            labels(&c.documents),
            vec![
                "aws_iam_role_policy.by_arn",
                "aws_iam_role_policy.suffixed",
                "aws_iam_role_policy.counted"
            ]
        );
    }
    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("1h"), Some(3600));
        assert_eq!(parse_go_duration("1h30m"), Some(5400));
        assert_eq!(parse_go_duration("3600s"), Some(3600));
        assert_eq!(parse_go_duration("1.5h"), Some(5400));
        assert_eq!(parse_go_duration("90m0s"), Some(5400));
        assert_eq!(parse_go_duration(".5m"), Some(30));
        assert_eq!(parse_go_duration("1500ms"), Some(1));
        assert_eq!(parse_go_duration("0"), Some(0));
        for bad in ["", "1", "h", "1x", "-1h", "1h-", ".h", "an hour", "1 h"] {
            assert_eq!(parse_go_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_go_duration(&"9".repeat(60)), None);
        assert_eq!(parse_go_duration(&format!("{}h", "9".repeat(40))), None);
    }

    #[test]
    fn templates() {
        assert!(is_template("${var.x}"));
        assert!(is_template("arn:aws:iam::${local.acct}:role/x"));
        assert!(is_template("%{ if x }a%{ endif }"));
        assert!(!is_template("arn:aws:s3:::b/$${aws:username}/*"));
        assert!(!is_template("%%{literal}"));
        assert!(!is_template("50% off {x}"));
        // HCL reads `$$${` as a literal `$` then the `$${` escape.
        assert!(!is_template("$$${var.x}"));
    }
}
