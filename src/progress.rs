//! A one-line progress indicator on standard error for scans that run longer than a
//! second. Shown only when standard error is a terminal and the `CI` variable is unset, so
//! logs, pipes and tests never see it; it erases itself before the report is printed.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Files loaded so far by the running scan (only read for display).
static FILES_READ: AtomicUsize = AtomicUsize::new(0);

/// How long a scan runs before the indicator appears.
const DELAY: Duration = Duration::from_secs(1);
const TICK: Duration = Duration::from_millis(120);

/// Counts one loaded file.
pub(crate) fn file_read() {
    FILES_READ.fetch_add(1, Ordering::Relaxed);
}

/// The running indicator; dropping it stops and erases it.
pub struct Progress {
    /// The channel whose closing stops the thread, and the thread; None when not shown.
    running: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// Starts the indicator when standard error is an interactive terminal outside CI.
    pub fn start(enabled: bool) -> Progress {
        let wanted = enabled && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        if !wanted {
            return Progress { running: None };
        }
        FILES_READ.store(0, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if rx.recv_timeout(DELAY) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let spinner = ['|', '/', '-', '\\'];
            let mut i = 0usize;
            loop {
                let n = FILES_READ.load(Ordering::Relaxed);
                let frame = spinner.get(i % spinner.len()).copied().unwrap_or('-');
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K{frame} iamlint: scanning, {n} files read");
                let _ = err.flush();
                drop(err);
                i += 1;
                if rx.recv_timeout(TICK) != Err(RecvTimeoutError::Timeout) {
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[2K");
                    let _ = err.flush();
                    return;
                }
            }
        });
        Progress {
            running: Some((tx, thread)),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some((stop, thread)) = self.running.take() {
            // Closing the channel wakes the thread, which erases its line and ends.
            drop(stop);
            let _ = thread.join();
        }
    }
}
