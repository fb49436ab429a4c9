//! iamlint: will these roles, trust policies and CLI profiles let the right people switch
//! roles — and nobody else?
//!
//! The pipeline at a glance: [`discover`] finds candidate files (sorted), [`sources`]
//! loads them in parallel (Terraform `.tf` files are parsed then, and their modules
//! evaluated once every file is read) into one [`model::inventory::Inventory`], [`graph`] works out
//! who can assume whom, [`rules`] report [`finding::Finding`]s, and [`report`] resolves
//! their positions, sorts them and prints SARIF, JSON, GitHub annotations or miette
//! diagnostics. The binary is a thin layer over [`run`].

pub mod baseline;
pub mod cli;
pub mod config;
pub mod discover;
pub mod docs;
pub mod error;
pub mod finding;
pub mod grammar;
pub mod graph;
pub mod inventory_view;
pub mod model;
pub mod progress;
pub mod reclaim;
pub mod report;
pub mod rules;
pub mod sources;
pub mod span;
pub mod timings;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FailOn, OutputFormat, ScanArgs};
use crate::config::Config;
use crate::error::RunError;
use crate::finding::{Finding, Severity};
use crate::graph::Graph;
use crate::model::inventory::{Inventory, SourceFile, SourceFormat};
use crate::model::location::Location;
use crate::report::{Resolved, SourceCache};
use crate::rules::{registry, Context, Rule};

/// How a run ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the fail-on severity.
    Success,
    /// Findings at or above the fail-on severity (bad files included).
    Failure,
    /// Usage or configuration error.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Everything a scan learned.
pub struct Scan {
    pub config: Config,
    pub inventory: Inventory,
    pub graph: Graph,
    /// Load findings and rule findings, unresolved and unsorted.
    pub findings: Vec<Finding>,
    /// Files the walk passed, read or not (for a scan that found no IAM input).
    pub files_seen: usize,
}

/// Reads the config (given, discovered, or none) and applies command-line overrides.
pub fn load_config(args: &ScanArgs) -> Result<Config, RunError> {
    let path = if args.no_config {
        None
    } else if let Some(p) = &args.config {
        if !p.is_file() {
            return Err(RunError::MissingPath(p.clone()));
        }
        Some(p.clone())
    } else {
        // Discovery canonicalises; outputs show paths as the user would type them.
        args.paths
            .first()
            .and_then(|p| Config::discover(p))
            .map(|found| {
                std::env::current_dir()
                    .ok()
                    .and_then(|cwd| found.strip_prefix(cwd).ok().map(Path::to_path_buf))
                    .unwrap_or(found)
            })
    };
    let mut config = match &path {
        Some(p) => Config::load(p)?,
        None => Config {
            root: args
                .paths
                .first()
                .filter(|p| p.is_dir())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(".")),
            ..Config::default()
        },
    };
    if let Some(size) = args.max_file_size {
        config.max_file_size = size;
    }
    if !args.exclude.is_empty() {
        let mut b = globset::GlobSetBuilder::new();
        for g in &args.exclude {
            let glob = globset::Glob::new(g)
                .map_err(|e| RunError::Usage(format!("bad --exclude glob `{g}`: {e}")))?;
            b.add(glob);
        }
        let extra = b.build().map_err(|e| RunError::Usage(e.to_string()))?;
        config.cli_exclude = extra;
    }
    Ok(config)
}

/// A candidate file and what loading it gave: its format, whether its text may be shown,
/// and its contribution, None when empty (half a monorepo's files contribute nothing, and
/// an empty contribution, even boxed, is hundreds of bytes: 8 MB over 20,000 `.tf` files).
type Loaded = (
    discover::Candidate,
    (
        SourceFormat,
        bool,
        Option<Box<model::inventory::Contribution>>,
    ),
    Option<Box<sources::terraform::HclRead>>,
);

