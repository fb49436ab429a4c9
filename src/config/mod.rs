//! `.iamlint.toml`: rule selection, severities, path exclusions and ignores, accounts,
//! console settings, suppressions and the manifest that places raw policy files. Parsed
//! once, strictly (unknown keys are errors with their position), then compiled into the
//! form the scan uses.

pub mod apply;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::error::ConfigError;
use crate::finding::Severity;

/// Rule id of a `[[suppress]]` entry that matched no finding (like ruff's RUF100).
pub const UNUSED_SUPPRESSION: &str = "IAM005";

/// The file name looked for by walking up from the first scanned path.
pub const CONFIG_FILE: &str = ".iamlint.toml";

/// A value as written, with its byte range in the file (for errors that point at it).
pub type Spanned<T> = toml::Spanned<T>;

/// The file as written. Every value a check can refuse keeps its position, so that the
/// error points at it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Rule ids, id prefixes (`IAM1`) or names to run; empty means all.
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Globs of paths not to scan.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(alias = "fail_on")]
    pub fail_on: Option<Spanned<String>>,
    /// The account of files that name none (raw policy files without an account folder).
    #[serde(alias = "default_account")]
    pub default_account: Option<Spanned<String>>,
    /// Files above this size (bytes) are reported and skipped.
    #[serde(alias = "max_file_size")]
    pub max_file_size: Option<u64>,
    /// Rule id or name -> severity.
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Glob -> rule ids or names ignored in matching files.
    #[serde(default, alias = "per_path_ignores")]
    pub per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    pub console: ConsoleConfig,
    #[serde(default)]
    pub account: Vec<Spanned<AccountConfig>>,
    /// The organisation's own account ids, beside those of `[[account]]`: trusts of other
    /// accounts are third parties (IAM108).
    #[serde(default, alias = "organization")]
    pub organisation: Vec<Spanned<String>>,
    #[serde(default)]
    pub role: Vec<Spanned<ManifestRole>>,
    #[serde(default)]
    pub user: Vec<Spanned<ManifestUser>>,
    #[serde(default)]
    pub group: Vec<Spanned<ManifestGroup>>,
    /// Spanned so that a suppression matching nothing can be reported where it is written.
    #[serde(default)]
    pub suppress: Vec<toml::Spanned<Suppression>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConsoleConfig {
    /// The console's multi-session support is on: console chains then work.
    #[serde(default, alias = "multi_session")]
    pub multi_session: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AccountConfig {
    pub id: String,
    pub alias: Option<String>,
    /// Globs of files that belong to this account (CloudFormation, raw files).
    #[serde(default)]
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ManifestRole {
    pub arn: String,
    /// Path of the trust policy file, relative to the config file.
    pub trust: Option<String>,
    #[serde(default)]
    pub policies: Vec<String>,
    #[serde(alias = "max_session_duration")]
    pub max_session_duration: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ManifestUser {
    pub arn: String,
    #[serde(default)]
    pub policies: Vec<String>,
    /// Group ARNs or names.
    #[serde(default)]
    pub groups: Vec<String>,
    pub console: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ManifestGroup {
    pub arn: String,
    #[serde(default)]
    pub policies: Vec<String>,
}

/// A finding the team decided to accept, with the reason.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Suppression {
    pub rule: String,
    /// Glob of the file path.
    pub path: Option<String>,
    /// JSON Pointer of the value the finding is on.
    pub pointer: Option<String>,
    /// An ARN the finding names.
    pub arn: Option<String>,
    pub reason: String,
}

/// A suppression ready to match: its path glob built, and where it is written in the
/// config file (for the unused-suppression report).
#[derive(Debug, Clone)]
pub struct CompiledSuppression {
    pub entry: Suppression,
    pub path: Option<GlobSet>,
    /// Byte range of the `[[suppress]]` entry in the config file.
    pub span: Option<std::ops::Range<usize>>,
}

/// The configuration the scan uses.
#[derive(Debug)]
pub struct Config {
    /// Folder of the config file (manifest paths are relative to it), or the scan root.
    pub root: PathBuf,
    pub file: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub exclude: GlobSet,
    /// `--exclude` globs from the command line.
    pub cli_exclude: GlobSet,
    pub fail_on: Option<Severity>,
    /// `fail-on = "never"`.
    pub fail_on_never: bool,
    pub default_account: Option<String>,
    pub max_file_size: u64,
    pub severity: BTreeMap<String, Severity>,
    pub per_path_ignores: Vec<(GlobSet, Vec<String>)>,
    pub console: ConsoleConfig,
    pub accounts: Vec<(AccountConfig, GlobSet)>,
    /// `organisation`: own account ids that need no `[[account]]` entry.
    pub organisation: Vec<String>,
    /// Accounts the scanned AWS CDK cloud assembly manifests deploy stacks to: the
    /// organisation's own as well (filled in by the scan, never from the file).
    pub cdk_accounts: Vec<String>,
    pub roles: Vec<ManifestRole>,
    pub users: Vec<ManifestUser>,
    pub groups: Vec<ManifestGroup>,
    pub suppressions: Vec<CompiledSuppression>,
}

/// 50 MiB: far above any real policy, plan or dump, low enough to keep memory bounded.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 * 1024 * 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            root: PathBuf::from("."),
            file: None,
            select: Vec::new(),
            ignore: Vec::new(),
            exclude: GlobSet::empty(),
            cli_exclude: GlobSet::empty(),
            fail_on: None,
            fail_on_never: false,
            default_account: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            severity: BTreeMap::new(),
            per_path_ignores: Vec::new(),
            console: ConsoleConfig::default(),
            accounts: Vec::new(),
            organisation: Vec::new(),
            cdk_accounts: Vec::new(),
            roles: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
            suppressions: Vec::new(),
        }
    }
}

