//! Phase timings for profiling a scan: with the `IAMLINT_TIMINGS` variable set, each phase
//! prints its wall time and the process's resident memory to standard error (what
//! BENCHMARKS.md quotes when it says where time goes). Off by default and never part of
//! any report.

use std::time::Instant;

/// Times the phases of one scan.
pub struct Timings {
    last: Option<Instant>,
}

impl Timings {
    /// Starts timing when `IAMLINT_TIMINGS` is set; otherwise every call does nothing.
    pub fn start() -> Timings {
        Timings {
            last: std::env::var_os("IAMLINT_TIMINGS").map(|_| Instant::now()),
        }
    }

    /// Ends a phase: prints its name, how long it took and the resident memory now.
    pub fn phase(&mut self, name: &str) {
        let Some(last) = self.last else { return };
        let now = Instant::now();
        let ms = now.duration_since(last).as_secs_f64() * 1000.0;
        eprintln!(
            "iamlint timing: {name:<10} {ms:8.1} ms  rss {}",
            resident_memory()
        );
        self.last = Some(now);
    }
}

/// `VmRSS` of this process (Linux), or `?` where it cannot be read.
fn resident_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:").map(|v| v.trim().to_owned()))
        })
        .unwrap_or_else(|| "?".to_owned())
}
