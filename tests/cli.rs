//! CLI tests: run the real `iamlint` binary on temporary trees (and on the shipped
//! `testdata/examples`) and check stdout, stderr and the exit code together. Each test is a
//! few lines thanks to `tree` (make a temp tree) and `iamlint` (run, capture).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// What a run printed and how it exited.
#[derive(Debug)]
struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

impl Run {
    /// The JSON document printed by `--format json` or `--format sarif`.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Rule ids of `--format json` findings, in output order (suppressed ones included).
    fn rules(&self) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .expect("findings is a list")
            .iter()
            .map(|f| f["rule"].as_str().expect("rule is a string").to_owned())
            .collect()
    }

    fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "iamlint panicked:\n{}",
            self.stderr
        );
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs iamlint in `dir` with `args` and extra environment variables.
fn iamlint_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamlint"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RAYON_NUM_THREADS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    capture(cmd)
}

/// Runs a command and captures what it printed and its exit code; nothing may panic.
fn capture(mut cmd: Command) -> Run {
    let out = cmd.output().expect("the command runs");
    let run = Run {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().expect("exited, not killed"),
    };
    run.assert_no_panic();
    run
}

/// Runs iamlint in `dir` with `args`.
fn iamlint(dir: &Path, args: &[&str]) -> Run {
    iamlint_env(dir, args, &[])
}

/// Rule ids reported by `--format json` with `args` in `dir`.
fn json_rules(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    iamlint(dir, &all).rules()
}

/// A temporary tree of files (parents created).
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, body) in files {
        write(dir.path(), path, body);
    }
    dir
}

fn write(root: &Path, path: &str, body: &[u8]) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().expect("file has a parent")).expect("mkdir");
    std::fs::write(full, body).expect("write file");
}

/// Drops the time from the human summary line (`... 0 notes in 0.01s`).
fn without_time(text: &str) -> String {
    text.lines()
        .map(|l| match l.rfind(" in ") {
            Some(i) if l.starts_with("iamlint: ") && l.ends_with('s') => &l[..i],
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// An identity policy letting its holder assume any role anywhere (IAM101, a warning).
const ASSUME_ANY: &[u8] = br#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "SwitchToAnything",
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": "*"
    }
  ]
}
"#;

/// A trust policy trusting every AWS account (IAM102, an error).
const TRUST_ANYONE: &[u8] = br#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "sts:AssumeRole" }
  ]
}
"#;

/// A policy with a grammar error (IAM301, an error).
const LOWERCASE_EFFECT: &[u8] = br#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }
  ]
}
"#;

/// A policy with nothing to report.
const CLEAN: &[u8] = br#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }
  ]
}
"#;

/// A tree with one finding of each of IAM101, IAM102 and IAM301.
fn three_findings() -> tempfile::TempDir {
    tree(&[
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
        ("iam/roles/Public/trust.json", TRUST_ANYONE),
        ("iam/users/bob/reports-policy.json", LOWERCASE_EFFECT),
        ("iam/users/bob/clean-policy.json", CLEAN),
    ])
}

// ---------------------------------------------------------------- bad files, exit codes

#[test]
fn bad_files_are_findings_and_the_scan_goes_on() {
    let dir = tree(&[
        (
            "iam/policy.json",
            b"{ \"Version\": \"2012-10-17\", \"Statement\": [ }",
        ),
        ("iam/empty-policy.json", b""),
        ("iam/trust.json", b"\x00\x01\x02\xff\xfe binary"),
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
    ]);
    let run = iamlint(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.rules(), ["IAM002", "IAM002", "IAM001", "IAM101"]);
    let findings = run.json()["findings"].clone();
    let paths: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "iam/empty-policy.json",
            "iam/policy.json",
            "iam/trust.json",
            "iam/users/alice/switch-policy.json"
        ]
    );
}

#[test]
fn exit_0_on_a_clean_tree() {
    let dir = tree(&[("iam/users/bob/policy.json", CLEAN)]);
    let run = iamlint(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(without_time(&run.stdout)
        .contains("iamlint: 1 file scanned: 0 errors, 0 warnings, 0 notes"));
}

#[test]
fn exit_1_on_findings() {
    let run = iamlint(three_findings().path(), &[]);
    assert_eq!(run.code, 1);
}

#[test]
fn exit_2_on_a_missing_path() {
    let dir = tree(&[]);
    let run = iamlint(dir.path(), &["no/such/folder"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("path does not exist: no/such/folder"));
    assert!(run.stdout.is_empty());
}

#[test]
fn exit_2_on_an_unknown_config_key_with_its_position() {
    let dir = tree(&[
        (
            ".iamlint.toml",
            b"select = [\"IAM1\"]\nfail-onn = \"error\"\n",
        ),
        ("iam/users/bob/policy.json", CLEAN),
    ]);
    let run = iamlint(dir.path(), &["--color", "never"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown field `fail-onn`"),
        "{}",
        run.stderr
    );
    // The miette snippet shows the line and underlines the key.
    assert!(run.stderr.contains(".iamlint.toml:2:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("2 │ fail-onn = \"error\""),
        "{}",
        run.stderr
    );
}

#[test]
fn fail_on_error_ignores_warnings_and_never_never_fails() {
    let dir = tree(&[("iam/users/alice/switch-policy.json", ASSUME_ANY)]);
    assert_eq!(iamlint(dir.path(), &[]).code, 1, "warnings fail by default");
    assert_eq!(iamlint(dir.path(), &["--fail-on", "error"]).code, 0);
    assert_eq!(iamlint(dir.path(), &["--fail-on", "note"]).code, 1);
    let all = three_findings();
    assert_eq!(iamlint(all.path(), &["--fail-on", "error"]).code, 1);
    assert_eq!(iamlint(all.path(), &["--fail-on", "never"]).code, 0);
}

#[test]
fn fail_on_from_the_config() {
    let dir = tree(&[
        (".iamlint.toml", b"fail-on = \"error\"\n"),
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
    ]);
    assert_eq!(iamlint(dir.path(), &[]).code, 0);
    assert_eq!(iamlint(dir.path(), &["--fail-on", "warning"]).code, 1);
}

// ---------------------------------------------------------------- examples: determinism, snapshots

fn examples(args: &[&str]) -> Run {
    let mut all = vec!["testdata/examples"];
    all.extend_from_slice(args);
    iamlint(&manifest_dir(), &all)
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let one = examples(&["--format", "sarif", "--threads", "1"]);
    let two = examples(&["--format", "sarif", "--threads", "2"]);
    assert_eq!(one.code, 1);
    assert_eq!(one.stdout, two.stdout);
    let dir = manifest_dir();
    let args = ["testdata/examples", "--format", "sarif"];
    let env1 = iamlint_env(&dir, &args, &[("RAYON_NUM_THREADS", "1")]);
    let env2 = iamlint_env(&dir, &args, &[("RAYON_NUM_THREADS", "2")]);
    assert_eq!(env1.stdout, one.stdout);
    assert_eq!(env2.stdout, one.stdout);
}

#[test]
fn examples_sarif_snapshot() {
    let run = examples(&["--format", "sarif"]);
    assert_eq!(run.code, 1);
    // `%SRCROOT%` is the checkout, which is somewhere else on every machine.
    let mut log = run.json();
    let root = &mut log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
    assert!(root
        .as_str()
        .is_some_and(|u| u.starts_with("file:///") && u.ends_with('/')));
    *root = Value::from("file:///[checkout]/");
    let text = serde_json::to_string_pretty(&log).unwrap() + "\n";
    insta::assert_snapshot!("examples_sarif", text);
}

#[test]
fn every_sarif_rule_has_what_github_code_scanning_shows() {
    let log = examples(&["--format", "sarif"]).json();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), iamlint::docs::RULE_DOCS.len());
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let props = &rule["properties"];
        let score: f64 = props["security-severity"]
            .as_str()
            .unwrap_or_else(|| panic!("{id}: security-severity is a string"))
            .parse()
            .unwrap_or_else(|_| panic!("{id}: security-severity is a number"));
        assert!((0.1..=10.0).contains(&score), "{id}: {score}");
        let tags: Vec<&str> = props["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(tags.contains(&"security"), "{id}: {tags:?}");
        let doc = iamlint::docs::get(id).unwrap();
        assert!(tags.contains(&doc.group()), "{id}: {tags:?}");
        assert!(
            ["very-high", "high", "medium", "low"].contains(&props["precision"].as_str().unwrap()),
            "{id}: precision"
        );
        assert_eq!(
            rule["helpUri"],
            format!("https://github.com/iamlint/iamlint/blob/main/rules/{id}.md")
        );
        assert!(manifest_dir().join(format!("rules/{id}.md")).is_file());
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(full.len() > rule["shortDescription"]["text"].as_str().unwrap().len() / 2);
    }
    // `Principal: *` trusts and committed credentials are Critical.
    let score = |id: &str| -> f64 {
        rules.iter().find(|r| r["id"] == id).unwrap()["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(score("IAM102") >= 9.0);
    assert!(score("IAM501") >= 9.0);
    assert!(score("IAM101") < 7.0);
}

/// Every `artifactLocation` anywhere in a SARIF log.
fn artifact_locations<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "artifactLocation" {
                    out.push(v);
                }
                artifact_locations(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| artifact_locations(v, out)),
        _ => {}
    }
}

#[test]
fn sarif_uris_are_relative_to_srcroot_and_the_category_is_set() {
    let log = examples(&["--format", "sarif"]).json();
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "iamlint/");
    let mut found = Vec::new();
    artifact_locations(&log, &mut found);
    assert!(found.len() > 5);
    for loc in found {
        assert_eq!(loc["uriBaseId"], "%SRCROOT%", "{loc}");
        let uri = loc["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains(':'), "{uri}");
    }
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );

    // An absolute path inside the working folder is made relative too.
    let abs = manifest_dir().join("testdata/examples");
    let run = iamlint(
        &manifest_dir(),
        &[
            abs.to_str().unwrap(),
            "-f",
            "sarif",
            "--sarif-category",
            "iam/prod",
        ],
    );
    assert_valid_sarif(&run.stdout);
    let log = run.json();
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "iam/prod/");
    let mut found = Vec::new();
    artifact_locations(&log, &mut found);
    for loc in found {
        assert_eq!(loc["uriBaseId"], "%SRCROOT%", "{loc}");
        assert!(loc["uri"]
            .as_str()
            .unwrap()
            .starts_with("testdata/examples/"));
    }
}

