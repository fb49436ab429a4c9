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
        // No `.iamlint.toml`: the accounts come from the CDK cloud assembly manifests.
        "cdk",
        "cdk-json",
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
fn seed000_cdk_stacks_give_the_same_findings_as_configured_templates() {
    for side in ["before", "after"] {
        let configured = scan(&format!("seed000/cloudformation-yaml/{side}"));
        for cdk in ["cdk", "cdk-json"] {
            let from_manifest = scan(&format!("seed000/{cdk}/{side}"));
            assert_eq!(what(&configured), what(&from_manifest), "{cdk} {side}");
        }
    }
}

/// Copies a seed000 CDK case to a temporary folder, where its manifest can be changed.
fn cdk_copy(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = PathBuf::from("testdata/graphs/seed000").join(case);
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(&from).expect("inside");
        let to = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    dir
}

fn scan_dir(dir: &Path) -> Vec<Resolved> {
    let config = Config {
        root: dir.to_path_buf(),
        ..Config::default()
    };
    iamlint::lint(&[dir.to_path_buf()], config, registry()).expect("scan runs")
}

#[test]
fn cdk_stacks_without_accounts_are_never_judged() {
    // Environment-agnostic stacks: every account unknown, every pair uncertain.
    let dir = cdk_copy("cdk/before");
    let manifest = dir.path().join("cdk.out/manifest.json");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    let agnostic = text
        .replace("111111111111", "unknown-account")
        .replace("222222222222", "unknown-account")
        .replace("333333333333", "unknown-account")
        .replace("eu-west-1", "unknown-region");
    std::fs::write(&manifest, agnostic).expect("write");
    let results = scan_dir(dir.path());
    assert!(results.is_empty(), "{}", summary(&results));
    // Without a manifest at all, the same.
    std::fs::remove_file(&manifest).expect("remove");
    let results = scan_dir(dir.path());
    assert!(results.is_empty(), "{}", summary(&results));
}

#[test]
fn cdk_stack_unknown_in_one_account_makes_its_pairs_uncertain() {
    // Role C's stack is environment-agnostic: whether B -> C crosses accounts is unknown.
    let dir = cdk_copy("cdk-json/before");
    let nested = dir.path().join("cdk.out/assembly-Prod/manifest.json");
    let text = std::fs::read_to_string(&nested).expect("manifest");
    std::fs::write(&nested, text.replace("333333333333", "unknown-account")).expect("write");
    let results = scan_dir(dir.path());
    assert!(
        !rules_of(&results).contains(&"IAM201"),
        "{}",
        summary(&results)
    );
}