/// Walks the scan paths and loads every candidate on the thread pool, numbering files in
/// discovery order (deterministic whatever the thread count). With one scan path, loading
/// starts while the walk goes on: a walker thread feeds the pool, so the walk's time hides
/// behind the loading instead of coming before it. The document rules run on each file's
/// documents right after it is loaded.
fn discover_and_load(
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

/// Discovers, loads and checks. `rules` selects what runs.
pub fn scan(
    paths: &[PathBuf],
    config: Config,
    rules: &[&'static dyn Rule],
) -> Result<Scan, RunError> {
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(RunError::MissingPath(p.clone()));
        }
    }
    let mut timings = timings::Timings::start();
    let ctx = sources::LoadContext::new(&config);
    let (loaded, files_seen) = discover_and_load(paths, &config, &ctx, rules);
    timings.phase("load");
    let mut files: Vec<SourceFile> = Vec::with_capacity(loaded.len() + 1);
    let mut parts = Vec::with_capacity(loaded.len() + 1);
    let mut links_outside = Vec::new();
    let mut hcl_files = Vec::new();
    for (i, (cand, (format, shows, part), hcl)) in loaded.into_iter().enumerate() {
        if cand.outside_roots {
            links_outside.push(i as u32);
        }
        hcl_files.extend(hcl);
        files.push(SourceFile {
            id: i as u32,
            path: cand.path,
            format,
            show_source: format.shows_source() && shows,
        });
        parts.extend(part);
    }
    if let Some(cfg_path) = &config.file {
        let id = files.len() as u32;
        files.push(SourceFile {
            id,
            path: cfg_path.clone(),
            format: SourceFormat::Config,
            show_source: true,
        });
        let mut part = sources::manifest::manifest_contribution(&config, id);
        rules::check_documents(rules, &mut part);
        parts.push(Box::new(part));
    }
    if !hcl_files.is_empty() {
        timings.phase("  collect");
        let modules = load_terraform_modules(&ctx, &files, hcl_files, paths, rules);
        // Never shown: text that did not parse, or was never parsed.
        for id in modules.failed.iter().chain(&modules.unparsed) {
            if let Some(file) = files.get_mut(*id as usize) {
                file.show_source = false;
            }
        }
        for &id in &modules.failed {
            if let Some(file) = files.get_mut(id as usize) {
                file.format = SourceFormat::Unknown;
            }
        }
        parts.extend(modules.parts.into_iter().map(Box::new));
        timings.phase("modules");
    }
    let cdk_accounts = ctx.cdk.accounts();
    drop(ctx);
    let mut config = config;
    config.cdk_accounts = cdk_accounts;
    let mut inventory = Inventory::merge(files, parts);
    reclaim::everywhere();
    timings.phase("merge");
    // The profile sets (read by several rules) are grouped while the graph is built.
    let (graph, _) = rayon::join(
        || Graph::build(&inventory, &config),
        || inventory.profile_sets(),
    );
    timings.phase("graph");
    let mut load_findings = std::mem::take(&mut inventory.findings);
    load_findings.extend(sources::links_outside_scan(&links_outside));
    let mut findings: Vec<Finding> = load_findings
        .into_iter()
        .filter(|f| rules.iter().any(|r| r.id() == f.rule))
        .collect();
    let rctx = Context {
        inventory: &inventory,
        graph: &graph,
        config: &config,
    };
    findings.extend(rules::run_rules(rules, &rctx));
    timings.phase("rules");
    Ok(Scan {
        config,
        inventory,
        graph,
        findings,
        files_seen,
    })
}

/// Evaluates the Terraform modules whose `.tf` files were read, with the document rules
/// run on what each gives, as `check_documents` runs them on every other file. The reads
/// stay boxed as loaded (see `select`).
#[allow(clippy::vec_box)]
fn load_terraform_modules(
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
    let finish = |part: &mut model::inventory::Contribution| {
        rules::check_documents(rules, part);
        part.shrink_to_fit();
    };
    sources::terraform::load_modules(ctx, hcl_files, &scan, &finish)
}

