//! The JSON front end: plans, state and `.tf.json` files become [`Resource`]s.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt, HashSet};
use serde_json::{Map, Value};

use super::attrs::{Attrs, Field, Flavor};
use super::backend::{ConfigIndex, Loader};
use crate::model::inventory::Contribution;
use crate::model::path::JsonPath;
use crate::sources::{FileInput, LoadContext};

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
    let mut seen: HashSet<String> = resources.iter().map(|r| r.address.to_string()).collect();
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
            address: Cow::Borrowed(address),
            module: Cow::Borrowed(
                rc_obj
                    .get("module_address")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            ),
            kind,
            data: is_data(rc_obj, address),
            attrs: Attrs {
                obj: after,
                path: path.key("change").key("after"),
                unknown: rc.pointer("/change/after_unknown"),
                flavor: Flavor::Plan,
            },
            at: path,
            account: None,
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
                address: Cow::Owned(format!("{kind}.{name}")),
                module: Cow::Borrowed(""),
                kind,
                data: false,
                attrs: Attrs {
                    obj: body,
                    path: path.clone(),
                    unknown: None,
                    flavor: Flavor::TfJson,
                },
                at: path,
                account: None,
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
            loader.provider_secrets(&name, &attrs);
            loader.load_provider(name, &attrs);
        }
    }
    loader.out
}

/// How a file marks values it does not know.
/// One resource instance.
pub(super) struct Resource<'a> {
    /// `module.x.aws_iam_role.y["k"]`: the label of its documents.
    pub(super) address: Cow<'a, str>,
    /// `module.x` (empty at the root).
    pub(super) module: Cow<'a, str>,
    pub(super) kind: &'a str,
    pub(super) data: bool,
    pub(super) attrs: Attrs<'a>,
    /// The resource object in the file.
    pub(super) at: JsonPath,
    /// (partition, account) of the provider that manages it, when the front end knows it
    /// (HCL: from the provider's `allowed_account_ids` or `assume_role`).
    pub(super) account: Option<(&'a str, &'a str)>,
}

pub(super) fn is_data(obj: &Map<String, Value>, address: &str) -> bool {
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
pub(super) fn is_module_ancestor(outer: &str, inner: &str) -> bool {
    outer.is_empty()
        || outer == inner
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with(".module."))
}

/// The `expressions` of a `configuration` module's resources and of its module calls'.
/// The configuration only explains planned values, so a shape it does not have is
/// skipped, not reported.
pub(super) fn collect_config<'a>(module: &'a Value, call: String, out: &mut ConfigIndex<'a>) {
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

/// The JSON front end's walk over `root_module`-style modules.
impl Loader<'_> {
    /// Resource instances of a `root_module`-style module and its child modules.
    pub(super) fn collect_module<'a>(
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
                        module: Cow::Owned(module_address.to_owned()),
                        kind,
                        data: is_data(obj, &address),
                        attrs: Attrs {
                            obj: values,
                            path: at.key("values"),
                            unknown: unknowns.get(address.as_str()).copied(),
                            flavor,
                        },
                        address: Cow::Owned(address),
                        at,
                        account: None,
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
}
