//! Walks the scan paths and returns the sorted list of candidate files. Cheap: it looks at
//! names only (content sniffing happens in `sources`), never follows symbolic links to
//! folders (so link loops cannot trap it), reads a link to a file as that file, and prunes
//! folders that never hold configuration of ours (VCS metadata, dependencies, build output).

use std::path::{Path, PathBuf};

use globset::GlobSet;
use walkdir::WalkDir;

use crate::config::Config;

/// Folders never descended into.
const PRUNED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".terraform",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".idea",
    ".vscode",
    "cdk.out.cache",
];

/// A file the walk found, with a problem when it could not be examined.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    /// Set when the walk itself failed on this entry (permission denied, symlink loop).
    pub walk_error: Option<String>,
}

/// Whether a file name could hold something iamlint reads.
pub fn is_candidate_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json")
        || lower.ends_with(".template")
        || lower.ends_with(".tfstate")
        || lower == "config"
        || lower == "credentials"
        || lower.ends_with(".aws-config")
        || lower == "aws_config"
        || crate::sources::switch_links::is_doc_name(&lower)
}

/// Files under `paths`. One path is walked in a fixed order (names sorted at every
/// level), which is also sorted path order; several are sorted and deduplicated. Paths
/// named explicitly are always candidates, whatever their name; `exclude` globs apply to
/// walked entries.
pub fn discover(paths: &[PathBuf], config: &Config) -> Vec<Candidate> {
    let mut out = Vec::new();
    for top in paths {
        walk(top, config, &mut |c| out.push(c));
    }
    if paths.len() > 1 {
        out.sort();
        out.dedup_by(|a, b| a.path == b.path);
    }
    out
}

/// Walks one scan path and hands each candidate to `emit` as it is found, in the order
/// [`discover`] returns them for that path alone, so loading can start before the walk
/// ends.
pub fn walk(top: &Path, config: &Config, emit: &mut dyn FnMut(Candidate)) {
    let meta = std::fs::symlink_metadata(top);
    if meta.as_ref().is_ok_and(|m| m.is_file()) {
        emit(Candidate {
            path: top.to_path_buf(),
            walk_error: None,
        });
        return;
    }
    let walker = WalkDir::new(top)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_dir()
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| PRUNED_DIRS.contains(&n)))
        });
    for entry in walker {
        match entry {
            Ok(e) => {
                let path = e.path();
                if is_excluded(path, &config.exclude, config)
                    || is_excluded(path, &config.cli_exclude, config)
                {
                    continue;
                }
                if e.file_type().is_file() && is_candidate_name(path) {
                    emit(Candidate {
                        path: path.to_path_buf(),
                        walk_error: None,
                    });
                } else if e.file_type().is_symlink() && is_candidate_name(path) {
                    // A shared policy linked into a role's folder is that role's policy:
                    // read it. A loop or a dangling link is reported, not skipped.
                    let walk_error = match std::fs::metadata(path) {
                        Ok(m) if m.is_file() => None,
                        Ok(m) if m.is_dir() => continue,
                        Ok(_) => Some("not a regular file".to_owned()),
                        Err(e) => Some(format!("broken symbolic link: {e}")),
                    };
                    emit(Candidate {
                        path: path.to_path_buf(),
                        walk_error,
                    });
                } else if !e.file_type().is_file()
                    && !e.file_type().is_dir()
                    && !e.file_type().is_symlink()
                    && is_candidate_name(path)
                {
                    // FIFOs, sockets, devices: never opened (a FIFO would block).
                    emit(Candidate {
                        path: path.to_path_buf(),
                        walk_error: Some("not a regular file".into()),
                    });
                }
            }
            Err(err) => {
                if let Some(path) = err.path() {
                    let reason = err
                        .io_error()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| err.to_string());
                    emit(Candidate {
                        path: path.to_path_buf(),
                        walk_error: Some(reason),
                    });
                }
            }
        }
    }
}

fn is_excluded(path: &Path, exclude: &GlobSet, config: &Config) -> bool {
    if exclude.is_empty() {
        return false;
    }
    exclude.is_match(config.relative(path)) || exclude.is_match(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loading numbers files in walk order (`lib::discover_and_load`); that is only the
    /// same as sorted path order, which `discover` gives for several paths, if the walk
    /// yields paths sorted. Names that sort differently as strings and as paths
    /// (`a/b.json` against `a-b.json` and `a.json`) are the ones that could break it.
    #[test]
    fn one_walk_yields_sorted_paths() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            "a/b.json",
            "a/c/policy.json",
            "a-b.json",
            "a.json",
            "a b/trust.json",
            "A/config",
            "_x/credentials",
            "b.json",
            "a/b/c.json",
            "ab.json",
        ];
        for f in files {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "{}").expect("write");
        }
        let mut walked = Vec::new();
        walk(dir.path(), &Config::default(), &mut |c| walked.push(c.path));
        let mut sorted = walked.clone();
        sorted.sort();
        assert_eq!(walked.len(), files.len());
        assert_eq!(walked, sorted);
    }
}