/// Scans and returns resolved, sorted findings with the config applied: the library entry
/// point for tests and embedders.
pub fn lint(
    paths: &[PathBuf],
    config: Config,
    rules: &[&'static dyn Rule],
) -> Result<Vec<Resolved>, RunError> {
    let mut scan = scan(paths, config, rules)?;
    let findings = std::mem::take(&mut scan.findings);
    let mut cache = SourceCache::new(&scan.inventory);
    Ok(resolve_with_config(findings, &scan, rules, &mut cache))
}

/// Resolves and sorts findings, applies the config to them, and adds an unused-suppression
/// finding for each `[[suppress]]` entry that matched none of them.
fn resolve_with_config(
    findings: Vec<Finding>,
    scan: &Scan,
    rules: &[&'static dyn Rule],
    cache: &mut SourceCache,
) -> Vec<Resolved> {
    let mut results = report::resolve(findings, cache);
    let used = apply_config(&mut results, &scan.config);
    let unused = unused_suppressions(&scan.config, &scan.inventory, rules, &used);
    if !unused.is_empty() {
        let mut extra = report::resolve(unused, cache);
        apply_config(&mut extra, &scan.config);
        results.extend(extra);
        report::sort(&mut results);
    }
    results
}

/// Whether a rule id is named by a list entry: the id, an id prefix (`IAM1`), or the name.
fn names_rule(entry: &str, id: &str) -> bool {
    let name = docs::get(id).map_or("", |d| d.name);
    entry.eq_ignore_ascii_case(id)
        || (!entry.is_empty()
            && id
                .to_ascii_uppercase()
                .starts_with(&entry.to_ascii_uppercase()))
        || entry == name
        || entry.eq_ignore_ascii_case("ALL")
}

/// The rules a run uses: `select` (CLI replaces config), minus `ignore` (both).
pub fn selected_rules(
    config: &Config,
    select: &[String],
    ignore: &[String],
) -> Result<Vec<&'static dyn Rule>, RunError> {
    let select = if select.is_empty() {
        &config.select
    } else {
        select
    };
    for entry in select.iter().chain(ignore).chain(&config.ignore) {
        if !registry().iter().any(|r| names_rule(entry, r.id())) {
            return Err(RunError::Usage(format!(
                "`{entry}` names no rule (see `iamlint rules`)"
            )));
        }
    }
    Ok(registry()
        .iter()
        .copied()
        .filter(|r| select.is_empty() || select.iter().any(|s| names_rule(s, r.id())))
        .filter(|r| {
            !ignore
                .iter()
                .chain(&config.ignore)
                .any(|s| names_rule(s, r.id()))
        })
        .collect())
}

/// Applies severity overrides, per-path ignores and suppressions to resolved findings.
/// Returns, for each configured suppression, whether it matched a finding.
fn apply_config(results: &mut Vec<Resolved>, config: &Config) -> Vec<bool> {
    for r in results.iter_mut() {
        for (key, sev) in &config.severity {
            if names_rule(key, r.finding.rule) {
                r.finding.severity = *sev;
            }
        }
    }
    let rel = |p: &str| config.relative(Path::new(p));
    results.retain(|r| {
        let path = rel(&r.primary.path);
        !config.per_path_ignores.iter().any(|(glob, ids)| {
            (glob.is_match(&path) || glob.is_match(&r.primary.path))
                && ids.iter().any(|id| names_rule(id, r.finding.rule))
        })
    });
    let mut used = vec![false; config.suppressions.len()];
    for r in results.iter_mut() {
        let path = rel(&r.primary.path);
        for (i, cs) in config.suppressions.iter().enumerate() {
            let s = &cs.entry;
            let rule_ok = names_rule(&s.rule, r.finding.rule);
            let path_ok = cs
                .path
                .as_ref()
                .is_none_or(|g| g.is_match(&path) || g.is_match(&r.primary.path));
            let pointer_ok = s.pointer.as_ref().is_none_or(|p| {
                crate::report::pointer_of(&r.finding.primary).is_some_and(|q| q == *p)
            });
            let arn_ok = s.arn.as_ref().is_none_or(|a| {
                r.finding.message.contains(a.as_str()) || r.finding.identity.contains(a.as_str())
            });
            if rule_ok && path_ok && pointer_ok && arn_ok {
                r.suppressed = Some(s.reason.clone());
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                break;
            }
        }
    }
    used
}

/// An unused-suppression finding for each `[[suppress]]` entry that matched nothing while
/// its rule ran, or that names no rule at all. Entries for rules that did not run are not
/// judged: no finding of theirs could have matched.
fn unused_suppressions(
    config: &Config,
    inventory: &Inventory,
    rules: &[&'static dyn Rule],
    used: &[bool],
) -> Vec<Finding> {
    if !rules.iter().any(|r| r.id() == config::UNUSED_SUPPRESSION) {
        return Vec::new();
    }
    let Some(file) = inventory
        .files
        .iter()
        .find(|f| f.format == SourceFormat::Config)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (cs, _) in config.suppressions.iter().zip(used).filter(|(_, u)| !**u) {
        let s = &cs.entry;
        let known = registry().iter().any(|r| names_rule(&s.rule, r.id()));
        let ran = rules.iter().any(|r| names_rule(&s.rule, r.id()));
        let mut what = format!("`{}`", s.rule);
        for (key, value) in [("path", &s.path), ("pointer", &s.pointer), ("arn", &s.arn)] {
            if let Some(v) = value {
                what.push_str(&format!(" {key} `{v}`"));
            }
        }
        let message = if !known {
            format!("suppression names no rule: {what}")
        } else if ran {
            format!("suppression of {what} matched no finding")
        } else {
            continue;
        };
        let at = match &cs.span {
            Some(span) => Location::bytes(file.id, span.start, span.end),
            None => Location::file(file.id),
        };
        out.push(
            Finding::new(
                config::UNUSED_SUPPRESSION,
                rules::default_severity(config::UNUSED_SUPPRESSION),
                at,
                message,
            )
            .with_help(if known {
                "delete the entry, or correct its `path`, `pointer` or `arn`"
            } else {
                "use a rule id, id prefix or name that `iamlint rules` lists"
            })
            .with_identity(what),
        );
    }
    out
}

fn fail_threshold(arg: Option<FailOn>, config: &Config) -> Option<Severity> {
    match arg {
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Note) => Some(Severity::Note),
        Some(FailOn::Never) => None,
        None if config.fail_on_never => None,
        None => Some(config.fail_on.unwrap_or(Severity::Warning)),
    }
}

/// Whether `path` is inside folder `dir` (both as displayed: forward slashes, no `./`).
fn is_under(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir.trim_end_matches('/'))
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Runs a thread pool of the requested size (one thread per core by default) around `f`:
/// one pool for the whole scan, whose threads have room to evaluate Terraform modules.
fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> Result<T, RunError> {
    match threads {
        Some(0) => Err(RunError::Usage("--threads must be at least 1".into())),
        Some(n) => sources::terraform::roomy_pool(n)
            .map(|pool| pool.install(f))
            .map_err(|e| RunError::Usage(format!("cannot start {n} threads: {e}"))),
        // Without a pool of its own the scan still runs (and makes one for the modules).
        None => Ok(match sources::terraform::roomy_pool(0) {
            Ok(pool) => pool.install(f),
            Err(_) => f(),
        }),
    }
}

/// Writes to the output file or standard output; a closed pipe is not an error.
fn emit(text: &str, output: Option<&Path>) -> Result<(), RunError> {
    match output {
        Some(path) => std::fs::write(path, text).map_err(|source| RunError::Output {
            path: path.to_owned(),
            source,
        }),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(RunError::Output {
                    path: PathBuf::from("<stdout>"),
                    source: e,
                }),
                _ => Ok(()),
            }
        }
    }
}

