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
//! if there were no manifest. A nested stack (`*.nested.template.json`, an asset of its
//! parent, not an artifact) is deployed in its parent's account: the parent's template
//! names it in `aws:asset:path` metadata (see [`StackAccounts::nested_account_of`]). Any
//! other template the manifest does not list stays unknown: nothing is guessed.
//!
//! Templates and manifests are loaded in parallel, in any order, so the template's loader
//! asks for its folder's manifest itself: the first template of a folder reads and parses
//! `manifest.json` there (when it exists), the others of the folder wait for and share that
//! answer. Folders without templates are never asked about, and the stacks' templates are
//! read a second time (as text, not parsed) only in a folder with nested stacks, when the
//! first of them asks.
//!
//! The manifest also names each stack (`properties.stackName`, or the artifact id): the
//! names CloudFormation generates for the stack's entities start with it, and so do
//! iamlint's stand-ins for them (`<StackName-LogicalId>`), which keeps same logical ids of
//! two stacks in one account apart.
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

/// The suffix CDK gives a nested stack's template (an asset of its parent's stack).
const NESTED_SUFFIX: &str = ".nested.template.json";

/// The most templates of one folder read for their nested stacks.
const MAX_NESTED_READS: usize = 1024;

/// The stacks of one cloud assembly manifest: template file (relative to the manifest's
/// folder, as written) to the stack's account, None for an environment-agnostic stack.
#[derive(Debug, Default)]
pub struct StackAccounts {
    by_template: HashMap<String, Option<String>>,
    /// Template file to the name of its stack.
    names: HashMap<String, String>,
    /// Nested stacks' templates to the account of their parents, worked out the first
    /// time a nested template of the folder asks.
    nested: OnceLock<HashMap<String, Option<String>>>,
}

impl PartialEq for StackAccounts {
    fn eq(&self, other: &Self) -> bool {
        self.by_template == other.by_template
    }
}

impl StackAccounts {
    /// The account the manifest gives the template `file` (a name in the manifest's folder).
    pub fn account_of(&self, file: &str) -> Option<&str> {
        self.by_template.get(file)?.as_deref()
    }

    /// The account of the nested stack whose template is `file` in `dir`: its parent's.
    /// A nested stack is no artifact of the manifest: its parent's template names its
    /// template in the parent resource's `Metadata` (`"aws:asset:path":
    /// "…nested.template.json"`, which CDK writes unless asset metadata is turned off).
    /// The parents are the listed stacks' templates and, for deeper nesting, nested ones;
    /// a template nested in parents of different or unknown accounts has none.
    fn nested_account_of(&self, config: &Config, dir: &Path, file: &str) -> Option<&str> {
        if self.by_template.contains_key(file) {
            return None;
        }
        let nested = self
            .nested
            .get_or_init(|| self.nested_accounts(config, dir));
        nested.get(file)?.as_deref()
    }

    fn nested_accounts(&self, config: &Config, dir: &Path) -> HashMap<String, Option<String>> {
        // Who names whom: read every template reachable from the listed stacks once.
        let mut parents: HashMap<String, Vec<String>> = HashMap::new();
        let mut queue: Vec<String> = self.by_template.keys().cloned().collect();
        let mut read = foldhash::HashSet::default();
        while let Some(file) = queue.pop() {
            if read.len() >= MAX_NESTED_READS || !read.insert(file.clone()) {
                continue;
            }
            let Some(text) = read_text(config, &dir.join(&file)) else {
                continue;
            };
            for child in nested_names(&text) {
                if self.by_template.contains_key(child) {
                    continue;
                }
                parents
                    .entry(child.to_owned())
                    .or_default()
                    .push(file.clone());
                queue.push(child.to_owned());
            }
        }
        let mut out = HashMap::new();
        for child in parents.keys() {
            let account = self.account_through(child, &parents, &mut Vec::new());
            out.insert(child.clone(), account);
        }
        out
    }

    /// The one account every parent chain of `file` leads to, if there is one.
    fn account_through(
        &self,
        file: &str,
        parents: &HashMap<String, Vec<String>>,
        path: &mut Vec<String>,
    ) -> Option<String> {
        if let Some(account) = self.by_template.get(file) {
            return account.clone();
        }
        // A loop of templates naming each other leads nowhere.
        if path.iter().any(|p| p == file) || path.len() > 32 {
            return None;
        }
        path.push(file.to_owned());
        let mut found: Option<String> = None;
        let mut all = true;
        for parent in parents.get(file).into_iter().flatten() {
            match self.account_through(parent, parents, path) {
                Some(a) if found.as_ref().is_none_or(|f| *f == a) => found = Some(a),
                _ => all = false,
            }
        }
        path.pop();
        found.filter(|_| all)
    }
}

