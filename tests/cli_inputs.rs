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

    /// The rule ids of the `--format json` findings about one file.
    fn rules_of_file(&self, path: &str) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .expect("findings is a list")
            .iter()
            .filter(|f| f["path"] == path)
            .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// The `--format json` findings of one rule.
    fn of_rule(&self, rule: &str) -> Vec<Value> {
        self.json()["findings"]
            .as_array()
            .expect("findings is a list")
            .iter()
            .filter(|f| f["rule"] == rule)
            .cloned()
            .collect()
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

/// An account dump as Windows PowerShell 5 saves
/// `aws iam get-account-authorization-details > account.json`: CRLF lines, and (written out by the test) UTF-16 with a byte-order mark.
/// Characters outside ASCII, one outside the Basic Multilingual Plane, come before the
/// finding on its line, so that columns in characters, columns in UTF-16 code units and
/// byte offsets all differ.
const DUMP: &str = "{\r\n  \"UserDetailList\": [],\r\n  \"GroupDetailList\": [],\r\n  \"RoleDetailList\": [\r\n    {\r\n      \"Path\": \"/\",\r\n      \"RoleName\": \"ops\",\r\n      \"Arn\": \"arn:aws:iam::123456789012:role/ops\",\r\n      \"Description\": \"Zugriff f\u{fc}r Betrieb \u{1D11E}\",\r\n      \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"F\u{fc}rAlle\u{1D11E}\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\"}]},\r\n      \"RolePolicyList\": [],\r\n      \"AttachedManagedPolicies\": []\r\n    }\r\n  ],\r\n  \"Policies\": []\r\n}\r\n";

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend(if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[test]
fn a_utf16_dump_outside_any_iam_folder_is_read_with_its_positions() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "exports/account.json", &utf16(DUMP, true));
    write(dir.path(), "exports/account-be.json", &utf16(DUMP, false));
    write(dir.path(), "exports/account-utf8.json", DUMP.as_bytes());
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(DUMP.as_bytes());
    write(dir.path(), "exports/account-bom.json", &bom);
    // Where `"*"` is: line and column in characters, column in UTF-16 code units.
    let at = DUMP.find(r#""*""#).expect("the dump trusts *");
    let before = &DUMP[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u64 + 1;
    let column_utf16 = before[line_start..].encode_utf16().count() as u64 + 1;
    assert!(column_utf16 > column, "the line has an astral character");
    let utf16_offset = 2 + 2 * before.encode_utf16().count() as u64;
    let utf8_offset = at as u64;

    let json = iamlint(dir.path(), &["check", "--format", "json", "exports"]);
    assert_eq!(
        json.json()["summary"]["files_scanned"],
        4,
        "{}",
        json.stdout
    );
    let found = json.of_rule("IAM102");
    let expected = [
        ("exports/account-be.json", utf16_offset),
        ("exports/account-bom.json", utf8_offset + 3),
        ("exports/account-utf8.json", utf8_offset),
        ("exports/account.json", utf16_offset),
    ];
    assert_eq!(found.len(), expected.len(), "{}", json.stdout);
    for (f, (path, offset)) in found.iter().zip(expected) {
        assert_eq!(f["path"], path);
        assert_eq!(f["start"]["line"], line, "{path}");
        assert_eq!(f["start"]["column"], column, "{path}");
        assert_eq!(f["start"]["offset"], offset, "{path}");
        // `"*"`: three characters, three code units.
        assert_eq!(f["end"]["column"], column + 3, "{path}");
    }
    assert!(json.of_rule("IAM001").is_empty(), "{}", json.stdout);

    let sarif = iamlint(dir.path(), &["check", "--format", "sarif", "exports"]);
    assert_valid_sarif(&sarif.stdout);
    let results = sarif.json()["runs"][0]["results"].clone();
    let le = results
        .as_array()
        .expect("results")
        .iter()
        .find(|r| {
            r["ruleId"] == "IAM102"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "exports/account.json"
        })
        .expect("IAM102 in the UTF-16 dump");
    let region = &le["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], line);
    assert_eq!(region["startColumn"], column_utf16);
    assert_eq!(region["byteOffset"], utf16_offset);
    assert_eq!(region["byteLength"], 6);

    let human = iamlint(
        dir.path(),
        &["check", "--color", "never", "exports/account.json"],
    );
    assert!(
        human
            .stdout
            .contains(&format!("exports/account.json:{line}:{column}: ")),
        "{}",
        human.stdout
    );
    // The snippet is the decoded text.
    assert!(
        human.stdout.contains("Zugriff für Betrieb"),
        "{}",
        human.stdout
    );
}

#[test]
fn utf16_that_is_not_text_is_reported_not_guessed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut odd = utf16(r#"{"Statement": []}"#, true);
    odd.push(b'}');
    write(dir.path(), "iam/odd/policy.json", &odd);
    // An unpaired high surrogate.
    let mut lone = vec![0xFF, 0xFE];
    lone.extend([0x7B, 0x00, 0x00, 0xD8, 0x7D, 0x00]);
    write(dir.path(), "iam/lone/policy.json", &lone);
    let json = iamlint(dir.path(), &["check", "--format", "json", "."]);
    let messages: Vec<String> = json
        .of_rule("IAM001")
        .iter()
        .map(|f| format!("{} {}", f["path"], f["message"]))
        .collect();
    assert_eq!(messages.len(), 2, "{}", json.stdout);
    assert!(messages[0].contains("lone/policy.json") && messages[0].contains("unpaired surrogate"));
    assert!(messages[1].contains("odd/policy.json") && messages[1].contains("odd number of bytes"));
}

const TRUST_ANYONE: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#;

#[test]
fn a_file_named_on_the_command_line_is_read_whatever_its_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "weird.txt", TRUST_ANYONE.as_bytes());
    let json = iamlint(dir.path(), &["check", "--format", "json", "weird.txt"]);
    assert_eq!(json.code, 1, "{}", json.stdout);
    assert_eq!(json.json()["summary"]["files_scanned"], 1);
    assert_eq!(json.of_rule("IAM102").len(), 1, "{}", json.stdout);
    // The same file found by walking is not read: its name says nothing.
    let walked = iamlint(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(walked.json()["summary"]["files_scanned"], 0);
    assert_eq!(walked.code, 0);

    // An AWS CLI config under any name, named.
    write(
        dir.path(),
        "profiles.conf.bak",
        b"[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = nowhere\n",
    );
    let json = iamlint(
        dir.path(),
        &["check", "--format", "json", "profiles.conf.bak"],
    );
    assert_eq!(
        json.json()["summary"]["files_scanned"],
        1,
        "{}",
        json.stdout
    );
    assert!(!json.of_rule("IAM402").is_empty(), "{}", json.stdout);
}

#[test]
fn a_named_file_iamlint_does_not_read_gets_a_note_and_no_exit_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secretish = "db_password = hunter2-iamlint-canary\n";
    write(dir.path(), "notes.txt", secretish.as_bytes());
    write(dir.path(), "package.json", br#"{"name": "web"}"#);
    write(dir.path(), "blob.bin", &[0, 1, 2, 3, 0, 0, 7]);
    for name in ["notes.txt", "package.json", "blob.bin"] {
        let json = iamlint(dir.path(), &["check", "--format", "json", name]);
        assert_eq!(json.code, 0, "{name}: {}", json.stdout);
        let notes = json.of_rule("IAM007");
        assert_eq!(notes.len(), 1, "{name}: {}", json.stdout);
        assert_eq!(notes[0]["path"], name);
        assert_eq!(notes[0]["severity"], "note");
        let human = iamlint(dir.path(), &["check", "--color", "never", name]);
        assert_eq!(human.code, 0);
        assert!(
            human.stdout.contains(&format!(
                "{name}:1:1: file named on the command line is in no format iamlint reads"
            )),
            "{}",
            human.stdout
        );
        assert!(!human.stdout.contains("hunter2"), "{}", human.stdout);
        let sarif = iamlint(dir.path(), &["check", "--format", "sarif", name]);
        assert_valid_sarif(&sarif.stdout);
        assert!(!sarif.stdout.contains("hunter2"));
    }
    // `--fail-on note` makes it count, as any note.
    let strict = iamlint(dir.path(), &["check", "--fail-on", "note", "notes.txt"]);
    assert_eq!(strict.code, 1);
}

const CONFIG: &[u8] = b"[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = nowhere\nregion = eu-west-1\n";

#[test]
fn aws_cli_files_under_other_names_are_found_by_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "ops/aws-config", CONFIG);
    write(dir.path(), "ops/shared_config", CONFIG);
    write(dir.path(), "ops/foo.cfg", CONFIG);
    // A credentials file under another name: its key is found and never printed.
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzIamlintCanary";
    write(
        dir.path(),
        "ops/ci-creds",
        format!(
            "[ci]\naws_access_key_id = AKIAZ7IAMLINTCANARY1\naws_secret_access_key = {secret}\n"
        )
        .as_bytes(),
    );
    let json = iamlint(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(
        json.json()["summary"]["files_scanned"],
        4,
        "{}",
        json.stdout
    );
    let unknown_source: Vec<String> = json
        .of_rule("IAM402")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or_default().to_owned())
        .collect();
    for name in ["ops/aws-config", "ops/foo.cfg", "ops/shared_config"] {
        assert!(
            unknown_source.iter().any(|p| p == name),
            "{name}: {}",
            json.stdout
        );
    }
    let secrets = json.of_rule("IAM501");
    assert!(
        secrets.iter().any(|f| f["path"] == "ops/ci-creds"),
        "{}",
        json.stdout
    );
    for format in ["human", "json", "sarif", "github"] {
        let run = iamlint(
            dir.path(),
            &["check", "--color", "never", "--format", format, "."],
        );
        assert!(!run.stdout.contains(secret), "{format} printed the secret");
        assert!(
            !run.stdout.contains(&secret[..16]),
            "{format} printed part of the secret"
        );
    }
}