#[test]
fn a_broken_cdk_manifest_is_reported_and_its_templates_still_read() {
    let dir = cdk_copy("cdk/before");
    let manifest = dir.path().join("cdk.out/manifest.json");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    // Cut short, with a secret-looking value after the cut that must never be shown.
    let cut = text.find("\"RoleC\"").expect("RoleC");
    let broken = format!("{}\"SECRETVALUE{{", &text[..cut]);
    std::fs::write(&manifest, broken).expect("write");
    let results = scan_dir(dir.path());
    assert_eq!(rules_of(&results), vec!["IAM002"], "{}", summary(&results));
    assert!(results[0].primary.path.ends_with("manifest.json"));
    // The templates were read: their entities are in the inventory, accounts unknown.
    let config = Config {
        root: dir.path().to_path_buf(),
        ..Config::default()
    };
    let scan = iamlint::scan(&[dir.path().to_path_buf()], config, registry()).expect("scan");
    assert_eq!(scan.inventory.roles.len(), 2);
    assert_eq!(scan.inventory.users.len(), 1);
    // Nothing of the broken file is printed.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg(dir.path())
        .output()
        .expect("runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("IAM002"), "{all}");
    assert!(!all.contains("SECRETVALUE"), "{all}");
}

#[test]
fn a_cdk_manifest_named_with_its_templates_is_read() {
    // Named on the command line: a manifest is a format iamlint reads (no IAM007 note),
    // and gives the named templates beside it their accounts.
    let dir = PathBuf::from("testdata/graphs/seed000/cdk/before/cdk.out");
    let paths: Vec<PathBuf> = [
        "manifest.json",
        "UserA.template.yaml",
        "RoleB.template.yaml",
        "RoleC.template.yaml",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let results = iamlint::lint(&paths, Config::default(), registry()).expect("scan runs");
    assert_eq!(rules_of(&results), vec!["IAM201"], "{}", summary(&results));
    let alone = iamlint::lint(&paths[..1], Config::default(), registry()).expect("scan runs");
    assert!(alone.is_empty(), "{}", summary(&alone));
}

#[test]
fn accounts_cdk_deploys_to_are_not_third_parties() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cdk.out");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(
        dir.path().join(".iamlint.toml"),
        "organisation = [\"111111111111\"]\n",
    )
    .expect("write");
    let stack = |name: &str, account: &str| {
        format!(
            r#""{name}": {{"type": "aws:cloudformation:stack", "environment": "aws://{account}/eu-west-1", "properties": {{"templateFile": "{name}.template.json"}}}}"#
        )
    };
    std::fs::write(
        out.join("manifest.json"),
        format!(
            r#"{{"version": "36.0.0", "artifacts": {{{}, {}}}}}"#,
            stack("Roles", "333333333333"),
            stack("Tools", "222222222222")
        ),
    )
    .expect("write");
    let trust = |account: &str| {
        format!(
            r#"{{"Type": "AWS::IAM::Role", "Properties": {{"AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{account}:root"}}, "Action": "sts:AssumeRole"}}]}}}}}}"#
        )
    };
    std::fs::write(
        out.join("Roles.template.json"),
        format!(
            r#"{{"Resources": {{"FromTools": {}, "FromVendor": {}}}}}"#,
            trust("222222222222"),
            trust("444444444444")
        ),
    )
    .expect("write");
    std::fs::write(
        out.join("Tools.template.json"),
        r#"{"Resources": {"Builder": {"Type": "AWS::IAM::User"}}}"#,
    )
    .expect("write");
    let config = Config::load(&dir.path().join(".iamlint.toml")).expect("config");
    let results =
        iamlint::lint(&[dir.path().to_path_buf()], config, registry()).expect("scan runs");
    let third: Vec<_> = results
        .iter()
        .filter(|r| r.finding.rule == "IAM108")
        .map(|r| r.finding.message.as_str())
        .collect();
    assert_eq!(third.len(), 1, "{}", summary(&results));
    assert!(third[0].contains("444444444444"), "{}", third[0]);
}

#[test]
fn cdk_nested_stacks_are_in_their_parents_account() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cdk.out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let stack = |name: &str, account: &str| {
        format!(
            r#""{name}": {{"type": "aws:cloudformation:stack", "environment": "aws://{account}/eu-west-1", "properties": {{"templateFile": "{name}.template.json"}}}}"#
        )
    };
    std::fs::write(
        out.join("manifest.json"),
        format!(
            r#"{{"version": "36.0.0", "artifacts": {{{}, {}}}}}"#,
            stack("Prod", "111111111111"),
            stack("Dev", "222222222222")
        ),
    )
    .expect("write");
    let nests = |children: &[&str]| {
        let resources: Vec<String> = children
            .iter()
            .enumerate()
            .map(|(i, c)| {
                format!(
                    r#""N{i}": {{"Type": "AWS::CloudFormation::Stack", "Properties": {{"TemplateURL": "https://x"}}, "Metadata": {{"aws:asset:path": "{c}", "aws:asset:property": "TemplateURL"}}}}"#
                )
            })
            .collect();
        format!(r#"{{"Resources": {{{}}}}}"#, resources.join(", "))
    };
    let role = r#"{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}}, "Action": "sts:AssumeRole"}]}}}}}"#;
    // Each role under its own logical id: the test is about accounts, not names.
    let write = |name: &str, text: &str| {
        let id = name.split('.').next().unwrap_or(name);
        let text = text.replace("\"R\":", &format!("\"{id}Role\":"));
        std::fs::write(out.join(name), text).expect("write")
    };
    // Prod nests A, which nests B; Dev nests C; both nest Shared.
    write(
        "Prod.template.json",
        &nests(&["ProdA.nested.template.json", "Shared.nested.template.json"]),
    );
    write(
        "Dev.template.json",
        &nests(&["DevC.nested.template.json", "Shared.nested.template.json"]),
    );
    let with_child = role.replacen(
        "{\"R\":",
        "{\"N\": {\"Type\": \"AWS::CloudFormation::Stack\", \"Metadata\": {\"aws:asset:path\": \"ProdAB.nested.template.json\"}}, \"R\":",
        1,
    );
    write("ProdA.nested.template.json", &with_child);
    write("ProdAB.nested.template.json", role);
    write("DevC.nested.template.json", role);
    write("Shared.nested.template.json", role);
    write("Orphan.nested.template.json", role);
    let config = Config {
        root: dir.path().to_path_buf(),
        ..Config::default()
    };
    let scan = iamlint::scan(&[dir.path().to_path_buf()], config, registry()).expect("scan");
    let account_of = |file: &str| {
        let id = scan
            .inventory
            .files
            .iter()
            .find(|f| f.path.ends_with(file))
            .map(|f| f.id)
            .expect("file read");
        let role = scan
            .inventory
            .roles
            .iter()
            .find(|r| r.defined_at.iter().any(|l| l.file == id))
            .expect("role of the file");
        format!("{:?}", role.account)
    };
    assert!(account_of("ProdA.nested.template.json").contains("111111111111"));
    assert!(account_of("ProdAB.nested.template.json").contains("111111111111"));
    assert!(account_of("DevC.nested.template.json").contains("222222222222"));
    // Nested in stacks of two accounts, or in none: unknown.
    assert!(account_of("Shared.nested.template.json").contains("Template"));
    assert!(account_of("Orphan.nested.template.json").contains("Template"));
}

