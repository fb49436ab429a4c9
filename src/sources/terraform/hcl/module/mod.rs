//! Modules: the `.tf` files of one folder, and their instances. A root module (a folder
//! no other scanned folder calls) is evaluated with its variables' defaults and
//! `.tfvars` values; a local module call (`source = "./x"`) evaluates the called folder
//! again with the call's arguments. Every value is worked out at most once per instance
//! (memoised), and a reference cycle gives an unknown value, never a loop.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

mod body;
mod def;
mod provider;

use super::ast::{Block, Body, ExprKind, ObjectKey};
use super::eval::{Budget, Env, Eval};
use super::parse::HclFile;
use super::value::{Member, Node, Text, Val};
use crate::model::inventory::UnknownValue;
use crate::model::location::Location;
use body::{body_node, conform, expr_name, NOT_READ};
pub use def::{local_source, normalize, ModuleDef};

/// Module calls nested deeper than this are not followed (a module that calls itself).
const MAX_MODULE_DEPTH: usize = 12;

/// Parts one root module's evaluation may make or copy (see [`Budget`]): far above what
/// real configurations need (a 10,000-file organisation uses a few hundred thousand per
/// root), and a bound on what a hostile one costs.
const ROOT_BUDGET: u64 = 1_000_000;

/// Meta-arguments of resource and module blocks: not attributes.
const META: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "providers",
    "depends_on",
    "lifecycle",
    "source",
    "version",
];

/// What module instances share: every folder's definition, and the files `file()` reads.
pub struct World<'f> {
    pub modules: &'f HashMap<PathBuf, ModuleDef<'f>>,
    /// Reads a file for `file()`: its text, and its place when it is a file of the scan.
    pub reader: &'f FileReader<'f>,
}

/// Reads a file for `file()`: its text, and its place when it is a file of the scan.
pub type FileReader<'a> = dyn Fn(&Path) -> Option<(Arc<str>, Option<Location>)> + Sync + 'a;

/// Names a block instance binds (`each`, `count`), by instance key suffix (`["k"]`).
type Keyed = Vec<(String, Vec<(Arc<str>, Node)>)>;

/// An AWS provider configuration as far as it is known.
#[derive(Clone, Debug, Default)]
pub struct ProviderInfo {
    /// `aws` or `aws.<alias>` as written in the module that configures it.
    pub name: String,
    pub account: Option<String>,
    pub partition: String,
    /// The evaluated block (None when inherited without a block of this module).
    pub body: Option<Node>,
}

/// One evaluated resource instance, for the back end.
pub struct Evaluated {
    pub kind: String,
    pub address: String,
    pub module: String,
    pub data: bool,
    pub values: Node,
    pub account: Option<(String, String)>,
    pub at: Option<Location>,
}

/// What evaluating a root module and the module instances it calls gives.
#[derive(Default)]
pub struct Evaluation {
    pub resources: Vec<Evaluated>,
    /// The provider configurations, by name (`aws.x`, `module.a:aws`).
    pub providers: Vec<(String, Node)>,
    pub notes: Vec<UnknownValue>,
    /// The first module call whose source is not fetched (a registry or git module): it
    /// may grant to any principal of the module.
    pub unfetched: Option<String>,
}

/// One instance of a module.
pub struct Instance<'w, 'f> {
    world: &'w World<'f>,
    def: &'f ModuleDef<'f>,
    /// `module.a` or `module.a["k"].module.b`; empty at the root.
    pub address: String,
    root_dir: PathBuf,
    inputs: HashMap<String, Node>,
    providers: HashMap<String, ProviderInfo>,
    depth: usize,
    /// The folders of this instance and of the module instances that called it: a call
    /// into one of them is a cycle, and is not followed.
    ancestors: Vec<PathBuf>,
    /// Shared by every instance of the root module.
    pub budget: Rc<Budget>,
    /// Values worked out so far; None while one is being worked out (a cycle).
    memo: RefCell<HashMap<String, Option<Node>>>,
    /// Module calls evaluated so far, by name: their instances.
    children: RefCell<BTreeMap<String, Vec<Rc<Instance<'w, 'f>>>>>,
}

