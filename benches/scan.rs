//! `cargo bench --bench scan`: iamlint's full scan against a parse floor on the same
//! generated monorepo (tests/support/synth.rs), plus graph build time by organisation size.
//!
//! Every measurement runs in a fresh child process (this binary re-executed with
//! `--child`), so each peak-memory figure (VmHWM from /proc/self/status) is that
//! measurement's alone. The parse floor is the least any linter of these files must do:
//! walk the tree (walkdir), read every candidate file (and every `.tf` / `.tfvars`) and
//! parse the JSON ones with `serde_json::from_slice::<Value>`, the HCL ones with
//! `hcl_edit::parser::parse_body`, the YAML CloudFormation templates with
//! `saphyr_parser`'s events (the parser iamlint reads them with) and files named like AWS
//! CLI `config` / `credentials` with iamlint's INI parser, on rayon, with no model, rules or
//! output.
//!
//! The monorepo (IAM configuration in every format iamlint reads, plus unrelated files) in
//! the organisation shapes of issue #16 (`synth::Shape`: mixed, yaml, hub, dumps, small,
//! profiles), each scanned to SARIF in a file and checked against its planted findings;
//! and the HCL tree of issue #12 (hand-written Terraform: N `.tf` files of IAM root
//! modules and as many unrelated `.tf` files, `synth_hcl.rs`), whose scan writes SARIF to
//! a file.
//!
//! Environment: `IAMLINT_BENCH_SIZES` (default `1000,10000`; add `100000` for the large
//! tree), `IAMLINT_BENCH_SHAPES` (default `mixed`; any of
//! `mixed,yaml,hub,dumps,small,profiles`), `IAMLINT_BENCH_HCL` (default `10000`: IAM `.tf`
//! files of the HCL tree, as many unrelated ones again; `0` or empty leaves it out),
//! `IAMLINT_BENCH_HCL_SHAPES` (default `plain,services`: the HCL tree as is, and with a
//! role in every unrelated folder too), `IAMLINT_BENCH_REPS` (default 5),
//! `IAMLINT_BENCH_DIR` (default `target/bench-trees`), `IAMLINT_BENCH_TREES` (folders of
//! your own to measure too, comma-separated; none by default), `IAMLINT_BENCH_GRAPH` (default
//! `1000,2500,5000,10000` roles), `IAMLINT_BENCH_LOOP` (default `50000`: profiles in the
//! `source_profile` loop whose one finding is reported in human and in JSON output, issue
//! #11 §2).

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

/// User plus system CPU time of this process so far, every thread's (ended ones too), in
/// milliseconds: a scan's CPU time over the floor's is what its wall time over the
/// floor's tends to on a host whose cores are all busy.
#[cfg(unix)]
fn cpu_ms() -> f64 {
    // SAFETY: getrusage only writes the struct it is given, which is zeroed plain data.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above; RUSAGE_SELF is a valid `who`.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return f64::NAN;
    }
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}

#[cfg(not(unix))]
fn cpu_ms() -> f64 {
    f64::NAN
}

/// Terraform's HCL files, which the floor reads and parses whether or not
/// `is_candidate_name` knows them yet (issue #12).
fn is_hcl(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tf" || e == "tfvars")
}

/// What the floor did.
#[derive(Clone, Copy, Default)]
struct FloorCount {
    files: usize,
    json_parsed: usize,
    hcl_files: usize,
    hcl_parsed: usize,
    yaml_templates: usize,
    yaml_parsed: usize,
    ini_files: usize,
    bytes: u64,
}

impl FloorCount {
    fn add(self, o: FloorCount) -> FloorCount {
        FloorCount {
            files: self.files + o.files,
            json_parsed: self.json_parsed + o.json_parsed,
            hcl_files: self.hcl_files + o.hcl_files,
            hcl_parsed: self.hcl_parsed + o.hcl_parsed,
            yaml_templates: self.yaml_templates + o.yaml_templates,
            yaml_parsed: self.yaml_parsed + o.yaml_parsed,
            ini_files: self.ini_files + o.ini_files,
            bytes: self.bytes + o.bytes,
        }
    }
}

/// Files read by their name as AWS CLI `config` / `credentials` (INI) files.
fn is_ini(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|n| {
            n == "config" || n == "credentials" || n == "aws_config" || n.ends_with(".aws-config")
        })
}

