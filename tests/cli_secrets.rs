//! Credentials in a scanned AWS CLI credentials or config file never reach any output: every
//! report format, the inventory views, statistics and baselines are checked against the
//! real binary on a temporary tree.

use std::path::Path;
use std::process::Command;

/// Distinctive fake values: no output may contain them, or any long piece of them.
const SECRET: &str = "zQ7iamlintLeakCanary/SecretValue+Kx9Wq3Vb7Np";
const KEY_ID: &str = "iamlintLeakCanaryKeyIdPoIu";
const TOKEN: &str = "iamlintLeakCanarySessionTokenValueQwErTyZxCvBn";
const PASTED: &str = "iamlintLeakCanaryPastedLineMnBvCxZlKj";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let aws = dir.path().join("home").join(".aws");
    std::fs::create_dir_all(&aws).expect("mkdir");
    // Findings sit right next to the secrets, so a source snippet with context lines
    // would show them: a bad role ARN, a role profile without a source, a refused line
    // that is itself a pasted secret.
    std::fs::write(
        aws.join("credentials"),
        format!(
            "[ci]\n\
             aws_access_key_id = {KEY_ID}\n\
             aws_secret_access_key = {SECRET}\n\
             role_arn = arn:aws:iam::123456789:role/deploy\n\
             aws_session_token = {TOKEN}\n\
             {PASTED}\n\
             [other]\n\
             aws_secret_access_key={SECRET}\n"
        ),
    )
    .expect("write credentials");
    std::fs::write(
        aws.join("config"),
        format!(
            "[profile ci]\n\
             region = eu-west-1\n\
             [profile temp]\n\
             aws_session_token = {TOKEN}\n\
             role_arn = arn:aws:iam::123456789012:role/x\n\
             duration_seconds = 60\n"
        ),
    )
    .expect("write config");
    dir
}

fn run(args: &[&str], cwd: &Path) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("iamlint runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [SECRET, KEY_ID, TOKEN, PASTED] {
        // Any 12-character piece would be a leak too (a cut-off snippet, a wrapped line).
        let chars: Vec<char> = secret.chars().collect();
        for piece in chars.windows(12) {
            let piece: String = piece.iter().collect();
            assert!(
                !text.contains(&piece),
                "{what} leaks `{piece}` of a secret:\n{text}"
            );
        }
    }
}

#[test]
fn no_output_format_shows_a_credential() {
    let dir = tree();
    let cwd = dir.path();
    for format in ["human", "json", "sarif", "github"] {
        let (stdout, stderr) = run(
            &["check", "home", "--format", format, "--color", "never"],
            cwd,
        );
        assert!(
            stdout.contains("IAM501"),
            "{format}: no IAM501 finding:\n{stdout}{stderr}"
        );
        assert!(
            stdout.contains("IAM004") && stdout.contains("IAM404"),
            "{format}: the findings beside the secrets are missing:\n{stdout}"
        );
        assert_no_secret(&format!("--format {format} stdout"), &stdout);
        assert_no_secret(&format!("--format {format} stderr"), &stderr);
        if format == "human" {
            // The snippet of the neighbouring IAM404 finding is shown, masked.
            assert!(
                stdout.contains("aws_secret_access_key = ****"),
                "no masked snippet:\n{stdout}"
            );
        }
    }
    let (stdout, stderr) = run(&["check", "home", "--statistics"], cwd);
    assert_no_secret("--statistics", &format!("{stdout}{stderr}"));
    for format in ["json", "human"] {
        let (stdout, stderr) = run(&["inventory", "home", "--format", format], cwd);
        assert!(stdout.contains("ci"), "inventory {format} lists no profile");
        assert_no_secret(&format!("inventory --format {format}"), &stdout);
        assert_no_secret(&format!("inventory --format {format} stderr"), &stderr);
    }
    let baseline = cwd.join("baseline.json");
    let baseline_arg = baseline.display().to_string();
    let (stdout, stderr) = run(&["check", "home", "--write-baseline", &baseline_arg], cwd);
    assert_no_secret("--write-baseline", &format!("{stdout}{stderr}"));
    let written = std::fs::read_to_string(&baseline).expect("baseline written");
    assert_no_secret("baseline file", &written);
}

