//! The HCL front end: `.tf` modules (and their `.tfvars`) parsed with hcl-edit while the
//! scan reads files ([`parse`]), then, once every file is read, grouped into modules by
//! folder and evaluated from each root module down its local module calls ([`module`]).
//! The resources it finds go to the same back end as plans and `.tf.json`, as a document
//! of Terraform's JSON shape whose every part keeps the HCL place it came from.

mod ast;
mod eval;
mod functions;
mod module;
mod operator_breaks;
pub mod parse;
pub mod places;
pub mod policy_document;
mod repeated_keys;
mod select;
mod skim;
pub mod value;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::attrs::{Attrs, Flavor};
use super::backend::{ConfigIndex, HclSide, Loader};
use super::json::Resource;
use crate::model::inventory::{Contribution, UnknownValue};
use crate::model::location::{FileId, Location};
use crate::model::path::{JsonPath, PathSeg};
use crate::sources::{FileInput, LoadContext};
use module::{Evaluated, Evaluation, Instance, ModuleDef, World};
pub use parse::{hcl_kind, read, FilePaths, HclFile, HclKind, HclRead};
use value::{Node, Val};

/// The files of the scan, for `file()` and `templatefile()`: which are in it, by path as
/// walked, and the folders the scan may read.
pub struct ScanFiles<'a> {
    files: Vec<(&'a Path, FileId)>,
    /// The files by normalised path, made on the first look-up: most scans never call
    /// `file()`, and normalising every path of a large tree is a serial pause.
    ids: std::sync::OnceLock<HashMap<PathBuf, FileId>>,
    roots: Vec<PathBuf>,
}

impl<'a> ScanFiles<'a> {
    pub fn new(files: Vec<(&'a Path, FileId)>, roots: Vec<PathBuf>) -> Self {
        ScanFiles {
            files,
            ids: std::sync::OnceLock::new(),
            roots,
        }
    }

    /// The id of the scan's file at `path` (as written, normalised), if it has one.
    fn id(&self, path: &Path) -> Option<FileId> {
        self.ids
            .get_or_init(|| {
                self.files
                    .iter()
                    .map(|(p, id)| (module::normalize(p), *id))
                    .collect()
            })
            .get(&module::normalize(path))
            .copied()
    }
}

impl FilePaths for ScanFiles<'_> {
    /// The path of the scan's file `id` as walked (empty for an id not in the scan).
    fn path_of(&self, id: FileId) -> &Path {
        // Files are listed by id, which is their index.
        let at = match self.files.get(id as usize) {
            Some(&(_, i)) if i == id => Some(id as usize),
            _ => self.files.binary_search_by_key(&id, |f| f.1).ok(),
        };
        at.and_then(|i| self.files.get(i))
            .map_or(Path::new(""), |f| f.0)
    }
}

/// What the module phase gives the scan.
pub struct Modules {
    /// One contribution per root module, and those of files parsed late.
    pub parts: Vec<Contribution>,
    /// Files that turned out not to parse, and files never parsed (their folders do not
    /// matter to IAM): nothing of either may be shown.
    pub failed: Vec<FileId>,
    pub unparsed: Vec<FileId>,
}

