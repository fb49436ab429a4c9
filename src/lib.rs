//! iamlint: will these roles, trust policies and CLI profiles let the right people switch
//! roles — and nobody else?
//!
//! The pipeline at a glance: [`discover`] finds candidate files (sorted), [`sources`]
//! loads them in parallel (Terraform `.tf` files are parsed then, and their modules
//! evaluated once every file is read) into one [`model::inventory::Inventory`], [`graph`] works out
//! who can assume whom, [`rules`] report [`finding::Finding`]s, and [`report`] resolves
//! their positions, sorts them and prints SARIF, JSON, GitHub annotations or miette
//! diagnostics. [`scan`] and [`lint`] are that pipeline; the commands of the binary
//! ([`run`]) are a thin layer over them.

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

mod command;
mod load;

use std::path::PathBuf;

pub use crate::command::{load_config, run, ExitStatus};
pub use crate::config::apply::selected_rules;
use crate::config::Config;
use crate::error::RunError;
use crate::finding::Finding;
use crate::graph::Graph;
use crate::model::inventory::{Inventory, SourceFile, SourceFormat};
use crate::report::{Resolved, SourceCache};
use crate::rules::{Context, Rule};

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
    let (loaded, files_seen) = load::discover_and_load(paths, &config, &ctx, rules);
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
        let modules = load::load_terraform_modules(&ctx, &files, hcl_files, paths, rules);
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
    Ok(config::apply::resolve_with_config(
        findings, &scan, rules, &mut cache,
    ))
}
