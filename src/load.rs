//! Loading: a walk feeds the thread pool, which loads each candidate file and runs the
//! document rules on what it gives; Terraform modules are evaluated once every `.tf` file
//! is read.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::model::inventory::{Contribution, SourceFile, SourceFormat};
use crate::rules::{self, Rule};
use crate::{discover, progress, sources};

/// A candidate file and what loading it gave: its format, whether its text may be shown,
/// and its contribution, None when empty (half a monorepo's files contribute nothing, and
/// an empty contribution, even boxed, is hundreds of bytes: 8 MB over 20,000 `.tf` files).
pub(crate) type Loaded = (
    discover::Candidate,
    (SourceFormat, bool, Option<Box<Contribution>>),
    Option<Box<sources::terraform::HclRead>>,
);

/// Walks the scan paths and loads every candidate on the thread pool, numbering files in
/// discovery order (deterministic whatever the thread count). With one scan path, loading
/// starts while the walk goes on: a walker thread feeds the pool, so the walk's time hides
/// behind the loading instead of coming before it. The document rules run on each file's
/// documents right after it is loaded.
pub(crate) fn discover_and_load(
    paths: &[PathBuf],
    config: &Config,
    ctx: &sources::LoadContext,
    rules: &[&'static dyn Rule],
) -> (Vec<Loaded>, usize) {
    let load = |i: usize, c: discover::Candidate| {
        let mut hcl = None;
        let (format, mut part) = sources::load_candidate(ctx, i as u32, &c, &mut hcl);
        rules::check_documents(rules, &mut part);
        part.shrink_to_fit();
        progress::file_read();
        let shows = !part.hide_source;
        let part = (!part.is_empty()).then(|| Box::new(part));
        (c, (format, shows, part), hcl)
    };
    let [top] = paths else {
        let (candidates, seen) = discover::discover_counting(paths, config);
        let loaded = candidates
            .into_par_iter()
            .enumerate()
            .map(|(i, c)| load(i, c))
            .collect();
        return (loaded, seen);
    };
    // Bounded, so a walk far ahead of the loaders does not hold every path at once. Paths
    // go over in batches: one send and one wake-up per file cost as much as reading a
    // small file (futex calls and context switches, 5-8% of a scan of 20,000 `.tf` files).
    type Batch = Vec<(usize, discover::Candidate)>;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(WALK_QUEUE / WALK_BATCH);
    let (mut loaded, seen): (Vec<(usize, Loaded)>, usize) = std::thread::scope(|s| {
        let walker = s.spawn(move || {
            let mut next = 0usize;
            let mut batch = Vec::with_capacity(WALK_BATCH);
            let roots = discover::canonical_roots(paths);
            // The receiver only goes away when loading panicked; the rest is dropped then.
            let seen = discover::walk(top, &roots, config, &mut |c| {
                batch.push((next, c));
                next += 1;
                if batch.len() == WALK_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(WALK_BATCH));
                    let _ = tx.send(full);
                }
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            seen
        });
        let loaded = rx
            .into_iter()
            .par_bridge()
            .flat_map_iter(|batch| batch.into_iter().map(|(i, c)| (i, load(i, c))))
            .collect();
        // The walk has ended (the channel is closed); a walker that panicked counted
        // nothing more that it can tell.
        (loaded, walker.join().unwrap_or(0))
    });
    loaded.par_sort_unstable_by_key(|(i, _)| *i);
    (loaded.into_iter().map(|(_, l)| l).collect(), seen)
}

/// Paths the walk may be ahead of the loaders by, and how many go to a loader at once.
/// The walk is one thread: when the loaders reach a run of files they only read (a
/// folder of `.tf` files without IAM, unrelated JSON), they drain the queue faster than
/// it refills, so the walk should by then be far ahead. 65,536 paths are a few MB.
const WALK_QUEUE: usize = 65_536;
const WALK_BATCH: usize = 16;

/// Evaluates the Terraform modules whose `.tf` files were read, with the document rules
/// run on what each gives, as `check_documents` runs them on every other file. The reads
/// stay boxed as loaded (see `select`).
#[allow(clippy::vec_box)]
pub(crate) fn load_terraform_modules(
    ctx: &sources::LoadContext,
    files: &[SourceFile],
    hcl_files: Vec<Box<sources::terraform::HclRead>>,
    paths: &[PathBuf],
    rules: &[&'static dyn Rule],
) -> sources::terraform::Modules {
    let scan = sources::terraform::ScanFiles::new(
        files.iter().map(|f| (f.path.as_path(), f.id)).collect(),
        discover::canonical_roots(paths),
    );
    let finish = |part: &mut Contribution| {
        rules::check_documents(rules, part);
        part.shrink_to_fit();
    };
    sources::terraform::load_modules(ctx, hcl_files, &scan, &finish)
}