/// A file iamlint could not parse as what it expected (here a dotenv file where a policy
/// should be, and a list of statements where a policy object should be) is reported by position
/// only: no format shows a byte of it.
#[test]
fn unparsed_files_are_shown_by_position_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let iam = dir.path().join("iam");
    std::fs::create_dir_all(&iam).expect("mkdir");
    let canary = "Cnry00Pw7Hq2Lk9Zx4Vb6Nm1Tr3Yd";
    std::fs::write(
        iam.join("policy.json"),
        format!("AWS_PROFILE=ci\nDB_PASSWORD={canary}\n"),
    )
    .expect("write");
    std::fs::write(
        iam.join("trust.json"),
        format!("[\n  {{\"Effect\": \"Allow\", \"Sid\": \"{canary}\"}}\n]\n"),
    )
    .expect("write");
    for format in ["human", "json", "sarif", "github"] {
        let (stdout, stderr) = run(&["check", "iam", "--format", format], dir.path());
        assert!(
            stdout.contains("IAM002") && stdout.contains("IAM004"),
            "{format}:\n{stdout}"
        );
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains("Pw7Hq2Lk9Zx4"),
                "{format} shows the file:\n{text}"
            );
            assert!(
                !text.contains("DB_PASSWORD"),
                "{format} shows the file:\n{text}"
            );
        }
        if format == "human" {
            assert!(
                stdout.contains("iam/policy.json:1:1: invalid JSON"),
                "{stdout}"
            );
        }
    }
}

/// A `*.json` link out of the scanned tree (to a dotenv file) is not read: one note for the
/// run, however many such links there are, and none of the target's bytes in any format.
#[cfg(unix)]
#[test]
fn links_out_of_the_tree_are_not_read_and_noted_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("iam")).expect("mkdir");
    let canary = "Cnry00Lk3Mn8Bv5Cx2Zq7Wr4Ty";
    std::fs::write(dir.path().join("dotenv"), format!("DB_PASSWORD={canary}\n")).expect("write");
    for name in ["policy.json", "trust.json"] {
        std::os::unix::fs::symlink("../../dotenv", tree.join("iam").join(name)).expect("symlink");
    }
    for format in ["human", "json", "sarif", "github"] {
        let (stdout, stderr) = run(&["check", "tree", "--format", format], dir.path());
        let marker = match format {
            "human" => "IAM006(",
            "json" => "\"rule\": \"IAM006\"",
            "sarif" => "\"ruleId\": \"IAM006\"",
            _ => "title=IAM006",
        };
        assert_eq!(stdout.matches(marker).count(), 1, "{format}:\n{stdout}");
        assert!(
            !stdout.contains(&marker.replace("IAM006", "IAM002")),
            "{format}: the target was read:\n{stdout}"
        );
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains("Lk3Mn8Bv5Cx2"),
                "{format} shows the target:\n{text}"
            );
            assert!(
                !text.contains("DB_PASSWORD"),
                "{format} shows the target:\n{text}"
            );
        }
    }
}

/// Credentials in an odd credentials or config file are all reported, once each, and never
/// shown: after a malformed section header, on a `key: value` line, in a file with a NUL
/// byte. Fake values are skipped alike in every profile, quoted or not.
#[test]
fn odd_credential_files_lose_no_credential() {
    let dir = tempfile::tempdir().expect("temp dir");
    let aws = dir.path().join(".aws");
    std::fs::create_dir_all(&aws).expect("mkdir");
    let [broken, colon, nul] = [
        "Cnry00Hd4Jf7Kg2Ls9Qa5Wz1Xe",
        "Cnry00Pm6Nb3Vc8Xz5Lk2Jh9Gf",
        "Cnry00Ty1Ur4Ie7Ow0Pq3As6Df",
    ];
    std::fs::write(
        aws.join("credentials"),
        format!(
            "[broken\naws_secret_access_key = {broken}\n[ok]\naws_access_key_id: {colon}\n\
             [fake1]\naws_secret_access_key = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\
             [fake2]\naws_secret_access_key = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
        ),
    )
    .expect("write");
    std::fs::write(
        aws.join("config"),
        format!("[profile a]\nregion = eu-west-1\n\0\naws_session_token = {nul}\n"),
    )
    .expect("write");
    for format in ["human", "json", "sarif", "github"] {
        let (stdout, stderr) = run(&["check", ".aws", "--format", format], dir.path());
        let marker = match format {
            "human" => "IAM501(",
            "json" => "\"rule\": \"IAM501\"",
            "sarif" => "\"ruleId\": \"IAM501\"",
            _ => "title=IAM501",
        };
        assert_eq!(stdout.matches(marker).count(), 3, "{format}:\n{stdout}");
        for text in [&stdout, &stderr] {
            for canary in [broken, colon, nul] {
                assert!(
                    !text.contains(&canary[6..18]),
                    "{format} shows a credential:\n{text}"
                );
            }
        }
    }
}

