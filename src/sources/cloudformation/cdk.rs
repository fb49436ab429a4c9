//! AWS CDK cloud assemblies: `cdk.out/manifest.json` says which account each stack is
//! deployed to, and so which account the entities of its template belong to.
//!
//! The manifest lists artifacts; those of type `aws:cloudformation:stack` have an
//! `environment` (`aws://123456789012/eu-west-1`) and `properties.templateFile`, the
//! template's file relative to the manifest's folder. A stage is a nested assembly (type
//! `cdk:cloud-assembly`) in a subfolder (`assembly-Prod/`) with its own `manifest.json`
//! beside its own templates, so the manifest to ask about a template is always the one in
//! the template's folder: nested assemblies need no following.
//!
//! An environment-agnostic stack (`aws://unknown-account/unknown-region`, or anything but a
//! 12-digit account) names no account: its template's account stays unknown, exactly as
//! if there were no manifest. Templates a manifest does not list (nested stacks'
//! `*.nested.template.json`, assets) stay unknown too: nothing is guessed.
//!
//! Templates and manifests are loaded in parallel, in any order, so the template's loader
//! asks for its folder's manifest itself: the first template of a folder reads and parses
//! `manifest.json` there (when it exists), the others of the folder wait for and share that
//! answer. No other file is looked at, and folders without templates are never asked about.
//! The manifest is also a candidate of the walk like any JSON file: that load reports a
//! manifest that does not parse (IAM002), and the templates are read all the same, with
//! their accounts unknown.
//!
//! The accounts manifests deploy stacks to are the organisation's own: IAM108 never takes
//! a trust of one of them for a third party's (it stays off unless `.iamlint.toml` names
//! own accounts, as before).
//!
//! Precedence, most specific first: a `[[account]] paths` entry of `.iamlint.toml` that
//! matches the template (the user's explicit word), then the manifest's account, then
//! `default-account` (the account of files that name none).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use foldhash::{HashMap, HashMapExt};
use serde_json::Value;

use crate::config::Config;
use crate::model::arn::is_account_id;
use crate::model::inventory::{Contribution, SourceFormat};
use crate::sources::{decode_file, json_syntax_finding, read_file, FileInput};

/// The name CDK gives a cloud assembly's manifest.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The artifact type of a CloudFormation stack in a cloud assembly manifest.
const STACK_ARTIFACT: &str = "aws:cloudformation:stack";

/// The stacks of one cloud assembly manifest: template file (relative to the manifest's
/// folder, as written) to the stack's account, None for an environment-agnostic stack.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StackAccounts {
    by_template: HashMap<String, Option<String>>,
}

impl StackAccounts {
    /// The account the manifest gives the template `file` (a name in the manifest's folder).
    pub fn account_of(&self, file: &str) -> Option<&str> {
        self.by_template.get(file)?.as_deref()
    }
}

/// The manifests asked about during one scan, one per folder, each read at most once.
#[derive(Debug, Default)]
pub struct Assemblies {
    #[allow(clippy::type_complexity)]
    dirs: Mutex<HashMap<PathBuf, Arc<OnceLock<Option<StackAccounts>>>>>,
}

impl Assemblies {
    pub fn new() -> Self {
        Assemblies {
            dirs: Mutex::new(HashMap::new()),
        }
    }

    /// Every account the manifests read so far deploy a stack to, sorted, once each: the
    /// organisation's own accounts (IAM108 does not take them for third parties).
    pub fn accounts(&self) -> Vec<String> {
        let dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        let mut accounts: Vec<String> = dirs
            .values()
            .filter_map(|cell| cell.get()?.as_ref())
            .flat_map(|stacks| stacks.by_template.values().flatten().cloned())
            .collect();
        accounts.sort_unstable();
        accounts.dedup();
        accounts
    }

    /// The account a cloud assembly manifest beside `template` gives it, if one does.
    pub fn account_of(&self, config: &Config, template: &Path) -> Option<String> {
        let file = template.file_name()?.to_str()?;
        let dir = match template.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let cell = {
            let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
            dirs.entry(dir.to_path_buf()).or_default().clone()
        };
        // Read outside the lock: other folders' templates go on meanwhile, and those of
        // this folder wait for this one answer.
        let stacks = cell.get_or_init(|| read_manifest(config, &dir.join(MANIFEST_FILE)));
        stacks.as_ref()?.account_of(file).map(str::to_owned)
    }
}

/// The stacks of the manifest at `path`, or None when there is none, it is excluded from
/// the scan, or it cannot be read or parsed (the manifest's own load reports why).
fn read_manifest(config: &Config, path: &Path) -> Option<StackAccounts> {
    // A regular file, not a link: a link could lead anywhere, and the walk does not read
    // links out of the scanned paths either.
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    if crate::discover::excluded_by_config(path, config) {
        return None;
    }
    let bytes = read_file(path, config.max_file_size).ok()?;
    let text = decode_file(&bytes).ok()?;
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    Some(stack_accounts(&value))
}

