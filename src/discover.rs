//! Walks the scan paths and returns the sorted list of candidate files. Cheap: it looks at
//! names only (content sniffing happens in `sources`), never follows symbolic links to
//! folders (so link loops cannot trap it), reads a link to a file as that file when the
//! file lies inside a scanned path (a link that leads outside, to a home folder's dotenv or
//! credentials file, is handed over marked, never read, and reported once), and prunes
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
    /// A symbolic link whose target lies outside every scanned path: never read (the
    /// scan reports such links once, as a note).
    pub outside_roots: bool,
    /// How the walk came to hand it over, which says how hard loading looks at it.
    pub found: Found,
}

/// How a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Found {
    /// Its name is one iamlint reads ([`is_candidate_name`]).
    ByName,
    /// Named on the command line: read whatever its name, its format told by content,
    /// and a note when it is none iamlint reads.
    Named,
    /// A small file whose name says nothing ([`may_be_config_by_name`]): read only if its
    /// content is an AWS CLI config or credentials file, silently dropped otherwise.
    ByContent,
}

/// The scanned paths as canonical folders (a file's folder for a file), to tell which
/// symbolic links lead outside them. Paths that cannot be resolved are left out.
pub fn canonical_roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .map(|p| match p.parent() {
            Some(parent) if p.is_file() => parent.to_path_buf(),
            _ => p,
        })
        .collect()
}

/// Whether a link's target lies outside every root (an unresolvable target counts as
/// outside: it cannot be shown to be inside).
fn leads_outside(link: &Path, roots: &[PathBuf]) -> bool {
    match std::fs::canonicalize(link) {
        Ok(target) => !roots.iter().any(|root| target.starts_with(root)),
        Err(_) => true,
    }
}

/// Whether a file name could hold something iamlint reads.
pub fn is_candidate_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json")
        || lower.ends_with(".tf")
        || lower.ends_with(".tfvars")
        || lower.ends_with(".template")
        || lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".tfstate")
        || lower == "config"
        || lower == "credentials"
        || lower.ends_with(".aws-config")
        || lower == "aws_config"
        || crate::sources::switch_links::is_doc_name(&lower)
}

/// Extensions of files that are never an AWS CLI config or credentials file: source code,
/// documents, data and binaries. A file with any other extension (`.cfg`, `.ini`, `.conf`,
/// `.txt`, `.prod`) or none (`aws-config`, `shared_config`) may be one, and is looked at
/// by content when it is small.
const UNRELATED_EXTENSIONS: &[&str] = &[
    "7z",
    "a",
    "adoc",
    "avi",
    "avro",
    "bash",
    "bat",
    "bib",
    "bin",
    "bmp",
    "bz2",
    "c",
    "cc",
    "cjs",
    "class",
    "clj",
    "cmd",
    "cpp",
    "cs",
    "css",
    "csv",
    "cts",
    "dart",
    "db",
    "dll",
    "docx",
    "dylib",
    "ear",
    "egg",
    "elm",
    "eot",
    "erl",
    "ex",
    "exe",
    "exs",
    "fish",
    "gem",
    "gif",
    "go",
    "gradle",
    "graphql",
    "gz",
    "h",
    "hcl",
    "hpp",
    "hs",
    "htm",
    "html",
    "ico",
    "ipynb",
    "jar",
    "java",
    "jpeg",
    "jpg",
    "js",
    "json",
    "jsx",
    "kt",
    "kts",
    "less",
    "lock",
    "log",
    "lua",
    "map",
    "markdown",
    "md",
    "mjs",
    "mkv",
    "ml",
    "mod",
    "mov",
    "mp3",
    "mp4",
    "mts",
    "nix",
    "o",
    "otf",
    "parquet",
    "pdf",
    "php",
    "pl",
    "pm",
    "png",
    "properties",
    "proto",
    "ps1",
    "py",
    "pyc",
    "pyi",
    "pyo",
    "r",
    "rar",
    "rb",
    "rs",
    "rst",
    "sass",
    "scala",
    "scss",
    "sh",
    "so",
    "sql",
    "sqlite",
    "sum",
    "svelte",
    "svg",
    "swift",
    "tar",
    "template",
    "tex",
    "tf",
    "tfstate",
    "tfvars",
    "tgz",
    "tiff",
    "toml",
    "ts",
    "tsv",
    "tsx",
    "ttf",
    "vue",
    "war",
    "wasm",
    "wav",
    "webp",
    "whl",
    "woff",
    "woff2",
    "xml",
    "xz",
    "yaml",
    "yml",
    "zip",
    "zsh",
    "zst",
];

