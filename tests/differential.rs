//! Differential test of the who-can-assume-whom graph against an independent IAM
//! simulator, `@cloud-copilot/iam-simulate` (npm, pinned in tests/differential; a test
//! tool only, never shipped or linked).
//!
//! A seeded generator writes a few hundred small inventories (2-3 accounts, users and
//! roles, identity Allow/Deny on sts:AssumeRole with exact ARNs, wildcards, `*`, NotAction
//! and NotResource; trusts naming user and role ARNs, account roots, bare account ids, `*`
//! with and without conditions, Deny statements) in iamlint's folder convention, and runs
//! `iamlint graph --format json` on each. Every edge iamlint calls definite ("holds", or
//! blocked: missing-permission, missing-trust, denied) is asked of the simulator, in one
//! node process, with the caller's account and ARN in the request context. Any pair where
//! they disagree fails the test, with the inventory and both verdicts, unless it is one of
//! the simulator's known limits listed in tests/differential/README.md (none are
//! excluded today). Uncertain edges may disagree: that is what uncertain means.
//!
//! Needs node and npm: when `tests/differential/node_modules` is missing, the test runs
//! `npm ci` there itself; without npm it fails and says so.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

/// Inventories per run, and the generator's seed; `IAMLINT_DIFFERENTIAL_CASES` and
/// `IAMLINT_DIFFERENTIAL_SEED` change them to explore further (the default run is fixed).
const CASES: u64 = 300;
/// The session name of a role caller: a role assumes another with the credentials of one
/// of its sessions, `arn:aws:sts::ACCT:assumed-role/NAME/SESSION`.
const SESSION: &str = "differential";
const SEED: u64 = 0x1a31_2026;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

#[derive(Clone, Debug)]
struct Principal {
    account: String,
    name: String,
    is_role: bool,
}

impl Principal {
    fn arn(&self) -> String {
        let kind = if self.is_role { "role" } else { "user" };
        format!("arn:aws:iam::{}:{kind}/{}", self.account, self.name)
    }
}

/// One random inventory: its principals, each one's identity policies, each role's trust.
#[derive(Debug)]
struct Inventory {
    principals: Vec<Principal>,
    identity: Vec<Vec<Value>>,
    trust: Vec<Option<Value>>,
}

const ACCOUNTS: [&str; 3] = ["111111111111", "222222222222", "333333333333"];