/// The stacks a parsed manifest lists. Artifacts of other types, and stacks without a
/// template file, are left out.
pub fn stack_accounts(manifest: &Value) -> StackAccounts {
    let mut by_template = HashMap::new();
    let artifacts = manifest.get("artifacts").and_then(Value::as_object);
    for artifact in artifacts.into_iter().flat_map(|a| a.values()) {
        if artifact.get("type").and_then(Value::as_str) != Some(STACK_ARTIFACT) {
            continue;
        }
        let template = artifact
            .get("properties")
            .and_then(|p| p.get("templateFile"))
            .and_then(Value::as_str);
        let Some(template) = template else {
            continue;
        };
        let template = template.strip_prefix("./").unwrap_or(template);
        let account = artifact
            .get("environment")
            .and_then(Value::as_str)
            .and_then(environment_account);
        // Two stacks with one template file and different accounts: neither is known.
        by_template
            .entry(template.to_owned())
            .and_modify(|known: &mut Option<String>| {
                if *known != account {
                    *known = None;
                }
            })
            .or_insert_with(|| account.clone());
    }
    StackAccounts { by_template }
}

/// The account of an environment `aws://<account>/<region>`, when it is a 12-digit
/// account id (`unknown-account` and unresolved tokens are not).
pub fn environment_account(env: &str) -> Option<String> {
    let rest = env.strip_prefix("aws://")?;
    let (account, _region) = rest.split_once('/')?;
    is_account_id(account).then(|| account.to_owned())
}

/// Whether a file is a cloud assembly manifest: named `manifest.json` and holding CDK's
/// keys. Checked on the text only, so a manifest that does not parse is still one.
pub fn is_manifest(path: &Path, text: &str) -> bool {
    let named = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case(MANIFEST_FILE));
    named
        && text.contains("\"artifacts\"")
        && (text.contains(STACK_ARTIFACT) || text.contains("\"cdk:"))
}

/// Loads a cloud assembly manifest as a file of the scan: nothing of IAM is in it (its
/// accounts reach the templates through [`Assemblies`]), but one that does not parse is
/// reported like any broken JSON, and none of its text is shown.
pub fn load_manifest(input: &FileInput) -> (SourceFormat, Contribution) {
    let mut out = Contribution::default();
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(input.text) {
        out.findings
            .push(json_syntax_finding(input.id, input.path, input.text, &e));
        out.hide_source = true;
        return (SourceFormat::Unknown, out);
    }
    (SourceFormat::CdkManifest, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn environments_give_accounts_only_when_they_name_one() {
        assert_eq!(
            environment_account("aws://123456789012/eu-west-1").as_deref(),
            Some("123456789012")
        );
        assert_eq!(
            environment_account("aws://unknown-account/unknown-region"),
            None
        );
        assert_eq!(environment_account("aws://123456789012"), None);
        assert_eq!(environment_account("123456789012/eu-west-1"), None);
        assert_eq!(environment_account("aws://${Token[1]}/eu-west-1"), None);
        assert_eq!(environment_account("aws://12345678901/eu-west-1"), None);
    }

    #[test]
    fn stacks_are_read_from_the_artifacts() {
        let manifest = json!({
            "version": "36.0.0",
            "artifacts": {
                "A.assets": {"type": "cdk:asset-manifest", "properties": {"file": "A.assets.json"}},
                "A": {
                    "type": "aws:cloudformation:stack",
                    "environment": "aws://111111111111/eu-west-1",
                    "properties": {"templateFile": "A.template.json"}
                },
                "B": {
                    "type": "aws:cloudformation:stack",
                    "environment": "aws://unknown-account/unknown-region",
                    "properties": {"templateFile": "./B.template.json"}
                },
                "C": {"type": "aws:cloudformation:stack", "environment": "aws://222222222222/us-east-1"},
                "D": {"type": "aws:cloudformation:stack", "properties": {"templateFile": 7}},
                "assembly-Stage": {
                    "type": "cdk:cloud-assembly",
                    "properties": {"directoryName": "assembly-Stage"}
                },
                "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}
            }
        });
        let stacks = stack_accounts(&manifest);
        assert_eq!(stacks.account_of("A.template.json"), Some("111111111111"));
        assert_eq!(stacks.account_of("B.template.json"), None);
        assert_eq!(stacks.account_of("A.assets.json"), None);
        assert_eq!(stacks.by_template.len(), 2);
        // Anything else is no manifest, and says nothing.
        for other in [json!([]), json!({"artifacts": []}), json!("x"), json!(null)] {
            assert_eq!(stack_accounts(&other), StackAccounts::default());
        }
    }

    #[test]
    fn one_template_of_two_accounts_has_none() {
        let stack = |env: &str| {
            json!({"type": "aws:cloudformation:stack", "environment": env,
                   "properties": {"templateFile": "T.template.json"}})
        };
        let manifest = json!({"artifacts": {
            "A": stack("aws://111111111111/eu-west-1"),
            "B": stack("aws://222222222222/eu-west-1"),
            "C": stack("aws://111111111111/eu-west-1"),
        }});
        assert_eq!(
            stack_accounts(&manifest).account_of("T.template.json"),
            None
        );
    }

    #[test]
    fn manifests_are_told_by_name_and_keys() {
        let text =
            r#"{"version": "36.0.0", "artifacts": {"A": {"type": "aws:cloudformation:stack""#;
        assert!(is_manifest(Path::new("cdk.out/manifest.json"), text));
        assert!(!is_manifest(Path::new("cdk.out/other.json"), text));
        assert!(!is_manifest(
            Path::new("web/manifest.json"),
            r#"{"name": "app", "icons": []}"#
        ));
    }
}
