//! Cross-file scenarios from the seed articles, in every input format: each case is a
//! folder under testdata/graphs scanned as a whole, with the findings it must (and must
//! not) produce. Snapshots keep the exact positions and chains.

use std::path::{Path, PathBuf};

use iamlint::config::Config;
use iamlint::report::Resolved;
use iamlint::rules::registry;

fn scan(dir: &str) -> Vec<Resolved> {
    let dir = PathBuf::from("testdata/graphs").join(dir);
    let cfg = dir.join(".iamlint.toml");
    let config = if cfg.is_file() {
        Config::load(&cfg).expect("case config loads")
    } else {
        Config {
            root: dir.clone(),
            ..Config::default()
        }
    };
    // Committed example keys are IAM501's business, not these scenarios'.
    let rules: Vec<_> = registry()
        .iter()
        .copied()
        .filter(|r| r.id() != "IAM501")
        .collect();
    iamlint::lint(std::slice::from_ref(&dir), config, &rules).expect("scan runs")
}

fn summary(results: &[Resolved]) -> String {
    results
        .iter()
        .map(|r| {
            let file = Path::new(&r.primary.path)
                .strip_prefix("testdata/graphs")
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| r.primary.path.clone());
            let mut line = format!(
                "{}:{}:{} {} {} {}\n",
                file,
                r.primary.start.0,
                r.primary.start.1,
                r.finding.rule,
                r.finding.severity,
                r.finding.message
            );
            for (pos, msg) in &r.flow {
                line.push_str(&format!(
                    "    step {}:{}:{} {msg}\n",
                    pos.path, pos.start.0, pos.start.1
                ));
            }
            line
        })
        .collect()
}

fn rules_of(results: &[Resolved]) -> Vec<&'static str> {
    results.iter().map(|r| r.finding.rule).collect()
}

#[test]
fn seed000_console_chain_in_every_format() {
    for format in [
        "manifest",
        "dump",
        "terraform",
        "cloudformation",
        "cloudformation-yaml",
    ] {
        let before = scan(&format!("seed000/{format}/before"));
        assert_eq!(
            rules_of(&before),
            vec!["IAM201"],
            "{format}: the console chain A -> B -> C must be reported, and nothing else:\n{}",
            summary(&before)
        );
        let message = &before[0].finding.message;
        assert!(
            message.contains("user/iam-user-a -> role/iam-role-b -> role/iam-role-c"),
            "{format}: {message}"
        );
        assert_eq!(
            before[0].flow.len(),
            5,
            "{format}: console sign-in plus two hops of two sides"
        );
        insta::assert_snapshot!(format!("seed000_{format}"), summary(&before));
        let after = scan(&format!("seed000/{format}/after"));
        assert!(
            after.is_empty(),
            "{format}: after the fix nothing fires:\n{}",
            summary(&after)
        );
    }
}

/// The rule, message and chain of each finding, without its place.
fn what(results: &[Resolved]) -> Vec<(&'static str, String, Vec<String>)> {
    results
        .iter()
        .map(|r| {
            let steps = r.flow.iter().map(|(_, msg)| msg.clone()).collect();
            (r.finding.rule, r.finding.message.clone(), steps)
        })
        .collect()
}

#[test]
fn seed000_templates_in_json_and_yaml_give_the_same_findings() {
    for side in ["before", "after"] {
        let json = scan(&format!("seed000/cloudformation/{side}"));
        let yaml = scan(&format!("seed000/cloudformation-yaml/{side}"));
        assert_eq!(what(&json), what(&yaml), "{side}");
    }
}

#[test]
fn seed000_multi_session_turns_the_chain_rule_off() {
    let dir = PathBuf::from("testdata/graphs/seed000/manifest/before");
    let mut config = Config::load(&dir.join(".iamlint.toml")).expect("config loads");
    config.console.multi_session = true;
    let results = iamlint::lint(&[dir], config, registry()).expect("scan runs");
    assert!(results.is_empty(), "{}", summary(&results));
}

#[test]
fn seed001_instance_profile_chain_over_an_hour() {
    let results = scan("seed001");
    assert_eq!(rules_of(&results), vec!["IAM203"], "{}", summary(&results));
    assert!(results[0].finding.message.contains("instancecrossaccount"));
    insta::assert_snapshot!("seed001", summary(&results));
}

#[test]
fn seed004_mfa_trust_needs_mfa_serial() {
    let before = scan("seed004/before");
    assert_eq!(rules_of(&before), vec!["IAM406"], "{}", summary(&before));
    insta::assert_snapshot!("seed004", summary(&before));
    let after = scan("seed004/after");
    assert!(after.is_empty(), "{}", summary(&after));
}

#[test]
fn chained_profile_of_exactly_one_hour_is_fine() {
    let results = scan("chained-3600");
    assert!(results.is_empty(), "{}", summary(&results));
}
