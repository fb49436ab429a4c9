//! Which folders of `.tf` files are evaluated, and the parsing their deferred files wait
//! for. A folder is evaluated when one of its files may matter to IAM
//! ([`super::skim::may_matter`]), and so is every folder such a folder calls as a local
//! module, down the calls: their variables, locals and outputs feed the IAM. Files of
//! other folders are never parsed (their structure was checked when they were read).

use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;

use super::module;
use super::parse::{Deferred, HclFile, HclRead};
use crate::model::inventory::Contribution;
use crate::model::location::FileId;

/// The files of the folders to evaluate, and what choosing them found.
pub struct Selected {
    /// Each folder (normalised) with its files in path order.
    pub folders: Vec<(PathBuf, Vec<HclFile>)>,
    /// Syntax findings and credentials of files parsed here.
    pub found: Vec<Contribution>,
    /// Files that did not parse here: nothing of them may be shown.
    pub failed: Vec<FileId>,
    /// Files never parsed: nothing of them may be shown either.
    pub unparsed: Vec<FileId>,
}

pub fn select(reads: Vec<HclRead>) -> Selected {
    let mut parsed: HashMap<PathBuf, Vec<HclFile>> = HashMap::new();
    let mut deferred: HashMap<PathBuf, Vec<Deferred>> = HashMap::new();
    let mut last: Option<(PathBuf, PathBuf)> = None;
    for read in reads {
        // Files arrive in path order: a folder is normalised once per run of its files.
        let parent = read.path().parent().unwrap_or(Path::new("."));
        let dir = match &last {
            Some((p, d)) if p == parent => d.clone(),
            _ => {
                let d = module::normalize(parent);
                last = Some((parent.to_path_buf(), d.clone()));
                d
            }
        };
        match read {
            HclRead::Parsed(f) => parsed.entry(dir).or_default().push(f),
            HclRead::Deferred(d) => deferred.entry(dir).or_default().push(d),
        }
    }
    let mut wanted: HashSet<PathBuf> = parsed
        .iter()
        .filter(|(_, files)| files.iter().any(|f| f.matters))
        .map(|(dir, _)| dir.clone())
        .collect();
    let mut out = Selected {
        folders: Vec::new(),
        found: Vec::new(),
        failed: Vec::new(),
        unparsed: Vec::new(),
    };
    // In waves: the wanted folders' deferred files are parsed together, then the folders
    // their module calls name are wanted in turn.
    let mut wave: Vec<PathBuf> = wanted.iter().cloned().collect();
    while !wave.is_empty() {
        let waiting: Vec<(PathBuf, Deferred)> = wave
            .iter()
            .filter_map(|dir| Some((dir, deferred.remove(dir)?)))
            .flat_map(|(dir, files)| files.into_iter().map(move |d| (dir.clone(), d)))
            .collect();
        let results: Vec<_> = waiting
            .into_par_iter()
            .map(|(dir, d)| (dir, d.id, d.parse()))
            .collect();
        for (dir, id, (file, mut found)) in results {
            match file {
                Ok(file) => parsed.entry(dir).or_default().push(file),
                Err(finding) => {
                    found.findings.push(*finding);
                    out.failed.push(id);
                }
            }
            if !(found.findings.is_empty()
                && found.secrets.is_empty()
                && found.redactions.is_empty())
            {
                out.found.push(found);
            }
        }
        let mut next = Vec::new();
        for dir in &wave {
            for file in parsed.get(dir).into_iter().flatten() {
                for call in file.body.get_blocks("module") {
                    if let Some(target) = module::local_source(dir, call) {
                        if wanted.insert(target.clone()) {
                            next.push(target);
                        }
                    }
                }
            }
        }
        wave = next;
    }
    out.unparsed = deferred.values().flatten().map(|d| d.id).collect();
    let (keep, unwanted): (Vec<_>, Vec<_>) = parsed
        .into_iter()
        .partition(|(dir, _)| wanted.contains(dir));
    // Thousands of small trees and texts: freed on every thread rather than one.
    rayon::join(
        || unwanted.into_par_iter().for_each(|_| {}),
        || deferred.into_par_iter().for_each(|_| {}),
    );
    out.folders = keep;
    for (_, files) in &mut out.folders {
        files.sort_by_key(|f| f.id);
    }
    out.folders.sort_by(|a, b| a.0.cmp(&b.0));
    out.failed.sort_unstable();
    out.unparsed.sort_unstable();
    out
}