impl<'w, 'f> Instance<'w, 'f> {
    pub fn root(world: &'w World<'f>, def: &'f ModuleDef<'f>) -> Self {
        let mut inst = Instance {
            world,
            def,
            address: String::new(),
            root_dir: def.dir.clone(),
            inputs: HashMap::new(),
            providers: HashMap::new(),
            depth: 0,
            ancestors: vec![def.dir.clone()],
            budget: Rc::new(Budget::new(ROOT_BUDGET)),
            memo: RefCell::new(HashMap::new()),
            children: RefCell::new(BTreeMap::new()),
        };
        inst.configure_providers();
        inst
    }

    fn memoised(&self, key: &str, work: impl FnOnce() -> Node) -> Node {
        self.memoised_at(key, &[], work).0
    }

    /// The value of `key` (worked out once), or the part of it that attribute names
    /// `names` lead to and how many of them led there: only that part is copied (a
    /// reference to `aws_iam_role.x.arn` copies the ARN, not the role and its policies).
    fn memoised_at(&self, key: &str, names: &[&str], work: impl FnOnce() -> Node) -> (Node, usize) {
        let part = |node: &Node| {
            let mut at = node;
            let mut used = 0;
            for name in names {
                match at.get(name) {
                    Some(next) => {
                        at = next;
                        used += 1;
                    }
                    None => break,
                }
            }
            // Every use copies the part: paid for, so that a value doubled by each
            // reference cannot grow without bound.
            (self.budget.copy(at), used)
        };
        self.ensure(key, work);
        match self.memo.borrow().get(key) {
            Some(Some(node)) => part(node),
            // Still being worked out: the value refers to itself.
            _ => (Node::unknown(format!("`{key}` refers to itself")), 0),
        }
    }

    /// Works the value of `key` out once and keeps it. While it is being worked out its
    /// slot is None, so a reference cycle finds it empty instead of looping.
    fn ensure(&self, key: &str, work: impl FnOnce() -> Node) {
        if self.memo.borrow().contains_key(key) {
            return;
        }
        self.memo.borrow_mut().insert(key.to_owned(), None);
        let node = work();
        let mut memo = self.memo.borrow_mut();
        match memo.get_mut(key) {
            Some(slot) => *slot = Some(node),
            None => {
                memo.insert(key.to_owned(), Some(node));
            }
        }
    }

    /// Evaluates a block body as Terraform's JSON shows it: attributes as members, nested
    /// blocks as lists of objects, `dynamic` blocks expanded when their `for_each` is known.
    pub fn eval_body(&self, body: &Body, file: &HclFile, bound: &[(Arc<str>, Node)]) -> Node {
        let mut ev = Eval::new(self, file);
        ev.bound = bound.to_vec();
        body_node(&mut ev, body, true, &[])
    }

    /// A managed resource's body, without the attributes no IAM question reads (tags are
    /// often the largest part of a resource, and their values are not evaluated).
    fn eval_resource_body(&self, body: &Body, file: &HclFile, bound: &[(Arc<str>, Node)]) -> Node {
        let mut ev = Eval::new(self, file);
        ev.bound = bound.to_vec();
        body_node(&mut ev, body, true, NOT_READ)
    }

    /// A variable's value, converted to its declared type as Terraform converts it (an
    /// `optional` object attribute left out is null or its default).
    fn variable(&self, name: &str) -> Node {
        let value = self.variable_value(name);
        match self.def.variables.get(name) {
            Some((block, file)) => match block.body.get_attribute("type") {
                Some(ty) => conform(value, &ty.value, &mut Eval::new(self, file)),
                None => value,
            },
            None => value,
        }
    }