fn policy(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn identity_statement(rng: &mut Rng, principals: &[Principal], accounts: &[&str]) -> Value {
    let roles: Vec<&Principal> = principals.iter().filter(|p| p.is_role).collect();
    let role = rng.pick(&roles).arn();
    let account = rng.pick(accounts);
    let resource = match rng.below(9) {
        0..=2 => json!(role),
        // ARNs compare case-sensitively.
        7 => json!(role.replace(":role/r", ":role/R")),
        3 => json!("*"),
        4 => json!(format!("arn:aws:iam::{account}:role/*")),
        5 => json!("arn:aws:iam::*:role/r?"),
        6 => json!([role, rng.pick(&roles).arn()]),
        _ => json!(format!("arn:aws:iam::{account}:role/u*")),
    };
    let effect = if rng.chance(20) { "Deny" } else { "Allow" };
    let mut stmt = json!({"Effect": effect});
    match rng.below(8) {
        0..=3 => stmt["Action"] = json!("sts:AssumeRole"),
        4 => stmt["Action"] = json!(rng.pick(&["sts:*", "*", "sts:Assume*", "STS:assumerole"])),
        5 => stmt["Action"] = json!(["s3:GetObject", "sts:GetCallerIdentity"]),
        6 => stmt["NotAction"] = json!("s3:*"),
        _ => stmt["NotAction"] = json!(["sts:AssumeRole"]),
    }
    if rng.chance(15) {
        stmt["NotResource"] = resource;
    } else {
        stmt["Resource"] = resource;
    }
    if rng.chance(10) {
        stmt["Condition"] = json!({"StringEquals": {"aws:PrincipalAccount": rng.pick(accounts)}});
    }
    stmt
}

fn trust_value(rng: &mut Rng, principals: &[Principal], accounts: &[&str]) -> Value {
    let account = rng.pick(accounts);
    match rng.below(8) {
        0..=2 => json!(rng.pick(principals).arn()),
        3 => json!(format!("arn:aws:iam::{account}:root")),
        4 => json!(account),
        5 => json!("*"),
        6 => {
            // One session of a role: role callers' sessions are named SESSION, so only
            // some of these name them.
            let roles: Vec<&Principal> = principals.iter().filter(|p| p.is_role).collect();
            let r = rng.pick(&roles);
            let name = if rng.chance(50) { SESSION } else { "other" };
            json!(format!(
                "arn:aws:sts::{}:assumed-role/{}/{name}",
                r.account, r.name
            ))
        }
        _ => json!([
            rng.pick(principals).arn(),
            format!("arn:aws:iam::{account}:root")
        ]),
    }
}

fn trust_statement(rng: &mut Rng, principals: &[Principal], accounts: &[&str]) -> Value {
    let effect = if rng.chance(15) { "Deny" } else { "Allow" };
    let (key, action) = match rng.below(12) {
        0 => ("Action", json!("sts:TagSession")),
        1 => ("Action", json!(["sts:AssumeRole", "sts:TagSession"])),
        2 => ("Action", json!("sts:*")),
        3 => ("Action", json!("STS:assumerole")),
        4 => ("NotAction", json!("sts:TagSession")),
        _ => ("Action", json!("sts:AssumeRole")),
    };
    let mut principal = json!({"AWS": trust_value(rng, principals, accounts)});
    if rng.chance(10) {
        principal["Service"] = json!("ec2.amazonaws.com");
    }
    let mut stmt = json!({"Effect": effect, "Principal": principal});
    stmt[key] = action;
    if rng.chance(25) {
        stmt["Condition"] = match rng.below(3) {
            0 => json!({"StringEquals": {"aws:PrincipalAccount": rng.pick(accounts)}}),
            1 => {
                json!({"ArnLike": {"aws:PrincipalArn": format!("arn:aws:iam::{}:*", rng.pick(accounts))}})
            }
            _ => json!({"StringEquals": {"aws:PrincipalOrgID": "o-example"}}),
        };
    }
    stmt
}

fn generate(rng: &mut Rng) -> Inventory {
    let accounts: Vec<&str> = ACCOUNTS[..2 + rng.below(2)].to_vec();
    let mut principals = Vec::new();
    for account in &accounts {
        for i in 0..1 + rng.below(2) {
            principals.push(Principal {
                account: (*account).to_owned(),
                name: format!("u{i}"),
                is_role: false,
            });
        }
        for i in 0..1 + rng.below(2) {
            principals.push(Principal {
                account: (*account).to_owned(),
                name: format!("r{i}"),
                is_role: true,
            });
        }
    }
    let identity = principals
        .iter()
        .map(|_| {
            (0..rng.below(3))
                .map(|_| {
                    let n = 1 + rng.below(2);
                    policy(
                        (0..n)
                            .map(|_| identity_statement(rng, &principals, &accounts))
                            .collect(),
                    )
                })
                .collect()
        })
        .collect();
    let trust = principals
        .iter()
        .map(|p| {
            p.is_role.then(|| {
                let n = 1 + rng.below(3);
                policy(
                    (0..n)
                        .map(|_| trust_statement(rng, &principals, &accounts))
                        .collect(),
                )
            })
        })
        .collect();
    Inventory {
        principals,
        identity,
        trust,
    }
}

/// Writes an inventory in the folder convention (README "Inputs").
fn write_tree(dir: &Path, inv: &Inventory) {
    for (i, p) in inv.principals.iter().enumerate() {
        let kind = if p.is_role { "roles" } else { "users" };
        let folder = dir.join(&p.account).join(kind).join(&p.name);
        std::fs::create_dir_all(&folder).expect("mkdir");
        // An entity is known by its files: a principal without identity policies gets one
        // that grants nothing about roles.
        let none = [policy(vec![
            json!({"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}),
        ])];
        let docs = if inv.identity[i].is_empty() {
            &none[..]
        } else {
            &inv.identity[i][..]
        };
        for (j, doc) in docs.iter().enumerate() {
            std::fs::write(folder.join(format!("policy{j}.json")), doc.to_string()).expect("write");
        }
        if let Some(trust) = &inv.trust[i] {
            std::fs::write(folder.join("trust.json"), trust.to_string()).expect("write");
        }
    }
}

fn differential_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/differential")
}

/// Makes sure the simulator is installed (`npm ci` when node_modules is missing).
fn install_simulator() {
    let dir = differential_dir();
    for tool in ["node", "npm"] {
        let found = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            found,
            "the differential test needs `{tool}` (Node.js 20 or later) on PATH to run the IAM simulator in tests/differential"
        );
    }
    if dir
        .join("node_modules/@cloud-copilot/iam-simulate")
        .is_dir()
    {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status()
        .expect("npm runs");
    assert!(status.success(), "`npm ci` in {} failed", dir.display());
}

fn simulate(requests: &[Value]) -> Vec<String> {
    let mut child = Command::new("node")
        .arg("simulate.mjs")
        .current_dir(differential_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let input = serde_json::to_vec(requests).expect("requests are JSON");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(&input)
        .expect("write requests");
    let out = child.wait_with_output().expect("node finishes");
    assert!(
        out.status.success(),
        "the simulator failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the simulator prints a JSON list")
}

/// iamlint's edges of one tree: (from, to, verdict).
fn iamlint_edges(dir: &Path) -> Vec<(String, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(["graph", "--format", "json", "--no-config"])
        .arg(dir)
        .output()
        .expect("iamlint runs");
    assert!(
        out.status.success(),
        "iamlint graph failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let graph: Value = serde_json::from_slice(&out.stdout).expect("graph JSON");
    graph["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().expect("string").to_owned();
            (s("from"), s("to"), s("verdict"))
        })
        .collect()
}

#[test]
fn definite_edges_agree_with_the_iam_simulator() {
    install_simulator();
    let started = std::time::Instant::now();
    let root = tempfile::tempdir().expect("temp dir");
    let number = |var: &str, default: u64| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (cases, seed) = (
        number("IAMLINT_DIFFERENTIAL_CASES", CASES),
        number("IAMLINT_DIFFERENTIAL_SEED", SEED),
    );
    let mut rng = Rng(seed);
    // (case, from, to, iamlint verdict) for each request, in order.
    let mut asked: Vec<(usize, String, String, String)> = Vec::new();
    let mut requests = Vec::new();
    let mut inventories = Vec::new();
    let (mut definite, mut uncertain) = (0, 0);
    for case in 0..cases as usize {
        let inv = generate(&mut rng);
        let dir = root.path().join(format!("case{case}"));
        write_tree(&dir, &inv);
        for (from, to, verdict) in iamlint_edges(&dir) {
            if verdict == "uncertain" {
                uncertain += 1;
                continue;
            }
            definite += 1;
            let p = inv
                .principals
                .iter()
                .position(|p| p.arn() == from)
                .expect("edge from a generated principal");
            let r = inv
                .principals
                .iter()
                .position(|p| p.arn() == to)
                .expect("edge to a generated role");
            let caller = &inv.principals[p];
            // A role calls with one of its sessions; `aws:PrincipalArn` is still the
            // role's ARN.
            let session = caller.is_role.then(|| {
                format!(
                    "arn:aws:sts::{}:assumed-role/{}/{SESSION}",
                    caller.account, caller.name
                )
            });
            requests.push(json!({
                "identity": inv.identity[p],
                "trust": inv.trust[r],
                "principal": session.unwrap_or_else(|| from.clone()),
                "principal_arn": from,
                "account": caller.account,
                "role": to,
            }));
            asked.push((case, from, to, verdict));
        }
        inventories.push(inv);
    }
    let answers = simulate(&requests);
    assert_eq!(answers.len(), requests.len(), "one answer per request");
    let mut disagreements = Vec::new();
    for ((case, from, to, verdict), answer) in asked.iter().zip(&answers) {
        let agree = match verdict.as_str() {
            "holds" => answer == "Allowed",
            _ => answer == "ImplicitlyDenied" || answer == "ExplicitlyDenied",
        };
        if !agree {
            disagreements.push(format!(
                "case {case}: {from} -> {to}: iamlint says {verdict}, the simulator {answer}\n{}",
                serde_json::to_string_pretty(&json!({
                    "principals": inventories[*case].principals.iter().map(Principal::arn).collect::<Vec<_>>(),
                    "identity": inventories[*case].identity,
                    "trust": inventories[*case].trust,
                }))
                .expect("JSON")
            ));
        }
    }
    eprintln!(
        "differential: seed {seed}, {cases} inventories, {definite} definite edges compared, {uncertain} uncertain, {} disagreements, {:.1?}",
        disagreements.len(),
        started.elapsed()
    );
    assert!(
        disagreements.is_empty(),
        "{} definite edges disagree with the simulator (known limits: tests/differential/README.md):\n\n{}",
        disagreements.len(),
        disagreements.join("\n\n")
    );
    // The comparison must compare something: definite verdicts of both kinds.
    assert!(
        asked.iter().any(|a| a.3 == "holds") && asked.iter().any(|a| a.3 != "holds"),
        "the generator gave no definite edges of both kinds"
    );
}