impl Config {
    /// Finds `.iamlint.toml` in `start` or a parent folder.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = std::fs::canonicalize(start).ok()?;
        let mut dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE);
            if candidate.is_file() {
                // Relative to the working folder when inside it, so that findings in the
                // config file show the same kind of path as every other finding.
                let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
                if let Some(rel) = cwd.ok().and_then(|c| candidate.strip_prefix(c).ok()) {
                    return Some(rel.to_path_buf());
                }
                return Some(candidate);
            }
            dir = d.parent();
        }
        None
    }

    /// Reads and compiles a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let file: ConfigFile = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.message().to_owned(),
            span: e.span(),
            src: text.clone(),
        })?;
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Config::compile(file, root, Some(path.to_owned())).map_err(|e| match e {
            // A value refused after parsing is shown where it is written, as a parse
            // error is.
            ConfigError::Invalid {
                path,
                message,
                span: Some(span),
            } => ConfigError::Parse {
                path,
                message,
                span: Some(span),
                src: text,
            },
            other => other,
        })
    }

    /// Compiles a parsed file (globs built, severities parsed, rule names and manifest
    /// files checked). An error names the position of the value it refuses.
    pub fn compile(
        file: ConfigFile,
        root: PathBuf,
        path: Option<PathBuf>,
    ) -> Result<Config, ConfigError> {
        let invalid = |message: String, span: std::ops::Range<usize>| ConfigError::Invalid {
            path: path.clone().unwrap_or_default(),
            message,
            span: Some(span),
        };
        let glob = |g: &Spanned<String>| -> Result<Glob, ConfigError> {
            Glob::new(g.get_ref())
                .map_err(|e| invalid(format!("bad glob `{}`: {e}", g.get_ref()), g.span()))
        };
        let glob_set = |globs: &[Spanned<String>]| -> Result<GlobSet, ConfigError> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(glob(g)?);
            }
            b.build().map_err(|e| ConfigError::Invalid {
                path: path.clone().unwrap_or_default(),
                message: e.to_string(),
                span: globs.first().map(Spanned::span),
            })
        };
        let rule = |what: &str, entry: &Spanned<String>| -> Result<String, ConfigError> {
            if crate::docs::names_some_rule(entry.get_ref()) {
                Ok(entry.get_ref().clone())
            } else {
                Err(invalid(
                    format!(
                        "{what} `{}` names no rule (see `iamlint rules`)",
                        entry.get_ref()
                    ),
                    entry.span(),
                ))
            }
        };
        let rules = |what: &str, list: &[Spanned<String>]| -> Result<Vec<String>, ConfigError> {
            list.iter().map(|e| rule(what, e)).collect()
        };
        let select = rules("select entry", &file.select)?;
        let ignore = rules("ignore entry", &file.ignore)?;
        let mut severity = BTreeMap::new();
        for (k, v) in &file.severity {
            let key = rule("severity key", k)?;
            let level = v
                .get_ref()
                .parse::<Severity>()
                .map_err(|m| invalid(m, v.span()))?;
            severity.insert(key, level);
        }
        let fail_on_never = file
            .fail_on
            .as_ref()
            .is_some_and(|v| v.get_ref() == "never");
        let fail_on = match &file.fail_on {
            Some(v) if v.get_ref() != "never" => Some(
                v.get_ref()
                    .parse::<Severity>()
                    .map_err(|m| invalid(format!("fail-on: {m}"), v.span()))?,
            ),
            _ => None,
        };
        let account_id = |what: &str, id: &Spanned<String>| -> Result<String, ConfigError> {
            if crate::model::arn::is_account_id(id.get_ref()) {
                Ok(id.get_ref().clone())
            } else {
                Err(invalid(
                    format!("{what} `{}` is not a 12-digit account id", id.get_ref()),
                    id.span(),
                ))
            }
        };
        let default_account = file
            .default_account
            .as_ref()
            .map(|a| account_id("default-account", a))
            .transpose()?;
        let mut accounts = Vec::new();
        for spanned in &file.account {
            let a = spanned.get_ref();
            if !crate::model::arn::is_account_id(&a.id) {
                return Err(invalid(
                    format!("account id `{}` is not a 12-digit account id", a.id),
                    spanned.span(),
                ));
            }
            let mut b = GlobSetBuilder::new();
            for g in &a.paths {
                b.add(
                    Glob::new(g)
                        .map_err(|e| invalid(format!("bad glob `{g}`: {e}"), spanned.span()))?,
                );
            }
            let set = b
                .build()
                .map_err(|e| invalid(e.to_string(), spanned.span()))?;
            accounts.push((a.clone(), set));
        }
        let organisation = file
            .organisation
            .iter()
            .map(|id| account_id("organisation account", id))
            .collect::<Result<Vec<_>, _>>()?;
        let mut per_path_ignores = Vec::new();
        for (g, ids) in &file.per_path_ignores {
            let ids = rules("per-path-ignores entry", ids)?;
            per_path_ignores.push((glob_set(std::slice::from_ref(g))?, ids));
        }
        let mut suppressions = Vec::new();
        for spanned in &file.suppress {
            let s = spanned.get_ref();
            if s.reason.trim().is_empty() {
                return Err(invalid(
                    format!("suppression of `{}` needs a non-empty reason", s.rule),
                    spanned.span(),
                ));
            }
            if !crate::docs::names_some_rule(&s.rule) {
                return Err(invalid(
                    format!(
                        "suppression of `{}` names no rule (see `iamlint rules`)",
                        s.rule
                    ),
                    spanned.span(),
                ));
            }
            let g = match &s.path {
                Some(p) => Some(
                    Glob::new(p)
                        .and_then(|g| GlobSetBuilder::new().add(g).build())
                        .map_err(|e| invalid(format!("bad glob `{p}`: {e}"), spanned.span()))?,
                ),
                None => None,
            };
            suppressions.push(CompiledSuppression {
                entry: s.clone(),
                path: g,
                span: Some(spanned.span()),
            });
        }
        // The manifest's files must exist: a misspelt path would leave a role without its
        // trust policy, and every verdict on it wrong, without a word.
        let missing = |what: &str, rel: &str, span: std::ops::Range<usize>| {
            let full = root.join(rel);
            if full.exists() {
                Ok(())
            } else {
                Err(invalid(
                    format!(
                        "{what} file `{rel}` does not exist (paths are relative to the config file's folder, {})",
                        root.display()
                    ),
                    span,
                ))
            }
        };
        for r in &file.role {
            if let Some(t) = &r.get_ref().trust {
                missing("[[role]] trust", t, r.span())?;
            }
            for p in &r.get_ref().policies {
                missing("[[role]] policy", p, r.span())?;
            }
        }
        for u in &file.user {
            for p in &u.get_ref().policies {
                missing("[[user]] policy", p, u.span())?;
            }
        }
        for g in &file.group {
            for p in &g.get_ref().policies {
                missing("[[group]] policy", p, g.span())?;
            }
        }
        Ok(Config {
            root,
            file: path.clone(),
            select,
            ignore,
            exclude: glob_set(&file.exclude)?,
            cli_exclude: GlobSet::empty(),
            fail_on,
            fail_on_never,
            default_account,
            max_file_size: file.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            severity,
            per_path_ignores,
            console: file.console,
            accounts,
            organisation,
            cdk_accounts: Vec::new(),
            roles: file.role.into_iter().map(Spanned::into_inner).collect(),
            users: file.user.into_iter().map(Spanned::into_inner).collect(),
            groups: file.group.into_iter().map(Spanned::into_inner).collect(),
            suppressions,
        })
    }

    /// A scanned path relative to the config's folder, for matching the config's globs.
    /// The config folder is absolute when discovered; scanned paths are as the user typed
    /// them, so relative ones are anchored at the working directory first.
    pub fn relative(&self, path: &Path) -> PathBuf {
        let path = path.strip_prefix("./").unwrap_or(path);
        if let Ok(rel) = path.strip_prefix(&self.root) {
            return rel.to_path_buf();
        }
        if path.is_relative() && self.root.is_absolute() {
            if let Ok(cwd) = std::env::current_dir() {
                if let Ok(rel) = cwd.join(path).strip_prefix(&self.root) {
                    return rel.to_path_buf();
                }
            }
        }
        if self.root.is_relative() && path.is_absolute() {
            if let Ok(root) = std::fs::canonicalize(&self.root) {
                if let Ok(rel) = path.strip_prefix(root) {
                    return rel.to_path_buf();
                }
            }
        }
        path.to_path_buf()
    }

    /// The accounts the configuration declares as the organisation's own: `[[account]]`
    /// ids, `organisation` and `default-account`, and those the scan's CDK manifests
    /// deploy stacks to.
    pub fn own_accounts(&self) -> Vec<&str> {
        let mut own: Vec<&str> = self
            .accounts
            .iter()
            .map(|(a, _)| a.id.as_str())
            .chain(self.organisation.iter().map(String::as_str))
            .chain(self.default_account.as_deref())
            .chain(self.cdk_accounts.iter().map(String::as_str))
            .collect();
        own.sort_unstable();
        own.dedup();
        own
    }

    /// The account configured for a file path, if any.
    pub fn account_for(&self, path: &Path) -> Option<&str> {
        if self.accounts.is_empty() {
            return None;
        }
        let rel = self.relative(path);
        let rel = rel.as_path();
        self.accounts
            .iter()
            .find(|(_, g)| g.is_match(rel) || g.is_match(path))
            .map(|(a, _)| a.id.as_str())
    }
}