#[test]
fn other_ini_files_are_not_taken_for_aws_configs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files: &[(&str, &str)] = &[
        ("repo/gitconfig", "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@example.com:x.git\n[credential]\n\thelper = aws_helper\n"),
        ("repo/.editorconfig", "root = true\n[*]\nindent_style = space\n"),
        ("repo/tox.ini", "[tox]\nenvlist = py311\n[testenv]\nsetenv =\n    AWS_ACCESS_KEY_ID = testing\ncommands = pytest\n"),
        ("repo/setup.cfg", "[metadata]\nname = aws_tools\n[options]\npackages = find:\n"),
        ("repo/php.ini", "[PHP]\nengine = On\n[Session]\nsession.name = PHPSESSID\n"),
        ("repo/sync.service", "[Unit]\nDescription=sync\n[Service]\nEnvironment=AWS_ACCESS_KEY_ID=x\nExecStart=/usr/bin/aws s3 sync\n[Install]\nWantedBy=multi-user.target\n"),
        ("repo/aws.desktop", "[Desktop Entry]\nName=AWS\nExec=aws_console\nType=Application\n"),
        ("repo/settings", "[default]\nregion = eu-west-1\noutput = json\n"),
    ];
    for (path, text) in files {
        write(dir.path(), path, text.as_bytes());
    }
    // An AWS config too big to be looked at by content.
    let mut big = String::from_utf8(CONFIG.to_vec()).expect("UTF-8");
    big.push_str(&"# padding\n".repeat(30_000));
    write(dir.path(), "repo/huge-config", big.as_bytes());
    let json = iamlint(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(
        json.json()["summary"]["files_scanned"],
        0,
        "{}",
        json.stdout
    );
    assert_eq!(json.json()["findings"], serde_json::json!([]));
    assert_eq!(json.code, 0);
}