/// YAML files (`.yaml`, `.yml`).
fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// The parse floor: walk, read, parse (JSON with serde_json, `.tf` / `.tfvars` with
/// hcl-edit, YAML templates with saphyr-parser; the parsed trees are dropped). Which YAML
/// files are templates is told by content, as the scan does: any linter must look.
fn floor(dir: &Path) -> FloorCount {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && (iamlint::discover::is_candidate_name(e.path()) || is_hcl(e.path()))
        })
        .map(|e| e.into_path())
        .collect();
    files
        .par_iter()
        .map(|p| {
            let mut c = FloorCount {
                files: 1,
                ..FloorCount::default()
            };
            let Ok(bytes) = std::fs::read(p) else {
                return c;
            };
            c.bytes = bytes.len() as u64;
            if is_hcl(p) {
                c.hcl_files = 1;
                let ok = std::str::from_utf8(&bytes)
                    .is_ok_and(|text| hcl_edit::parser::parse_body(text).is_ok());
                c.hcl_parsed = usize::from(ok);
            } else if is_yaml(p) {
                let text = std::str::from_utf8(&bytes).unwrap_or_default();
                if iamlint::sources::cloudformation::is_yaml_template(text) {
                    c.yaml_templates = 1;
                    let ok = saphyr_parser::Parser::new_from_str(text).all(|e| e.is_ok());
                    c.yaml_parsed = usize::from(ok);
                }
            } else if p.extension().is_some_and(|e| e == "json") {
                c.json_parsed = usize::from(serde_json::from_slice::<Value>(&bytes).is_ok());
            } else if is_ini(p) {
                // CLI configs (and other files of those names): parsed with the scan's
                // INI parser, as the YAML templates are with its YAML parser.
                c.ini_files = 1;
                let text = std::str::from_utf8(&bytes).unwrap_or_default();
                let kind = iamlint::sources::aws_config::file_kind(p);
                std::hint::black_box(iamlint::sources::aws_ini::parse_ini(text, kind));
            }
            c
        })
        .reduce(FloorCount::default, FloorCount::add)
}

/// Runs one measurement in this process and prints `key=value` lines for the parent.
fn child(kind: &str, dir: &Path, extra: &[String]) {
    let start_hwm = vm_hwm_kib();
    let start_cpu = cpu_ms();
    match kind {
        "floor" => {
            let t = Instant::now();
            let c = floor(dir);
            let elapsed = t.elapsed();
            println!("ms={}", elapsed.as_secs_f64() * 1000.0);
            println!(
                "files={}\nparsed={}\nhcl_files={}\nhcl_parsed={}\nyaml_templates={}\nyaml_parsed={}\nini_files={}\nbytes={}",
                c.files, c.json_parsed, c.hcl_files, c.hcl_parsed, c.yaml_templates, c.yaml_parsed, c.ini_files, c.bytes
            );
        }
        "scan" => {
            let mut args: Vec<String> = vec![
                "iamlint".into(),
                dir.display().to_string(),
                "--no-config".into(),
                "--fail-on".into(),
                "never".into(),
            ];
            if !has_output(extra) {
                args.extend(["-o".into(), "/dev/null".into()]);
            }
            args.extend(extra.iter().cloned());
            // As the binary does (see `iamlint::reclaim`).
            iamlint::reclaim::set_hook(iamlint::reclaim::mimalloc_collect);
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
                edges = g.edge_count();
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
    println!("cpu_ms={}", cpu_ms() - start_cpu);
    println!("start_hwm_kib={start_hwm}");
    println!("hwm_kib={}", vm_hwm_kib());
}

/// What a child reported.
#[derive(Debug, Default, Clone)]
struct Sample {
    ms: f64,
    /// CPU time (user + system, all threads) of the measured part.
    cpu_ms: f64,
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
                "cpu_ms" => s.cpu_ms = v.parse().unwrap_or(f64::NAN),
                "hwm_kib" => s.hwm_kib = v.parse().unwrap_or(0),
                _ => {}
            }
            s.fields.push((k.to_owned(), v.to_owned()));
        }
    }
    s
}

/// Whether scan arguments name an output file of their own (else the report goes to
/// `/dev/null`).
fn has_output(extra: &[impl AsRef<str>]) -> bool {
    extra
        .iter()
        .any(|a| matches!(a.as_ref(), "-o" | "--output") || a.as_ref().starts_with("--output="))
}