/// Issue #11, "Secrets are never printed, in any format": one unique value in every place a
/// secret can hide. The `(file, line)` is where its one finding must point.
const PLACED: &[(&str, &str, usize)] = &[
    // A secret after a malformed section header.
    ("Cnry01C3J27XDCG2LmlZGEONYlgCtj", "home/.aws/credentials", 2),
    // `key: value` (the AWS CLI v1 accepts `:`).
    ("Cnry02fIZ4SOcMz9CPVNPkNa1Hedcm", "home/.aws/credentials", 4),
    ("Cnry034pMbXDuCL1mHoOsFaQfDPrAJ", "home/.aws/credentials", 5),
    // A NUL byte in the file.
    ("Cnry0471fTquWoGsbeKXgzg2sye9b2", "home/.aws/config", 4),
    // The AWS CLI's cache of AssumeRole results.
    ("ASIA5S7LEIO49ERNNBER", "home/.aws/cli/cache/0a1b2c.json", 3),
    (
        "Cnry05Rann76dEyTzAeKOmXRrvftva",
        "home/.aws/cli/cache/0a1b2c.json",
        4,
    ),
    (
        "Cnry069AW7hipTgadDZFlRJmCGmUXi",
        "home/.aws/cli/cache/0a1b2c.json",
        5,
    ),
    // SSO login's token cache and client registration.
    (
        "Cnry07APyhzAnar3ZLt4bnlz2MPKgc",
        "home/.aws/sso/cache/3d4e5f.json",
        1,
    ),
    (
        "Cnry08jnCqaXNv1syeefnLOpaMxxND",
        "home/.aws/sso/cache/reg.json",
        1,
    ),
    // `aws sts assume-role` output saved into the tree under another name.
    (
        "Cnry12zymMlopiWfqUyHRSIf8NFmAU",
        "home/deploy/creds.json",
        3,
    ),
    // A value on the line below its key (the SDKs refuse it; it is still the key).
    (
        "Cnry134N48BnQ9Nxq1s7HJx7vkk80E",
        "home/.aws/credentials",
        13,
    ),
    // Issue #12: a Terraform provider's `secret_key`, next to a finding whose snippet
    // shows the lines around it, and a `.tfvars` value.
    (
        "Cnry15Tf8vKq2PwZrYdN3sLmXcB6hJ",
        "home/infra/providers.tf",
        3,
    ),
    (
        "Cnry16Tv4nRw9QeTyUiOpAsDfGhJkL",
        "home/infra/terraform.tfvars",
        1,
    ),
    // The same provider written as `.tf.json`.
    (
        "Cnry18JsPrvQ7wErTyUiOpZxCvBnMa",
        "home/infra-json/main.tf.json",
        4,
    ),
];

/// Values that must never be shown, and are reported otherwise than as IAM501: a dotenv
/// file outside the tree that a `*.json` link leads to, a broken policy file next to
/// secrets, and fake values that the placeholder rule skips in every profile alike.
const DOTENV: &str = "Cnry09i9LE1Ki3ylOjt6o0NpUmkVO8";
const BROKEN_JSON: &str = "Cnry10JmR8y4EMfAdggcG9qpVTzqA0";
/// In a `.tf` file that does not parse: never shown, in any format.
const BROKEN_TF: &str = "Cnry17HcLbRkEnTfZxWvQpLmNbVcXz";

