//! The config applied to a run: which rules run, and to the resolved findings severity
//! overrides, per-path ignores and suppressions (with a finding for each suppression that
//! matched nothing).

use std::path::Path;

use super::{Config, UNUSED_SUPPRESSION};
use crate::error::RunError;
use crate::finding::Finding;
use crate::model::inventory::{Inventory, SourceFormat};
use crate::model::location::Location;
use crate::report::{self, Resolved, SourceCache};
use crate::rules::{self, registry, Rule};
use crate::{docs, Scan};

/// Resolves and sorts findings, applies the config to them, and adds an unused-suppression
/// finding for each `[[suppress]]` entry that matched none of them.
pub(crate) fn resolve_with_config(
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
    if !rules.iter().any(|r| r.id() == UNUSED_SUPPRESSION) {
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
                UNUSED_SUPPRESSION,
                rules::default_severity(UNUSED_SUPPRESSION),
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
