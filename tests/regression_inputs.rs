//! Issue 11 §5, "files are read as what they are": saved output of single-entity IAM CLI
//! calls, `.tf.json` files without resources, CloudFormation parameters files and
//! Terraform plans that grant to entities made elsewhere, each through the binary on the
//! fixtures under `testdata/regressions/issue11-inputs/`.

use std::process::Command;

use serde_json::Value;

const ROOT: &str = "testdata/regressions/issue11-inputs";

/// Runs `iamlint ARGS` and parses its JSON output; also returns the exit code.
fn run_json(args: &[&str]) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(args)
        .args(["--no-config"])
        .env("NO_COLOR", "1")
        .output()
        .expect("iamlint runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "JSON on stdout ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (value, out.status.code().unwrap_or(-1))
}

/// (rule, path, line) of every finding of `iamlint check DIR --format json`.
fn findings(dir: &str) -> Vec<(String, String, u64)> {
    let (v, _) = run_json(&["check", dir, "--format", "json"]);
    v["findings"]
        .as_array()
        .expect("findings list")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["start"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// The format each scanned file was read as.
fn formats(dir: &str) -> Vec<(String, String)> {
    let (v, _) = run_json(&["inventory", dir, "--format", "json"]);
    v["files"]
        .as_array()
        .expect("files list")
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap_or_default();
            let name = path
                .strip_prefix(dir)
                .unwrap_or(path)
                .trim_start_matches('/');
            (
                name.to_owned(),
                f["format"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn cli_get_outputs_are_read_as_the_role_or_policy_they_hold() {
    let dir = format!("{ROOT}/api-output");
    let api = |name: &str| (name.to_owned(), "iam-api-output".to_owned());
    assert_eq!(
        formats(&dir),
        vec![
            api("bare-role.json"),
            api("get-role.json"),
            api("iam/get-group.json"),
            api("iam/get-policy.json"),
            api("iam/policy-version.json"),
            api("iam/role-policy.json"),
        ]
    );
    // Rules read the documents inside, at their own lines; no grammar error for the
    // wrapper around them.
    let at = |rule: &str, file: &str, line| (rule.to_owned(), format!("{dir}/{file}"), line);
    assert_eq!(
        findings(&dir),
        vec![
            at("IAM102", "get-role.json", 11),
            at("IAM101", "iam/policy-version.json", 5),
            at("IAM101", "iam/role-policy.json", 6),
        ]
    );
    let (inv, _) = run_json(&["inventory", &dir, "--format", "json"]);
    let account = &inv["accounts"]["111122223333"];
    let roles: Vec<(&str, u64)> = account["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .map(|r| {
            (
                r["arn"].as_str().unwrap_or_default(),
                r["max_session_duration"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            ("arn:aws:iam::111122223333:role/ci/builder", 7200),
            ("arn:aws:iam::111122223333:role/deploy", 3600),
        ]
    );
    assert_eq!(
        account["groups"][0]["arn"],
        "arn:aws:iam::111122223333:group/admins"
    );
}

#[test]
fn terraform_json_without_resources_is_terraform_not_a_policy() {
    let dir = format!("{ROOT}/terraform-only-variables");
    assert_eq!(findings(&dir), vec![]);
    assert_eq!(
        formats(&dir),
        vec![
            ("outputs.tf.json".to_owned(), "terraform-json".to_owned()),
            ("variables.tf.json".to_owned(), "terraform-json".to_owned()),
        ]
    );
}

/// A `.tf.json` with resources stays Terraform whatever other top-level key it holds.
#[test]
fn terraform_json_with_resources_and_another_block_is_still_terraform() {
    let dir = format!("{ROOT}/terraform-json-extra-block");
    assert_eq!(findings(&dir), vec![]);
    assert_eq!(
        formats(&dir),
        vec![("main.tf.json".to_owned(), "terraform-json".to_owned())]
    );
}

#[test]
fn cloudformation_parameters_files_are_not_malformed_sources() {
    let (v, code) = run_json(&[
        "check",
        &format!("{ROOT}/cloudformation-parameters"),
        "--format",
        "json",
    ]);
    assert_eq!(v["findings"], Value::Array(vec![]));
    assert_eq!(code, 0);
}

/// `aws_iam_user_policy` and `aws_iam_role_policy` for a user and a role the plan does not
/// create: they live in the plan's account (its caller identity), and their grants reach
/// the role of another account that trusts them.
#[test]
fn plan_grants_to_entities_made_elsewhere_give_them_their_policies() {
    let dir = format!("{ROOT}/plan-unmanaged-owners");
    let (g, _) = run_json(&["graph", &dir, "--format", "json"]);
    let edges: Vec<(&str, &str, &str)> = g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap_or_default(),
                e["to"].as_str().unwrap_or_default(),
                e["verdict"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let ops = "arn:aws:iam::444455556666:role/ops";
    assert!(
        edges.contains(&("arn:aws:iam::111122223333:user/alice", ops, "holds")),
        "{edges:?}"
    );
    assert!(
        edges.contains(&(
            "arn:aws:iam::111122223333:role/legacy-deployer",
            ops,
            "holds"
        )),
        "{edges:?}"
    );
    // Bob's path is not known, and the trust names a `user/eng/bob`: that may be him, so
    // the edge is uncertain and IAM103 stays silent.
    assert!(
        edges.contains(&(
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:iam::444455556666:role/audit",
            "uncertain"
        )),
        "{edges:?}"
    );
    let (inv, _) = run_json(&["inventory", &dir, "--format", "json"]);
    let account = &inv["accounts"]["111122223333"];
    assert_eq!(
        account["groups"][0]["attached"][0],
        "arn:aws:iam::111122223333:policy/hop"
    );
    // Their paths are not known (IAM takes only a name there).
    assert_eq!(account["users"][0]["path"], "");
    assert_eq!(findings(&dir), vec![]);
}

/// Layouts an independently generated organisation used (session 13): a role's trust
/// policy in `roles/<role>/trust-policy.json`, or under a name that says nothing but with
/// a trust policy's content, is the role's trust, not one of its policies (it was two
/// IAM301 errors per role); a role that only saved `aws iam get-role` output describes has
/// policies iamlint does not know, so no trust naming it is missing its grant, while a
/// user whose policies the directory convention gives still is.
#[test]
fn role_folders_name_their_trust_in_more_than_one_way() {
    let dir = "testdata/regressions/role-layouts";
    let at = |rule: &str, file: &str, line| (rule.to_owned(), format!("{dir}/{file}"), line);
    assert_eq!(
        findings(dir),
        vec![at("IAM104", "222233334444/roles/reporter/reporter.json", 9)]
    );
    let (inv, _) = run_json(&["inventory", dir, "--format", "json"]);
    let roles = inv["accounts"]["222233334444"]["roles"]
        .as_array()
        .expect("roles");
    let trust_of = |name: &str| {
        roles
            .iter()
            .find(|r| r["name"] == name)
            .and_then(|r| r["trust"]["file"].as_str())
            .map(|f| f.strip_prefix(dir).unwrap_or(f).to_owned())
    };
    assert_eq!(
        trust_of("auditor").as_deref(),
        Some("/222233334444/roles/auditor/trust-policy.json")
    );
    assert_eq!(
        trust_of("reporter").as_deref(),
        Some("/222233334444/roles/reporter/reporter.json")
    );
}
