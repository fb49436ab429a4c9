//! Hostile input through the real binary: every broken, strange or huge file gives a clear
//! finding with its path (when its name or place says it is ours), the other files are
//! still scanned, nothing panics or blocks, and the exit code is the documented one
//! (0 clean, 1 findings at or above `--fail-on`, 2 usage or I/O error).
//!
//! Every tree holds a canary, a trust policy that trusts every AWS account (IAM102), so each
//! test also proves the scan went on past the hostile file.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const CANARY: &str = "canary/roles/open/trust.json";

/// What one run of the binary gave.
struct Run {
    code: i32,
    findings: Vec<Value>,
    stderr: String,
}

impl Run {
    /// Findings of `rule` whose path ends with `suffix`.
    fn find(&self, rule: &str, suffix: &str) -> Vec<&Value> {
        self.findings
            .iter()
            .filter(|f| {
                f["rule"] == rule && f["path"].as_str().is_some_and(|p| p.ends_with(suffix))
            })
            .collect()
    }

    /// Exactly one finding of `rule` in a file whose path ends with `suffix`.
    fn assert_once(&self, rule: &str, suffix: &str) {
        assert_eq!(
            self.find(rule, suffix).len(),
            1,
            "{rule} {suffix}: {:?}",
            self.rules()
        );
    }

    fn message(&self, rule: &str, suffix: &str) -> String {
        self.find(rule, suffix)
            .first()
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_owned()
    }

    /// The scan went on: the canary was reported, nothing panicked, the exit code says
    /// there are findings.
    fn assert_scanned_on(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "iamlint panicked:\n{}",
            self.stderr
        );
        assert_eq!(
            self.find("IAM102", CANARY).len(),
            1,
            "canary not reported: {:#?}\n{}",
            self.findings,
            self.stderr
        );
        assert_eq!(self.code, 1, "exit code; stderr:\n{}", self.stderr);
    }

    fn rules(&self) -> Vec<String> {
        self.findings
            .iter()
            .map(|f| format!("{} {}", f["rule"].as_str().unwrap_or("?"), f["path"]))
            .collect()
    }
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        CANARY,
        br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#,
    );
    dir
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// Runs the binary with JSON output; fails the test if it takes longer than a minute (a
/// blocked read of a FIFO, a hang on deep input).
fn run(root: &Path, extra: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg(root)
        .args(["--no-config", "--format", "json"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start iamlint");
    let start = Instant::now();
    // Read both pipes on threads so a large report cannot fill a pipe and stall the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "iamlint did not finish within two minutes on {}",
                root.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out_t.join().expect("stdout thread");
    let stderr = err_t.join().expect("stderr thread");
    let findings = serde_json::from_str::<Value>(&stdout)
        .ok()
        .and_then(|v| v["findings"].as_array().cloned())
        .unwrap_or_else(|| panic!("output is not the JSON report:\n{stdout}\n{stderr}"));
    Run {
        code: status.code().unwrap_or(-1),
        findings,
        stderr,
    }
}

#[test]
fn invalid_json_is_reported_at_its_position() {
    let dir = tree();
    write(
        dir.path(),
        "iam/policy.json",
        b"{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",,}\n",
    );
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    let f = r.find("IAM002", "iam/policy.json");
    assert_eq!(f.len(), 1, "{:?}", r.rules());
    assert_eq!(f[0]["start"]["line"], 3, "{:#?}", f[0]);
}

#[test]
fn invalid_json_that_is_not_ours_is_silent() {
    let dir = tree();
    write(
        dir.path(),
        "web/tsconfig.json",
        b"{ // comment\n \"a\": 1, }",
    );
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    assert!(
        r.find("IAM002", "tsconfig.json").is_empty(),
        "{:?}",
        r.rules()
    );
}

#[test]
fn empty_file() {
    let dir = tree();
    write(dir.path(), "roles/app/trust.json", b"");
    write(dir.path(), "roles/app/blank-policy.json", b" \n\t\r\n");
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    assert!(r
        .message("IAM002", "roles/app/trust.json")
        .contains("empty"));
    assert!(r
        .message("IAM002", "roles/app/blank-policy.json")
        .contains("empty"));
}

#[test]
fn binary_file() {
    let dir = tree();
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write(dir.path(), "policies/policy.json", &bytes);
    // A PNG with a JSON name.
    write(
        dir.path(),
        "policies/logo-policy.json",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    );
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    assert!(
        r.message("IAM001", "policies/policy.json")
            .contains("binary"),
        "{:?}",
        r.rules()
    );
    assert!(r
        .message("IAM001", "policies/logo-policy.json")
        .contains("binary"));
}

#[test]
fn nul_bytes_inside_json() {
    let dir = tree();
    write(dir.path(), "roles/a/trust.json", b"{\"Statement\": [\0]}");
    // Past the first 8 KiB the binary sniff does not look: the JSON parser must catch it.
    let mut late = b"{\"Version\": \"2012-10-17\", \"Id\": \"".to_vec();
    late.extend(std::iter::repeat_n(b'x', 10_000));
    late.extend(b"\0\", \"Statement\": []}");
    write(dir.path(), "roles/b/trust.json", &late);
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    r.assert_once("IAM001", "roles/a/trust.json");
    r.assert_once("IAM002", "roles/b/trust.json");
}

#[test]
fn non_utf8_file() {
    let dir = tree();
    // Latin-1 é in a Sid: what an old editor writes.
    write(
        dir.path(),
        "users/bob/policy.json",
        b"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Caf\xe9\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
    );
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    let msg = r.message("IAM001", "users/bob/policy.json");
    assert!(msg.contains("UTF-8"), "{msg:?} {:?}", r.rules());
}

#[test]
fn utf8_bom_is_read() {
    let dir = tree();
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend(
        br#"{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]
}"#,
    );
    write(dir.path(), "users/carol/switch.json", &text);
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    let f = r.find("IAM101", "users/carol/switch.json");
    assert_eq!(f.len(), 1, "BOM file not read: {:?}", r.rules());
    assert_eq!(f[0]["start"]["line"], 3);
    assert!(r.find("IAM001", "switch.json").is_empty());
    assert!(r.find("IAM002", "switch.json").is_empty());
}

