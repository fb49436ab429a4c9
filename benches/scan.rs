//! `cargo bench --bench scan`: iamlint's full scan against a parse floor on the same
//! generated monorepo (tests/support/synth.rs), plus graph build time by organisation size.
//!
//! Every measurement runs in a fresh child process (this binary re-executed with
//! `--child`), so each peak-memory figure (VmHWM from /proc/self/status) is that
//! measurement's alone. The parse floor is the least any JSON linter must do: walk the
//! tree (walkdir), read every candidate file and parse the JSON ones with
//! `serde_json::from_slice::<Value>` on rayon, with no model, rules or output.
//!
//! Environment: `IAMLINT_BENCH_SIZES` (default `1000,10000`; add `100000` for the large
//! tree), `IAMLINT_BENCH_REPS` (default 5), `IAMLINT_BENCH_DIR` (default
//! `target/bench-trees`), `IAMLINT_BENCH_GRAPH` (default `1000,2500,5000,10000` roles),
//! `IAMLINT_BENCH_LOOP` (default `50000`: profiles in the `source_profile` loop whose one
//! finding is reported in human and in JSON output, issue #11 §2).

#[path = "../tests/support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser as _;

/// The same allocator as the `iamlint` binary, for the scan and the floor alike, so the
/// ratio measures the work and not the allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use rayon::prelude::*;
use serde_json::Value;

/// Peak resident set size of this process so far, in KiB.
fn vm_hwm_kib() -> u64 {
    iamlint::timings::memory_kib("VmHWM").unwrap_or(0)
}

/// The parse floor: walk, read, parse. Returns (files, JSON files parsed, bytes).
fn floor(dir: &Path) -> (usize, usize, u64) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && iamlint::discover::is_candidate_name(e.path()))
        .map(|e| e.into_path())
        .collect();
    let (parsed, bytes) = files
        .par_iter()
        .map(|p| {
            let Ok(bytes) = std::fs::read(p) else {
                return (0, 0);
            };
            let is_json = p.extension().is_some_and(|e| e == "json");
            let ok = is_json && serde_json::from_slice::<Value>(&bytes).is_ok();
            (usize::from(ok), bytes.len() as u64)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    (files.len(), parsed, bytes)
}

/// Runs one measurement in this process and prints `key=value` lines for the parent.
fn child(kind: &str, dir: &Path, extra: &[String]) {
    let start_hwm = vm_hwm_kib();
    match kind {
        "floor" => {
            let t = Instant::now();
            let (files, parsed, bytes) = floor(dir);
            let elapsed = t.elapsed();
            println!("ms={}", elapsed.as_secs_f64() * 1000.0);
            println!("files={files}\nparsed={parsed}\nbytes={bytes}");
        }
        "scan" => {
            let mut args: Vec<String> = vec![
                "iamlint".into(),
                dir.display().to_string(),
                "--no-config".into(),
                "-o".into(),
                "/dev/null".into(),
                "--fail-on".into(),
                "never".into(),
            ];
            args.extend(extra.iter().cloned());
            let cli = iamlint::cli::Cli::parse_from(args);
            let t = Instant::now();
            let status = iamlint::run(cli);
            let elapsed = t.elapsed();
            assert!(status.is_ok(), "scan failed");
            println!("ms={}", elapsed.as_secs_f64() * 1000.0);
        }
        "graph" => {
            let config = iamlint::config::Config {
                root: dir.to_path_buf(),
                ..Default::default()
            };
            let scan = iamlint::scan(&[dir.to_path_buf()], config, &[]).expect("scan runs");
            let mut best = Duration::MAX;
            let mut edges = 0;
            for _ in 0..5 {
                let t = Instant::now();
                let g = iamlint::graph::Graph::build(&scan.inventory, &scan.config);
                best = best.min(t.elapsed());
                edges = g.edges.len();
            }
            println!("ms={}", best.as_secs_f64() * 1000.0);
            println!(
                "roles={}\nusers={}\nedges={edges}",
                scan.inventory.roles.len(),
                scan.inventory.users.len()
            );
        }
        "idle" => println!("ms=0"),
        other => panic!("unknown measurement {other}"),
    }
    println!("start_hwm_kib={start_hwm}");
    println!("hwm_kib={}", vm_hwm_kib());
}

/// What a child reported.
#[derive(Debug, Default, Clone)]
struct Sample {
    ms: f64,
    hwm_kib: u64,
    fields: Vec<(String, String)>,
}

impl Sample {
    fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn run_child(kind: &str, dir: &Path, extra: &[&str]) -> Sample {
    let exe = std::env::current_exe().expect("bench binary path");
    let out = Command::new(exe)
        .arg("--child")
        .arg(kind)
        .arg(dir)
        .args(extra)
        .output()
        .expect("run child");
    assert!(
        out.status.success(),
        "child {kind} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut s = Sample::default();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some((k, v)) = line.split_once('=') {
            match k {
                "ms" => s.ms = v.parse().unwrap_or(f64::NAN),
                "hwm_kib" => s.hwm_kib = v.parse().unwrap_or(0),
                _ => {}
            }
            s.fields.push((k.to_owned(), v.to_owned()));
        }
    }
    s
}

/// Runs the real binary (process start to exit), for the user-visible time.
fn run_binary(dir: &Path) -> f64 {
    let t = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg(dir)
        .args(["--no-config", "-o", "/dev/null", "--fail-on", "never"])
        .status()
        .expect("run iamlint");
    assert!(status.success());
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn env_list(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_owned())
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .collect()
}

/// Reps for a tree of `files`: up to ten times `reps` below 10,000 files, so every size
/// gets about as much measuring time and a small tree's minimum is not one lucky or
/// unlucky draw.
fn reps_for(reps: usize, files: usize) -> usize {
    reps * (10_000 / files.max(1)).clamp(1, 10)
}

/// Generates a tree once per spec (a stamp file records that it is complete).
fn tree(base: &Path, name: &str, spec: &synth::OrgSpec) -> PathBuf {
    let dir = base.join(name);
    let stamp = base.join(format!("{name}.done"));
    if !stamp.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create bench tree");
        let t = Instant::now();
        let org = synth::generate(&dir, spec);
        eprintln!(
            "generated {name}: {} files, {:.1} MB, {} roles in {:.1}s",
            org.files,
            org.bytes as f64 / 1e6,
            org.roles(&synth::Format::ALL),
            t.elapsed().as_secs_f64()
        );
        std::fs::write(&stamp, "").expect("write stamp");
    }
    dir
}

