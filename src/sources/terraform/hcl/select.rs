//! Which folders of `.tf` files are evaluated, and which of their files are parsed when.
//! A folder is evaluated when one of its files may matter to IAM
//! ([`super::skim::Interest`]), and so is every folder such a folder calls as a local
//! module, down the calls: their variables, locals and outputs feed the IAM. Files of
//! other folders are never parsed (their structure is checked instead).
//!
//! Folders that others call are parsed here, as every instance shares them. A root
//! folder's files wait: each is parsed on the thread that evaluates that root, just
//! before it does, so the tree is evaluated while still in cache and freed as soon as the
//! root is done, instead of every tree of the scan being held at once.

use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;

use super::module;
use super::parse::{named_vars, Deferred, FilePaths, HclFile, HclRead, RootUse};
use crate::finding::Finding;
use crate::model::inventory::Contribution;
use crate::model::location::FileId;

/// The folders to evaluate, and what choosing them found.
pub struct Selected {
    /// Folders an evaluated folder calls as a local module (normalised), each with its
    /// files parsed, in path order.
    pub called: Vec<(PathBuf, Vec<HclFile>)>,
    /// Folders to evaluate that no evaluated folder calls, in path order.
    pub roots: Vec<Root>,
    /// Syntax findings and credentials of files parsed here.
    pub found: Vec<Contribution>,
    /// Files that did not parse here: nothing of them may be shown.
    pub failed: Vec<FileId>,
    /// Files never parsed: nothing of them may be shown either.
    pub unparsed: Vec<FileId>,
}

/// A root folder: the files parsed while the scan read them, and those still to parse.
pub struct Root {
    pub dir: PathBuf,
    pub parsed: Vec<HclFile>,
    pub waiting: Vec<Deferred>,
}

/// What parsing a folder's waiting files gave.
#[derive(Default)]
pub struct Parsed {
    pub files: Vec<HclFile>,
    pub found: Vec<Contribution>,
    pub failed: Vec<FileId>,
}

impl Parsed {
    /// Takes in what [`Deferred::parse`] gave for file `id`: the file, or its finding (and
    /// the file is then one nothing of may be shown), and any credential it holds.
    fn add(
        &mut self,
        id: FileId,
        (file, mut found): (Result<HclFile, Box<Finding>>, Contribution),
    ) {
        match file {
            Ok(file) => self.files.push(file),
            Err(finding) => {
                found.findings.push(*finding);
                self.failed.push(id);
            }
        }
        if !(found.findings.is_empty() && found.secrets.is_empty() && found.redactions.is_empty()) {
            self.found.push(found);
        }
    }
}

impl Root {
    /// Parses the waiting files (on this thread): the folder's files in path order.
    pub fn parse(self, paths: &dyn FilePaths) -> (PathBuf, Parsed) {
        // Which variables the folder names is known when all of its text is at hand (the
        // files parsed while reading keep none).
        let vars = self
            .parsed
            .is_empty()
            .then(|| named_vars(self.waiting.iter().map(Deferred::text)));
        let root = RootUse {
            vars: vars.as_ref(),
        };
        let mut out = Parsed {
            files: self.parsed,
            ..Parsed::default()
        };
        for d in &self.waiting {
            out.add(d.id, d.parse_in(paths.path_of(d.id), Some(&root)));
        }
        out.files.sort_by_key(|f| f.id);
        (self.dir, out)
    }
}

