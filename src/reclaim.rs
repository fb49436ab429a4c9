//! Giving freed memory back to the allocator's free pages when a phase frees on one thread
//! what another allocated: the merge of the inventory, and the HCL module phase, which
//! frees the text of every `.tf` file read on the loading threads while it builds the
//! model on others. mimalloc only reuses a page freed from another thread once the page's
//! owner collects it; without a collection those pages (for `.tf` texts, the size of the
//! input) stayed resident beside the model. The binary (and the benchmark, which runs the
//! scan in-process) installs [`mimalloc_collect`]; a library user with another allocator
//! installs nothing and nothing happens.

use std::cell::Cell;
use std::sync::OnceLock;

static HOOK: OnceLock<fn()> = OnceLock::new();

/// Installs the collection to run (once per process; later calls are ignored).
pub fn set_hook(hook: fn()) {
    let _ = HOOK.set(hook);
}

/// Collects on every thread of the current pool: after the inventory is merged, the
/// contributions the loaders and module evaluations made on those threads have just been
/// freed from this one (the graph is then built in their pages: 108 -> 102 MB at 20,000
/// IAM `.tf` files, 70 -> 66 MB on the hub organisation of 10,000 files).
pub fn everywhere() {
    if let Some(&hook) = HOOK.get() {
        rayon::broadcast(|_| hook());
    }
}

/// Collects every `every`-th call on this thread (a forced collection walks the thread's
/// pages: a few tens of microseconds, too much after each of thousands of modules).
pub fn every(every: usize) {
    thread_local! {
        static CALLS: Cell<usize> = const { Cell::new(0) };
    }
    let Some(hook) = HOOK.get() else {
        return;
    };
    let due = CALLS.with(|c| {
        let n = c.get() + 1;
        c.set(n);
        n % every.max(1) == 0
    });
    if due {
        hook();
    }
}

/// mimalloc's collection of this thread's heap, forced: pages freed from other threads
/// become free pages again (and are returned to the system after its purge delay).
pub fn mimalloc_collect() {
    extern "C" {
        // `void mi_collect(bool force)` in mimalloc.h, linked by the mimalloc crate.
        fn mi_collect(force: bool);
    }
    // Names the mimalloc crate, so that it (and mimalloc's C library) is linked into any
    // binary that calls this, whichever allocator is global.
    let _linked = mimalloc::MiMalloc;
    // SAFETY: a plain C call without pointers, into the C library linked just above.
    unsafe { mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static COLLECTED: Cell<usize> = const { Cell::new(0) };
    }

    fn count() {
        COLLECTED.with(|c| c.set(c.get() + 1));
    }

    #[test]
    fn the_hook_runs_every_nth_call_of_a_thread() {
        // The only hook any of this crate's unit tests installs.
        set_hook(count);
        std::thread::spawn(|| {
            for _ in 0..7 {
                every(3);
            }
            assert_eq!(COLLECTED.with(Cell::get), 2);
        })
        .join()
        .expect("the counting thread");
    }
}