#[test]
fn utf16_without_a_byte_order_mark_is_a_finding_not_a_silent_skip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let le: Vec<u8> = DUMP.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = DUMP.encode_utf16().flat_map(u16::to_be_bytes).collect();
    write(dir.path(), "exports/account.json", &le);
    write(dir.path(), "exports/account-be.json", &be);
    let config: Vec<u8> = std::str::from_utf8(CONFIG)
        .expect("UTF-8")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    write(dir.path(), "exports/aws-config", &config);
    // UTF-16 that holds nothing of ours stays unreported, as any unrelated file.
    let other: Vec<u8> = r#"{"name": "web"}"#.encode_utf16().flat_map(u16::to_le_bytes).collect();
    write(dir.path(), "exports/package.json", &other);
    let json = iamlint(dir.path(), &["check", "--format", "json", "exports"]);
    let found: Vec<(String, String)> = json
        .of_rule("IAM001")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(found.len(), 3, "{}", json.stdout);
    assert_eq!(found[0].0, "exports/account-be.json");
    assert!(found[0]
        .1
        .contains("UTF-16 (big endian) without a byte-order mark"));
    assert_eq!(found[1].0, "exports/account.json");
    assert!(found[1]
        .1
        .contains("UTF-16 (little endian) without a byte-order mark"));
    assert_eq!(found[2].0, "exports/aws-config");
    assert_eq!(json.code, 1);
}