/// Takes the files boxed as the loaders made them: moved into one list, 40,000 files'
/// worth was megabytes of new memory while the boxes were still held.
#[allow(clippy::vec_box)] // boxed on purpose, see above
pub fn select(reads: Vec<Box<HclRead>>, paths: &dyn FilePaths) -> Selected {
    let mut parsed: HashMap<PathBuf, Vec<HclFile>> = HashMap::new();
    let mut deferred: HashMap<PathBuf, Vec<Deferred>> = HashMap::new();
    let mut last: Option<(PathBuf, PathBuf)> = None;
    for read in reads {
        // Files arrive in path order: a folder is normalised once per run of its files.
        let parent = read.path(paths).parent().unwrap_or(Path::new("."));
        let dir = match &last {
            Some((p, d)) if p == parent => d.clone(),
            _ => {
                let d = module::normalize(parent);
                last = Some((parent.to_path_buf(), d.clone()));
                d
            }
        };
        match *read {
            HclRead::Parsed(f) => parsed.entry(dir).or_default().push(*f),
            HclRead::Deferred(d) => deferred.entry(dir).or_default().push(d),
        }
    }
    // Every file that may call a local module was parsed while the scan read it, so the
    // calls between folders are all known here.
    let calls = |dir: &PathBuf| -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = parsed
            .get(dir)
            .into_iter()
            .flatten()
            .flat_map(|f| f.body.get_blocks("module"))
            .filter_map(|call| module::local_source(dir, call))
            .filter(|t| t != dir && (parsed.contains_key(t) || deferred.contains_key(t)))
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let mut wanted: HashSet<PathBuf> = parsed
        .iter()
        .filter(|(_, files)| files.iter().any(|f| f.matters))
        .map(|(dir, _)| dir.clone())
        .chain(
            deferred
                .iter()
                .filter(|(_, files)| files.iter().any(Deferred::matters))
                .map(|(dir, _)| dir.clone()),
        )
        .collect();
    let mut called: HashSet<PathBuf> = HashSet::default();
    let mut stack: Vec<PathBuf> = wanted.iter().cloned().collect();
    while let Some(dir) = stack.pop() {
        for target in calls(&dir) {
            called.insert(target.clone());
            if wanted.insert(target.clone()) {
                stack.push(target);
            }
        }
    }
    let mut out = Selected {
        called: Vec::new(),
        roots: Vec::new(),
        found: Vec::new(),
        failed: Vec::new(),
        unparsed: Vec::new(),
    };
    // Called folders are parsed now, their files in parallel.
    let waiting: Vec<(PathBuf, Deferred)> = called
        .iter()
        .filter_map(|dir| Some((dir, deferred.remove(dir)?)))
        .flat_map(|(dir, files)| files.into_iter().map(move |d| (dir.clone(), d)))
        .collect();
    let results: Vec<_> = waiting
        .into_par_iter()
        .map(|(dir, d)| (dir, d.id, d.parse(paths.path_of(d.id))))
        .collect();
    for (dir, id, result) in results {
        let mut one = Parsed::default();
        one.add(id, result);
        parsed.entry(dir).or_default().extend(one.files);
        out.found.extend(one.found);
        out.failed.extend(one.failed);
    }
    for dir in &called {
        let mut files = parsed.remove(dir).unwrap_or_default();
        files.sort_by_key(|f| f.id);
        out.called.push((dir.clone(), files));
    }
    for dir in wanted.iter().filter(|d| !called.contains(*d)) {
        let mut parsed = parsed.remove(dir).unwrap_or_default();
        parsed.sort_by_key(|f| f.id);
        let mut waiting = deferred.remove(dir).unwrap_or_default();
        waiting.sort_by_key(|d| d.id);
        out.roots.push(Root {
            dir: dir.clone(),
            parsed,
            waiting,
        });
    }
    // The files of folders that do not matter are never parsed, unless their structure
    // does not look sound: hcl-edit's error is then the finding. (Boxed: a parse result
    // inline is hundreds of bytes, and tens of thousands of files are only checked.)
    let checked: Vec<(FileId, Option<Box<_>>)> = deferred
        .into_par_iter()
        .flat_map_iter(|(_, files)| files)
        .map(|d| {
            (
                d.id,
                d.unsound().then(|| Box::new(d.parse(paths.path_of(d.id)))),
            )
        })
        .collect();
    for (id, result) in checked {
        match result {
            None => out.unparsed.push(id),
            Some(result) => {
                let mut one = Parsed::default();
                one.add(id, *result);
                out.found.extend(one.found);
                out.failed.extend(one.failed);
            }
        }
    }
    // Thousands of small trees: freed on every thread rather than one.
    parsed.into_par_iter().for_each(|_| {});
    out.called.sort_by(|a, b| a.0.cmp(&b.0));
    out.roots.sort_by(|a, b| a.dir.cmp(&b.dir));
    out.failed.sort_unstable();
    out.unparsed.sort_unstable();
    out
}