    fn variable_value(&self, name: &str) -> Node {
        // A credential is never a value: it would reach messages (IAM501 reports it).
        if super::parse::is_credential_name(name) {
            return Node::unknown(format!("`var.{name}` holds a credential: not read"));
        }
        if let Some(v) = self.inputs.get(name) {
            return self.budget.copy(v);
        }
        if self.depth == 0 {
            if let Some((expr, file)) = self.def.auto_vars.get(name) {
                return Eval::new(self, file).expr(expr);
            }
            if let Some(values) = self.def.optional_vars.get(name) {
                // Only a value every optional file agrees on is known: which of them a run
                // is given is not.
                let nodes: Vec<Node> = values
                    .iter()
                    .map(|(e, f)| Eval::new(self, f).expr(e))
                    .collect();
                let first = nodes.first().and_then(Node::to_json);
                let agreed = values.len() == self.def.optional_var_files
                    && first.is_some()
                    && nodes.iter().all(|n| n.to_json() == first);
                return match (agreed, nodes.into_iter().next()) {
                    (true, Some(n)) => n,
                    _ => Node::unknown(format!("`var.{name}` differs between .tfvars files")),
                };
            }
        }
        match self.def.variables.get(name) {
            Some((block, file)) => match block.body.get_attribute("default") {
                Some(attr) => {
                    let value = Eval::new(self, file).expr(&attr.value);
                    // A root module's empty default stands for a value given at run time
                    // (`-var`, `TF_VAR_…`), not for the empty string.
                    let empty = matches!(&value.value, Val::Null)
                        || matches!(&value.value, Val::String(s, _) if s.is_empty());
                    if self.depth == 0 && empty {
                        Node::unknown(format!(
                            "`var.{name}` is empty by default: given at run time"
                        ))
                    } else {
                        value
                    }
                }
                None => Node::unknown(format!("`var.{name}` has no default and no value")),
            },
            None => Node::unknown(format!("`var.{name}` is not declared")),
        }
    }

    /// The part of a resource's value that `names` lead to (see [`Instance::memoised_at`]).
    fn resource_part(&self, key: &str, data: bool, names: &[&str]) -> (Node, usize) {
        let memo_key = resource_memo_key(key, data);
        self.memoised_at(&memo_key, names, || self.compute_resource(key, data))
    }

    /// Works a resource's value out and keeps it, unless that is done already.
    fn ensure_resource(&self, key: &str, data: bool) {
        self.ensure(&resource_memo_key(key, data), || {
            self.compute_resource(key, data)
        });
    }

    /// A resource's value, taken out of the memo (no reference to it may follow).
    fn take_resource(&self, key: &str, data: bool) -> Node {
        self.ensure_resource(key, data);
        self.memo
            .borrow_mut()
            .remove(&resource_memo_key(key, data))
            .flatten()
            .unwrap_or_else(|| Node::unknown(format!("`{key}` refers to itself")))
    }

