//! Command-line arguments (clap derive). Nothing here knows about IAM.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Lint AWS IAM roles, trust policies and CLI profiles: will they let the right people
/// switch roles, and nobody else?
#[derive(Debug, Parser)]
#[command(
    name = "iamlint",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders and report findings (the default command).
    Check(CheckArgs),
    /// Print what iamlint understood: accounts, users, groups, roles, policies, profiles.
    Inventory(InventoryArgs),
    /// Print the who-can-assume-whom graph.
    Graph(GraphArgs),
    /// List every rule.
    Rules,
    /// Print a rule's document.
    Explain {
        /// Rule id (IAM101) or name (assume-role-wildcard-resource).
        rule: String,
    },
}

/// Options shared by every command that scans.
#[derive(Debug, Args, Clone)]
pub struct ScanArgs {
    /// Files or folders to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Config file (default: .iamlint.toml in the first path or a parent folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read any config file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Glob of paths not to scan (repeatable; adds to the config's `exclude`).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Number of threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Skip (and report) files larger than this many bytes [default: 52428800].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    /// One line per finding: `path:line:col: ID name message`.
    Concise,
    Sarif,
    Json,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Category of a SARIF run (its `automationDetails.id`): give each iamlint run that
    /// uploads to GitHub code scanning its own.
    #[arg(long, value_name = "CATEGORY", default_value = "iamlint")]
    pub sarif_category: String,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these rules (ids, id prefixes such as IAM1, or names; comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Not these rules (ids, prefixes or names; comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Exit with 1 when a finding is at or above this severity [default: warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in FILE (then exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Print nothing but findings (no summary line).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print counts per rule after the findings (on standard error with SARIF or JSON).
    #[arg(long)]
    pub statistics: bool,
    /// Report only findings in the files given as paths, but scan the whole current
    /// folder (for pre-commit: rules that join files still see every file).
    #[arg(long)]
    pub only_files: bool,
    /// When to colour human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    Human,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: InventoryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct GraphArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[arg(long, short = 'f', value_enum, default_value = "dot")]
    pub format: GraphFormat,
    /// Only paths starting at this principal ARN.
    #[arg(long, value_name = "ARN")]
    pub from: Option<String>,
    /// Only paths ending at this role ARN.
    #[arg(long, value_name = "ARN")]
    pub to: Option<String>,
}
