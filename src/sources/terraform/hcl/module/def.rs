//! A module's definition: the blocks of one folder's files, by kind and name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use foldhash::HashMap;

use super::super::ast::{Block, Expr, ExprKind};
use super::super::parse::{HclFile, HclKind};

/// A definition with the file it is written in.
pub(super) type Def<'f, T> = (&'f T, &'f HclFile);

/// The blocks of one folder's files, by kind and name.
#[derive(Default)]
pub struct ModuleDef<'f> {
    pub dir: PathBuf,
    pub files: Vec<&'f HclFile>,
    pub(super) variables: BTreeMap<String, Def<'f, Block>>,
    pub(super) locals: HashMap<String, Def<'f, Expr>>,
    /// Managed resources by `type.name`.
    pub resources: BTreeMap<String, Def<'f, Block>>,
    /// Data sources by `type.name`.
    pub(super) data: BTreeMap<String, Def<'f, Block>>,
    pub modules: BTreeMap<String, Def<'f, Block>>,
    pub(super) providers: Vec<Def<'f, Block>>,
    pub(super) outputs: HashMap<String, Def<'f, Expr>>,
    /// Values of `terraform.tfvars` and `*.auto.tfvars` (later files win).
    pub(super) auto_vars: HashMap<String, Def<'f, Expr>>,
    /// Values of other `*.tfvars`, which a run may or may not be given.
    pub(super) optional_vars: HashMap<String, Vec<Def<'f, Expr>>>,
    pub(super) optional_var_files: usize,
}

impl<'f> ModuleDef<'f> {
    pub fn new(dir: PathBuf, mut files: Vec<&'f HclFile>) -> Self {
        // File ids follow path order.
        files.sort_by_key(|f| f.id);
        let mut def = ModuleDef {
            dir,
            ..ModuleDef::default()
        };
        // Terraform loads `terraform.tfvars` first, then `*.auto.tfvars` in name order: a
        // later file's value wins, so they are applied in that order.
        let mut in_load_order = files.clone();
        in_load_order.sort_by_key(|f| {
            let name = f
                .path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            (!name.eq_ignore_ascii_case("terraform.tfvars"), f.id)
        });
        for file in &in_load_order {
            let file: &'f HclFile = file;
            match file.kind {
                HclKind::Config => def.add_config(file),
                HclKind::AutoVars => {
                    for attr in file.body.attributes.iter() {
                        def.auto_vars
                            .insert(String::from(&*attr.key), (&attr.value, file));
                    }
                }
                HclKind::OptionalVars => {
                    def.optional_var_files += 1;
                    for attr in file.body.attributes.iter() {
                        def.optional_vars
                            .entry(String::from(&*attr.key))
                            .or_default()
                            .push((&attr.value, file));
                    }
                }
            }
        }
        def.files = files;
        def
    }

    fn add_config(&mut self, file: &'f HclFile) {
        for block in file.body.blocks.iter() {
            let label = |i: usize| block.label(i).map(str::to_owned);
            match (&*block.ident, label(0), label(1)) {
                ("variable", Some(name), _) => {
                    self.variables.insert(name, (block, file));
                }
                ("locals", ..) => {
                    for attr in block.body.attributes.iter() {
                        self.locals
                            .insert(String::from(&*attr.key), (&attr.value, file));
                    }
                }
                ("resource", Some(kind), Some(name)) => {
                    self.resources
                        .insert(format!("{kind}.{name}"), (block, file));
                }
                ("data", Some(kind), Some(name)) => {
                    self.data.insert(format!("{kind}.{name}"), (block, file));
                }
                // A module block takes one label; Terraform refuses one with more.
                ("module", Some(name), None) => {
                    self.modules.insert(name, (block, file));
                }
                ("provider", Some(name), _) if name == "aws" => self.providers.push((block, file)),
                ("output", Some(name), _) => {
                    if let Some(attr) = block.body.get_attribute("value") {
                        self.outputs.insert(name, (&attr.value, file));
                    }
                }
                _ => {}
            }
        }
    }

    /// The folder a local module call's `source` names, lexically (`./x`, `../x`); None for
    /// a registry, git or other remote source.
    pub fn local_source(&self, call: &Block) -> Option<PathBuf> {
        local_source(&self.dir, call)
    }
}

/// The folder a local module call written in folder `dir` names (see
/// [`ModuleDef::local_source`]).
pub fn local_source(dir: &Path, call: &Block) -> Option<PathBuf> {
    let ExprKind::String(source) = &call.body.get_attribute("source")?.value.kind else {
        return None;
    };
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    Some(normalize(&dir.join(&**source)))
}

/// `a/./b/../c` as `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