/// Frees a large value on another thread. The model of a big tree is millions of small
/// allocations, and freeing them one by one took an eighth of a 10,000-file scan on the
/// main thread after the report was written; the process exits without waiting for it.
fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started the closure, and with it the value, is dropped here.
    let _ = std::thread::Builder::new()
        .name("iamlint-drop".into())
        .spawn(move || drop(value));
}

/// Runs a whole command.
pub fn run(cli: Cli) -> Result<ExitStatus, RunError> {
    note_command_shadows_path(&cli);
    match cli.command {
        None => check(cli.check),
        Some(Command::Check(args)) => check(args),
        Some(Command::Rules) => {
            emit(&inventory_view::rules_table(), None)?;
            Ok(ExitStatus::Success)
        }
        Some(Command::Explain { rule }) => match docs::find(&rule) {
            Some(doc) => {
                emit(
                    &format!(
                        "{} ({}) — default severity: {}\n{}\n\n{}\n",
                        doc.id, doc.name, doc.severity, doc.summary, doc.body
                    ),
                    None,
                )?;
                Ok(ExitStatus::Success)
            }
            None => Err(RunError::Usage(format!(
                "no rule `{rule}` (see `iamlint rules`)"
            ))),
        },
        Some(Command::Inventory(args)) => {
            let config = load_config(&args.scan)?;
            let threads = args.scan.threads;
            let paths = args.scan.paths.clone();
            let scan = with_threads(threads, || scan(&paths, config, registry()))??;
            let text = match args.format {
                cli::InventoryFormat::Json => inventory_view::json(&scan.inventory),
                cli::InventoryFormat::Human => inventory_view::human(&scan.inventory),
            };
            emit(&text, None)?;
            Ok(ExitStatus::Success)
        }
        Some(Command::Graph(args)) => {
            let config = load_config(&args.scan)?;
            let threads = args.scan.threads;
            let paths = args.scan.paths.clone();
            let scan = with_threads(threads, || scan(&paths, config, &[]))??;
            let text = scan.graph.render(
                &scan.inventory,
                args.format,
                args.from.as_deref(),
                args.to.as_deref(),
            );
            emit(&text, None)?;
            Ok(ExitStatus::Success)
        }
    }
}

