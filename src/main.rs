//! The `iamlint` binary: parse arguments, run, map the outcome to an exit code.

use clap::Parser;

fn main() {
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
