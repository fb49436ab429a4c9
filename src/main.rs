//! The `iamlint` binary: parse arguments, run, map the outcome to an exit code.

use clap::Parser;

/// The model is built of many small allocations; mimalloc makes them (and freeing them)
/// much cheaper than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    iamlint::reclaim::set_hook(iamlint::reclaim::mimalloc_collect);
    let cli = iamlint::cli::Cli::parse();
    let status = match iamlint::run(cli) {
        Ok(status) => status,
        Err(err) => {
            let report = match err {
                iamlint::error::RunError::Config(c) => c.to_report(),
                other => miette::Report::new(other),
            };
            eprintln!("{report:?}");
            iamlint::ExitStatus::Error
        }
    };
    std::process::exit(status.code());
}
