//! Nothing a user points iamlint at is skipped in silence: files named on the command line,
//! AWS CLI configs under other names, UTF-16 files, and a scan that finds no IAM input at
//! all. Each test runs the real binary on a temporary tree.

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
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs iamlint in `dir` with `args`; nothing may panic.
fn iamlint(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(args)
        .current_dir(dir)
        .env_remove("RAYON_NUM_THREADS")
        .output()
        .expect("the command runs");
    let run = Run {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().expect("exited, not killed"),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// The number `check`'s summary line gives for files scanned.
fn files_scanned_by_check(dir: &Path, path: &str) -> u64 {
    let run = iamlint(dir, &["check", "--format", "json", path]);
    run.json()["summary"]["files_scanned"]
        .as_u64()
        .expect("files_scanned is a number")
}

#[test]
fn inventory_counts_files_as_check_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "iam/roles/a/trust.json",
        br#"{"Version":"2012-10-17","Statement":[]}"#,
    );
    // Looked at, not IAM: neither command counts them.
    write(dir.path(), "package.json", br#"{"name": "x"}"#);
    write(dir.path(), "iam/broken.json", b"{");
    write(dir.path(), "README.md", b"# nothing here\n");
    assert_eq!(files_scanned_by_check(dir.path(), "."), 1);
    let human = iamlint(dir.path(), &["inventory", "."]);
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.contains("\n1 files scanned,") || human.stdout.starts_with("1 files scanned,"),
        "{}",
        human.stdout
    );
    let json = iamlint(dir.path(), &["inventory", "-f", "json", "."]);
    assert_eq!(json.json()["files"].as_array().map(Vec::len), Some(1));
    let json = iamlint(
        &manifest_dir(),
        &["inventory", "-f", "json", "testdata/sources/raw"],
    );
    let listed = json.json()["files"]
        .as_array()
        .expect("files is a list")
        .iter()
        .filter(|f| f["format"] != "config")
        .count() as u64;
    assert_eq!(
        listed,
        files_scanned_by_check(&manifest_dir(), "testdata/sources/raw")
    );
    // The shipped examples, config file and all.
    let examples = files_scanned_by_check(&manifest_dir(), "testdata/examples");
    let human = iamlint(&manifest_dir(), &["inventory", "testdata/examples"]);
    assert!(
        human.stdout.contains(&format!("{examples} files scanned,")),
        "check scanned {examples}:\n{}",
        human.stdout
    );
}

fn assert_valid_sarif(text: &str) {
    let path = manifest_dir().join("testdata/schemas/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema is vendored"))
            .expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("SARIF schema compiles");
    let instance: Value = serde_json::from_str(text).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

/// A folder of a web project: nothing iamlint reads.
fn wrong_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "package.json", br#"{"name": "web"}"#);
    write(dir.path(), "src/index.js", b"console.log(1)\n");
    write(dir.path(), "src/app.py", b"print(1)\n");
    dir
}

#[test]
fn a_scan_that_reads_nothing_says_so_in_every_format() {
    let dir = wrong_folder();
    let human = iamlint(dir.path(), &["check", "--color", "never", "."]);
    assert_eq!(human.code, 0, "{human:?}");
    let summary = human.stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("iamlint: 0 files scanned")
            && summary.contains("; no IAM configuration found in 3 files; iamlint reads ")
            && summary.contains("`credentials`")
            && summary.contains("Terraform"),
        "{summary}"
    );

    let json = iamlint(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(json.code, 0);
    let notes = &json.json()["notifications"];
    assert_eq!(notes.as_array().map(Vec::len), Some(1), "{}", json.stdout);
    assert_eq!(notes[0]["level"], "note");
    let message = notes[0]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("no IAM configuration found in 3 files; iamlint reads "));

    let sarif = iamlint(dir.path(), &["check", "--format", "sarif", "."]);
    assert_eq!(sarif.code, 0);
    assert_valid_sarif(&sarif.stdout);
    let invocation = &sarif.json()["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "note");
    assert_eq!(note["message"]["text"], message);

    let github = iamlint(dir.path(), &["check", "--format", "github", "."]);
    assert!(github
        .stdout
        .starts_with("::notice title=iamlint::no IAM configuration found"));
}

#[test]
fn a_scan_that_reads_something_has_no_such_notice() {
    let dir = wrong_folder();
    write(
        dir.path(),
        "iam/roles/a/trust.json",
        br#"{"Version":"2012-10-17","Statement":[]}"#,
    );
    let human = iamlint(dir.path(), &["check", "--color", "never", "."]);
    assert!(
        !human.stdout.contains("no IAM configuration"),
        "{}",
        human.stdout
    );
    let json = iamlint(dir.path(), &["check", "--format", "json", "."]);
    assert!(json.json().get("notifications").is_none());
    let sarif = iamlint(dir.path(), &["check", "--format", "sarif", "."]);
    assert!(sarif.json()["runs"][0].get("invocations").is_none());
}