/// Names without an extension that are never an AWS CLI config or credentials file.
const UNRELATED_NAMES: &[&str] = &[
    ".dockerignore",
    ".ds_store",
    ".editorconfig",
    ".env",
    ".gitattributes",
    ".gitconfig",
    ".gitignore",
    ".gitmodules",
    ".npmignore",
    ".nvmrc",
    ".prettierignore",
    ".python-version",
    ".tool-versions",
    "brewfile",
    "codeowners",
    "dockerfile",
    "gemfile",
    "jenkinsfile",
    "license",
    "makefile",
    "notice",
    "procfile",
    "rakefile",
    "readme",
    "vagrantfile",
];

/// Whether a file whose name is not one iamlint reads may still be an AWS CLI config or
/// credentials file saved under another name (`aws-config`, `shared_config`, `prod.cfg`):
/// its name has no extension of [`UNRELATED_EXTENSIONS`] and is not one of
/// [`UNRELATED_NAMES`]. Such a file is read only when it is small, and kept only when its
/// content says so (`sources::aws_ini::kind_by_content`).
pub fn may_be_config_by_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    if UNRELATED_NAMES.contains(&lower.as_str()) {
        return false;
    }
    // `.bashrc` has no extension; `x.tar.gz` has `gz`.
    match lower.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            !ext.is_empty() && UNRELATED_EXTENSIONS.binary_search(&ext).is_err()
        }
        _ => true,
    }
}

/// Files under `paths`. One path is walked in a fixed order (names sorted at every
/// level), which is also sorted path order; several are sorted and deduplicated. Paths
/// named explicitly are always candidates, whatever their name; `exclude` globs apply to
/// walked entries.
pub fn discover(paths: &[PathBuf], config: &Config) -> Vec<Candidate> {
    discover_counting(paths, config).0
}

/// [`discover`], and how many files the walks passed, candidates or not (see [`walk`]).
pub fn discover_counting(paths: &[PathBuf], config: &Config) -> (Vec<Candidate>, usize) {
    let mut out = Vec::new();
    let mut seen = 0;
    let roots = canonical_roots(paths);
    for top in paths {
        seen += walk(top, &roots, config, &mut |c| out.push(c));
    }
    if paths.len() > 1 {
        out.sort();
        out.dedup_by(|a, b| a.path == b.path);
    }
    (out, seen)
}

/// Walks one scan path and hands each candidate to `emit` as it is found, in the order
/// [`discover`] returns them for that path alone, so loading can start before the walk
/// ends. `roots` are [`canonical_roots`] of every scanned path: a link to a file is read
/// only when the file lies inside one of them.
///
/// Returns how many files (anything but a folder) the walk passed outside pruned folders
/// and exclusions, candidates or not: a scan that reads nothing says how many files it
/// looked at.
pub fn walk(
    top: &Path,
    roots: &[PathBuf],
    config: &Config,
    emit: &mut dyn FnMut(Candidate),
) -> usize {
    if let Some(walk_error) = named_file(top) {
        emit(Candidate {
            path: top.to_path_buf(),
            walk_error,
            outside_roots: false,
            found: Found::Named,
        });
        return 1;
    }
    let mut seen = 0;
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
                seen += usize::from(!e.file_type().is_dir());
                if e.file_type().is_file() && is_candidate_name(path) {
                    emit(Candidate {
                        path: path.to_path_buf(),
                        walk_error: None,
                        outside_roots: false,
                        found: Found::ByName,
                    });
                } else if e.file_type().is_file() && may_be_config_by_name(path) {
                    // Its size is asked of the open file when it is read: the walk stats
                    // nothing, and a big file is never read (`CONTENT_SNIFF_LIMIT`).
                    emit(Candidate {
                        path: path.to_path_buf(),
                        walk_error: None,
                        outside_roots: false,
                        found: Found::ByContent,
                    });
                } else if e.file_type().is_symlink() && is_candidate_name(path) {
                    // A shared policy linked into a role's folder is that role's policy:
                    // read it. A loop or a dangling link is reported, not skipped. A link
                    // out of the scanned paths (to `~/.env`, `~/.aws/credentials`) is not
                    // read: what it leads to is not part of what was asked to be checked,
                    // and its text could end up in a report.
                    let walk_error = match std::fs::metadata(path) {
                        Ok(m) if m.is_file() => None,
                        Ok(m) if m.is_dir() => continue,
                        Ok(_) => Some("not a regular file".to_owned()),
                        Err(e) => Some(format!("broken symbolic link: {e}")),
                    };
                    let outside_roots = walk_error.is_none() && leads_outside(path, roots);
                    emit(Candidate {
                        path: path.to_path_buf(),
                        walk_error,
                        outside_roots,
                        found: Found::ByName,
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
                        outside_roots: false,
                        found: Found::ByName,
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
                        outside_roots: false,
                        found: Found::ByName,
                    });
                }
            }
        }
    }
    seen
}

