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
/// should be, and a JSON array where a policy object should be) is reported by position
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
    std::fs::write(iam.join("trust.json"), format!("[\n  \"{canary}\"\n]\n")).expect("write");
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
