//! The fixture harness: every rule runs alone over `testdata/rules/<ID>/bad` and
//! `testdata/rules/<ID>/good`. Bad findings are snapshotted (with the exact source text each
//! finding points at); good fixtures must produce nothing.

use std::path::{Path, PathBuf};

use iamlint::config::Config;
use iamlint::rules::registry;

fn fixture_config(dir: &Path) -> Config {
    let cfg = dir.join(".iamlint.toml");
    let mut config = if cfg.is_file() {
        Config::load(&cfg).expect("fixture config loads")
    } else {
        Config::default()
    };
    if config.file.is_none() {
        config.root = dir.to_path_buf();
    }
    config
}

/// One line per finding: position, rule, severity, message, and the text it points at.
fn render(results: &[iamlint::report::Resolved]) -> String {
    let mut out = String::new();
    for r in results {
        let p = &r.primary;
        let text = std::fs::read(&p.path).unwrap_or_default();
        let slice = p
            .range
            .as_ref()
            .and_then(|range| text.get(range.clone()))
            .map(|b| String::from_utf8_lossy(b).into_owned());
        out.push_str(&format!(
            "{}:{}:{}-{}:{} {} {} {}\n",
            p.path,
            p.start.0,
            p.start.1,
            p.end.0,
            p.end.1,
            r.finding.rule,
            r.finding.severity,
            r.finding.message
        ));
        if let Some(s) = slice {
            let s: String = s.chars().take(120).collect();
            out.push_str(&format!("    at: {s}\n"));
        }
        for (pos, msg) in r.labels.iter().chain(&r.flow) {
            out.push_str(&format!(
                "    related {}:{}:{} {msg}\n",
                pos.path, pos.start.0, pos.start.1
            ));
        }
        if let Some(help) = &r.finding.help {
            out.push_str(&format!("    help: {help}\n"));
        }
    }
    out
}

/// The paths a fixture folder is scanned as: the folder, or, for a rule about files named on
/// the command line, the files its `NAMED` list names (one path a line, relative to it).
fn scan_paths(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_to_string(dir.join("NAMED")) {
        Ok(list) => list
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| dir.join(l.trim()))
            .collect(),
        Err(_) => vec![dir.to_path_buf()],
    }
}

fn run_rule(id: &str, side: &str) -> String {
    let dir = PathBuf::from("testdata/rules").join(id).join(side);
    let rule = registry()
        .iter()
        .copied()
        .find(|r| r.id() == id)
        .expect("rule is registered");
    let results =
        iamlint::lint(&scan_paths(&dir), fixture_config(&dir), &[rule]).expect("scan runs");
    render(&results)
}

#[test]
fn rule_fixtures() {
    let mut failures = Vec::new();
    for rule in registry() {
        let id = rule.id();
        let good = run_rule(id, "good");
        if !good.is_empty() {
            failures.push(format!("{id}: good fixtures produced findings:\n{good}"));
        }
        let bad = run_rule(id, "bad");
        if bad.is_empty() {
            failures.push(format!("{id}: bad fixtures produced no finding"));
        }
        insta::assert_snapshot!(format!("rules__{id}"), bad);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// IAM108 cannot tell a vendor's account from one of the organisation's own unless the
/// configuration declares them: without a config, its bad fixtures give nothing.
#[test]
fn third_party_rule_is_silent_without_own_accounts() {
    let dir = PathBuf::from("testdata/rules/IAM108/bad");
    let rule = registry()
        .iter()
        .copied()
        .find(|r| r.id() == "IAM108")
        .expect("rule is registered");
    let config = Config {
        root: dir.clone(),
        ..Config::default()
    };
    let results = iamlint::lint(std::slice::from_ref(&dir), config, &[rule]).expect("scan runs");
    assert_eq!(render(&results), "");
}

/// `default-account` says which account raw files belong to, not which accounts are the
/// organisation's: on its own it does not turn IAM108 on.
#[test]
fn third_party_rule_is_silent_with_only_a_default_account() {
    let dir = PathBuf::from("testdata/rules/IAM108/bad");
    let rule = registry()
        .iter()
        .copied()
        .find(|r| r.id() == "IAM108")
        .expect("rule is registered");
    let config = Config {
        root: dir.clone(),
        default_account: Some("111122223333".into()),
        ..Config::default()
    };
    let results = iamlint::lint(std::slice::from_ref(&dir), config, &[rule]).expect("scan runs");
    assert_eq!(render(&results), "");
}