#[test]
fn concise_output_is_one_line_per_finding() {
    let run = examples(&["--format", "concise"]);
    assert_eq!(run.code, 1);
    let json = examples(&["--format", "json"]).json();
    let findings = json["findings"].as_array().unwrap();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len() + 1, "{}", run.stdout);
    for (line, f) in lines.iter().zip(findings) {
        let rule = f["rule"].as_str().unwrap();
        let name = iamlint::docs::get(rule).unwrap().name;
        let expected = format!(
            "{}:{}:{}: {rule} {name} {}",
            f["path"].as_str().unwrap(),
            f["start"]["line"],
            f["start"]["column"],
            f["message"].as_str().unwrap()
        );
        assert_eq!(*line, expected);
    }
    assert_eq!(
        lines.last().unwrap(),
        &format!("iamlint: {} findings", findings.len())
    );
    let quiet = examples(&["--format", "concise", "--quiet"]);
    assert_eq!(quiet.stdout.lines().count(), findings.len());
    assert!(!quiet.stdout.contains("iamlint: "));
}

#[test]
fn examples_json_snapshot() {
    let run = examples(&["--format", "json"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("examples_json", run.stdout);
}

#[test]
fn examples_github_snapshot() {
    let run = examples(&["--format", "github"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("examples_github", run.stdout);
}

#[test]
fn examples_human_snapshot() {
    let run = examples(&["--color", "never"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    insta::assert_snapshot!("examples_human", without_time(&run.stdout));
}

// ---------------------------------------------------------------- SARIF schema

fn sarif_validator() -> jsonschema::Validator {
    let path = manifest_dir().join("testdata/schemas/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema is vendored"))
            .expect("schema is JSON");
    jsonschema::draft202012::new(&schema).expect("SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) {
    let instance: Value = serde_json::from_str(text).expect("SARIF is JSON");
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn examples_sarif_is_valid_sarif_2_1_0() {
    assert_valid_sarif(&examples(&["--format", "sarif"]).stdout);
}

#[test]
fn sarif_with_bad_files_and_suppressions_is_valid() {
    let dir = tree(&[
        (
            ".iamlint.toml",
            b"[[suppress]]\nrule = \"IAM102\"\npath = \"iam/roles/Public/trust.json\"\nreason = \"demo\"\n",
        ),
        ("iam/policy.json", b"{ oops"),
        ("iam/empty-policy.json", b""),
        ("iam/roles/Public/trust.json", TRUST_ANYONE),
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
    ]);
    let run = iamlint(dir.path(), &["--format", "sarif"]);
    assert_valid_sarif(&run.stdout);
    // Whole-file findings still carry a region (GitHub code scanning wants one).
    for result in run.json()["runs"][0]["results"].as_array().unwrap() {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some(), "{result}");
    }
}

// ---------------------------------------------------------------- rules and explain

#[test]
fn rules_lists_every_rule() {
    let run = iamlint(&manifest_dir(), &["rules"]);
    assert_eq!(run.code, 0);
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let expected: Vec<&str> = iamlint::rules::registry().iter().map(|r| r.id()).collect();
    assert_eq!(ids, expected);
    assert!(run.stdout.contains("IAM101  assume-role-wildcard-resource"));
    assert!(run.stdout.contains("IAM005  unused-suppression"));
}

#[test]
fn explain_by_id_and_by_name() {
    let by_id = iamlint(&manifest_dir(), &["explain", "IAM101"]);
    assert_eq!(by_id.code, 0);
    assert!(by_id
        .stdout
        .starts_with("IAM101 (assume-role-wildcard-resource) — default severity: warning"));
    assert!(by_id.stdout.contains("## What it does"));
    assert!(by_id.stdout.contains("## Known limits"));
    let by_name = iamlint(
        &manifest_dir(),
        &["explain", "assume-role-wildcard-resource"],
    );
    assert_eq!(by_name.code, 0);
    assert_eq!(by_name.stdout, by_id.stdout);
    let lower = iamlint(&manifest_dir(), &["explain", "iam101"]);
    assert_eq!(lower.stdout, by_id.stdout);
}

#[test]
fn explain_an_unknown_rule_is_a_usage_error() {
    let run = iamlint(&manifest_dir(), &["explain", "NOPE"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no rule `NOPE`"), "{}", run.stderr);
}

// ---------------------------------------------------------------- config: selection

#[test]
fn select_by_id_prefix_and_name() {
    let dir = three_findings();
    let rules = |args: &[&str]| json_rules(dir.path(), args);
    assert_eq!(rules(&[]), ["IAM102", "IAM101", "IAM301"]);
    assert_eq!(rules(&["--select", "IAM101"]), ["IAM101"]);
    assert_eq!(rules(&["--select", "iam1"]), ["IAM102", "IAM101"]);
    assert_eq!(rules(&["--select", "trust-any-principal"]), ["IAM102"]);
    assert_eq!(
        rules(&["--select", "IAM101,policy-grammar"]),
        ["IAM101", "IAM301"]
    );
    assert_eq!(rules(&["--ignore", "IAM1"]), ["IAM301"]);
    assert_eq!(
        rules(&["--select", "IAM1", "--ignore", "IAM102"]),
        ["IAM101"]
    );
}

#[test]
fn cli_select_replaces_config_select_and_ignores_add_up() {
    let dir = three_findings();
    write(
        dir.path(),
        ".iamlint.toml",
        b"select = [\"IAM3\"]\nignore = [\"trust-any-principal\"]\n",
    );
    let rules = |args: &[&str]| json_rules(dir.path(), args);
    assert_eq!(rules(&[]), ["IAM301"]);
    assert_eq!(rules(&["--select", "IAM1"]), ["IAM101"]);
    assert_eq!(
        rules(&["--select", "ALL", "--ignore", "IAM101"]),
        ["IAM301"]
    );
}

#[test]
fn selecting_an_unknown_rule_is_a_usage_error() {
    let run = iamlint(three_findings().path(), &["--select", "IAM999"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`IAM999` names no rule"),
        "{}",
        run.stderr
    );
}

#[test]
fn exclude_globs_from_config_and_command_line() {
    let dir = three_findings();
    let rules = |args: &[&str]| json_rules(dir.path(), args);
    assert_eq!(rules(&["--exclude", "iam/roles/**"]), ["IAM101", "IAM301"]);
    assert_eq!(
        rules(&["--exclude", "iam/roles/**", "--exclude", "**/bob/**"]),
        ["IAM101"]
    );
    write(
        dir.path(),
        ".iamlint.toml",
        b"exclude = [\"iam/users/**\"]\n",
    );
    assert_eq!(rules(&[]), ["IAM102"]);
    assert_eq!(rules(&["--exclude", "iam/roles/**"]), Vec::<String>::new());
}

#[test]
fn severity_override() {
    let dir = tree(&[
        (
            ".iamlint.toml",
            b"[severity]\nassume-role-wildcard-resource = \"error\"\n",
        ),
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
    ]);
    let run = iamlint(dir.path(), &["--format", "json", "--fail-on", "error"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["findings"][0]["severity"], "error");
    write(
        dir.path(),
        ".iamlint.toml",
        b"[severity]\nIAM1 = \"note\"\n",
    );
    let run = iamlint(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0, "a note does not fail the default threshold");
    assert_eq!(run.json()["findings"][0]["severity"], "note");
}

#[test]
fn per_path_ignores() {
    let dir = three_findings();
    write(
        dir.path(),
        ".iamlint.toml",
        b"[per-path-ignores]\n\"iam/users/**\" = [\"IAM101\", \"policy-grammar\"]\n\"iam/roles/*/trust.json\" = [\"IAM3\"]\n",
    );
    let run = iamlint(dir.path(), &["--format", "json"]);
    assert_eq!(run.rules(), ["IAM102"]);
}

// ---------------------------------------------------------------- config: suppressions

const SUPPRESS_BY_POINTER: &[u8] = br#"[[suppress]]
rule = "IAM101"
path = "iam/users/alice/*.json"
pointer = "/Statement/0/Resource"
reason = "break-glass user, reviewed in SEC-7"
"#;

#[test]
fn suppressed_findings_are_in_sarif_but_not_in_human_output_or_the_exit_code() {
    let dir = tree(&[
        (".iamlint.toml", SUPPRESS_BY_POINTER),
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
    ]);
    let human = iamlint(dir.path(), &["--color", "never"]);
    assert_eq!(human.code, 0, "{}", human.stdout);
    assert_eq!(
        without_time(&human.stdout),
        "iamlint: 1 file scanned: 0 errors, 0 warnings, 0 notes (1 suppressed)\n"
    );
    let sarif = iamlint(dir.path(), &["--format", "sarif"]);
    assert_eq!(sarif.code, 0);
    assert_valid_sarif(&sarif.stdout);
    let result = &sarif.json()["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "IAM101");
    assert_eq!(
        result["suppressions"],
        serde_json::json!([{ "kind": "external", "justification": "break-glass user, reviewed in SEC-7" }])
    );
    let json = iamlint(dir.path(), &["--format", "json"]);
    assert_eq!(json.json()["summary"]["suppressed"], 1);
    assert_eq!(
        json.json()["findings"][0]["suppressed"],
        "break-glass user, reviewed in SEC-7"
    );
    let github = iamlint(dir.path(), &["--format", "github"]);
    assert_eq!(github.stdout, "");
}

#[test]
fn a_suppression_needs_rule_path_and_pointer_to_match() {
    let other_pointer = String::from_utf8_lossy(SUPPRESS_BY_POINTER)
        .replace("/Statement/0/Resource", "/Statement/0/Action");
    let other_path =
        String::from_utf8_lossy(SUPPRESS_BY_POINTER).replace("users/alice", "users/bob");
    let other_rule = String::from_utf8_lossy(SUPPRESS_BY_POINTER).replace("IAM101", "IAM102");
    for config in [other_pointer, other_path, other_rule] {
        let dir = tree(&[
            (".iamlint.toml", config.as_bytes()),
            ("iam/users/alice/switch-policy.json", ASSUME_ANY),
        ]);
        let run = iamlint(dir.path(), &["--format", "json"]);
        assert_eq!(run.code, 1, "{config}");
        let findings = run.json()["findings"].clone();
        let ours: Vec<&Value> = findings
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "IAM101")
            .collect();
        assert_eq!(ours.len(), 1, "{config}");
        assert_eq!(ours[0]["suppressed"], Value::Null, "{config}");
    }
}

#[test]
fn a_suppression_needs_a_reason() {
    for config in [
        "[[suppress]]\nrule = \"IAM101\"\n",
        "[[suppress]]\nrule = \"IAM101\"\nreason = \"  \"\n",
    ] {
        let dir = tree(&[
            (".iamlint.toml", config.as_bytes()),
            ("iam/users/alice/switch-policy.json", ASSUME_ANY),
        ]);
        let run = iamlint(dir.path(), &["--color", "never"]);
        assert_eq!(run.code, 2, "{config}");
        assert!(run.stderr.contains("reason"), "{}", run.stderr);
    }
}

/// Runs iamlint in a tree holding `config` as `.iamlint.toml`; it must refuse the config
/// (exit 2) and point at `at` (line:column of the refused value) with `message`.
fn assert_config_error(config: &str, files: &[(&str, &[u8])], message: &str, at: &str) {
    let mut all = vec![(".iamlint.toml", config.as_bytes())];
    all.extend_from_slice(files);
    all.push(("iam/users/bob/policy.json", CLEAN));
    let dir = tree(&all);
    let run = iamlint(dir.path(), &["--color", "never"]);
    assert_eq!(run.code, 2, "{config}\n{}", run.stderr);
    assert!(run.stderr.contains(message), "{message}:\n{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(".iamlint.toml:{at}")),
        "position {at}:\n{}",
        run.stderr
    );
}

#[test]
fn config_errors_point_at_the_refused_value() {
    // Unknown rules, wherever a rule is named.
    assert_config_error(
        "select = [\"IAM1\"]\n[severity]\nIAM101 = \"error\"\nIAM1O1 = \"note\"\n",
        &[],
        "severity key `IAM1O1` names no rule",
        "4:1",
    );
    assert_config_error(
        "[per-path-ignores]\n\"iam/**\" = [\"IAM101\", \"no-such-rule\"]\n",
        &[],
        "per-path-ignores entry `no-such-rule` names no rule",
        "2:23",
    );
    assert_config_error(
        "[[suppress]]\nrule = \"IAM101\"\nreason = \"ok\"\n\n[[suppress]]\nrule = \"IAM1O1\"\nreason = \"typo\"\n",
        &[],
        "suppression of `IAM1O1` names no rule",
        "5:1",
    );
    assert_config_error(
        "ignore = [\"IAM101\", \"IAM9\"]\n",
        &[],
        "ignore entry `IAM9` names no rule",
        "1:21",
    );
    // Values of the right type that are still wrong.
    assert_config_error("[severity]\nIAM101 = \"fatal\"\n", &[], "fatal", "2:10");
    assert_config_error("fail-on = \"sometimes\"\n", &[], "fail-on", "1:11");
    assert_config_error(
        "organisation = [\"111122223333\", \"12345\"]\n",
        &[],
        "organisation account `12345` is not a 12-digit account id",
        "1:33",
    );
    assert_config_error("exclude = [\"a/[b\"]\n", &[], "bad glob `a/[b`", "1:12");
    // Manifest entries naming files that are not there.
    assert_config_error(
        "[[role]]\narn = \"arn:aws:iam::111122223333:role/Deploy\"\ntrust = \"roles/deploy-trust.json\"\n\n[[role]]\narn = \"arn:aws:iam::111122223333:role/Gone\"\ntrust = \"roles/gone.json\"\n",
        &[("roles/deploy-trust.json", CLEAN)],
        "[[role]] trust file `roles/gone.json` does not exist",
        "5:1",
    );
    assert_config_error(
        "[[user]]\narn = \"arn:aws:iam::111122223333:user/bob\"\npolicies = [\"nope.json\"]\n",
        &[],
        "[[user]] policy file `nope.json` does not exist",
        "1:1",
    );
}

#[test]
fn unused_suppressions_are_reported_as_notes() {
    let config = br#"[[suppress]]
rule = "IAM101"
path = "iam/users/alice/*.json"
reason = "break-glass user"

[[suppress]]
rule = "IAM102"
path = "iam/roles/Old/trust.json"
reason = "the Old role was deleted long ago"
"#;
    let dir = tree(&[
        (".iamlint.toml", config),
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
    ]);
    let run = iamlint(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0, "notes do not fail the default threshold");
    let json = run.json();
    let findings = json["findings"].as_array().unwrap();
    let unused: Vec<(String, u64, String)> = findings
        .iter()
        .filter(|f| f["rule"] == "IAM005")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["start"]["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        unused,
        [(
            ".iamlint.toml".to_owned(),
            6,
            "suppression of `IAM102` path `iam/roles/Old/trust.json` matched no finding".to_owned()
        ),]
    );
    assert_eq!(json["findings"][0]["severity"], "note");
    // A suppression whose rule did not run is not judged.
    let only_101 = iamlint(
        dir.path(),
        &["--format", "json", "--select", "IAM101,IAM005"],
    );
    assert_eq!(
        only_101.rules().iter().filter(|r| *r == "IAM005").count(),
        0,
        "IAM102 did not run"
    );
    // And the report can be switched off like any rule.
    let off = iamlint(
        dir.path(),
        &["--format", "json", "--ignore", "unused-suppression"],
    );
    assert_eq!(off.rules(), ["IAM101"]);
}

// ---------------------------------------------------------------- baseline

#[test]
fn baseline_reports_only_new_findings_and_survives_moved_lines() {
    let dir = tree(&[
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
        ("iam/roles/Public/trust.json", TRUST_ANYONE),
    ]);
    let write_run = iamlint(dir.path(), &["--write-baseline", "baseline.json"]);
    assert_eq!(write_run.code, 0);
    assert!(write_run
        .stderr
        .contains("recorded 2 findings in baseline.json"));
    let with_baseline = ["--baseline", "baseline.json", "--format", "json"];
    let run = iamlint(dir.path(), &with_baseline);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.rules(), Vec::<String>::new());

    // Blank lines and reordered statements above the finding move it down the file.
    write(
        dir.path(),
        "iam/users/alice/switch-policy.json",
        br#"{
  "Version": "2012-10-17",


  "Statement": [
    {
      "Resource": "*",
      "Action": "sts:AssumeRole",

      "Effect": "Allow",
      "Sid": "SwitchToAnything"
    }
  ]
}
"#,
    );
    let run = iamlint(dir.path(), &with_baseline);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.rules(), Vec::<String>::new());
    let moved = iamlint(dir.path(), &["--format", "json"]);
    assert_eq!(moved.json()["findings"][1]["start"]["line"], 7);

    // A new finding is reported; the known ones stay quiet.
    write(
        dir.path(),
        "iam/users/bob/reports-policy.json",
        LOWERCASE_EFFECT,
    );
    let run = iamlint(dir.path(), &with_baseline);
    assert_eq!(run.code, 1);
    assert_eq!(run.rules(), ["IAM301"]);
}

#[test]
fn baseline_keeps_statement_order_changes_above_the_finding() {
    let before = br#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*" },
    { "Sid": "B", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*" },
    { "Sid": "Switch", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*" }
  ]
}
"#;
    let after = br#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "B",
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::b/*"
    },
    { "Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*" },
    { "Sid": "Switch", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*" }
  ]
}
"#;
    let dir = tree(&[("iam/users/alice/policy.json", before)]);
    assert_eq!(iamlint(dir.path(), &["--write-baseline", "b.json"]).code, 0);
    write(dir.path(), "iam/users/alice/policy.json", after);
    let run = iamlint(dir.path(), &["--baseline", "b.json", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.rules(), Vec::<String>::new());
}

#[test]
fn a_broken_baseline_is_a_usage_error() {
    let dir = three_findings();
    write(dir.path(), "b.json", b"not json");
    let run = iamlint(dir.path(), &["--baseline", "b.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not an iamlint baseline"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- output options

#[test]
fn github_annotations() {
    let dir = tree(&[
        ("iam/users/alice/switch-policy.json", ASSUME_ANY),
        ("iam/roles/Public/trust.json", TRUST_ANYONE),
    ]);
    let run = iamlint(dir.path(), &["--format", "github"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("::error file=iam/roles/Public/trust.json,line=4,col=48,endLine=4,endColumn=51,title=IAM102 trust-any-principal::"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::warning file=iam/users/alice/switch-policy.json,line=8,col=19,endLine=8,endColumn=22,title=IAM101 assume-role-wildcard-resource::"),
        "{}",
        lines[1]
    );
    // The help goes on an escaped second line of the same annotation.
    assert!(lines[1].contains("%0Ahelp: "), "{}", lines[1]);
}

#[test]
fn quiet_drops_the_summary() {
    let dir = tree(&[("iam/users/bob/policy.json", CLEAN)]);
    let run = iamlint(dir.path(), &["--quiet"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "");
    let dir = three_findings();
    let run = iamlint(dir.path(), &["-q", "--color", "never"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("IAM102(trust-any-principal)"));
    assert!(!run.stdout.contains("iamlint: "), "{}", run.stdout);
}

#[test]
fn statistics_counts_per_rule() {
    let dir = three_findings();
    write(dir.path(), "iam/users/carol/switch-policy.json", ASSUME_ANY);
    let run = iamlint(dir.path(), &["--statistics", "--quiet", "--color", "never"]);
    assert_eq!(run.code, 1);
    let tail: Vec<&str> = run.stdout.lines().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            "     1  IAM301  policy-grammar",
            "     1  IAM102  trust-any-principal",
            "     2  IAM101  assume-role-wildcard-resource",
        ]
    );
    // Machine-readable output stays parseable: the counts go to standard error.
    let sarif = iamlint(dir.path(), &["--statistics", "--format", "sarif"]);
    assert_valid_sarif(&sarif.stdout);
    assert!(sarif
        .stderr
        .contains("     2  IAM101  assume-role-wildcard-resource"));
}

#[test]
fn output_file() {
    let dir = three_findings();
    let run = iamlint(
        dir.path(),
        &["--format", "sarif", "--output", "out/report.sarif"],
    );
    assert_eq!(run.code, 2, "the folder must exist");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let run = iamlint(
        dir.path(),
        &["--format", "sarif", "--output", "out/report.sarif"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let written = std::fs::read_to_string(dir.path().join("out/report.sarif")).unwrap();
    assert_valid_sarif(&written);
    let stdout = iamlint(dir.path(), &["--format", "sarif"]);
    assert_eq!(written, stdout.stdout);
}

#[test]
fn only_files_reports_findings_in_the_given_files_only() {
    let dir = three_findings();
    let run = iamlint(
        dir.path(),
        &[
            "--only-files",
            "--format",
            "json",
            "iam/users/alice/switch-policy.json",
            "iam/users/bob/clean-policy.json",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.rules(), ["IAM101"]);
    let clean = iamlint(
        dir.path(),
        &["--only-files", "iam/users/bob/clean-policy.json"],
    );
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    let folder = iamlint(
        dir.path(),
        &["--only-files", "--format", "json", "iam/users"],
    );
    assert_eq!(folder.rules(), ["IAM101", "IAM301"]);
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    let run = examples(&["--format", "json"]);
    assert_eq!(run.stderr, "");
}

// ---------------------------------------------------------------- GitHub Action

/// Runs scripts/action-run.sh as action.yml does, in a workspace, with a GITHUB_OUTPUT file.
fn action(workspace: &Path, inputs: &[(&str, &str)]) -> (Run, String) {
    let output = workspace.join("github-output.txt");
    let _ = std::fs::remove_file(&output);
    let mut cmd = Command::new("bash");
    cmd.arg(manifest_dir().join("scripts/action-run.sh"))
        .current_dir(workspace)
        .env("IAMLINT", env!("CARGO_BIN_EXE_iamlint"))
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_OUTPUT", &output);
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    let run = capture(cmd);
    (run, std::fs::read_to_string(output).unwrap_or_default())
}

#[test]
fn action_writes_sarif_annotates_and_outputs_the_exit_code() {
    let ws = three_findings();
    let (run, outputs) = action(ws.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        outputs,
        "findings=3\nsarif-file=iamlint.sarif\nexit-code=1\n"
    );
    assert!(run
        .stdout
        .contains("::error file=iam/roles/Public/trust.json,line=4"));
    assert!(run
        .stdout
        .contains("::warning file=iam/users/alice/switch-policy.json"));
    let sarif = std::fs::read_to_string(ws.path().join("iamlint.sarif")).expect("SARIF written");
    assert_valid_sarif(&sarif);
    let results = serde_json::from_str::<Value>(&sarif).unwrap()["runs"][0]["results"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(results, 3);
}

#[test]
fn action_inputs() {
    let ws = three_findings();
    write(ws.path(), "ci/iamlint.toml", b"ignore = [\"IAM102\"]\n");
    let (run, outputs) = action(
        ws.path(),
        &[
            ("INPUT_PATHS", "iam/users\niam/roles"),
            ("INPUT_CONFIG", "ci/iamlint.toml"),
            ("INPUT_FAIL_ON", "never"),
            ("INPUT_FORMAT", "json"),
            ("INPUT_SARIF_FILE", "out.sarif"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(outputs, "findings=2\nsarif-file=out.sarif\nexit-code=0\n");
    assert_eq!(run.rules(), ["IAM101", "IAM301"]);
    assert_valid_sarif(&std::fs::read_to_string(ws.path().join("out.sarif")).unwrap());

    let clean = tree(&[("iam/users/bob/policy.json", CLEAN)]);
    let (run, outputs) = action(clean.path(), &[("INPUT_SARIF_FILE", "")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(outputs, "findings=0\nexit-code=0\n", "no sarif-file output");
    assert!(!clean.path().join("iamlint.sarif").exists());

    let (run, outputs) = action(clean.path(), &[("INPUT_CONFIG", "missing.toml")]);
    assert_eq!(run.code, 2);
    assert_eq!(outputs, "exit-code=2\n");

    // args, exclude and baseline reach iamlint.
    let ws = three_findings();
    let (run, outputs) = action(
        ws.path(),
        &[
            ("INPUT_ARGS", "--select IAM1\n--threads 1"),
            ("INPUT_EXCLUDE", "iam/roles/**"),
            ("INPUT_FORMAT", "concise"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(outputs.starts_with("findings=1\n"), "{outputs}");
    assert!(run.stdout.contains(": IAM101 "), "{}", run.stdout);
    assert!(!run.stdout.contains("IAM102"), "{}", run.stdout);
    let base = iamlint(ws.path(), &["--write-baseline", "base.json"]);
    assert_eq!(base.code, 0, "{}", base.stderr);
    let (run, outputs) = action(ws.path(), &[("INPUT_BASELINE", "base.json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(outputs.starts_with("findings=0\n"), "{outputs}");
}

/// A stand-in for a GitHub release of this version: the debug binary packed as the release
/// workflow packs it, and a SHA256SUMS file (`good`: right, else wrong).
fn stand_in_release(good: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let name = "iamlint-x86_64-unknown-linux-musl";
    std::fs::create_dir(dir.path().join(name)).unwrap();
    std::fs::copy(
        env!("CARGO_BIN_EXE_iamlint"),
        dir.path().join(name).join("iamlint"),
    )
    .unwrap();
    let tar = Command::new("tar")
        .args(["czf", &format!("{name}.tar.gz"), name])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(tar.success());
    std::fs::remove_dir_all(dir.path().join(name)).unwrap();
    let sum = Command::new("sha256sum")
        .arg(format!("{name}.tar.gz"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let mut sums = String::from_utf8(sum.stdout).unwrap();
    if !good {
        sums = format!("{}{}", "0".repeat(64), &sums[64..]);
    }
    std::fs::write(dir.path().join("SHA256SUMS"), sums).unwrap();
    dir
}

/// Runs the action script with no IAMLINT binary given, so that it installs one from the
/// stand-in release (on "Linux X64", whatever this machine is).
fn action_installing(workspace: &Path, release: &Path, install: &Path) -> (Run, String) {
    let output = workspace.join("github-output.txt");
    let _ = std::fs::remove_file(&output);
    let mut cmd = Command::new("bash");
    cmd.arg(manifest_dir().join("scripts/action-run.sh"))
        .current_dir(workspace)
        .env_remove("IAMLINT")
        .env("GITHUB_ACTION_PATH", manifest_dir())
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env(
            "IAMLINT_RELEASE_URL",
            format!("file://{}", release.display()),
        )
        .env("IAMLINT_INSTALL_DIR", install);
    let run = capture(cmd);
    (run, std::fs::read_to_string(output).unwrap_or_default())
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn action_installs_the_release_binary_after_checking_its_checksum() {
    if !(have("bash") && have("tar") && have("sha256sum")) {
        eprintln!("SKIP: bash, tar or sha256sum is missing");
        return;
    }
    let ws = three_findings();
    let install = tempfile::tempdir().unwrap();
    let release = stand_in_release(true);
    let (run, outputs) = action_installing(ws.path(), release.path(), install.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("checksum verified"), "{}", run.stderr);
    assert_eq!(
        outputs,
        "findings=3\nsarif-file=iamlint.sarif\nexit-code=1\n"
    );
    assert!(install
        .path()
        .join("iamlint-x86_64-unknown-linux-musl/iamlint")
        .is_file());

    let install = tempfile::tempdir().unwrap();
    let release = stand_in_release(false);
    let (run, outputs) = action_installing(ws.path(), release.path(), install.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("checksum mismatch"), "{}", run.stderr);
    assert_eq!(outputs, "exit-code=2\n");

    // No release binary: the script falls back to building from source, which needs
    // cargo; without cargo on PATH that is a clear error, exit 2.
    let empty = tempfile::tempdir().unwrap();
    let install = tempfile::tempdir().unwrap();
    let output = ws.path().join("github-output.txt");
    let _ = std::fs::remove_file(&output);
    let mut cmd = Command::new("bash");
    cmd.arg(manifest_dir().join("scripts/action-run.sh"))
        .current_dir(ws.path())
        .env_remove("IAMLINT")
        .env("PATH", "/usr/bin:/bin")
        .env("GITHUB_ACTION_PATH", manifest_dir())
        .env("GITHUB_WORKSPACE", ws.path())
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env(
            "IAMLINT_RELEASE_URL",
            format!("file://{}", empty.path().display()),
        )
        .env("IAMLINT_INSTALL_DIR", install.path());
    if Command::new("/usr/bin/env")
        .env("PATH", "/usr/bin:/bin")
        .args(["sh", "-c", "command -v cargo"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("SKIP: cargo is on /usr/bin:/bin, the fallback would build iamlint");
        return;
    }
    let run = capture(cmd);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no release binary at"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("needs cargo"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "exit-code=2\n");
    assert!(!install
        .path()
        .join("iamlint-x86_64-unknown-linux-musl")
        .exists());
}

#[test]
fn action_yml_passes_every_input_to_the_script() {
    let yml = std::fs::read_to_string(manifest_dir().join("action.yml")).unwrap();
    let script = std::fs::read_to_string(manifest_dir().join("scripts/action-run.sh")).unwrap();
    for input in [
        "version",
        "paths",
        "args",
        "config",
        "baseline",
        "exclude",
        "fail-on",
        "format",
        "sarif-file",
    ] {
        let var = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        assert!(
            yml.contains(&format!("  {input}:\n")),
            "input {input} declared"
        );
        assert!(
            yml.contains(&format!("{var}: ${{{{ inputs.{input} }}}}")),
            "{var} passed"
        );
        assert!(
            script.contains(&format!("${{{var}")),
            "{var} read by the script"
        );
    }
    // upload-sarif is the action's own step, not the script's.
    assert!(yml.contains("inputs.upload-sarif == 'true'"));
    assert!(yml.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(script.contains("cargo install --path \"$action_path\" --locked"));
}

// ---------------------------------------------------------------- README

fn readme() -> String {
    std::fs::read_to_string(manifest_dir().join("README.md")).expect("README.md")
}

/// The body of the first fenced block of `lang` after `heading`.
fn readme_block(heading: &str, lang: &str) -> String {
    let text = readme();
    let from = text
        .find(heading)
        .unwrap_or_else(|| panic!("README has `{heading}`"));
    let rest = &text[from..];
    let open = format!("```{lang}\n");
    let start = rest.find(&open).expect("fenced block") + open.len();
    let len = rest[start..].find("\n```").expect("closed block");
    rest[start..start + len + 1].to_owned()
}

#[test]
fn readme_first_commands() {
    let text = readme();
    let first = readme_block("# iamlint", "sh");
    assert!(first.starts_with("cargo run --release -- testdata/examples "));
    assert!(first.contains("\ncargo test --all-targets "));
    // .ci/run runs the README's test command.
    let ci = std::fs::read_to_string(manifest_dir().join(".ci/run")).unwrap();
    assert!(ci.contains("\ncargo test --all-targets\n"));
    assert!(ci.contains("cargo run --release -- testdata/examples"));
    assert!(text.find(&first).unwrap() < 300, "the commands come first");
}

#[test]
fn readme_graph_picture_is_real_output() {
    let shown = readme_block("## Usage", "mermaid");
    let real = iamlint(
        &manifest_dir(),
        &["graph", "testdata/examples", "-f", "mermaid"],
    );
    assert_eq!(real.code, 0);
    assert_eq!(shown, real.stdout);
}

#[test]
fn readme_rule_table_is_the_rule_list() {
    let text = readme();
    let rows: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("| IAM") && l.as_bytes().get(5).is_some_and(u8::is_ascii_digit))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            format!("{} {} {} {}", cells[0], cells[1], cells[2], cells[3])
        })
        .collect();
    let listed: Vec<String> = iamlint::docs::RULE_DOCS
        .iter()
        .map(|d| format!("{} {} {} {}", d.id, d.name, d.severity, d.summary))
        .collect();
    assert_eq!(
        rows, listed,
        "the README's rule table must list every rule of `iamlint rules`, in order"
    );
}

#[test]
fn readme_config_example_is_a_valid_config() {
    let config = readme_block("## Configuration", "toml");
    assert!(config.contains("[[suppress]]"));
    let dir = tree(&[
        (".iamlint.toml", config.as_bytes()),
        ("iam/111122223333/users/bob/policy.json", CLEAN),
        // The manifest's files (a missing one is a config error).
        (
            "prod/deploy-trust.json",
            br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}"#,
        ),
        ("prod/deploy-policy.json", CLEAN),
        ("prod/alice.json", CLEAN),
        ("prod/admins.json", CLEAN),
    ]);
    let run = iamlint(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Its one suppression matches nothing in this tree, and is reported.
    assert_eq!(run.rules(), ["IAM005"]);
}

#[test]
fn readme_json_example_is_real_output() {
    let example: Value = serde_json::from_str(&readme_block("### JSON", "json")).unwrap();
    let real = examples(&["--format", "json"]).json();
    assert_eq!(example["version"], real["version"]);
    assert_eq!(example["tool"]["name"], real["tool"]["name"]);
    assert_eq!(example["summary"], real["summary"]);
    let shown = &example["findings"][0];
    let same = real["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == shown["rule"])
        .expect("the example's finding is reported");
    assert_eq!(shown, same);
}

#[test]
fn readme_usage_names_real_options() {
    let help = iamlint(&manifest_dir(), &["check", "--help"]).stdout;
    let text = readme();
    let usage = &text[text.find("## Usage").unwrap()..text.find("### Exit codes").unwrap()];
    for word in usage.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        if word.starts_with("--") && word.as_bytes().get(2).is_some_and(u8::is_ascii_lowercase) {
            assert!(
                help.contains(word),
                "README shows {word}, `check --help` lacks it"
            );
        }
    }
    for cmd in [
        &["rules"][..],
        &["explain", "IAM101"],
        &["inventory", "testdata/examples"],
    ] {
        assert_eq!(iamlint(&manifest_dir(), cmd).code, 0, "{cmd:?}");
    }
    let inventory = iamlint(&manifest_dir(), &["inventory", "testdata/examples"]).stdout;
    assert!(inventory.contains("role  arn:aws:iam::111122223333:role/Deploy"));
    let json = iamlint(
        &manifest_dir(),
        &["inventory", "-f", "json", "testdata/examples"],
    );
    serde_json::from_str::<Value>(&json.stdout).expect("inventory JSON");
    assert_eq!(iamlint(&manifest_dir(), &["--no-such-option"]).code, 2);
}

#[test]
fn readme_action_and_pre_commit_match_their_files() {
    let text = readme();
    let action = std::fs::read_to_string(manifest_dir().join("action.yml")).unwrap();
    let workflow = readme_block("## GitHub Action", "yaml");
    let with = &workflow[workflow.find("uses: iamlint/iamlint@main").unwrap()..];
    let with = &with[..with.find("- if:").unwrap()];
    for line in with.lines().skip(2).filter(|l| !l.trim().is_empty()) {
        let key = line.trim().split(':').next().unwrap();
        assert!(action.contains(&format!("\n  {key}:\n")), "input {key}");
    }
    for row in text
        .lines()
        .filter(|l| l.starts_with("| `") && l.contains("` | "))
    {
        let name = row.trim_start_matches("| `").split('`').next().unwrap();
        if !name.starts_with('-') {
            assert!(action.contains(&format!("\n  {name}:\n")), "input {name}");
        }
    }
    assert!(action.contains("default: iamlint.sarif"));
    assert!(action.contains("default: github"));
    let hooks = std::fs::read_to_string(manifest_dir().join(".pre-commit-hooks.yaml")).unwrap();
    let config = readme_block("## pre-commit", "yaml");
    assert!(config.contains("- id: iamlint"));
    assert!(hooks.contains("- id: iamlint\n"));
    assert!(hooks.contains("entry: iamlint check --only-files\n"));
    assert!(hooks.contains("language: python\n"));
    assert!(hooks.contains("- id: iamlint-source\n"));
    assert!(hooks.contains("language: rust\n"));
}

/// A CLI config whose profiles' `source_profile`s form one loop of `n` profiles.
fn profile_loop_config(n: usize) -> Vec<u8> {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = p{}\n\n",
            (i + 1) % n
        ));
    }
    text.into_bytes()
}

/// Issue #11 §2: a long loop is one finding whose message and labels show its ends and
/// count the rest, in every format; SARIF's code flow and JSON's chain keep every hop.
#[test]
fn issue_11_a_long_profile_loop_is_shortened_in_messages_and_whole_in_code_flows() {
    let n = 2000;
    // The credentials file beside it shows the loop's profiles have no keys there.
    let dir = tree(&[
        ("aws/config", &profile_loop_config(n)),
        (
            "aws/credentials",
            b"[other]\naws_access_key_id = FAKEKEYID\n",
        ),
    ]);
    let shortened = format!(
        "`p0` → `p1` → `p2` → … {} more … → `p1998` → `p1999` → `p0`",
        n - 5
    );

    let human = iamlint(dir.path(), &["--no-config", "--color", "never"]);
    assert_eq!(human.code, 1);
    assert_eq!(human.stdout.matches("IAM403(profile-loop)").count(), 1);
    assert!(human.stdout.contains(&shortened), "{}", human.stdout);
    assert!(human
        .stdout
        .contains(&format!("… {} more related places", n - 6)));
    assert!(!human.stdout.contains("`p1000`"), "{}", human.stdout);
    assert!(human.stdout.len() < 8_000, "{} bytes", human.stdout.len());

    let github = iamlint(dir.path(), &["--no-config", "--format", "github"]);
    assert!(github.stdout.contains(&shortened), "{}", github.stdout);

    let json = iamlint(dir.path(), &["--no-config", "--format", "json"]).json();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert!(findings[0]["message"]
        .as_str()
        .unwrap()
        .contains(&shortened));
    assert_eq!(findings[0]["chain"].as_array().unwrap().len(), n);

    let sarif = iamlint(dir.path(), &["--no-config", "--format", "sarif"]);
    assert_valid_sarif(&sarif.stdout);
    let result = &sarif.json()["runs"][0]["results"][0];
    assert!(result["message"]["text"]
        .as_str()
        .unwrap()
        .contains(&shortened));
    let steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    assert_eq!(steps.len(), n);
    assert_eq!(result["relatedLocations"].as_array().unwrap().len(), 6);
}

/// Issue #11 §2: control characters in a file's name are escaped in human output and in
/// GitHub annotations (SARIF percent-encodes them in its URIs), so a name cannot forge
/// report lines or send escape sequences to a terminal.
#[test]
fn issue_11_control_characters_in_file_names_are_escaped() {
    // The credentials file beside the config shows profile `a` has no keys.
    let dir = tree(&[
        (
            "a\u{1b}[31m\tb\nc/config",
            b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = a\n",
        ),
        (
            "a\u{1b}[31m\tb\nc/credentials",
            b"[other]\nregion = us-east-1\n",
        ),
    ]);
    let human = iamlint(dir.path(), &["--no-config", "--color", "never"]);
    assert_eq!(human.code, 1);
    assert!(
        human
            .stdout
            .contains("a\\u{1b}[31m\\tb\\nc/config:3:18: profile `a`"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("[a\\u{1b}[31m\\tb\\nc/config:3:18]"));
    assert!(
        !human.stdout.contains(['\u{1b}', '\t']),
        "{:?}",
        human.stdout
    );
    let github = iamlint(dir.path(), &["--no-config", "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("file=a\\u{1b}[31m\\tb%0Ac/config,line=3"),
        "{}",
        github.stdout
    );
    assert!(!github.stdout.contains(['\u{1b}', '\t']));
    assert_eq!(github.stdout.lines().count(), 1);
    let sarif = iamlint(dir.path(), &["--no-config", "--format", "sarif"]);
    assert!(sarif
        .stdout
        .contains("\"uri\": \"a%1B%5B31m%09b%0Ac/config\""));
}

/// Text from the input reaches messages: a JSON string may spell control characters
/// (`\u001b`), and they reach neither a message nor a snippet raw, in human output or
/// GitHub annotations (a terminal would act on them). A CLI config file may hold them
/// raw: its snippet shows `?` in their place.
#[test]
fn issue_11_control_characters_in_input_text_are_escaped() {
    let dir = tree(&[
        (
            "policies/p.json",
            br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam:us-east-1:123456789012:role/x\u001b[2J\u0007\u202ey"}]}"#,
        ),
        (
            "ci/config",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\n# \u{1b}[2J\u{9b}2J\u{202e}\nsource_profile = a\n"
                .as_bytes(),
        ),
        ("ci/credentials", b"[other]\nregion = us-east-1\n"),
    ]);
    let human = iamlint(dir.path(), &["--no-config", "--color", "never"]);
    assert_eq!(human.code, 1, "{}", human.stdout);
    assert!(
        human
            .stdout
            .contains("role/x\\u{1b}[2J\\u{7}\\u{202e}y` has region"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("# ?[2J??2J???"), "{}", human.stdout);
    let github = iamlint(dir.path(), &["--no-config", "--format", "github"]);
    for out in [&human.stdout, &github.stdout] {
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "{out:?}"
        );
    }
}

/// Messages of `--format json` findings of `rule`, in output order.
fn messages_of(run: &Run, rule: &str) -> Vec<String> {
    run.json()["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// An identity policy of user `alice` allowing `sts:AssumeRole` on `resources`.
fn assume_role_policy(resources: &[&str]) -> Vec<u8> {
    serde_json::to_vec_pretty(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": resources }]
    }))
    .unwrap()
}

/// The IAM302 messages for an identity policy allowing `sts:AssumeRole` on `resources`,
/// in output order.
fn iam302_messages(resources: &[&str]) -> Vec<String> {
    let policy = assume_role_policy(resources);
    let dir = tree(&[("123456789012/users/alice/assume.json", &policy)]);
    let run = iamlint(
        dir.path(),
        &["--no-config", "--format", "json", "--select", "IAM302"],
    );
    messages_of(&run, "IAM302")
}

/// Issue #11 §4: an IAM or STS ARN with a region names nothing (IAM ARNs have an empty
/// region); a region that is a wildcard or a placeholder is left alone.
#[test]
fn issue_11_a_region_in_an_iam_arn_is_reported() {
    let messages = iam302_messages(&[
        "arn:aws:iam:us-east-1:123456789012:role/deploy",
        "arn:aws:sts:eu-west-1:123456789012:assumed-role/deploy/ci",
        "arn:aws:iam:*:123456789012:role/ops",
        "arn:aws:ec2:us-east-1:123456789012:instance/*",
    ]);
    assert_eq!(
        messages,
        [
            "resource `arn:aws:iam:us-east-1:123456789012:role/deploy` has region `us-east-1`: IAM and STS ARNs have an empty region, so it names nothing",
            "resource `arn:aws:sts:eu-west-1:123456789012:assumed-role/deploy/ci` has region `eu-west-1`: IAM and STS ARNs have an empty region, so it names nothing",
        ]
    );
}

/// Issue #11 §4: a resource type IAM does not have (`roles/`, `usr/`) is reported; a type
/// with a wildcard or a placeholder is not.
#[test]
fn issue_11_an_iam_resource_type_iam_does_not_have_is_reported() {
    let messages = iam302_messages(&[
        "arn:aws:iam::123456789012:roles/deploy",
        "arn:aws:iam::123456789012:usr/alice",
        "arn:aws:iam::123456789012:rol*",
        "arn:aws:iam::123456789012:*",
        "arn:aws:iam::<account-id>:roles/deploy",
        "arn:aws:iam::${var.account}:usr/alice",
        "arn:aws:iam::123456789012:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
    ]);
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages[0].contains("`roles`, which IAM does not have"));
    assert!(messages[1].contains("`usr`, which IAM does not have"));
}

/// Issue #11 §4: nothing after the resource type (`policy/`) names nothing.
#[test]
fn issue_11_an_empty_name_after_the_resource_type_is_reported() {
    let messages = iam302_messages(&[
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:user",
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::123456789012:mfa/*",
    ]);
    assert_eq!(
        messages,
        [
            "resource `arn:aws:iam::123456789012:role/` has no name after `role/`",
            "resource `arn:aws:iam::123456789012:user` has no name after `user/`",
        ]
    );
}

/// Issue #11 §4: a trust policy naming a group (or anything else that is not a principal)
/// is rejected by IAM; accounts, users, roles and sessions are principals.
#[test]
fn issue_11_a_trust_principal_that_is_not_a_principal_type_is_reported() {
    let trust = serde_json::to_vec_pretty(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "AWS": [
                "arn:aws:iam::222222222222:group/admins",
                "arn:aws:iam::222222222222:root",
                "arn:aws:iam::222222222222:user/alice",
                "arn:aws:sts::222222222222:assumed-role/ops/session",
                "arn:aws:sts::222222222222:federated-user/bob",
                "arn:aws:iam::<account-id>:group/admins"
            ] },
            "Action": "sts:AssumeRole"
        }]
    }))
    .unwrap();
    let dir = tree(&[("123456789012/roles/deploy/trust.json", &trust)]);
    let run = iamlint(
        dir.path(),
        &["--no-config", "--format", "json", "--select", "IAM3"],
    );
    assert_eq!(
        messages_of(&run, "IAM303"),
        ["principal `arn:aws:iam::222222222222:group/admins` has resource type `group`, which is not a principal: IAM rejects the trust policy"]
    );
    assert!(messages_of(&run, "IAM302").is_empty());
}

/// Issue #11 §4: CLI profiles' ARNs get the same IAM semantics (IAM404 calls IAM302's check).
#[test]
fn issue_11_cli_profile_arns_are_checked_for_iam_semantics() {
    let config = b"[profile regional]\nrole_arn = arn:aws:iam:us-east-1:123456789012:role/deploy\ncredential_source = Environment\n\n[profile typo]\nrole_arn = arn:aws:iam::123456789012:roles/deploy\ncredential_source = Environment\nmfa_serial = arn:aws:iam:eu-west-1:123456789012:mfa/alice\n\n[profile template]\nrole_arn = arn:aws:iam::${ACCOUNT}:roles/deploy\ncredential_source = Environment\n";
    let dir = tree(&[("aws/config", config)]);
    let run = iamlint(
        dir.path(),
        &["--no-config", "--format", "json", "--select", "IAM404"],
    );
    assert_eq!(
        messages_of(&run, "IAM404"),
        [
            "`role_arn` of profile `regional` has region `us-east-1`: IAM and STS ARNs have an empty region, so it names nothing",
            "`role_arn` of profile `typo` has resource type `roles`, which IAM does not have (role, user, group, policy, instance-profile, mfa, …)",
            "`mfa_serial` of profile `typo` has region `eu-west-1`: IAM and STS ARNs have an empty region, so it names nothing",
        ]
    );
}

#[test]
fn a_command_named_like_a_folder_here_says_how_to_scan_the_folder() {
    let dir = three_findings();
    write(dir.path(), "rules/trust.json", b"{}");
    write(dir.path(), "inventory/readme.txt", b"notes");
    let rules = iamlint(dir.path(), &["rules"]);
    assert_eq!(rules.code, 0, "{}", rules.stderr);
    assert!(
        rules.stderr.contains("run `iamlint ./rules`"),
        "{}",
        rules.stderr
    );
    let inventory = iamlint(dir.path(), &["inventory"]);
    assert!(
        inventory.stderr.contains("run `iamlint ./inventory`"),
        "{}",
        inventory.stderr
    );
    // A path given to the command says what it is for; no folder named `graph` here.
    let graph = iamlint(dir.path(), &["graph"]);
    assert!(!graph.stderr.contains("note:"), "{}", graph.stderr);
    let given = iamlint(dir.path(), &["inventory", "."]);
    assert!(
        given.stderr.contains("run `iamlint ./inventory`"),
        "an explicit `.` reads like the default: {}",
        given.stderr
    );
    let elsewhere = iamlint(dir.path(), &["inventory", "rules"]);
    assert!(!elsewhere.stderr.contains("note:"), "{}", elsewhere.stderr);
}