#[test]
fn cdk_stacks_of_one_account_keep_their_generated_names_apart() {
    // A stage deployed twice to one account: the same logical ids in two stacks. The names
    // CloudFormation generates differ by stack; the roles must not merge into one.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cdk.out");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(
        out.join("manifest.json"),
        r#"{"version": "36.0.0", "artifacts": {
  "DevApp": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/eu-west-1",
    "properties": {"templateFile": "DevApp.template.json", "stackName": "Dev-App"}},
  "TestApp": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/eu-west-1",
    "properties": {"templateFile": "TestApp.template.json"}}}}"#,
    )
    .expect("write");
    let template = |principal: &str| {
        format!(
            r#"{{"Resources": {{"HandlerRole1234": {{"Type": "AWS::IAM::Role", "Properties": {{"AssumeRolePolicyDocument": {{"Statement": [{{"Effect": "Allow", "Principal": {{"Service": "{principal}"}}, "Action": "sts:AssumeRole"}}]}}}}}}}}}}"#
        )
    };
    std::fs::write(
        out.join("DevApp.template.json"),
        template("lambda.amazonaws.com"),
    )
    .expect("write");
    std::fs::write(
        out.join("TestApp.template.json"),
        template("states.amazonaws.com"),
    )
    .expect("write");
    let config = Config {
        root: dir.path().to_path_buf(),
        ..Config::default()
    };
    let scan = iamlint::scan(&[dir.path().to_path_buf()], config, registry()).expect("scan");
    let mut arns: Vec<&str> = scan
        .inventory
        .roles
        .iter()
        .map(|r| r.arn.as_str())
        .collect();
    arns.sort_unstable();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::111111111111:role/<Dev-App-HandlerRole1234>",
            "arn:aws:iam::111111111111:role/<TestApp-HandlerRole1234>"
        ]
    );
    assert!(scan
        .inventory
        .roles
        .iter()
        .all(|r| r.trust.as_ref().is_some_and(|t| t.statements.len() == 1)));
}

#[test]
fn configured_accounts_win_over_the_cdk_manifest() {
    // `.iamlint.toml` puts every stack in one account: nothing crosses accounts, whatever
    // the manifest says.
    let dir = cdk_copy("cdk/before");
    std::fs::write(
        dir.path().join(".iamlint.toml"),
        "[[account]]\nid = \"222222222222\"\npaths = [\"cdk.out/**\"]\n",
    )
    .expect("write");
    let config = Config::load(&dir.path().join(".iamlint.toml")).expect("config");
    let results =
        iamlint::lint(&[dir.path().to_path_buf()], config, registry()).expect("scan runs");
    assert!(
        !rules_of(&results).contains(&"IAM201"),
        "{}",
        summary(&results)
    );
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