/// Runs the real binary (process start to exit), for the user-visible time.
fn run_binary(dir: &Path, extra: &[&str]) -> f64 {
    let t = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamlint"));
    cmd.arg(dir).args(["--no-config", "--fail-on", "never"]);
    if !has_output(extra) {
        cmd.args(["-o", "/dev/null"]);
    }
    let status = cmd.args(extra).status().expect("run iamlint");
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

/// Generates a tree once per spec (a stamp file records that it is complete, and holds
/// the number of findings the tree plants). Returns the tree and that number.
fn tree(base: &Path, name: &str, spec: &synth::OrgSpec) -> (PathBuf, usize) {
    let dir = base.join(name);
    let stamp = base.join(format!("{name}.done"));
    let stamped = |stamp: &Path| -> Option<usize> {
        std::fs::read_to_string(stamp).ok()?.trim().parse().ok()
    };
    // A stamp without a count is from before the count was kept: generate again.
    if stamped(&stamp).is_none() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create bench tree");
        let t = Instant::now();
        let org = synth::generate(&dir, spec);
        let planted = org.expected_findings(&synth::Format::ALL);
        eprintln!(
            "generated {name}: {} files ({:?}), {:.1} MB, {} roles, {} users, planted {planted:?} in {:.1}s",
            org.files,
            org.files_by_kind,
            org.bytes as f64 / 1e6,
            org.roles(&synth::Format::ALL),
            org.users(&synth::Format::ALL),
            t.elapsed().as_secs_f64()
        );
        let total: usize = planted.values().sum();
        std::fs::write(&stamp, total.to_string()).expect("write stamp");
    }
    (dir, stamped(&stamp).unwrap_or(0))
}

/// Generates the HCL tree of `iam_files` IAM `.tf` files (and as many unrelated ones) once,
/// in shape `plain` (the unrelated folders hold no IAM) or `services` (each of them holds
/// a role too, so every folder is evaluated).
fn hcl_tree(base: &Path, shape: &str, iam_files: usize) -> (PathBuf, synth::HclSpec) {
    let (name, spec) = match shape {
        "services" => (
            format!("hcl-services-{iam_files}"),
            synth::HclSpec::with_service_roles(iam_files),
        ),
        _ => (
            format!("hcl-{iam_files}"),
            synth::HclSpec::with_files(iam_files),
        ),
    };
    let dir = base.join(&name);
    let stamp = base.join(format!("{name}.done"));
    if !stamp.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create bench tree");
        let t = Instant::now();
        let org = synth::generate_hcl(&dir, &spec);
        eprintln!(
            "generated {name}: {} files ({:?}), {:.1} MB, {} accounts, {} roles, {} users, planted {:?} in {:.1}s",
            org.files,
            org.files_by_kind,
            org.bytes as f64 / 1e6,
            org.accounts,
            org.roles,
            org.users,
            org.expected_findings(),
            t.elapsed().as_secs_f64()
        );
        std::fs::write(&stamp, "").expect("write stamp");
    }
    (dir, spec)
}