/// Evaluates every module of the scan that matters to IAM ([`select`]): one
/// contribution per root module (a folder of `.tf` files no other scanned folder calls as
/// a local module; a folder only reached through a cycle of calls counts as a root too).
///
/// `finish` is called on each contribution (the document rules) on the thread that made
/// it, while it is still in cache.
pub fn load_modules(
    ctx: &LoadContext,
    reads: Vec<Box<HclRead>>,
    scan: &ScanFiles,
    finish: &(dyn Fn(&mut Contribution) + Sync),
) -> Modules {
    let mut timings = crate::timings::Timings::start();
    let select::Selected {
        called,
        roots,
        mut found,
        mut failed,
        unparsed,
    } = select::select(reads, scan);
    timings.phase("  select");
    // Called folders are defined once and shared by every instance of them.
    let defs: HashMap<PathBuf, ModuleDef> = called
        .par_iter()
        .map(|(dir, files)| {
            (
                dir.clone(),
                ModuleDef::new(dir.clone(), files.iter().collect()),
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let seeds: Vec<PathBuf> = roots
        .iter()
        .flat_map(|r| {
            r.parsed
                .iter()
                .flat_map(|f| f.body.get_blocks("module"))
                .filter_map(|call| module::local_source(&r.dir, call))
        })
        .collect();
    let cycles = cycle_roots(&defs, seeds);
    timings.phase("  define");
    let reader = |path: &Path| read_for_function(ctx, scan, path);
    let world = World {
        modules: &defs,
        reader: &reader,
    };
    // Evaluation recurses through expressions and references (bounded, see
    // `eval::Budget`): on threads with room for the deepest a hostile module can go.
    let evaluate = || {
        // One root per job: roots differ in size tenfold, and rayon's even halves left one
        // thread evaluating the last hundred while the other waited.
        let from_roots: Vec<_> = roots
            .into_par_iter()
            .with_max_len(1)
            .map(|root| {
                // Parsed here, evaluated at once, freed when done.
                let (dir, parsed) = root.parse(scan);
                let def = ModuleDef::new(dir.clone(), parsed.files.iter().collect());
                let mut part = evaluate_root(ctx, &world, &def);
                drop(def);
                part.iter_mut().for_each(finish);
                crate::reclaim::every(RECLAIM_EVERY);
                (dir, part, parsed.found, parsed.failed)
            })
            .collect();
        let from_cycles: Vec<_> = cycles
            .par_iter()
            .with_max_len(1)
            .map(|dir| {
                let mut part = defs
                    .get(dir)
                    .and_then(|def| evaluate_root(ctx, &world, def));
                part.iter_mut().for_each(finish);
                (dir.clone(), part)
            })
            .collect();
        (from_roots, from_cycles)
    };
    let pool = if ROOMY.get() {
        None
    } else {
        roomy_pool(rayon::current_num_threads()).ok()
    };
    let (from_roots, from_cycles) = match pool {
        Some(pool) => pool.install(evaluate),
        None => evaluate(),
    };
    timings.phase("  evaluate");
    let mut by_dir: Vec<(PathBuf, Contribution)> = Vec::new();
    for (dir, part, root_found, root_failed) in from_roots {
        by_dir.extend(part.map(|p| (dir, p)));
        found.extend(root_found);
        failed.extend(root_failed);
    }
    by_dir.extend(
        from_cycles
            .into_iter()
            .filter_map(|(dir, part)| Some((dir, part?))),
    );
    // In path order, whichever thread evaluated which.
    by_dir.sort_by(|a, b| a.0.cmp(&b.0));
    let mut parts: Vec<Contribution> = by_dir.into_iter().map(|(_, p)| p).collect();
    for mut part in found {
        finish(&mut part);
        parts.push(part);
    }
    failed.sort_unstable();
    drop(defs);
    Modules {
        parts,
        failed,
        unparsed,
    }
}

/// Evaluates one root module: its contribution, or None for a folder of only `.tfvars`
/// (which configures nothing).
fn evaluate_root(ctx: &LoadContext, world: &World, def: &ModuleDef) -> Option<Contribution> {
    let first = def.files.iter().find(|f| f.kind == HclKind::Config)?;
    let instance = Instance::root(world, def);
    let mut out = Evaluation::default();
    instance.evaluate_all(&mut out);
    let Evaluation {
        resources: evaluated,
        providers,
        mut notes,
        unfetched,
    } = out;
    if instance.budget.exhausted() {
        notes.push(UnknownValue {
            what: format!("root module {}", def.dir.display()),
            why: "its values grew too large or too deep to evaluate; the rest is unknown"
                .to_owned(),
            at: None,
        });
    }
    notes.extend(unknown_attributes(&evaluated));
    let unknown_grants = unknown_grants(&evaluated, unfetched.as_deref());
    let mut part = contribution(ctx, first, evaluated, providers);
    mark_unknown_grants(&mut part, &unknown_grants);
    part.unknown_values = notes;
    Some(part)
}

/// Root modules an evaluating thread evaluates between two collections of the memory
/// their files' texts leave ([`crate::reclaim`]): at 20,000 IAM files, every 8, 32 or 128
/// gave the same peak (~107 MB, against ~124 MB without), at no measurable cost.
const RECLAIM_EVERY: usize = 32;

/// Stack of the threads that evaluate modules.
const EVAL_STACK: usize = 256 << 20;

thread_local! {
    /// Whether this thread has [`EVAL_STACK`] of stack ([`roomy_pool`]'s threads do).
    static ROOMY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A pool of `threads` threads (0: one per core) with room for evaluating modules. A
/// scan run in one evaluates its modules on the same threads that read the files, whose
/// allocator holds the memory the reading freed; on new threads every tree would be
/// built in fresh pages.
pub fn roomy_pool(threads: usize) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(EVAL_STACK)
        .start_handler(|_| ROOMY.set(true))
        .build()
}

/// Called folders that no root reaches through the calls (`seeds` are the roots' own
/// calls): each is only called from inside a cycle of calls, and is evaluated as a root
/// too, in path order, so that it is not left out.
fn cycle_roots(defs: &HashMap<PathBuf, ModuleDef>, seeds: Vec<PathBuf>) -> Vec<PathBuf> {
    let calls = |dir: &PathBuf| -> Vec<PathBuf> {
        defs.get(dir)
            .map(|def| {
                def.modules
                    .values()
                    .filter_map(|(block, _)| def.local_source(block))
                    .filter(|d| d != dir && defs.contains_key(d))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut reached: BTreeSet<PathBuf> = BTreeSet::new();
    let visit = |mut stack: Vec<PathBuf>, reached: &mut BTreeSet<PathBuf>| {
        while let Some(d) = stack.pop() {
            if defs.contains_key(&d) && reached.insert(d.clone()) {
                stack.extend(calls(&d));
            }
        }
    };
    visit(seeds, &mut reached);
    let mut sorted: Vec<&PathBuf> = defs.keys().collect();
    sorted.sort();
    let mut out = Vec::new();
    for dir in sorted {
        if !reached.contains(dir) {
            out.push(dir.clone());
            visit(vec![dir.clone()], &mut reached);
        }
    }
    out
}

/// A file `file()` names: read when it lies inside the scanned folders and is not too
/// large; placed when the scan has it as a file of its own.
fn read_for_function(
    ctx: &LoadContext,
    scan: &ScanFiles,
    path: &Path,
) -> Option<(Arc<str>, Option<Location>)> {
    if crate::discover::excluded_by_config(path, ctx.config) {
        return None;
    }
    let canonical = std::fs::canonicalize(path).ok()?;
    if !scan.roots.iter().any(|r| canonical.starts_with(r)) {
        return None;
    }
    // As every input is read: one open, a regular file, within --max-file-size.
    let bytes = crate::sources::read_file(&canonical, ctx.config.max_file_size).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let place = scan.id(path).map(|id| Location::bytes(id, 0, text.len()));
    // A byte-order mark would shift every position: such a file is placed as a whole.
    let place = place.filter(|_| !text.starts_with('\u{feff}'));
    Some((Arc::from(text.as_str()), place))
}

/// Attributes of IAM resources that decide who is who and who may do what, not known.
const DECIDING: &[&str] = &[
    "name",
    "path",
    "assume_role_policy",
    "policy",
    "role",
    "user",
    "group",
    "users",
    "roles",
    "groups",
    "policy_arn",
    "managed_policy_arns",
];

/// Notes for the deciding attributes of IAM resources that are not known, or whose
/// policy documents hold unknown parts.
fn unknown_attributes(evaluated: &[Evaluated]) -> Vec<UnknownValue> {
    let mut out = Vec::new();
    for e in evaluated
        .iter()
        .filter(|e| !e.data && e.kind.starts_with("aws_iam_"))
    {
        for key in DECIDING {
            let Some(node) = e.values.get(key) else {
                continue;
            };
            let why = match &node.value {
                Val::Unknown(why) => why.to_string(),
                Val::Json(inner) if inner.has_unknown() => {
                    "parts of the document are not known".to_owned()
                }
                _ => continue,
            };
            out.push(UnknownValue {
                what: format!("{}.{key}", e.address),
                why,
                at: node.loc().or_else(|| e.at.clone()),
            });
        }
    }
    out
}

/// Who may hold a grant the module makes but iamlint cannot place.
#[derive(Default)]
struct UnknownGrants {
    /// Every role, user (directly or through a group) of the module may hold one.
    all_roles: Option<String>,
    all_users: Option<String>,
    /// These (by name) may hold one.
    roles: Vec<(String, String)>,
    users: Vec<(String, String)>,
}

/// The grants of a module whose owner or policy is not known statically: a policy or
/// attachment for a role, user or group whose name is unknown, an attachment of an
/// unknown policy, a membership in unknown groups, and whatever a module iamlint does not
/// read may attach. The principals they may reach get an attached policy iamlint cannot
/// see (see [`mark_unknown_grants`]), so no rule says they lack a permission.
fn unknown_grants(evaluated: &[Evaluated], unfetched: Option<&str>) -> UnknownGrants {
    let mut out = UnknownGrants::default();
    let unknown = |e: &Evaluated, key: &str| e.values.get(key).is_some_and(Node::has_unknown);
    let text = |e: &Evaluated, key: &str| {
        e.values
            .get(key)
            .and_then(|n| n.as_text().map(|t| t.into_owned()))
    };
    for e in evaluated.iter().filter(|e| !e.data) {
        let why = || {
            format!(
                "`{}` grants to a principal or policy not known statically",
                e.address
            )
        };
        let owner_kind = match e.kind.as_str() {
            "aws_iam_role_policy" | "aws_iam_role_policy_attachment" => "role",
            "aws_iam_user_policy" | "aws_iam_user_policy_attachment" => "user",
            "aws_iam_group_policy" | "aws_iam_group_policy_attachment" => "group",
            "aws_iam_policy_attachment" => {
                if ["users", "roles", "groups", "policy_arn"]
                    .iter()
                    .any(|k| unknown(e, k))
                {
                    out.all_roles.get_or_insert_with(why);
                    out.all_users.get_or_insert_with(why);
                }
                continue;
            }
            "aws_iam_user_group_membership" | "aws_iam_group_membership" => {
                let (users_key, groups_key) = if e.kind == "aws_iam_group_membership" {
                    ("users", "group")
                } else {
                    ("user", "groups")
                };
                if unknown(e, users_key) {
                    out.all_users.get_or_insert_with(why);
                } else if unknown(e, groups_key) {
                    match e.values.get(users_key).map(|n| &n.value) {
                        Some(Val::List(items)) => {
                            for i in items {
                                if let Some(t) = i.as_text() {
                                    out.users.push((t.into_owned(), why()));
                                }
                            }
                        }
                        _ => out.users.extend(text(e, users_key).map(|t| (t, why()))),
                    }
                }
                continue;
            }
            "aws_iam_role" => {
                if unknown(e, "managed_policy_arns") || unknown(e, "inline_policy") {
                    out.roles.extend(text(e, "name").map(|t| (t, why())));
                }
                continue;
            }
            _ => continue,
        };
        let policy_unknown = unknown(e, "policy_arn");
        match (owner_kind, unknown(e, owner_kind)) {
            ("role", true) => {
                out.all_roles.get_or_insert_with(why);
            }
            ("user" | "group", true) => {
                out.all_users.get_or_insert_with(why);
            }
            ("group", false) if policy_unknown => {
                out.all_users.get_or_insert_with(why);
            }
            ("role", false) if policy_unknown => {
                out.roles.extend(text(e, "role").map(|t| (t, why())))
            }
            ("user", false) if policy_unknown => {
                out.users.extend(text(e, "user").map(|t| (t, why())))
            }
            _ => {}
        }
    }
    if let Some(module) = unfetched {
        let why = format!("`{module}` is not read and may grant to any principal of the module");
        out.all_roles.get_or_insert_with(|| why.clone());
        out.all_users.get_or_insert(why);
    }
    out
}

/// Gives the principals [`unknown_grants`] names an attached policy no inventory holds,
/// named after why: their grants are then incomplete, as with a managed policy iamlint
/// has not seen.
fn mark_unknown_grants(part: &mut Contribution, grants: &UnknownGrants) {
    // Everyone of a kind, or the one of that name.
    let why = |all: &Option<String>, named: &[(String, String)], name: &str| {
        all.clone().or_else(|| {
            named
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, w)| w.clone())
        })
    };
    let marker = |why: String| format!("(not known statically: {why})");
    for r in &mut part.roles {
        r.attached
            .extend(why(&grants.all_roles, &grants.roles, &r.name).map(marker));
    }
    for u in &mut part.users {
        u.attached
            .extend(why(&grants.all_users, &grants.users, &u.name).map(marker));
    }
}

/// Attributes of resources the back end reads beside the [`DECIDING`] ones (the rest,
/// tags and descriptions, is never turned into JSON).
const ALSO_READ: &[&str] = &["arn", "inline_policy", "max_session_duration", "account_id"];

fn is_read(key: &str) -> bool {
    DECIDING.contains(&key) || ALSO_READ.contains(&key)
}

/// The evaluated resources and providers of a root module as the back end addresses
/// them (`/resources/<i>/values/…`, `/providers/<i>/…`): each part is placed, and each
/// policy document found, by walking the nodes, only when asked.
struct VirtualDoc<'a> {
    evaluated: &'a [Evaluated],
    providers: &'a [(String, Node)],
}

impl VirtualDoc<'_> {
    /// The node at `path` and the place of the resource it is in.
    fn split<'p>(&self, path: &'p JsonPath) -> Option<(&Node, &'p [PathSeg], Option<Location>)> {
        match path.segments() {
            [PathSeg::Key(r), PathSeg::Index(i), PathSeg::Key(v), rest @ ..]
                if r == "resources" && v == "values" =>
            {
                let e = self.evaluated.get(*i)?;
                Some((&e.values, rest, e.at.clone()))
            }
            [PathSeg::Key(p), PathSeg::Index(i), rest @ ..] if p == "providers" => {
                Some((&self.providers.get(*i)?.1, rest, None))
            }
            _ => None,
        }
    }
}

impl HclSide for VirtualDoc<'_> {
    fn place(&self, path: &JsonPath) -> Option<Location> {
        if let [PathSeg::Key(r), PathSeg::Index(i)] = path.segments() {
            if r == "resources" {
                return self.evaluated.get(*i)?.at.clone();
            }
        }
        let (node, rest, resource) = self.split(path)?;
        node.place_at(rest, false).or(resource)
    }

    fn node(&self, path: &JsonPath) -> Option<&Node> {
        let (node, rest, _) = self.split(path)?;
        node.at_path(rest)
    }
}

