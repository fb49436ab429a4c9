//! The commands of the command line: `check` (the default), `rules`, `explain`,
//! `inventory` and `graph`, each a thin layer over the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::{self, CheckArgs, Cli, ColorChoice, Command, FailOn, OutputFormat, ScanArgs};
use crate::config::apply::{resolve_with_config, selected_rules};
use crate::config::Config;
use crate::error::RunError;
use crate::finding::Severity;
use crate::report::{self, SourceCache};
use crate::rules::registry;
use crate::{baseline, docs, inventory_view, progress, scan, sources, timings};

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