/// The nested stack templates a template names in its resources' `aws:asset:path`
/// metadata: plain file names in its own folder ending in `.nested.template.json`.
/// Found in the text, without parsing it: only the first template of a folder that has
/// nested stacks makes the folder's templates be read for this.
fn nested_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let needle = format!("{NESTED_SUFFIX}\"");
    for at in memchr::memmem::find_iter(text.as_bytes(), needle.as_bytes()) {
        let end = at + NESTED_SUFFIX.len();
        let Some(open) = text.get(..at).and_then(|t| t.rfind('"')) else {
            continue;
        };
        let Some(name) = text.get(open + 1..end) else {
            continue;
        };
        let plain = name.len() > NESTED_SUFFIX.len()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            && !name.starts_with('.');
        let key = text
            .get(..open)
            .map(|t| t.trim_end())
            .and_then(|t| t.strip_suffix(':'))
            .map(|t| t.trim_end().ends_with("\"aws:asset:path\""));
        if plain && key == Some(true) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
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

    /// The stack a cloud assembly manifest beside `template` deploys it as, if one does.
    pub fn stack_of(&self, config: &Config, template: &Path) -> Option<CdkStack> {
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
        let stacks = stacks.as_ref()?;
        if let Some(name) = stacks.names.get(file) {
            return Some(CdkStack {
                account: stacks.account_of(file).map(str::to_owned),
                name: name.clone(),
            });
        }
        let stem = file.strip_suffix(NESTED_SUFFIX)?;
        Some(CdkStack {
            account: stacks
                .nested_account_of(config, dir, file)
                .map(str::to_owned),
            name: stem.to_owned(),
        })
    }
}

/// A template's stack, as a cloud assembly manifest gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdkStack {
    /// Its account, when the manifest names one.
    pub account: Option<String>,
    /// The stack's name (`properties.stackName`, or the artifact's id), or a nested
    /// template's file name without `.nested.template.json`: what the names
    /// CloudFormation generates for the template's resources start with.
    pub name: String,
}

/// The stacks of the manifest at `path`, or None when there is none, it is excluded from
/// the scan, or it cannot be read or parsed (the manifest's own load reports why).
fn read_manifest(config: &Config, path: &Path) -> Option<StackAccounts> {
    let text = read_text(config, path)?;
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    Some(stack_accounts(&value))
}

/// The text of a file of a cloud assembly, when it is a regular file that the scan does
/// not exclude, within the size limit: a link could lead anywhere, and the walk does not
/// read links out of the scanned paths either.
fn read_text(config: &Config, path: &Path) -> Option<String> {
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    if crate::discover::excluded_by_config(path, config) {
        return None;
    }
    let bytes = read_file(path, config.max_file_size).ok()?;
    decode_file(&bytes).ok().map(|t| t.into_owned())
}

/// The stacks a parsed manifest lists. Artifacts of other types, and stacks without a
/// template file, are left out.
pub fn stack_accounts(manifest: &Value) -> StackAccounts {
    let mut by_template = HashMap::new();
    let mut names = HashMap::new();
    let artifacts = manifest.get("artifacts").and_then(Value::as_object);
    for (id, artifact) in artifacts.into_iter().flatten() {
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
        let name = artifact
            .get("properties")
            .and_then(|p| p.get("stackName"))
            .and_then(Value::as_str)
            .unwrap_or(id);
        names
            .entry(template.to_owned())
            .or_insert_with(|| name.to_owned());
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
    StackAccounts {
        by_template,
        names,
        nested: OnceLock::new(),
    }
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
    fn nested_templates_are_found_in_asset_metadata_only() {
        let text = r#"{"Resources": {
  "A": {"Type": "AWS::CloudFormation::Stack", "Metadata": {
    "aws:cdk:path": "P/A.NestedStack/A.NestedStackResource",
    "aws:asset:path": "PA1B2C3D4.nested.template.json",
    "aws:asset:property": "TemplateURL"}},
  "B": {"Type": "AWS::CloudFormation::Stack", "Metadata": {"aws:asset:path":"PB.nested.template.json"}},
  "Again": {"Metadata": {"aws:asset:path": "PA1B2C3D4.nested.template.json"}},
  "Desc": {"Description": "PX.nested.template.json"},
  "Up": {"Metadata": {"aws:asset:path": "../other/PY.nested.template.json"}},
  "Bare": {"Metadata": {"aws:asset:path": ".nested.template.json"}}
}}"#;
        assert_eq!(
            nested_names(text),
            ["PA1B2C3D4.nested.template.json", "PB.nested.template.json"]
        );
        assert!(nested_names("\".nested.template.json\"").is_empty());
        assert!(nested_names("x.nested.template.json\"").is_empty());
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
