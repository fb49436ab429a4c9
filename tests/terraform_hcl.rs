//! Terraform HCL (`.tf`) modules read into the same inventory as `terraform show -json`
//! plans (issue #12). Seed 000 written as three HCL root modules (`testdata/terraform/
//! seed000/`), the same organisation as plans, and a module with a file that does not parse.
//! Ignored until the HCL front end lands.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use iamlint::config::Config;
use iamlint::report::Resolved;
use iamlint::rules::registry;

const SEED: &str = "testdata/terraform/seed000";

fn scan(dir: &Path) -> Vec<Resolved> {
    let config = Config {
        root: dir.to_path_buf(),
        ..Config::default()
    };
    iamlint::lint(&[dir.to_path_buf()], config, registry()).expect("scan runs")
}

fn summary(results: &[Resolved]) -> String {
    results
        .iter()
        .map(|r| {
            format!(
                "{}:{}:{} {} {}\n",
                r.primary.path,
                r.primary.start.0,
                r.primary.start.1,
                r.finding.rule,
                r.finding.message
            )
        })
        .collect()
}

/// (rule, principal, role) of a finding, from its identity: `A=>R` (IAM201, IAM202),
/// `A->R` (IAM103), `R<-A` (IAM104). Other findings have no pair: their identity up to `#`
/// (a document label such as `aws_iam_role.c`) stands for the role, with no principal.
fn triple(r: &Resolved) -> (String, String, String) {
    let id = r.finding.identity.as_str();
    let rule = r.finding.rule.to_owned();
    if let Some((a, role)) = id.split_once("=>").or_else(|| id.split_once("->")) {
        return (rule, a.to_owned(), role.to_owned());
    }
    if let Some((role, a)) = id.split_once("<-") {
        return (rule, a.to_owned(), role.to_owned());
    }
    let label = id.split('#').next().unwrap_or(id);
    (rule, String::new(), label.to_owned())
}

/// Writes `files` (path relative to `root`, text) under `root`.
fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// (rule, path with `/`, line) of each finding.
fn rule_lines(results: &[Resolved]) -> Vec<(String, String, usize)> {
    results
        .iter()
        .map(|r| {
            (
                r.finding.rule.to_owned(),
                r.primary.path.replace('\\', "/"),
                r.primary.start.0,
            )
        })
        .collect()
}

fn triples(results: &[Resolved]) -> BTreeSet<(String, String, String)> {
    results.iter().map(triple).collect()
}

#[test]

fn seed000_hcl_console_chain_before_and_after_the_fix() {
    let broken = scan(&PathBuf::from(SEED).join("broken"));
    let rules: Vec<&str> = broken.iter().map(|r| r.finding.rule).collect();
    assert_eq!(rules, vec!["IAM201"], "{}", summary(&broken));
    let found = &broken[0];
    assert!(
        found
            .finding
            .message
            .contains("user/iam-user-a -> role/iam-role-b -> role/iam-role-c"),
        "{}",
        found.finding.message
    );
    assert_eq!(
        found.finding.identity,
        "arn:aws:iam::111111111111:user/iam-user-a=>arn:aws:iam::333333333333:role/iam-role-c"
    );
    // On role C's trust: the principal string inside the heredoc (line 28 of the module).
    assert_eq!(
        found.primary.path,
        format!("{SEED}/broken/333333333333/main.tf")
    );
    assert_eq!(found.primary.start, (28, 16));
    assert_eq!(found.primary.end, (28, 59));
    // Console sign-in (the login profile), then both sides of each hop, one per module.
    let steps: Vec<(String, String)> = found
        .flow
        .iter()
        .map(|(pos, msg)| {
            let module = pos.path.split('/').rev().nth(1).unwrap_or("").to_owned();
            (module, msg.clone())
        })
        .collect();
    let expect = [
        ("111111111111", "user/iam-user-a signs in to the console"),
        ("111111111111", "user/iam-user-a may assume role/iam-role-b"),
        ("222222222222", "role/iam-role-b trusts user/iam-user-a"),
        ("222222222222", "role/iam-role-b may assume role/iam-role-c"),
        ("333333333333", "role/iam-role-c trusts role/iam-role-b"),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(m, s)| ((*m).to_owned(), (*s).to_owned()))
        .collect();
    assert_eq!(steps, expect, "{:#?}", found.flow);

    let fixed = scan(&PathBuf::from(SEED).join("fixed"));
    assert!(
        fixed.is_empty(),
        "after the fix nothing fires:\n{}",
        summary(&fixed)
    );
}

#[test]

fn seed000_hcl_and_plan_give_the_same_findings() {
    let hcl = scan(&PathBuf::from(SEED).join("broken"));
    let plan = scan(&PathBuf::from(SEED).join("plan"));
    assert!(!plan.is_empty(), "the plan reports the chain");
    assert_eq!(
        triples(&hcl),
        triples(&plan),
        "HCL:\n{}\nplan:\n{}",
        summary(&hcl),
        summary(&plan)
    );
    assert!(triples(&plan).contains(&(
        "IAM201".to_owned(),
        "arn:aws:iam::111111111111:user/iam-user-a".to_owned(),
        "arn:aws:iam::333333333333:role/iam-role-c".to_owned()
    )));
}

