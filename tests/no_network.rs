//! iamlint never opens a network connection. Three independent guards, each cheap and
//! offline:
//!
//! 1. No HTTP, TLS or async-runtime crate is in the dependency graph (`Cargo.lock` lists
//!    every package cargo resolved, optional ones only when a feature turns them on).
//! 2. The JSON Schema validator (`jsonschema`, built with `default-features = false`) has
//!    no HTTP retriever: a remote `$ref` fails to compile with the "feature required"
//!    error, at once, instead of being fetched.
//! 3. No source file uses `std::net`.

use std::path::Path;

/// Crates that speak HTTP, TLS or open sockets on their own.
const NETWORK_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "h2",
    "rustls",
    "native-tls",
    "openssl",
    "openssl-sys",
    "tokio",
    "async-std",
    "mio",
    "socket2",
    "aws-lc-rs",
    "ring",
];

#[test]
fn no_network_crate_in_the_dependency_graph() {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock is committed");
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(names.contains(&"jsonschema"), "Cargo.lock looks wrong");
    let found: Vec<&&str> = names
        .iter()
        .filter(|n| NETWORK_CRATES.contains(n))
        .collect();
    assert!(
        found.is_empty(),
        "network crates in Cargo.lock: {found:?} (keep jsonschema at default-features = false)"
    );
}

#[test]
fn schema_validator_never_fetches_a_remote_ref() {
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "https://iamlint.invalid/remote.schema.json",
    });
    let started = std::time::Instant::now();
    let Err(err) = jsonschema::draft202012::new(&schema) else {
        panic!("a remote $ref cannot compile without an HTTP retriever");
    };
    let text = err.to_string();
    assert!(
        text.contains("resolve-http"),
        "expected the no-HTTP-retriever error, got: {text}"
    );
    // A fetch attempt would at least wait for a name lookup.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn no_source_file_uses_std_net() {
    let mut offenders = Vec::new();
    for entry in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let entry = entry.expect("walk src");
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(entry.path()).expect("read source");
            if text.contains("std::net") || text.contains("TcpStream") || text.contains("UdpSocket")
            {
                offenders.push(entry.path().display().to_string());
            }
        }
    }
    assert!(offenders.is_empty(), "network use in {offenders:?}");
}
