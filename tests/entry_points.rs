//! Issue #14: `iamlint graph` draws federated providers as entry points, with the roles
//! each reaches and under which subject, so a reviewer sees who outside AWS gets in.

use std::process::Command;

use serde_json::Value;

fn graph(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg("graph")
        .arg("--no-config")
        .args(args)
        .output()
        .expect("iamlint runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn issue_14_graph_lists_providers_with_their_subjects() {
    let dir = "testdata/rules/IAM105/bad/terraform";
    let json: Value = serde_json::from_str(&graph(&["--format", "json", dir])).expect("graph JSON");
    let entries: Vec<(String, String, Vec<String>)> = json["entry_points"]
        .as_array()
        .expect("entry_points is a list")
        .iter()
        .map(|e| {
            (
                e["provider"].as_str().unwrap_or_default().to_owned(),
                e["to"].as_str().unwrap_or_default().to_owned(),
                e["subjects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect(),
            )
        })
        .collect();
    let github = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    assert_eq!(
        entries,
        vec![
            (
                github.to_owned(),
                "arn:aws:iam::111122223333:role/gha-deploy".to_owned(),
                vec![]
            ),
            (
                github.to_owned(),
                "arn:aws:iam::111122223333:role/gha-org-wide".to_owned(),
                vec!["sub StringLike repo:octo-org/*".to_owned()]
            ),
        ]
    );
    let dot = graph(&[dir]);
    assert!(
        dot.contains(&format!("p0 [label={github:?}, shape=hexagon];")),
        "{dot}"
    );
    assert!(
        dot.contains("p0 -> n0 [label=\"any subject\", style=dashed];"),
        "{dot}"
    );
    // `--to` keeps the provider edges into that role only.
    let to = graph(&["--to", "arn:aws:iam::111122223333:role/gha-org-wide", dir]);
    assert!(
        to.contains("repo:octo-org/*") && !to.contains("any subject"),
        "{to}"
    );
}