/// A `.tf` file is kept in the buffer it was read into until its folder is evaluated:
/// with a byte-order mark (UTF-8 or UTF-16) it is read at the same places, and one that
/// is not text is reported as any other file is.
#[test]
fn terraform_with_a_byte_order_mark_is_read_at_its_places() {
    let dir = tree();
    let text = r#"resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
}
"#;
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    write(dir.path(), "tf/a/main.tf", &bom);
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "tf/b/main.tf", &le);
    let mut broken = text.as_bytes().to_vec();
    broken.insert(50, 0xFF);
    write(dir.path(), "tf/c/main.tf", &broken);
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    for (path, offset) in [("tf/a/main.tf", 172), ("tf/b/main.tf", 340)] {
        let f = r.find("IAM102", path);
        assert_eq!(f.len(), 1, "{path}: {:?}", r.rules());
        assert_eq!(f[0]["start"]["line"], 5, "{path}");
        assert_eq!(f[0]["start"]["column"], 58, "{path}");
        assert_eq!(f[0]["start"]["offset"], offset, "{path}");
    }
    let msg = r.message("IAM001", "tf/c/main.tf");
    assert!(msg.contains("not valid UTF-8"), "{msg}");
}

#[test]
fn utf16_file() {
    let dir = tree();
    let text = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#;
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "roles/x/trust.json", &le);
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    write(dir.path(), "roles/y/trust.json", &be);
    // Without a byte-order mark: NUL bytes everywhere.
    let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    write(dir.path(), "roles/z/trust.json", &bare);
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    // With a byte-order mark it is decoded and read (Windows PowerShell 5 writes it so).
    r.assert_once("IAM102", "roles/x/trust.json");
    r.assert_once("IAM102", "roles/y/trust.json");
    assert!(r.find("IAM001", "roles/x/trust.json").is_empty());
    assert!(r.find("IAM001", "roles/y/trust.json").is_empty());
    assert_eq!(r.find("IAM001", "roles/z/trust.json").len(), 1);
}

