//! Shared by every target: writes the input as one file under a per-process scratch
//! folder, with a name that makes it "ours" for the loader under test, then runs the whole
//! pipeline on it (discover, sniff, load, graph, every rule, position resolution and all
//! four reporters). Anything that panics anywhere on the way is a crash.

use std::path::PathBuf;

use iamlint::config::Config;
use iamlint::report::{self, SourceCache};
use iamlint::rules::registry;

fn scratch() -> PathBuf {
    let base = std::env::var_os("IAMLINT_FUZZ_TMP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            if std::path::Path::new("/dev/shm").is_dir() {
                PathBuf::from("/dev/shm")
            } else {
                std::env::temp_dir()
            }
        });
    base.join(format!("iamlint-fuzz-{}", std::process::id()))
}

/// Scans `data` as the file `rel` (a path inside the scratch folder).
pub fn scan_as(rel: &str, data: &[u8]) {
    let root = scratch();
    let _ = std::fs::remove_dir_all(&root);
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("scratch folder");
    }
    std::fs::write(&path, data).expect("scratch file");
    let config = Config {
        root: root.clone(),
        ..Config::default()
    };
    let scan = iamlint::scan(std::slice::from_ref(&root), config, registry()).expect("scan runs");
    let mut cache = SourceCache::new(&scan.inventory);
    let results = report::resolve(scan.findings, &mut cache);
    let _ = report::json::render(&results, 1, None);
    let _ = report::sarif::render(&results, None);
    let _ = report::github::render(&results, None);
    let _ = report::human::render(&results, &mut cache, false, 1, None, None);
    let _ = scan.graph.render(&scan.inventory, iamlint::cli::GraphFormat::Json, None, None);
    let _ = iamlint::inventory_view::json(&scan.inventory);
}

/// Picks one of `names` with the first byte and returns it with the rest of the input.
pub fn split<'a>(data: &'a [u8], names: &[&'static str]) -> (&'static str, &'a [u8]) {
    match data.split_first() {
        Some((b, rest)) => (names[*b as usize % names.len()], rest),
        None => (names[0], data),
    }
}