/// What a run of the binary printed.
fn iamlint(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RAYON_NUM_THREADS")
        .env("NO_COLOR", "1")
        .output()
        .expect("iamlint runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr, out.status.code().unwrap_or(-1))
}

#[test]

fn a_tf_file_that_does_not_parse_is_one_finding_and_the_module_is_still_read() {
    let dir = "testdata/terraform/broken-syntax";
    let (stdout, _, code) = iamlint(&["--no-config", "--format", "json", dir]);
    assert_eq!(code, 1, "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    let findings = json["findings"].as_array().expect("findings");
    let mut seen: Vec<(String, String, u64, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["path"].as_str().unwrap_or("").to_owned(),
                f["start"]["line"].as_u64().unwrap_or(0),
                f["start"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    seen.sort();
    // main.tf line 5, `name = = …`: hcl-edit 0.10 stops at column 10 (the second `=`).
    // roles.tf beside it is still read: its `"AWS": "*"` trust is IAM102 (line 14).
    assert_eq!(
        seen.iter()
            .map(|(rule, path, line, _)| (rule.as_str(), path.as_str(), *line))
            .collect::<Vec<_>>(),
        vec![
            ("IAM002", "testdata/terraform/broken-syntax/main.tf", 5),
            ("IAM102", "testdata/terraform/broken-syntax/roles.tf", 14),
        ],
        "{stdout}"
    );
    assert_eq!(seen[0].3, 10, "column of the syntax error: {stdout}");

    // The human report shows where, never a snippet of the file that failed to parse.
    let (human, _, _) = iamlint(&["--no-config", "--color", "never", dir]);
    assert!(human.contains("main.tf:5:10"), "{human}");
    assert!(!human.contains("DO-NOT-PRINT"), "{human}");
    assert!(!human.contains("half_written"), "{human}");
}

/// Files that cannot matter to IAM on their own are parsed only when their folder holds
/// IAM or is called as a module by one that does (`hcl/select.rs`): a called module
/// without any IAM still gives its outputs, a file of an IAM folder with an error deep in
/// an expression is still reported, and a folder without IAM still has its broken
/// structure reported.
#[test]
fn folders_without_iam_are_read_as_far_as_iam_needs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write_tree(
        root,
        &[
            (
                "live/main.tf",
                "module \"who\" {\n  source = \"../modules/who\"\n}\n\nresource \"aws_iam_role\" \"open\" {\n  name = \"open\"\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Action    = \"sts:AssumeRole\"\n      Principal = { AWS = module.who.anyone }\n    }]\n  })\n}\n",
            ),
            // No IAM in it: parsed because its folder has IAM; the error is inside an
            // expression (read: `main.tf` was parsed early, so which variables the folder
            // names is not worked out from its text).
            (
                "live/variables.tf",
                "variable \"x\" {\n  default = 1 + DO-NOT-PRINT +\n}\n",
            ),
            // No IAM in it: parsed because `live` calls it, so the trust above is known.
            (
                "modules/who/outputs.tf",
                "output \"anyone\" {\n  value = \"*\"\n}\n",
            ),
            // No IAM in the folder: never parsed, but its unclosed block is still found.
            (
                "services/app/main.tf",
                "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"DO-NOT-PRINT\"\n",
            ),
            (
                "services/app/fine.tf",
                "resource \"aws_s3_bucket\" \"c\" {\n  bucket = \"c\"\n}\n",
            ),
        ],
    );
    let results = scan(root);
    let got = rule_lines(&results);
    let path = |rel: &str| root.join(rel).display().to_string().replace('\\', "/");
    assert_eq!(
        got,
        vec![
            ("IAM002".to_owned(), path("live/variables.tf"), 2),
            // Where the `*` was written: the module's output.
            ("IAM102".to_owned(), path("modules/who/outputs.tf"), 2),
            // Where hcl-edit stopped: the end of the file.
            ("IAM002".to_owned(), path("services/app/main.tf"), 2),
        ],
        "{}",
        summary(&results)
    );
    let root_arg = root.display().to_string();
    let (human, _, _) = iamlint(&["--no-config", "--color", "never", &root_arg]);
    assert!(human.contains("variables.tf:2:"), "{human}");
    assert!(!human.contains("DO-NOT-PRINT"), "{human}");
}

/// Folders that only call each other have no root: the first is evaluated as one, and its
/// documents are checked like any root's (a policy without `Statement` is IAM301). A
/// credential in a file whose folder is evaluated is found when that file is parsed.
#[test]
fn folders_that_call_each_other_are_still_evaluated_and_checked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write_tree(
        root,
        &[
            (
                "a/main.tf",
                "module \"b\" {\n  source = \"../b\"\n}\nresource \"aws_iam_role\" \"r\" {\n  name = \"ra\"\n  assume_role_policy = \"{}\"\n}\n",
            ),
            ("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n"),
            (
                "c/provider.tf",
                "provider \"aws\" {\n  access_key = \"AKIA2E3F4G5H6J7K8L9M\"\n  secret_key = \"q8Zp3Lm9Rt2Vx7Kc4Nb6Hd1Fg5Js0Wy8Ue3Ao2Ti\"\n}\nresource \"aws_iam_user\" \"u\" {\n  name = \"u\"\n}\n",
            ),
        ],
    );
    let results = scan(root);
    let got = rule_lines(&results);
    let path = |rel: &str| root.join(rel).display().to_string().replace('\\', "/");
    assert!(
        got.contains(&("IAM301".to_owned(), path("a/main.tf"), 6)),
        "{}",
        summary(&results)
    );
    assert!(
        got.iter()
            .any(|(rule, p, line)| rule == "IAM501" && *p == path("c/provider.tf") && *line == 3),
        "{}",
        summary(&results)
    );
}
