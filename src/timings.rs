//! Phase timings for profiling a scan: with the `IAMLINT_TIMINGS` variable set, each phase
//! prints its wall time and the process's resident memory to standard error (what
//! BENCHMARKS.md quotes when it says where time goes). Off by default and never part of
//! any report.

use std::time::Instant;

/// Whether `IAMLINT_TIMINGS` is set (rules then print their own times, see
/// `rules::run_rules`).
pub fn enabled() -> bool {
    std::env::var_os("IAMLINT_TIMINGS").is_some()
}

/// Times the phases of one scan.
pub struct Timings {
    last: Option<Instant>,
    /// CPU time of the process's threads when the phase started (see [`cpu_ns`]).
    cpu: u64,
}

impl Timings {
    /// Starts timing when `IAMLINT_TIMINGS` is set; otherwise every call does nothing.
    pub fn start() -> Timings {
        let last = std::env::var_os("IAMLINT_TIMINGS").map(|_| Instant::now());
        Timings {
            cpu: if last.is_some() { cpu_ns() } else { 0 },
            last,
        }
    }

    /// Ends a phase: prints its name, how long it took and the resident memory now.
    pub fn phase(&mut self, name: &str) {
        let Some(last) = self.last else { return };
        let now = Instant::now();
        let ms = now.duration_since(last).as_secs_f64() * 1000.0;
        let rss = memory_kib("VmRSS").map_or_else(|| "?".to_owned(), |k| format!("{k} kB"));
        let cpu = cpu_ns();
        let cpu_ms = cpu.saturating_sub(self.cpu) as f64 / 1e6;
        eprintln!("iamlint timing: {name:<10} {ms:8.1} ms  cpu {cpu_ms:8.1} ms  rss {rss}");
        self.last = Some(now);
        self.cpu = cpu;
    }
}

/// CPU time the process's live threads have run, in nanoseconds (Linux; 0 elsewhere):
/// a phase's CPU time over its wall time says how well it kept the cores busy. Threads
/// that ended during the phase are not counted.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// A memory figure of this process from `/proc/self/status` (Linux), in KiB: `VmRSS`
/// (resident now) or `VmHWM` (peak resident, what the benchmark reports). None where it
/// cannot be read.
pub fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}