/// Results in a SARIF report (one `ruleId` per result).
fn sarif_results(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|text| text.matches("\"ruleId\"").count())
        .unwrap_or(0)
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
    let shapes: Vec<synth::Shape> = if smoke {
        synth::Shape::ALL.to_vec()
    } else {
        std::env::var("IAMLINT_BENCH_SHAPES")
            .unwrap_or_else(|_| "mixed".to_owned())
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| synth::Shape::parse(s).unwrap_or_else(|| panic!("unknown shape {s}")))
            .collect()
    };
    for &shape in &shapes {
        println!();
        println!(
            "shape `{}`: scan = `--format sarif -o <file>`",
            shape.name()
        );
        println!();
        println!("| files | reps | input MB | floor ms (min / med) | scan ms (min / med) | scan/floor (min / med) | CPU scan/floor (med) | binary wall ms (min) | floor peak MB | scan peak MB | scan peak / input | (scan peak − empty scan) / input | SARIF results (planted) |");
        println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for &n in &sizes {
            // The mixed trees keep their old names (the generator gives them the same bytes).
            let name = match shape {
                synth::Shape::Mixed => format!("files-{n}"),
                other => format!("{}-{n}", other.name()),
            };
            let (dir, planted) = tree(&base, &name, &synth::OrgSpec::shaped(shape, n));
            let sarif = base.join(format!("{name}.sarif"));
            let sarif_arg = sarif.display().to_string();
            let scan_args = ["--format", "sarif", "-o", sarif_arg.as_str()];
            // Warm the page cache once so the first rep is not a cold read.
            let _ = run_child("floor", &dir, &[]);
            let reps = if smoke { reps } else { reps_for(reps, n) };
            let runs = interleaved(&dir, &scan_args, reps, n <= 10_000);
            let results = sarif_results(&sarif);
            println!(
                "| {n} | {reps} | {:.1} | {} | {:.2} | {results} ({planted}) |",
                runs.input as f64 / 1e6,
                runs.columns(),
                runs.scan_hwm.saturating_sub(empty_scan.hwm_kib) as f64 / runs.input_kib() as f64,
            );
            assert_eq!(
                results, planted,
                "{name}: the scan's SARIF results are not the planted findings"
            );
        }
    }
    // Trees iamlint's generator did not make (`IAMLINT_BENCH_TREES`, comma-separated
    // folders: an organisation of your own, or one `scripts/heldout_org.py` generates),
    // measured the same way; nothing is planted in them, so the results are only counted.
    let external: Vec<PathBuf> = if smoke {
        Vec::new()
    } else {
        std::env::var("IAMLINT_BENCH_TREES")
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| PathBuf::from(s.trim()))
            .collect()
    };
    if !external.is_empty() {
        println!();
        println!("external trees (`IAMLINT_BENCH_TREES`): scan = `--format sarif -o <file>`");
        println!();
        println!("| tree | files | reps | input MB | floor ms (min / med) | scan ms (min / med) | scan/floor (min / med) | CPU scan/floor (med) | binary wall ms (min) | floor peak MB | scan peak MB | scan peak / input | (scan peak − empty scan) / input | SARIF results |");
        println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    }
    for dir in &external {
        let name = dir
            .file_name()
            .map_or_else(|| "tree".to_owned(), |n| n.to_string_lossy().into_owned());
        let sarif = base.join(format!("external-{name}.sarif"));
        let sarif_arg = sarif.display().to_string();
        let scan_args = ["--format", "sarif", "-o", sarif_arg.as_str()];
        let warm = run_child("floor", dir, &[]);
        let files: usize = warm.get("files").and_then(|v| v.parse().ok()).unwrap_or(0);
        let runs = interleaved(dir, &scan_args, reps_for(reps, files), true);
        println!(
            "| {name} | {files} | {} | {:.1} | {} | {:.2} | {} |",
            reps_for(reps, files),
            runs.input as f64 / 1e6,
            runs.columns(),
            runs.scan_hwm.saturating_sub(empty_scan.hwm_kib) as f64 / runs.input_kib() as f64,
            sarif_results(&sarif),
        );
    }
    // The HCL tree (issue #12): hand-written Terraform, the scan's report as SARIF in a
    // file. Until iamlint reads `.tf` files its scan sees none of them, so the ratio only
    // means something once the HCL front end is in.
    let hcl_sizes: Vec<usize> = if smoke {
        vec![200]
    } else {
        env_list("IAMLINT_BENCH_HCL", "10000")
            .into_iter()
            .filter(|&n| n > 0)
            .collect()
    };
    let hcl_shapes: Vec<String> = std::env::var("IAMLINT_BENCH_HCL_SHAPES")
        .unwrap_or_else(|_| "plain,services".to_owned())
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if !hcl_sizes.is_empty() {
        println!();
        println!("HCL tree: N IAM `.tf` files (root modules under accounts/<id>/iam, one shared module) and N unrelated `.tf` files, plus a `terraform.tfvars` per folder (shape `services`: each unrelated folder also defines a role, so every folder is evaluated); floor = walk + read + hcl-edit `parse_body` on rayon; scan = `--format sarif -o <file>`");
        println!();
        println!("| shape | IAM .tf files | files | reps | input MB | floor ms (min / med) | scan ms (min / med) | scan/floor (min / med) | CPU scan/floor (med) | binary wall ms (min) | floor peak MB | scan peak MB | scan peak / input | SARIF results (planted) |");
        println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    }
    for (shape, &n) in hcl_shapes
        .iter()
        .flat_map(|shape| hcl_sizes.iter().map(move |n| (shape, n)))
    {
        let (dir, spec) = hcl_tree(&base, shape, n);
        let sarif = base.join(format!("hcl-{shape}-{n}.sarif"));
        let sarif_arg = sarif.display().to_string();
        let scan_args = ["--format", "sarif", "-o", sarif_arg.as_str()];
        let warm = run_child("floor", &dir, &[]);
        let files: usize = warm.get("files").and_then(|v| v.parse().ok()).unwrap_or(0);
        let hcl_files: usize = warm
            .get("hcl_files")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let hcl_parsed: usize = warm
            .get("hcl_parsed")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        assert_eq!(
            hcl_parsed,
            hcl_files,
            "hcl-edit failed on {} generated files",
            hcl_files - hcl_parsed
        );
        let reps = if smoke { reps } else { reps_for(reps, files) };
        let runs = interleaved(&dir, &scan_args, reps, files <= 25_000);
        let results = sarif_results(&sarif);
        let planted: usize = spec.planted().values().sum();
        println!(
            "| {shape} | {n} | {files} | {reps} | {:.1} | {} | {results} ({planted}) |",
            runs.input as f64 / 1e6,
            runs.columns(),
        );
    }
    println!();
    println!("| roles | users | edges | graph build ms (min of 5) | µs per role |");
    println!("|---|---|---|---|---|");
    for &roles in &graph_sizes {
        let (dir, _) = tree(
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

/// The floor and scan runs of one tree.
struct Runs {
    floors: Vec<f64>,
    scans: Vec<f64>,
    /// CPU times, as `floors` and `scans`.
    floor_cpu: Vec<f64>,
    scan_cpu: Vec<f64>,
    /// The `iamlint` binary's own wall times (none for the largest trees).
    bins: Vec<f64>,
    floor_hwm: u64,
    scan_hwm: u64,
    /// Bytes the floor read.
    input: u64,
}

/// `reps` floors and scans of `dir`, interleaved (each rep a floor, then a scan, so the
/// host's drift hits both alike), each rep also timing the binary when `with_binary`.
fn interleaved(dir: &Path, scan_args: &[&str], reps: usize, with_binary: bool) -> Runs {
    let mut runs = Runs {
        floors: Vec::new(),
        scans: Vec::new(),
        floor_cpu: Vec::new(),
        scan_cpu: Vec::new(),
        bins: Vec::new(),
        floor_hwm: 0,
        scan_hwm: 0,
        input: 0,
    };
    for _ in 0..reps {
        let f = run_child("floor", dir, &[]);
        let s = run_child("scan", dir, scan_args);
        runs.floors.push(f.ms);
        runs.scans.push(s.ms);
        runs.floor_cpu.push(f.cpu_ms);
        runs.scan_cpu.push(s.cpu_ms);
        runs.floor_hwm = runs.floor_hwm.max(f.hwm_kib);
        runs.scan_hwm = runs.scan_hwm.max(s.hwm_kib);
        runs.input = f.get("bytes").and_then(|b| b.parse().ok()).unwrap_or(0);
        if with_binary {
            runs.bins.push(run_binary(dir, scan_args));
        }
    }
    runs
}

impl Runs {
    fn input_kib(&self) -> u64 {
        (self.input / 1024).max(1)
    }

    /// The columns the scan tables share: floor and scan times (min / median), their
    /// ratios, the ratio of their median CPU times, the binary's wall time, and the peaks
    /// against the input.
    fn columns(&self) -> String {
        let (floors, scans) = (&self.floors, &self.scans);
        format!(
            "{:.0} / {:.0} | {:.0} / {:.0} | {:.2} / {:.2} | {:.2} | {} | {:.1} | {:.1} | {:.2}",
            min(floors),
            median(floors.to_vec()),
            min(scans),
            median(scans.to_vec()),
            min(scans) / min(floors),
            median(scans.to_vec()) / median(floors.to_vec()),
            median(self.scan_cpu.clone()) / median(self.floor_cpu.clone()),
            if self.bins.is_empty() {
                "-".to_owned()
            } else {
                format!("{:.0}", min(&self.bins))
            },
            self.floor_hwm as f64 / 1024.0,
            self.scan_hwm as f64 / 1024.0,
            self.scan_hwm as f64 / self.input_kib() as f64,
        )
    }
}