/// A CLI config whose `source_profile`s form one loop of `n` profiles (one IAM403
/// finding, whose chain has `n` hops), written once.
fn loop_tree(base: &Path, n: usize) -> PathBuf {
    let dir = base.join(format!("loop-{n}"));
    let config = dir.join("config");
    if !config.exists() {
        std::fs::create_dir_all(&dir).expect("create loop tree");
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!(
                "[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = p{}\n\n",
                (i + 1) % n
            ));
        }
        std::fs::write(dir.join("config.part"), text).expect("write loop config");
        std::fs::rename(dir.join("config.part"), &config).expect("finish loop config");
    }
    dir
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        let kind = args.get(2).expect("measurement kind");
        let dir = PathBuf::from(args.get(3).expect("tree"));
        child(kind, &dir, args.get(4..).unwrap_or_default());
        return;
    }
    // `cargo bench` passes `--bench`; a filter argument is not supported (one suite).
    // Without it (`cargo test --all-targets` runs this binary too) only a small smoke run
    // is made, so the test suite stays fast and still exercises every measurement.
    let smoke = !args.iter().any(|a| a == "--bench");
    let base = std::env::var_os("IAMLINT_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(if smoke {
                "target/bench-trees-smoke"
            } else {
                "target/bench-trees"
            })
        });
    std::fs::create_dir_all(&base).expect("create bench dir");
    let (reps, sizes, graph_sizes) = if smoke {
        (1, vec![200], vec![200])
    } else {
        (
            env_list("IAMLINT_BENCH_REPS", "5")
                .first()
                .copied()
                .unwrap_or(5)
                .max(1),
            env_list("IAMLINT_BENCH_SIZES", "1000,10000"),
            env_list("IAMLINT_BENCH_GRAPH", "1000,2500,5000,10000"),
        )
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("# iamlint scan benchmark");
    println!();
    println!(
        "machine: {} ({threads} threads available), load average at start: {}",
        cpu_model(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("reps: {reps} per measurement (floor and scan interleaved), more for trees under 10,000 files (see the reps column: a small tree's few milliseconds move most with the host's noise); times are in-process, min and median");
    let empty = base.join("empty");
    std::fs::create_dir_all(&empty).expect("empty dir");
    let idle = run_child("idle", &empty, &[]);
    let empty_scan = run_child("scan", &empty, &[]);
    println!(
        "process baseline: idle child {} KiB peak, scan of an empty folder {} KiB peak",
        idle.hwm_kib, empty_scan.hwm_kib
    );
    println!();
    println!("| files | reps | input MB | floor ms (min / med) | scan ms (min / med) | scan/floor (min / med) | binary wall ms (min) | floor peak MB | scan peak MB | scan peak / input | (scan peak − empty scan) / input |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for &n in &sizes {
        let dir = tree(&base, &format!("files-{n}"), &synth::OrgSpec::with_files(n));
        // Warm the page cache once so the first rep is not a cold read.
        let _ = run_child("floor", &dir, &[]);
        let mut floors = Vec::new();
        let mut scans = Vec::new();
        let mut bins = Vec::new();
        let (mut floor_hwm, mut scan_hwm, mut input) = (0u64, 0u64, 0u64);
        let reps = if smoke { reps } else { reps_for(reps, n) };
        for _ in 0..reps {
            let f = run_child("floor", &dir, &[]);
            let s = run_child("scan", &dir, &[]);
            floors.push(f.ms);
            scans.push(s.ms);
            floor_hwm = floor_hwm.max(f.hwm_kib);
            scan_hwm = scan_hwm.max(s.hwm_kib);
            input = f.get("bytes").and_then(|b| b.parse().ok()).unwrap_or(0);
            if n <= 10_000 {
                bins.push(run_binary(&dir));
            }
        }
        let input_kib = (input / 1024).max(1);
        println!(
            "| {n} | {reps} | {:.1} | {:.0} / {:.0} | {:.0} / {:.0} | {:.2} / {:.2} | {} | {:.1} | {:.1} | {:.2} | {:.2} |",
            input as f64 / 1e6,
            min(&floors),
            median(floors.clone()),
            min(&scans),
            median(scans.clone()),
            min(&scans) / min(&floors),
            median(scans.clone()) / median(floors.clone()),
            if bins.is_empty() { "-".to_owned() } else { format!("{:.0}", min(&bins)) },
            floor_hwm as f64 / 1024.0,
            scan_hwm as f64 / 1024.0,
            scan_hwm as f64 / input_kib as f64,
            scan_hwm.saturating_sub(empty_scan.hwm_kib) as f64 / input_kib as f64,
        );
    }
    println!();
    println!("| roles | users | edges | graph build ms (min of 5) | µs per role |");
    println!("|---|---|---|---|---|");
    for &roles in &graph_sizes {
        let dir = tree(
            &base,
            &format!("roles-{roles}"),
            &synth::OrgSpec::with_roles(roles),
        );
        let g = run_child("graph", &dir, &[]);
        let r: f64 = g
            .get("roles")
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN);
        println!(
            "| {} | {} | {} | {:.1} | {:.2} |",
            g.get("roles").unwrap_or("?"),
            g.get("users").unwrap_or("?"),
            g.get("edges").unwrap_or("?"),
            g.ms,
            g.ms * 1000.0 / r
        );
    }
    // Output time grows with the findings, never with their square (issue #11 §2): one
    // loop of many profiles, reported in human output (miette) and in JSON.
    let loops = if smoke {
        vec![2000]
    } else {
        env_list("IAMLINT_BENCH_LOOP", "50000")
    };
    println!();
    println!("| loop profiles | reps | human ms (min / med) | json ms (min / med) | human/json (min / med) |");
    println!("|---|---|---|---|---|");
    for &n in &loops {
        let dir = loop_tree(&base, n);
        let _ = run_child("scan", &dir, &["--format", "json"]);
        let (mut human, mut json) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            human.push(run_child("scan", &dir, &["--format", "human"]).ms);
            json.push(run_child("scan", &dir, &["--format", "json"]).ms);
        }
        println!(
            "| {n} | {reps} | {:.0} / {:.0} | {:.0} / {:.0} | {:.2} / {:.2} |",
            min(&human),
            median(human.clone()),
            min(&json),
            median(json.clone()),
            min(&human) / min(&json),
            median(human.clone()) / median(json.clone()),
        );
    }
}