/// Says so when a command's name is also a file or folder where iamlint runs, and the
/// command was given no path: `iamlint rules` in a repository with a `rules/` folder lists
/// the rules, and `iamlint inventory` there describes the whole repository, not that
/// folder. Without the note the user could believe the folder was scanned.
fn note_command_shadows_path(cli: &Cli) {
    let no_path = |scan: &ScanArgs| matches!(&scan.paths[..], [p] if p == Path::new("."));
    let name = match &cli.command {
        Some(Command::Rules) => "rules",
        Some(Command::Inventory(args)) if no_path(&args.scan) => "inventory",
        Some(Command::Graph(args)) if no_path(&args.scan) => "graph",
        _ => return,
    };
    if Path::new(name).exists() {
        eprintln!(
            "note: `{name}` is iamlint's `{name}` command here; to scan the file or folder \
             named `{name}`, run `iamlint ./{name}`"
        );
    }
}

/// Human or concise output without its `iamlint: ` summary lines (`--quiet`).
fn without_summary(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("iamlint: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn check(mut args: CheckArgs) -> Result<ExitStatus, RunError> {
    let started = Instant::now();
    // `--only-files`: the given paths only filter what is reported; the scan covers `.`.
    let only: Option<Vec<String>> = args.only_files.then(|| {
        let given = std::mem::replace(&mut args.scan.paths, vec![PathBuf::from(".")]);
        given.iter().map(|p| report::display_path(p)).collect()
    });
    let config = load_config(&args.scan)?;
    let rules = selected_rules(&config, &args.select, &args.ignore)?;
    let threshold = fail_threshold(args.fail_on, &config);
    let paths = args.scan.paths.clone();
    let progress = progress::Progress::start(!args.quiet);
    let mut scan = with_threads(args.scan.threads, || scan(&paths, config, &rules))??;
    let mut timings = timings::Timings::start();
    let findings = std::mem::take(&mut scan.findings);
    let mut cache = SourceCache::new(&scan.inventory);
    let mut results = resolve_with_config(findings, &scan, &rules, &mut cache);
    timings.phase("resolve");
    drop(progress);
    if let Some(only) = &only {
        results.retain(|r| {
            only.iter()
                .any(|p| p == "." || r.primary.path == *p || is_under(&r.primary.path, p))
        });
    }
    if let Some(path) = &args.write_baseline {
        let text = baseline::write(&results);
        std::fs::write(path, text).map_err(|source| RunError::Output {
            path: path.clone(),
            source,
        })?;
        if !args.quiet {
            eprintln!(
                "iamlint: recorded {} findings in {}",
                results.len(),
                path.display()
            );
        }
        return Ok(ExitStatus::Success);
    }
    if let Some(path) = &args.baseline {
        let known = baseline::read(path)?;
        results.retain(|r| !known.contains(&r.fingerprint));
    }
    let files_scanned = scan.inventory.files_scanned();
    let notice = (files_scanned == 0).then(|| report::no_input_notice(scan.files_seen));
    let notice = notice.as_deref();
    let text = match args.format {
        OutputFormat::Sarif => report::sarif::render_with(
            &results,
            notice,
            &report::sarif::SarifOptions {
                category: args.sarif_category.clone(),
                srcroot: std::env::current_dir().ok(),
            },
        ),
        OutputFormat::Json => report::json::render(&results, files_scanned, notice),
        OutputFormat::Github => report::github::render(&results, notice),
        OutputFormat::Concise => {
            let text = report::concise::render(&results, notice);
            if args.quiet {
                without_summary(&text)
            } else {
                text
            }
        }
        OutputFormat::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let mut text = report::human::render(
                &results,
                &mut cache,
                color,
                files_scanned,
                Some(started.elapsed()),
                notice,
            );
            if args.quiet {
                text = without_summary(&text);
            }
            text
        }
    };
    timings.phase("render");
    let mut text = text;
    if args.statistics {
        let stats = inventory_view::statistics(&results);
        match args.format {
            OutputFormat::Human | OutputFormat::Concise | OutputFormat::Github => {
                text.push_str(&stats)
            }
            // SARIF and JSON must stay parseable: the counts go to standard error.
            OutputFormat::Sarif | OutputFormat::Json => eprint!("{stats}"),
        }
    }
    emit(&text, args.output.as_deref())?;
    timings.phase("write");
    let failed = threshold.is_some_and(|t| {
        results
            .iter()
            .any(|r| r.suppressed.is_none() && r.finding.severity >= t)
    });
    drop(cache);
    drop_in_background((scan.inventory, scan.graph, results));
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