    /// The value of a resource or data source: one instance, a list (`count`) or a map
    /// (`for_each`) of instances.
    fn compute_resource(&self, key: &str, data: bool) -> Node {
        let memo_key = resource_memo_key(key, data);
        let table = if data {
            &self.def.data
        } else {
            &self.def.resources
        };
        let Some((block, file)) = table.get(key) else {
            let declared = self.def.files.iter().any(|f| f.declares(key, data));
            return Node::unknown(if declared || !(key.starts_with("aws_iam_") || data) {
                format!("`{memo_key}` is not evaluated by iamlint")
            } else {
                format!("`{memo_key}` is not in this module")
            });
        };
        let kind = key.split('.').next().unwrap_or_default();
        let instances = self.instances(block, file);
        let one = |bound: &[(Arc<str>, Node)]| {
            let body = if data {
                self.eval_body(&block.body, file, bound)
            } else {
                self.eval_resource_body(&block.body, file, bound)
            };
            if data {
                self.data_value(kind, block, body)
            } else {
                self.resource_attributes(kind, block, body)
            }
        };
        match instances {
            Instances::One => one(&[]),
            Instances::Unknown(why) => Node::unknown(why),
            Instances::Count(n) => Node::new(
                Val::List((0..n).map(|i| one(&[count_binding(i)])).collect()),
                file.loc(block.span),
            ),
            Instances::Each(pairs) => Node::new(
                Val::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| Member {
                            key: k.clone(),
                            key_at: None,
                            value: one(&[each_binding(k, v)]),
                        })
                        .collect(),
                ),
                file.loc(block.span),
            ),
        }
    }

    fn instances(&self, block: &Block, file: &HclFile) -> Instances {
        let mut ev = Eval::new(self, file);
        if let Some(attr) = block.body.get_attribute("count") {
            let n = ev.expr(&attr.value);
            return match n.as_text().and_then(|t| t.parse::<f64>().ok()) {
                Some(c) if (0.0..=10_000.0).contains(&c) => Instances::Count(c as usize),
                Some(c) if c > 10_000.0 => {
                    Instances::Unknown("`count` is over 10,000: not expanded".into())
                }
                _ => Instances::Unknown("`count` is not known".into()),
            };
        }
        if let Some(attr) = block.body.get_attribute("for_each") {
            let coll = ev.expr(&attr.value);
            return match &coll.value {
                Val::Object(members) => Instances::Each(
                    members
                        .iter()
                        .map(|m| (m.key.clone(), m.value.clone()))
                        .collect(),
                ),
                Val::List(items) => {
                    let mut pairs = Vec::new();
                    for i in items {
                        match i.as_text() {
                            Some(k) => pairs.push((Arc::<str>::from(&*k), i.clone())),
                            None => {
                                return Instances::Unknown("`for_each` keys are not known".into())
                            }
                        }
                    }
                    pairs.sort_by(|a, b| a.0.cmp(&b.0));
                    pairs.dedup_by(|a, b| a.0 == b.0);
                    Instances::Each(pairs)
                }
                _ => Instances::Unknown("`for_each` is not known".into()),
            };
        }
        Instances::One
    }

    /// The instances of module call `name` (evaluated once).
    fn module_instances(&self, name: &str) -> Vec<Rc<Instance<'w, 'f>>> {
        if let Some(done) = self.children.borrow().get(name) {
            return done.clone();
        }
        // Marked first: a call whose arguments refer to its own outputs sees none.
        self.children
            .borrow_mut()
            .insert(name.to_owned(), Vec::new());
        let made = self.make_module_instances(name);
        self.children
            .borrow_mut()
            .insert(name.to_owned(), made.clone());
        made
    }

    /// The folder a module call evaluates, or why the call is not followed.
    fn call_target(&self, block: &Block) -> Result<&'f ModuleDef<'f>, String> {
        let Some(dir) = self.def.local_source(block) else {
            return Err("its source is not a local folder: not fetched, its resources and outputs are unknown".to_owned());
        };
        // Asked first: a root module is not among the shared definitions, so a root that
        // calls itself would otherwise seem to call an empty folder.
        if self.ancestors.contains(&dir) {
            return Err("it calls a module that is calling it (a cycle): not followed".to_owned());
        }
        let Some(def) = self.world.modules.get(&dir) else {
            return Err(format!(
                "its source `{}` holds no scanned .tf file",
                dir.display()
            ));
        };
        if self.depth >= MAX_MODULE_DEPTH {
            return Err(format!(
                "module calls nested deeper than {MAX_MODULE_DEPTH}: not followed"
            ));
        }
        Ok(def)
    }

    fn make_module_instances(&self, name: &str) -> Vec<Rc<Instance<'w, 'f>>> {
        let Some((block, file)) = self.def.modules.get(name) else {
            return Vec::new();
        };
        let Ok(child_def) = self.call_target(block) else {
            return Vec::new();
        };
        if !self.budget.charge(1_000) {
            return Vec::new();
        }
        let keyed: Keyed = match self.instances(block, file) {
            Instances::One => vec![(String::new(), Vec::new())],
            Instances::Unknown(_) => return Vec::new(),
            Instances::Count(n) => (0..n)
                .map(|i| (format!("[{i}]"), vec![count_binding(i)]))
                .collect(),
            Instances::Each(pairs) => pairs
                .into_iter()
                .map(|(k, v)| {
                    (
                        format!("[{}]", serde_json::Value::String(k.to_string())),
                        vec![each_binding(k, v)],
                    )
                })
                .collect(),
        };
        let mut out = Vec::new();
        for (key, bound) in keyed {
            let args = self.eval_body(&block.body, file, &bound);
            let mut inputs = HashMap::new();
            if let Val::Object(members) = args.value {
                for m in members {
                    if !META.contains(&&*m.key) {
                        inputs.insert(String::from(&*m.key), m.value);
                    }
                }
            }
            // Without a `providers` map a module inherits the default provider; with one,
            // what the map names.
            let inherit = |name: &str| {
                self.providers.get(name).map(|p| ProviderInfo {
                    body: None,
                    ..p.clone()
                })
            };
            let mut providers = HashMap::new();
            if let Some(default) = inherit("aws") {
                providers.insert("aws".to_owned(), default);
            }
            if let Some(ExprKind::Object(map)) =
                block.body.get_attribute("providers").map(|a| &a.value.kind)
            {
                for (k, v) in map {
                    let target = match k {
                        ObjectKey::Name(name, _) => Some(name.to_string()),
                        ObjectKey::Expr(e) => expr_name(Some(e)),
                    };
                    let source = expr_name(Some(v));
                    if let (Some(target), Some(p)) = (target, source.and_then(|s| inherit(&s))) {
                        providers.insert(target, p);
                    }
                }
            }
            let address = if self.address.is_empty() {
                format!("module.{name}{key}")
            } else {
                format!("{}.module.{name}{key}", self.address)
            };
            let mut child = Instance {
                world: self.world,
                def: child_def,
                address,
                root_dir: self.root_dir.clone(),
                inputs,
                providers,
                depth: self.depth + 1,
                ancestors: self
                    .ancestors
                    .iter()
                    .cloned()
                    .chain(std::iter::once(child_def.dir.clone()))
                    .collect(),
                budget: self.budget.clone(),
                memo: RefCell::new(HashMap::new()),
                children: RefCell::new(BTreeMap::new()),
            };
            child.configure_providers();
            out.push(Rc::new(child));
        }
        out
    }

    fn output(&self, name: &str) -> Node {
        self.memoised(&format!("output.{name}"), || {
            match self.def.outputs.get(name) {
                Some((expr, file)) => Eval::new(self, file).expr(expr),
                None => Node::unknown(format!("output `{name}` is not declared")),
            }
        })
    }

    /// Every resource and data source instance of this instance and the module instances
    /// it calls, in a stable order.
    pub fn evaluate_all(&self, out: &mut Evaluation) {
        for p in self.own_providers() {
            if let Some(body) = &p.body {
                let name = if self.address.is_empty() {
                    p.name.clone()
                } else {
                    format!("{}:{}", self.address, p.name)
                };
                out.providers.push((name, body.clone()));
            }
        }
        let wanted = |data: bool, key: &str| !data || key.starts_with("aws_caller_identity.");
        // Everything this instance makes is worked out first (with the module calls, whose
        // arguments may refer to it); then each value is taken out, not copied.
        for (data, table) in [(false, &self.def.resources), (true, &self.def.data)] {
            for key in table.keys().filter(|k| wanted(data, k)) {
                self.ensure_resource(key, data);
            }
        }
        for name in self.def.modules.keys() {
            self.module_instances(name);
        }
        for (data, table) in [(false, &self.def.resources), (true, &self.def.data)] {
            for (key, (block, file)) in table.iter() {
                let (kind, _) = key.split_once('.').unwrap_or((key, ""));
                if !wanted(data, key) {
                    continue;
                }
                let value = self.take_resource(key, data);
                let local = if data {
                    format!("data.{key}")
                } else {
                    key.clone()
                };
                let base = if self.address.is_empty() {
                    local
                } else {
                    format!("{}.{local}", self.address)
                };
                let account = self.account(block);
                let at = file.loc(block.span);
                let mut push = |address: String, values: Node| {
                    out.resources.push(Evaluated {
                        kind: kind.to_owned(),
                        address,
                        module: self.address.clone(),
                        data,
                        values,
                        account: account.map(|(p, a)| (p.to_owned(), a.to_owned())),
                        at: at.clone(),
                    });
                };
                let instances = self.instances(block, file);
                if let Instances::Unknown(why) = &instances {
                    out.notes.push(UnknownValue {
                        what: base.clone(),
                        why: format!("its instances are not known: {why}"),
                        at: at.clone(),
                    });
                }
                match (instances, value.value) {
                    (Instances::Count(_), Val::List(items)) => {
                        for (i, v) in items.into_iter().enumerate() {
                            push(format!("{base}[{i}]"), v);
                        }
                    }
                    (Instances::Each(_), Val::Object(members)) => {
                        for m in members {
                            push(
                                format!(
                                    "{base}[{}]",
                                    serde_json::Value::String(String::from(&*m.key))
                                ),
                                m.value,
                            );
                        }
                    }
                    (Instances::One, v) => push(base, Node::with_at(v, value.at)),
                    _ => {}
                }
            }
        }
        for (name, (block, file)) in &self.def.modules {
            let what = if self.address.is_empty() {
                format!("module.{name}")
            } else {
                format!("{}.module.{name}", self.address)
            };
            if self.def.local_source(block).is_none() {
                out.unfetched.get_or_insert_with(|| what.clone());
            }
            let why = match self.call_target(block) {
                Err(why) => Some(why),
                Ok(_) => match self.instances(block, file) {
                    Instances::Unknown(why) => Some(format!("its instances are not known: {why}")),
                    _ => None,
                },
            };
            if let Some(why) = why {
                out.notes.push(UnknownValue {
                    what,
                    why,
                    at: file.loc(block.span),
                });
            }
            for child in self.module_instances(name) {
                child.evaluate_all(out);
            }
        }
    }
}