#[test]
fn five_megabyte_policy() {
    let dir = tree();
    let mut statements: Vec<Value> = (0..22_000)
        .map(|i| {
            serde_json::json!({"Sid": format!("S{i}"), "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": [format!("arn:aws:s3:::bucket-{i}/*"), format!("arn:aws:s3:::bucket-{i}")]})
        })
        .collect();
    statements
        .push(serde_json::json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}));
    let text = serde_json::to_string_pretty(
        &serde_json::json!({"Version": "2012-10-17", "Statement": statements}),
    )
    .expect("json");
    assert!(text.len() > 5_000_000, "{} bytes", text.len());
    write(dir.path(), "users/big/policy.json", text.as_bytes());
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    // The one bad statement at the very end is found.
    r.assert_once("IAM101", "users/big/policy.json");
}

#[test]
fn ten_thousand_deep_nesting() {
    let dir = tree();
    let deep = |open: &str, close: &str| {
        let mut s = String::from("{\"Statement\": ");
        s.push_str(&open.repeat(10_000));
        s.push_str(&close.repeat(10_000));
        s.push('}');
        s
    };
    write(
        dir.path(),
        "policies/arrays-policy.json",
        deep("[", "]").as_bytes(),
    );
    write(
        dir.path(),
        "policies/objects-policy.json",
        deep("{\"a\":", "}").as_bytes(),
    );
    // Not ours by name, but it says `"Statement"`: still reported.
    write(dir.path(), "misc/deep.json", deep("[", "]").as_bytes());
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    for p in [
        "policies/arrays-policy.json",
        "policies/objects-policy.json",
        "misc/deep.json",
    ] {
        let msg = r.message("IAM002", p);
        assert!(
            msg.contains("recursion limit"),
            "{p}: {msg:?} {:?}",
            r.rules()
        );
    }
}

#[test]
fn million_element_array() {
    let dir = tree();
    // A valid statement, then a million things that are not statements.
    let mut text = String::from(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}"#,
    );
    text.push_str(&",0".repeat(1_000_000));
    text.push_str("]}");
    write(dir.path(), "users/dave/policy.json", text.as_bytes());
    // A million resources in a valid statement.
    let mut res = String::from(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["#,
    );
    res.push_str(&vec!["\"arn:aws:s3:::b/k\""; 1_000_000].join(","));
    res.push_str("]}]}");
    write(dir.path(), "users/erin/policy.json", res.as_bytes());
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    r.assert_once("IAM101", "users/dave/policy.json");
    let grammar = r.find("IAM301", "users/dave/policy.json");
    assert!(
        !grammar.is_empty() && grammar.len() <= 50,
        "{} grammar findings",
        grammar.len()
    );
    assert!(r.find("IAM301", "users/erin/policy.json").is_empty());
}