/// For a scan path that is not a folder: Some, with why it cannot be read if it cannot (a
/// FIFO is never opened: it would block). A link to a file is that file: the user named
/// it. None for a folder, or a link to one, which is walked.
fn named_file(top: &Path) -> Option<Option<String>> {
    let meta = std::fs::symlink_metadata(top).ok()?;
    if meta.is_file() {
        return Some(None);
    }
    if meta.is_dir() {
        return None;
    }
    if !meta.file_type().is_symlink() {
        return Some(Some("not a regular file".to_owned()));
    }
    match std::fs::metadata(top) {
        Ok(target) if target.is_file() => Some(None),
        Ok(target) if target.is_dir() => None,
        Ok(_) => Some(Some("not a regular file".to_owned())),
        Err(e) => Some(Some(format!("broken symbolic link: {e}"))),
    }
}

/// Whether the config or the command line excludes a path from the scan.
pub fn excluded_by_config(path: &Path, config: &Config) -> bool {
    is_excluded(path, &config.exclude, config) || is_excluded(path, &config.cli_exclude, config)
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

    #[test]
    fn unrelated_extensions_are_sorted_for_binary_search() {
        assert!(UNRELATED_EXTENSIONS.is_sorted());
    }

    #[test]
    fn config_files_under_other_names_are_looked_at_by_content() {
        for name in [
            "aws-config",
            "shared_config",
            "prod.cfg",
            "aws.ini",
            "creds.txt",
            ".aws_profiles",
            "config.prod",
        ] {
            assert!(may_be_config_by_name(Path::new(name)), "{name}");
        }
        for name in [
            "main.rs",
            "app.py",
            "index.js",
            "README.md",
            "logo.png",
            "Makefile",
            ".gitignore",
            ".editorconfig",
            "archive.tar.gz",
            "values.yaml",
        ] {
            assert!(!may_be_config_by_name(Path::new(name)), "{name}");
        }
    }

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
        let roots = canonical_roots(&[dir.path().to_path_buf()]);
        walk(dir.path(), &roots, &Config::default(), &mut |c| {
            walked.push(c.path)
        });
        let mut sorted = walked.clone();
        sorted.sort();
        assert_eq!(walked.len(), files.len());
        assert_eq!(walked, sorted);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_roots_are_marked_and_links_inside_are_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let scanned = dir.path().join("scanned");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(scanned.join("iam")).expect("mkdir");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(outside.join(".env"), "X=1").expect("write");
        std::fs::write(scanned.join("shared.json"), "{}").expect("write");
        let link = |target: &Path, at: &str| {
            std::os::unix::fs::symlink(target, scanned.join(at)).expect("symlink")
        };
        link(&outside.join(".env"), "iam/policy.json");
        link(Path::new("../shared.json"), "iam/trust.json");
        let roots = canonical_roots(std::slice::from_ref(&scanned));
        let mut found = Vec::new();
        walk(&scanned, &roots, &Config::default(), &mut |c| {
            found.push((
                c.path.strip_prefix(&scanned).map(Path::to_path_buf),
                c.outside_roots,
            ))
        });
        let found: Vec<(String, bool)> = found
            .into_iter()
            .map(|(p, o)| (p.map(|p| p.display().to_string()).unwrap_or_default(), o))
            .collect();
        assert_eq!(
            found,
            [
                ("iam/policy.json".to_owned(), true),
                ("iam/trust.json".to_owned(), false),
                ("shared.json".to_owned(), false),
            ]
        );
        // Scanning the outside folder too makes the link's target part of the scan.
        let roots = canonical_roots(&[scanned.clone(), outside.clone()]);
        let mut marked = 0;
        walk(&scanned, &roots, &Config::default(), &mut |c| {
            marked += usize::from(c.outside_roots)
        });
        assert_eq!(marked, 0);
    }
}
