//! Library errors: problems with how iamlint was asked to run (configuration, paths,
//! output). Problems with the scanned files are never errors; they are findings.

use std::path::PathBuf;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A `.iamlint.toml` that cannot be used (exit code 2).
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    #[error("cannot read config file {}", path.display())]
    #[diagnostic(code(iamlint::config::read))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid config file {}: {message}", path.display())]
    #[diagnostic(code(iamlint::config::parse))]
    Parse {
        path: PathBuf,
        message: String,
        span: Option<std::ops::Range<usize>>,
        src: String,
    },
    #[error("invalid config file {}: {message}", path.display())]
    #[diagnostic(code(iamlint::config::invalid))]
    Invalid {
        path: PathBuf,
        message: String,
        /// Where the refused value is written, when it is known.
        span: Option<std::ops::Range<usize>>,
    },
}

impl ConfigError {
    /// A miette report pointing at the offending key, where the parser gave a position.
    pub fn to_report(&self) -> miette::Report {
        match self {
            ConfigError::Parse {
                path,
                message,
                span: Some(span),
                src,
            } => miette::miette!(
                labels = vec![miette::LabeledSpan::at(
                    SourceSpan::from(span.clone()),
                    message.clone()
                )],
                code = "iamlint::config::parse",
                "invalid config file {}",
                path.display()
            )
            .with_source_code(NamedSource::new(path.display().to_string(), src.clone())),
            _ => miette::Report::msg(self.to_string()),
        }
    }
}

/// A run that could not be carried out (exit code 2).
#[derive(Debug, Error, Diagnostic)]
pub enum RunError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    #[error("path does not exist: {}", .0.display())]
    #[diagnostic(code(iamlint::usage::path))]
    MissingPath(PathBuf),
    #[error("{0}")]
    #[diagnostic(code(iamlint::usage))]
    Usage(String),
    #[error("cannot write output to {}", path.display())]
    #[diagnostic(code(iamlint::output))]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