#[test]
fn duplicate_keys_last_wins() {
    let dir = tree();
    write(
        dir.path(),
        "roles/dup/trust.json",
        br#"{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]
}"#,
    );
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    // serde_json keeps the last member, as IAM does; the finding points at it.
    let f = r.find("IAM102", "roles/dup/trust.json");
    assert_eq!(f.len(), 1, "{:?}", r.rules());
    assert_eq!(f[0]["start"]["line"], 4);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    let roles = dir.path().join("roles/loop");
    std::fs::create_dir_all(&roles).expect("mkdir");
    // A file link that points at itself, and a pair pointing at each other.
    symlink("trust.json", roles.join("trust.json")).expect("symlink");
    symlink("b-policy.json", roles.join("a-policy.json")).expect("symlink");
    symlink("a-policy.json", roles.join("b-policy.json")).expect("symlink");
    // A folder link back up the tree: never followed.
    symlink("..", roles.join("up")).expect("symlink");
    symlink(dir.path(), dir.path().join("canary/root-again")).expect("symlink");
    // A dangling link and a good link to a real file.
    symlink("missing.json", roles.join("gone-policy.json")).expect("symlink");
    write(
        dir.path(),
        "shared/open-trust.json",
        br#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#,
    );
    std::fs::create_dir_all(dir.path().join("roles/linked")).expect("mkdir");
    symlink(
        "../../shared/open-trust.json",
        dir.path().join("roles/linked/trust.json"),
    )
    .expect("symlink");
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    for p in [
        "roles/loop/trust.json",
        "roles/loop/a-policy.json",
        "roles/loop/b-policy.json",
        "roles/loop/gone-policy.json",
    ] {
        assert_eq!(r.find("IAM001", p).len(), 1, "{p}: {:?}", r.rules());
    }
    // The link to a real file is read like the file.
    r.assert_once("IAM102", "roles/linked/trust.json");
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree();
    write(dir.path(), "roles/secret/trust.json", b"{}");
    let path = dir.path().join("roles/secret/trust.json");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let locked = std::fs::create_dir_all(dir.path().join("roles/locked")).and_then(|_| {
        write(dir.path(), "roles/locked/trust.json", b"{}");
        std::fs::set_permissions(
            dir.path().join("roles/locked"),
            std::fs::Permissions::from_mode(0o000),
        )
    });
    locked.expect("chmod folder");
    // Root reads anything whatever the mode bits: then there is nothing to deny.
    let denied = std::fs::read(&path).is_err();
    let r = run(dir.path(), &[]);
    std::fs::set_permissions(
        dir.path().join("roles/locked"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod back");
    r.assert_scanned_on();
    if denied {
        assert!(
            r.message("IAM001", "roles/secret/trust.json")
                .contains("ermission denied"),
            "{:?}",
            r.rules()
        );
        assert_eq!(r.find("IAM001", "roles/locked").len(), 1, "{:?}", r.rules());
    }
}

#[cfg(unix)]
#[test]
fn fifo_does_not_block() {
    let dir = tree();
    std::fs::create_dir_all(dir.path().join("roles/pipe")).expect("mkdir");
    let fifo = dir.path().join("roles/pipe/trust.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable; skipping");
        return;
    }
    // A link to the FIFO must not block either.
    std::os::unix::fs::symlink(
        "trust.json",
        dir.path().join("roles/pipe/linked-policy.json"),
    )
    .expect("symlink");
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    assert!(
        r.message("IAM001", "roles/pipe/trust.json")
            .contains("not a regular file"),
        "{:?}",
        r.rules()
    );
    assert!(
        r.message("IAM001", "roles/pipe/linked-policy.json")
            .contains("not a regular file"),
        "{:?}",
        r.rules()
    );
    // Named on the command line too.
    let r = run(&fifo, &[]);
    assert!(!r.stderr.contains("panicked"));
    assert!(
        r.message("IAM001", "roles/pipe/trust.json")
            .contains("not a regular file"),
        "{:?}",
        r.rules()
    );
}

