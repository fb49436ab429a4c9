//! `.iamlint.toml`: rule selection, severities, path exclusions and ignores, accounts,
//! console settings, suppressions and the manifest that places raw policy files. Parsed
//! once, strictly (unknown keys are errors with their position), then compiled into the
//! form the scan uses.

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

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Rule ids, id prefixes (`IAM1`) or names to run; empty means all.
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Globs of paths not to scan.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(alias = "fail_on")]
    pub fail_on: Option<String>,
    /// The account of files that name none (raw policy files without an account folder).
    #[serde(alias = "default_account")]
    pub default_account: Option<String>,
    /// Files above this size (bytes) are reported and skipped.
    #[serde(alias = "max_file_size")]
    pub max_file_size: Option<u64>,
    /// Rule id or name -> severity.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Glob -> rule ids or names ignored in matching files.
    #[serde(default, alias = "per_path_ignores")]
    pub per_path_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub console: ConsoleConfig,
    #[serde(default)]
    pub account: Vec<AccountConfig>,
    /// The organisation's own account ids, beside those of `[[account]]`: trusts of other
    /// accounts are third parties (IAM108).
    #[serde(default, alias = "organization")]
    pub organisation: Vec<String>,
    #[serde(default)]
    pub role: Vec<ManifestRole>,
    #[serde(default)]
    pub user: Vec<ManifestUser>,
    #[serde(default)]
    pub group: Vec<ManifestGroup>,
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
        Config::compile(file, root, Some(path.to_owned()))
    }

    /// Compiles a parsed file (globs built, severities parsed).
    pub fn compile(
        file: ConfigFile,
        root: PathBuf,
        path: Option<PathBuf>,
    ) -> Result<Config, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.clone().unwrap_or_default(),
            message,
        };
        let glob_set = |globs: &[String]| -> Result<GlobSet, ConfigError> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g).map_err(|e| invalid(format!("bad glob `{g}`: {e}")))?);
            }
            b.build().map_err(|e| invalid(e.to_string()))
        };
        let severity = file
            .severity
            .iter()
            .map(|(k, v)| Ok((k.clone(), v.parse::<Severity>().map_err(invalid)?)))
            .collect::<Result<BTreeMap<_, _>, ConfigError>>()?;
        let fail_on_never = file.fail_on.as_deref() == Some("never");
        let fail_on = match &file.fail_on {
            Some(v) if v != "never" => Some(v.parse::<Severity>().map_err(invalid)?),
            _ => None,
        };
        if let Some(acct) = &file.default_account {
            if !crate::model::arn::is_account_id(acct) {
                return Err(invalid(format!(
                    "default-account `{acct}` is not a 12-digit account id"
                )));
            }
        }
        let mut accounts = Vec::new();
        for a in &file.account {
            if !crate::model::arn::is_account_id(&a.id) {
                return Err(invalid(format!(
                    "account id `{}` is not a 12-digit account id",
                    a.id
                )));
            }
            accounts.push((a.clone(), glob_set(&a.paths)?));
        }
        if let Some(bad) = file
            .organisation
            .iter()
            .find(|id| !crate::model::arn::is_account_id(id))
        {
            return Err(invalid(format!(
                "organisation account `{bad}` is not a 12-digit account id"
            )));
        }
        let mut per_path_ignores = Vec::new();
        for (g, ids) in &file.per_path_ignores {
            per_path_ignores.push((glob_set(std::slice::from_ref(g))?, ids.clone()));
        }
        let mut suppressions = Vec::new();
        for spanned in &file.suppress {
            let s = spanned.get_ref();
            if s.reason.trim().is_empty() {
                return Err(invalid(format!(
                    "suppression of `{}` needs a non-empty reason",
                    s.rule
                )));
            }
            let g = match &s.path {
                Some(p) => Some(glob_set(std::slice::from_ref(p))?),
                None => None,
            };
            suppressions.push(CompiledSuppression {
                entry: s.clone(),
                path: g,
                span: Some(spanned.span()),
            });
        }
        Ok(Config {
            root,
            file: path.clone(),
            select: file.select,
            ignore: file.ignore,
            exclude: glob_set(&file.exclude)?,
            cli_exclude: GlobSet::empty(),
            fail_on,
            fail_on_never,
            default_account: file.default_account,
            max_file_size: file.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            severity,
            per_path_ignores,
            console: file.console,
            accounts,
            organisation: file.organisation,
            cdk_accounts: Vec::new(),
            roles: file.role,
            users: file.user,
            groups: file.group,
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