#[test]
fn a_named_yaml_template_goes_where_walked_yaml_templates_go() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "stack.txt",
        b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n            Principal:\n              AWS: '*'\n",
    );
    let json = iamlint(dir.path(), &["check", "--format", "json", "stack.txt"]);
    // Read as the YAML template it is, not as a broken JSON file.
    assert!(json.of_rule("IAM002").is_empty(), "{}", json.stdout);
    assert_eq!(json.rules_of_file("stack.txt"), ["IAM102"]);
    assert_eq!(
        json.of_rule("IAM102")[0]["start"]["line"],
        12,
        "{}",
        json.stdout
    );
}

#[test]
fn a_utf16_credentials_file_is_read_and_its_secret_never_printed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzIamlintUtf16Canary";
    let text = format!(
        "[default]\r\naws_access_key_id = AKIAZ7IAMLINTCANARY2\r\naws_secret_access_key = {secret}\r\n"
    );
    write(dir.path(), "home/.aws/credentials", &utf16(&text, true));
    write(dir.path(), "backup/creds-copy", &utf16(&text, true));
    let json = iamlint(dir.path(), &["check", "--format", "json", "."]);
    let secrets = json.of_rule("IAM501");
    let paths: Vec<&str> = secrets.iter().filter_map(|f| f["path"].as_str()).collect();
    assert!(paths.contains(&"home/.aws/credentials"), "{}", json.stdout);
    assert!(paths.contains(&"backup/creds-copy"), "{}", json.stdout);
    // Each key at its line of the UTF-16 file.
    for f in &secrets {
        let message = f["message"].as_str().unwrap_or_default();
        let line = if message.contains("aws_secret_access_key") {
            3
        } else {
            2
        };
        assert_eq!(f["start"]["line"], line, "{message}");
        assert_eq!(f["start"]["column"], 1, "{message}");
    }
    for format in ["human", "json", "sarif", "github"] {
        let run = iamlint(
            dir.path(),
            &["check", "--color", "never", "--format", format, "."],
        );
        assert!(
            !run.stdout.contains(&secret[..16]),
            "{format} printed the secret"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_named_link_is_read_as_its_file_and_a_named_fifo_gets_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "weird.txt", TRUST_ANYONE.as_bytes());
    std::os::unix::fs::symlink("weird.txt", dir.path().join("link.txt")).expect("symlink");
    let json = iamlint(dir.path(), &["check", "--format", "json", "link.txt"]);
    assert_eq!(
        json.rules_of_file("link.txt"),
        ["IAM102"],
        "{}",
        json.stdout
    );
    let fifo = dir.path().join("fifo.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let json = iamlint(dir.path(), &["check", "--format", "json", "fifo.txt"]);
        assert_eq!(
            json.rules_of_file("fifo.txt"),
            ["IAM007"],
            "{}",
            json.stdout
        );
        assert_eq!(json.code, 0);
    }
}