fn issue_11_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    let write = |rel: &str, bytes: &[u8]| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    };
    let [c1, c2, c3, c4, c5, c6, c7, c8, c9] = std::array::from_fn(|i| PLACED[i].0);
    write(
        "home/.aws/credentials",
        format!(
            "[broken\naws_secret_access_key = {c1}\n[ok]\naws_access_key_id: {c2}\n\
             aws_secret_access_key = {c3}\n\
             [fake1]\naws_secret_access_key = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\
             [fake2]\naws_secret_access_key = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n\
             [fake3]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
             [below]\naws_session_token =\n    {}\n",
            PLACED[10].0
        )
        .as_bytes(),
    );
    write(
        "home/.aws/config",
        format!("[profile nul]\nregion = eu-west-1\n\0\0\naws_session_token = {c4}\n").as_bytes(),
    );
    write(
        "home/.aws/cli/cache/0a1b2c.json",
        format!(
            "{{\n  \"Credentials\": {{\n    \"AccessKeyId\": \"{c5}\",\n    \
             \"SecretAccessKey\": \"{c6}\",\n    \"SessionToken\": \"{c7}\",\n    \
             \"Expiration\": \"2026-11-29T15:00:00Z\"\n  }},\n  \"AssumedRoleUser\": {{\n    \
             \"Arn\": \"arn:aws:sts::123456789012:assumed-role/deploy/ci\"\n  }}\n}}\n"
        )
        .as_bytes(),
    );
    write(
        "home/.aws/sso/cache/3d4e5f.json",
        format!(
            "{{\"accessToken\": \"{c8}\", \"expiresAt\": \"2026-11-29T15:00:00Z\", \
             \"region\": \"eu-west-1\", \"startUrl\": \"https://corp.awsapps.com/start\"}}\n"
        )
        .as_bytes(),
    );
    write(
        "home/.aws/sso/cache/reg.json",
        format!(
            "{{\"clientId\": \"client-id-not-secret\", \"clientSecret\": \"{c9}\", \
             \"registrationExpiresAt\": \"2027-01-01T00:00:00Z\"}}\n"
        )
        .as_bytes(),
    );
    write(
        "home/deploy/creds.json",
        format!(
            "{{\"Credentials\": {{\n  \"Expiration\": \"2026-11-29T15:00:00Z\",\n  \
             \"SecretAccessKey\": \"{}\"\n}}}}\n",
            PLACED[9].0
        )
        .as_bytes(),
    );
    write(
        "outside/dotenv",
        format!("AWS_PROFILE=ci\nDB_PASSWORD={DOTENV}\n").as_bytes(),
    );
    std::fs::create_dir_all(home.join("iam")).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink("../../outside/dotenv", home.join("iam").join("policy.json"))
        .expect("symlink");
    write(
        "home/infra/providers.tf",
        format!(
            "provider \"aws\" {{\n  region     = \"eu-west-1\"\n  secret_key = \"{}\"\n  \
             assume_role {{ role_arn = \"arn:aws:iam::123456789012:role/a\" }}\n  \
             assume_role {{\n    role_arn = \"arn:aws:iam::123456789012:role/b\"\n    \
             duration = \"2h\"\n  }}\n}}\n",
            PLACED[11].0
        )
        .as_bytes(),
    );
    write(
        "home/infra/terraform.tfvars",
        format!("aws_secret_access_key = \"{}\"\n", PLACED[12].0).as_bytes(),
    );
    write(
        "home/infra-json/main.tf.json",
        format!(
            "{{\n  \"provider\": {{\n    \"aws\": {{\n      \"secret_key\": \"{}\",\n      \
             \"assume_role\": [{{\"role_arn\": \"arn:aws:iam::123456789012:role/a\"}}, \
             {{\"duration\": \"2h\"}}]\n    }}\n  }}\n}}\n",
            PLACED[13].0
        )
        .as_bytes(),
    );
    write(
        "home/infra/broken.tf",
        format!("resource \"aws_iam_role\" \"x\" {{\n  token = \"{BROKEN_TF}\" = \n").as_bytes(),
    );
    write(
        "home/iam/roles/deploy/policy.json",
        format!("{{\"Statement\": [\n  {{\"Effect\": \"Allow\",\n  \"token\": \"{BROKEN_JSON}\"\n")
            .as_bytes(),
    );
    dir
}

fn all_canaries() -> Vec<&'static str> {
    let mut all: Vec<&str> = PLACED.iter().map(|(c, _, _)| *c).collect();
    all.extend([DOTENV, BROKEN_JSON, BROKEN_TF]);
    all
}

fn assert_no_canary(what: &str, text: &str) {
    for canary in all_canaries() {
        let chars: Vec<char> = canary.chars().collect();
        for piece in chars.windows(10) {
            let piece: String = piece.iter().collect();
            assert!(
                !text.contains(&piece),
                "{what} shows `{piece}` of `{canary}`:\n{text}"
            );
        }
    }
}