/// One root module's resources and providers through the back end.
fn contribution(
    ctx: &LoadContext,
    first: &HclFile,
    evaluated: Vec<Evaluated>,
    providers: Vec<(String, Node)>,
) -> Contribution {
    let base = JsonPath::root().key("resources");
    let values: Vec<(Value, Option<Value>)> = evaluated
        .iter()
        .map(|e| match &e.values.value {
            Val::Object(members) => object_value(members.iter().filter(|m| is_read(&m.key))),
            _ => (Value::Null, None),
        })
        .collect();
    let provider_values: Vec<(Value, Option<Value>)> = providers
        .iter()
        .map(|(_, body)| virtual_value(body))
        .collect();
    let empty = Map::new();
    let resources: Vec<Resource> = evaluated
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (e, (value, mask)))| Resource {
            address: Cow::Borrowed(&e.address),
            module: Cow::Borrowed(&e.module),
            kind: &e.kind,
            data: e.data,
            attrs: Attrs {
                obj: value.as_object().unwrap_or(&empty),
                path: base.index(i).key("values"),
                unknown: mask.as_ref(),
                flavor: Flavor::Hcl,
            },
            at: base.index(i),
            account: e.account.as_ref().map(|(p, a)| (p.as_str(), a.as_str())),
        })
        .collect();
    let input = FileInput {
        id: first.id,
        path: &first.path,
        text: "",
        offset: 0,
    };
    let side = VirtualDoc {
        evaluated: &evaluated,
        providers: &providers,
    };
    let mut loader = Loader::new(ctx, &input);
    loader.hcl = Some(&side);
    loader.load_resources(&resources, &ConfigIndex::new());
    let provider_base = JsonPath::root().key("providers");
    for (i, ((name, _), (value, mask))) in providers.iter().zip(&provider_values).enumerate() {
        let attrs = Attrs {
            obj: value.as_object().unwrap_or(&empty),
            path: provider_base.index(i),
            unknown: mask.as_ref(),
            flavor: Flavor::Hcl,
        };
        loader.load_provider(name.clone(), &attrs);
    }
    loader.out
}