#[test]
fn directory_named_like_a_policy() {
    let dir = tree();
    std::fs::create_dir_all(dir.path().join("iam/policy.json")).expect("mkdir");
    write(
        dir.path(),
        "iam/policy.json/trust.json",
        br#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    // The folder is walked like any other; the file in it is read.
    r.assert_once("IAM102", "iam/policy.json/trust.json");
    assert!(
        r.find("IAM001", "iam/policy.json").is_empty(),
        "{:?}",
        r.rules()
    );
}

#[test]
fn oversized_files_are_reported_never_skipped_silently() {
    let dir = tree();
    let big = format!(
        r#"{{"Version": "2012-10-17", "Id": "{}", "Statement": []}}"#,
        "x".repeat(5000)
    );
    write(dir.path(), "roles/big/trust.json", big.as_bytes());
    // Not ours by name or place: still reported, since it was not looked at.
    write(dir.path(), "web/big-bundle.json", big.as_bytes());
    let r = run(dir.path(), &["--max-file-size", "2000"]);
    r.assert_scanned_on();
    for p in ["roles/big/trust.json", "web/big-bundle.json"] {
        let msg = r.message("IAM003", p);
        assert!(msg.contains("2000"), "{p}: {msg:?} {:?}", r.rules());
    }
}

#[test]
fn top_level_not_an_object() {
    let dir = tree();
    write(dir.path(), "roles/list/trust.json", b"[1, 2, 3]");
    write(dir.path(), "roles/num/trust.json", b"1e999999");
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    r.assert_once("IAM004", "roles/list/trust.json");
    r.assert_once("IAM002", "roles/num/trust.json");
}

#[test]
fn hostile_aws_config() {
    let dir = tree();
    let mut text =
        b"[profile a]\nrole_arn = arn:aws:iam::111122223333:role/x\nsource_profile = ".to_vec();
    text.extend(std::iter::repeat_n(b'[', 100_000));
    text.extend(b"\n[profile \xff\xfe]\n\0\n");
    write(dir.path(), ".aws/config", &text);
    let mut deep = String::from("[default]\n");
    for i in 0..50_000 {
        deep.push_str(&format!(
            "[profile p{i}]\nsource_profile = p{}\nrole_arn = arn:aws:iam::111122223333:role/r\n",
            i + 1
        ));
    }
    write(dir.path(), "tools/aws/config", deep.as_bytes());
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    assert!(
        !r.find("IAM001", ".aws/config").is_empty(),
        "{:?}",
        r.rules()
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tree();
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg(dir.path().join("does-not-exist"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist"));
}

/// Output to a closed pipe is not an error (the reader went away, as with `| head`).
#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tree();
    for i in 0..200 {
        write(
            dir.path(),
            &format!("roles/r{i}/trust.json"),
            br#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#,
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg(dir.path())
        .args(["--no-config", "--color", "always"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let _ = std::io::stderr().flush();
}

#[test]
fn hostile_yaml_templates() {
    let dir = tree();
    let head = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n";
    // A billion laughs: nine levels of ten aliases.
    let mut laughs = format!("{head}  A: {{Type: AWS::IAM::User}}\nMappings:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*l{}", i - 1);
        laughs.push_str(&format!(
            "  l{i}: &l{i} [{}]\n",
            [prev.as_str(); 10].join(", ")
        ));
    }
    write(dir.path(), "stacks/laughs.yaml", laughs.as_bytes());
    // Deep block nesting, deep flow nesting.
    let mut block = String::from(head);
    for depth in 0..2_000 {
        block.push_str(&" ".repeat(depth + 2));
        block.push_str(&format!("k{depth}:\n"));
    }
    write(dir.path(), "stacks/deep-block.yaml", block.as_bytes());
    let flow = format!("{head}  A: {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
    write(dir.path(), "stacks/deep-flow.yml", flow.as_bytes());
    // A secret after the error: never shown.
    write(
        dir.path(),
        "stacks/broken.template",
        format!("{head}  A: [unclosed\n  B: AKIAIOSFODNN7EXAMPLE\n").as_bytes(),
    );
    // Not templates: never parsed, never reported, broken or not.
    write(
        dir.path(),
        "k8s/deploy.yaml",
        b"apiVersion: v1\nkind: Pod\nspec: [unclosed\n",
    );
    write(
        dir.path(),
        ".github/workflows/ci.yml",
        b"on: push\njobs: {x: {runs-on: [\n",
    );
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    for p in [
        "stacks/laughs.yaml",
        "stacks/deep-block.yaml",
        "stacks/deep-flow.yml",
        "stacks/broken.template",
    ] {
        r.assert_once("IAM002", p);
    }
    assert!(r
        .message("IAM002", "stacks/laughs.yaml")
        .contains("aliases expand"));
    assert!(r
        .message("IAM002", "stacks/deep-block.yaml")
        .contains("nested deeper"));
    for f in &r.findings {
        let text = f.to_string();
        assert!(!text.contains("AKIAIOSFODNN7EXAMPLE"), "{text}");
        let path = f["path"].as_str().unwrap_or_default();
        assert!(
            !path.contains("k8s/") && !path.contains(".github/"),
            "{text}"
        );
    }
}

#[test]
fn yaml_template_of_eighty_thousand_resources() {
    // Every resource is placed when loaded: a lookup that scanned `Resources` each time
    // took minutes here.
    let dir = tree();
    let mut text = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n");
    for i in 0..80_000 {
        text.push_str(&format!(
            "  U{i}:\n    Type: AWS::IAM::User\n    Properties: {{UserName: u{i}}}\n"
        ));
    }
    text.push_str("  Open:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: 'sts:AssumeRole'}]\n");
    write(dir.path(), "stacks/users.yaml", text.as_bytes());
    let start = Instant::now();
    let r = run(dir.path(), &[]);
    r.assert_scanned_on();
    r.assert_once("IAM102", "stacks/users.yaml");
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
}