/// `(rule, path, line)` of every finding of `check --format json`.
fn findings(cwd: &Path) -> Vec<(String, String, u64)> {
    let (stdout, _) = run(&["check", "home", "--format", "json"], cwd);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    report["findings"]
        .as_array()
        .expect("findings")
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

#[cfg(unix)]
#[test]
fn issue_11_every_secret_is_reported_once_and_never_shown() {
    let dir = issue_11_tree();
    let cwd = dir.path();
    let found = findings(cwd);
    // Each credential exactly once, as IAM501, where it is; the fake values in `fake1`,
    // `fake2` and `fake3` are skipped alike.
    let mut committed: Vec<(String, u64)> = found
        .iter()
        .filter(|(rule, _, _)| rule == "IAM501")
        .map(|(_, path, line)| (path.clone(), *line))
        .collect();
    committed.sort();
    let mut expected: Vec<(String, u64)> = PLACED
        .iter()
        .map(|(_, path, line)| ((*path).to_owned(), *line as u64))
        .collect();
    expected.sort();
    assert_eq!(committed, expected, "{found:?}");
    // Credential caches are never read as policies.
    assert!(
        !found
            .iter()
            .any(|(rule, path, _)| rule.starts_with("IAM3") && path.contains("cache")),
        "{found:?}"
    );
    // The link out of the tree: one note, and the file behind it is not read.
    let links: Vec<_> = found.iter().filter(|(r, _, _)| r == "IAM006").collect();
    assert_eq!(links.len(), 1, "{found:?}");
    assert_eq!(links[0].1, "home/iam/policy.json");
    assert!(!found
        .iter()
        .any(|(r, p, _)| r != "IAM006" && p == "home/iam/policy.json"));
    // The broken policy: one IAM002, position only; the NUL file: one IAM001.
    let count = |rule: &str, path: &str| {
        found
            .iter()
            .filter(|(r, p, _)| r == rule && p == path)
            .count()
    };
    assert_eq!(count("IAM002", "home/iam/roles/deploy/policy.json"), 1);
    assert_eq!(count("IAM001", "home/.aws/config"), 1);
    assert_eq!(count("IAM002", "home/infra/broken.tf"), 1);
    assert_eq!(count("IAM203", "home/infra/providers.tf"), 1);
    assert_eq!(count("IAM203", "home/infra-json/main.tf.json"), 1);

    let mut outputs: Vec<(String, String)> = Vec::new();
    let record =
        |outputs: &mut Vec<(String, String)>, what: String, (stdout, stderr): (String, String)| {
            outputs.push((format!("{what} stdout"), stdout));
            outputs.push((format!("{what} stderr"), stderr));
        };
    for format in ["human", "json", "sarif", "github"] {
        for extra in [&[][..], &["--statistics"][..]] {
            let mut args = vec!["check", "home", "--format", format, "--color", "always"];
            args.extend_from_slice(extra);
            record(&mut outputs, args.join(" "), run(&args, cwd));
        }
        let file = format!("report.{format}");
        let args = ["check", "home", "--format", format, "--output", &file];
        record(&mut outputs, args.join(" "), run(&args, cwd));
        let written = std::fs::read_to_string(cwd.join(&file)).expect("report written");
        assert!(written.contains("IAM501"), "{file}:\n{written}");
        outputs.push((format!("{file} file"), written));
    }
    for format in ["human", "json"] {
        let args = ["inventory", "home", "--format", format];
        record(&mut outputs, args.join(" "), run(&args, cwd));
    }
    for format in ["dot", "mermaid", "json"] {
        let args = ["graph", "home", "--format", format];
        record(&mut outputs, args.join(" "), run(&args, cwd));
    }
    let args = ["check", "home", "--write-baseline", "baseline.json"];
    record(&mut outputs, args.join(" "), run(&args, cwd));
    let baseline = std::fs::read_to_string(cwd.join("baseline.json")).expect("baseline");
    outputs.push(("baseline file".into(), baseline));
    let args = [
        "check",
        "home",
        "--baseline",
        "baseline.json",
        "--statistics",
    ];
    record(&mut outputs, args.join(" "), run(&args, cwd));
    for (what, text) in &outputs {
        assert_no_canary(what, text);
    }
}