/// A node as the back end reads values: JSON, with an `after_unknown`-style mask of what
/// is unknown (None when nothing is). A policy document built from a value stands as a
/// placeholder text: the back end reads it from the node (see [`VirtualDoc`]).
fn virtual_value(node: &Node) -> (Value, Option<Value>) {
    match &node.value {
        Val::Unknown(_) => (Value::Null, Some(Value::Bool(true))),
        Val::Json(_) => (Value::String("{…}".to_owned()), None),
        Val::List(items) => {
            let mut masks = Vec::with_capacity(items.len());
            let mut any = false;
            let values = items
                .iter()
                .map(|item| {
                    let (v, m) = virtual_value(item);
                    any |= m.is_some();
                    masks.push(m.unwrap_or(Value::Bool(false)));
                    v
                })
                .collect();
            (Value::Array(values), any.then_some(Value::Array(masks)))
        }
        Val::Object(members) => object_value(members.iter()),
        _ => (node.to_json().unwrap_or(Value::Null), None),
    }
}

fn object_value<'a>(members: impl Iterator<Item = &'a value::Member>) -> (Value, Option<Value>) {
    let mut map = Map::new();
    let mut masks = Map::new();
    for m in members {
        let (v, mask) = virtual_value(&m.value);
        if let Some(mask) = mask {
            masks.insert(String::from(&*m.key), mask);
        }
        map.insert(String::from(&*m.key), v);
    }
    let mask = (!masks.is_empty()).then_some(Value::Object(masks));
    (Value::Object(map), mask)
}