fn resource_memo_key(key: &str, data: bool) -> String {
    if data {
        format!("data.{key}")
    } else {
        key.to_owned()
    }
}

enum Instances {
    One,
    Count(usize),
    Each(Vec<(Arc<str>, Node)>),
    Unknown(Arc<str>),
}

fn count_binding(i: usize) -> (Arc<str>, Node) {
    let index = Node::new(Val::Number(serde_json::Number::from(i)), None);
    (
        Arc::from("count"),
        Node::new(
            Val::Object(vec![Member {
                key: Arc::from("index"),
                key_at: None,
                value: index,
            }]),
            None,
        ),
    )
}

fn each_binding(key: Arc<str>, value: Node) -> (Arc<str>, Node) {
    let key = Node::new(Val::String(key, Text::Made), None);
    (
        Arc::from("each"),
        Node::new(
            Val::Object(vec![
                Member {
                    key: Arc::from("key"),
                    key_at: None,
                    value: key,
                },
                Member {
                    key: Arc::from("value"),
                    key_at: None,
                    value,
                },
            ]),
            None,
        ),
    )
}

impl Env for Instance<'_, '_> {
    fn reference(&self, root: &str, names: &[&str]) -> Option<(Node, usize)> {
        let first = names.first().copied();
        match root {
            "var" => Some((self.variable(first?), 1)),
            "local" => {
                let name = first?;
                let (node, used) = self.memoised_at(&format!("local.{name}"), &names[1..], || {
                    match self.def.locals.get(name) {
                        Some((expr, file)) => Eval::new(self, file).expr(expr),
                        None => Node::unknown(format!("`local.{name}` is not declared")),
                    }
                });
                Some((node, 1 + used))
            }
            "path" => {
                let dir = match first? {
                    "module" => self.def.dir.clone(),
                    "root" | "cwd" => self.root_dir.clone(),
                    _ => return None,
                };
                Some((Node::string(dir.display().to_string(), None), 1))
            }
            "data" => {
                let (kind, name) = (first?, names.get(1)?);
                let (node, used) = self.resource_part(&format!("{kind}.{name}"), true, &names[2..]);
                Some((node, 2 + used))
            }
            "module" => {
                let name = first?;
                let instances = self.module_instances(name);
                let (Some(output), [only]) = (names.get(1), instances.as_slice()) else {
                    return Some((Node::unknown(format!("module `{name}` is not read")), 1));
                };
                Some((only.output(output), 2))
            }
            kind if kind.starts_with("aws_") => {
                let name = first?;
                let (node, used) =
                    self.resource_part(&format!("{kind}.{name}"), false, &names[1..]);
                Some((node, 1 + used))
            }
            _ => None,
        }
    }

    fn budget(&self) -> &Budget {
        &self.budget
    }

    fn read_file(&self, path: &str) -> Option<(Arc<str>, Option<Location>)> {
        let p = Path::new(path);
        let full =
            if p.is_absolute() || p.starts_with(&self.root_dir) || p.starts_with(&self.def.dir) {
                p.to_path_buf()
            } else {
                self.root_dir.join(p)
            };
        (self.world.reader)(&normalize(&full))
    }
}
