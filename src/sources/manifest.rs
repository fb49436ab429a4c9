//! Places raw policy files in the inventory: the directory conventions
//! (`[<account>/]roles/<Role>/trust.json`, `users/<User>/*.json`, `groups/<Group>/*.json`,
//! and one folder for all roles: `roles/<Role>.trust.json`, `roles/<Role>.policy.json`)
//! and the `[[role]]`/`[[user]]`/`[[group]]` manifest of `.iamlint.toml` for layouts that
//! follow no convention.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use serde_json::Value;

use crate::config::Config;
use crate::model::arn::{is_account_id, Arn};
use crate::model::inventory::{Account, Contribution, Group, Role, User};
use crate::model::location::{FileId, Location};
use crate::model::policy::{classify_by_content, PolicyDocument, PolicyKind};
use crate::model::shared_str::SharedStr;

/// What a file is to an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    RoleTrust { arn: String },
    RolePolicy { arn: String },
    UserPolicy { arn: String },
    GroupPolicy { arn: String },
}

impl Placement {
    pub fn is_trust(&self) -> bool {
        matches!(self, Placement::RoleTrust { .. })
    }
}

/// The manifest's files by canonical path.
#[derive(Debug, Default)]
pub struct ManifestIndex {
    by_path: HashMap<PathBuf, Vec<Placement>>,
}

impl ManifestIndex {
    pub fn new(config: &Config) -> Self {
        let mut by_path: HashMap<PathBuf, Vec<Placement>> = HashMap::new();
        let mut add = |rel: &str, p: Placement| {
            let full = config.root.join(rel);
            let key = std::fs::canonicalize(&full).unwrap_or(full);
            by_path.entry(key).or_default().push(p);
        };
        for r in &config.roles {
            if let Some(t) = &r.trust {
                add(t, Placement::RoleTrust { arn: r.arn.clone() });
            }
            for p in &r.policies {
                add(p, Placement::RolePolicy { arn: r.arn.clone() });
            }
        }
        for u in &config.users {
            for p in &u.policies {
                add(p, Placement::UserPolicy { arn: u.arn.clone() });
            }
        }
        for g in &config.groups {
            for p in &g.policies {
                add(p, Placement::GroupPolicy { arn: g.arn.clone() });
            }
        }
        ManifestIndex { by_path }
    }

    /// Placements the manifest gives a file.
    pub fn placements(&self, path: &Path) -> Vec<Placement> {
        if self.by_path.is_empty() {
            return Vec::new();
        }
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.by_path.get(&key).cloned().unwrap_or_default()
    }
}

/// The placement the directory convention gives a file, if any.
pub fn placement_by_convention(path: &Path, config: &Config) -> Option<Placement> {
    nested_placement(path, config).or_else(|| flat_placement(path, config))
}

/// `[<account>/]roles/<Role>/<file>.json`: a folder per entity.
fn nested_placement(path: &Path, config: &Config) -> Option<Placement> {
    let mut parts = super::path_names(path).rev();
    let (file, name, kind) = (parts.next()?, parts.next()?, parts.next()?);
    let account = account_of(parts.next().filter(|a| is_account_id(a)), path, config);
    let arn = |what: &str| format!("arn:aws:iam::{account}:{what}/{name}");
    match kind {
        // `trust.json`, and the other names a role's trust policy goes by
        // (`trust-policy.json`, `TrustPolicy.json`, `assume-role-policy.json`).
        "roles" if names_trust(file) => Some(Placement::RoleTrust { arn: arn("role") }),
        "roles" => Some(Placement::RolePolicy { arn: arn("role") }),
        "users" => Some(Placement::UserPolicy { arn: arn("user") }),
        "groups" => Some(Placement::GroupPolicy { arn: arn("group") }),
        _ => None,
    }
}

/// `<account folder>/[<folder>/]roles/<Role>.trust.json` beside `<Role>.policy.json`: one
/// folder for all of an account's roles (`users/<User>.policy.json` and
/// `groups/<Group>.policy.json` likewise). Only a name that says which it is counts: a
/// bare `roles/<x>.json` may be anything about roles (a policy that lets CI assume
/// them, a template), and a role made up from its name would pair with real ones. The
/// account is a folder within two levels above `roles/` that is an account id or ends in
/// one (`prod-123456789012`), else the config's.
fn flat_placement(path: &Path, config: &Config) -> Option<Placement> {
    let (what, name, trust) = flat_file(path)?;
    let named = super::path_names(path)
        .rev()
        .skip(2)
        .take(2)
        .find_map(account_in_folder_name);
    let arn = format!(
        "arn:aws:iam::{}:{what}/{name}",
        account_of(named, path, config)
    );
    Some(match (what, trust) {
        ("role", true) => Placement::RoleTrust { arn },
        ("role", false) => Placement::RolePolicy { arn },
        ("user", _) => Placement::UserPolicy { arn },
        _ => Placement::GroupPolicy { arn },
    })
}

/// Whether a policy file is placed by the one-folder-for-all layout ([`flat_placement`]):
/// it names one of its entity's documents, not all of them.
pub fn is_flat_layout_file(path: &Path) -> bool {
    flat_file(path).is_some()
}

/// What a file of the one-folder-for-all layout is about: the entity's type (`role`,
/// `user`, `group`), its name, and whether the file is a role's trust (only roles have
/// one).
fn flat_file(path: &Path) -> Option<(&'static str, &str, bool)> {
    let mut parts = super::path_names(path).rev();
    let (file, folder) = (parts.next()?, parts.next()?);
    let (name, trust) = flat_entity(file)?;
    let what = match (folder, trust) {
        ("roles", _) => "role",
        ("users", false) => "user",
        ("groups", false) => "group",
        _ => return None,
    };
    Some((what, name, trust))
}

/// The entity a flat layout's file is about, and whether it is the trust policy:
/// `<Name>.trust.json` (or `.trust-policy.json`) and `<Name>.policy.json`, the name one
/// IAM allows (letters, digits and `+=,.@_-`, at most 64 characters).
fn flat_entity(file: &str) -> Option<(&str, bool)> {
    let stem = file.strip_suffix(".json")?;
    let (name, kind) = stem.rsplit_once('.')?;
    let trust = match kind.to_ascii_lowercase().as_str() {
        "trust" | "trust-policy" => true,
        "policy" => false,
        _ => return None,
    };
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    valid.then_some((name, trust))
}

/// The account of a file a convention places: the one its folders name, else the one the
/// config gives its path, else the config's default, else unknown.
fn account_of(named: Option<&str>, path: &Path, config: &Config) -> String {
    named
        .or_else(|| config.account_for(path))
        .map(str::to_owned)
        .or_else(|| config.default_account.clone())
        .unwrap_or_else(|| UNKNOWN_ACCOUNT.to_owned())
}

/// The account id a folder's name is or ends in (`123456789012`, `prod-123456789012`,
/// `prod_123456789012`).
fn account_in_folder_name(folder: &str) -> Option<&str> {
    if is_account_id(folder) {
        return Some(folder);
    }
    let (_, id) = folder.rsplit_once(['-', '_'])?;
    is_account_id(id).then_some(id)
}

/// Whether a file name beside a role's policies calls it the role's trust policy.
/// `assume` alone does not: `assume-deployer.json` is as likely a policy that grants
/// `sts:AssumeRole` to the role.
fn names_trust(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    let squeezed: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    lower.contains("trust") || squeezed.starts_with("assumerolepolicy")
}

/// The placement the directory convention gives a policy file, its content considered:
/// the convention takes a file beside a role's policies for one more of them, but a
/// document every statement of which names a principal allowed to assume the role
/// (what [`classify_by_content`] calls a trust policy) is the role's trust, whatever its
/// name (an inline policy with a `Principal` is one IAM refuses, and nobody writes one).
pub fn placement_by_convention_of(
    path: &Path,
    config: &Config,
    content: &Value,
) -> Option<Placement> {
    match placement_by_convention(path, config)? {
        Placement::RolePolicy { arn } if classify_by_content(content) == PolicyKind::Trust => {
            Some(Placement::RoleTrust { arn })
        }
        placement => Some(placement),
    }
}

/// Account part used when a raw file's account cannot be known: a placeholder that the
/// ARN rule accepts and that matches no real account.
pub const UNKNOWN_ACCOUNT: &str = "${unknown-account}";

/// Adds the entity a placement describes, owning `doc`, to a contribution.
pub fn place(
    out: &mut Contribution,
    placement: &Placement,
    doc: Arc<PolicyDocument>,
    at: Location,
) {
    match placement {
        Placement::RoleTrust { arn } | Placement::RolePolicy { arn } => {
            let mut role = role_from_arn(arn, at);
            if placement.is_trust() {
                role.trust = Some(doc);
            } else {
                role.policies.push(doc);
            }
            out.roles.push(role);
        }
        Placement::UserPolicy { arn } => {
            let mut user = user_from_arn(arn, at);
            user.policies.push(doc);
            out.users.push(user);
        }
        Placement::GroupPolicy { arn } => {
            let (account, _, name) = split_entity_arn(arn, "group/");
            out.groups.push(Group {
                arn: arn.clone(),
                account,
                name,
                policies: vec![doc],
                attached: Vec::new(),
                defined_at: vec![at],
            });
        }
    }
}

/// A role with no policies yet, named by its ARN.
pub fn role_from_arn(arn: &str, at: Location) -> Role {
    let (account, path, name) = split_entity_arn(arn, "role/");
    Role {
        arn: arn.to_owned(),
        account,
        name,
        path,
        trust: None,
        policies: Vec::new(),
        attached: Vec::new(),
        max_session_duration: None,
        defined_at: vec![at],
    }
}

/// A user with no policies yet, named by its ARN.
pub fn user_from_arn(arn: &str, at: Location) -> User {
    let (account, path, name) = split_entity_arn(arn, "user/");
    User {
        arn: arn.to_owned(),
        account,
        name,
        path,
        policies: Vec::new(),
        attached: Vec::new(),
        groups: Vec::new(),
        console: None,
        defined_at: vec![at],
    }
}

/// Account, path and name of `arn:aws:iam::ACCT:<prefix>path/name`.
pub fn split_entity_arn(arn: &str, prefix: &str) -> (Account, String, String) {
    let Ok(parsed) = Arn::parse(arn) else {
        return (
            Account::Unknown,
            "/".into(),
            arn.rsplit('/').next().unwrap_or(arn).into(),
        );
    };
    let account = if is_account_id(&parsed.account) {
        Account::Known(SharedStr::new(&parsed.account))
    } else {
        Account::Unknown
    };
    let rest = parsed
        .resource
        .strip_prefix(prefix)
        .unwrap_or(&parsed.resource);
    let (path, name) = match rest.rfind('/') {
        Some(i) => (format!("/{}/", &rest[..i]), rest[i + 1..].to_owned()),
        None => ("/".to_owned(), rest.to_owned()),
    };
    (account, path, name)
}

/// Entities the manifest declares (with their console flags, groups and session limits),
/// located at the config file.
pub fn manifest_contribution(config: &Config, config_file: FileId) -> Contribution {
    let mut out = Contribution::default();
    let at = || Location::file(config_file);
    for r in &config.roles {
        let mut role = role_from_arn(&r.arn, at());
        role.max_session_duration = r.max_session_duration;
        out.roles.push(role);
    }
    for u in &config.users {
        let mut user = user_from_arn(&u.arn, at());
        user.console = u.console;
        user.groups = u
            .groups
            .iter()
            .map(|g| g.rsplit('/').next().unwrap_or(g).to_owned())
            .collect();
        out.users.push(user);
    }
    for g in &config.groups {
        let (account, _, name) = split_entity_arn(&g.arn, "group/");
        out.groups.push(Group {
            arn: g.arn.clone(),
            account,
            name,
            policies: Vec::new(),
            attached: Vec::new(),
            defined_at: vec![at()],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(path: &str) -> Option<Placement> {
        placement_by_convention(Path::new(path), &Config::default())
    }

    #[test]
    fn the_convention_reads_the_last_names_of_the_path() {
        let trust = |arn: &str| Some(Placement::RoleTrust { arn: arn.into() });
        assert_eq!(
            placed("iam/111122223333/roles/deploy/trust.json"),
            trust("arn:aws:iam::111122223333:role/deploy")
        );
        // However the folder was named on the command line.
        for p in ["roles/deploy/trust.json", "./roles/deploy/trust.json"] {
            assert_eq!(
                placed(p),
                trust(&format!("arn:aws:iam::{UNKNOWN_ACCOUNT}:role/deploy")),
                "{p}"
            );
        }
        assert_eq!(
            placed("a/users/alice/inline.json"),
            Some(Placement::UserPolicy {
                arn: format!("arn:aws:iam::{UNKNOWN_ACCOUNT}:user/alice")
            })
        );
        assert_eq!(placed("deploy/trust.json"), None);
        assert_eq!(placed("x/buckets/b/policy.json"), None);
    }

    #[test]
    fn a_role_trust_goes_by_several_names_and_by_its_content() {
        let role = "arn:aws:iam::111122223333:role/deploy";
        let trust = Some(Placement::RoleTrust { arn: role.into() });
        let policy = Some(Placement::RolePolicy { arn: role.into() });
        for name in [
            "trust.json",
            "trust-policy.json",
            "TrustPolicy.json",
            "role_trust.json",
            "assume-role-policy.json",
            "AssumeRolePolicyDocument.json",
        ] {
            assert_eq!(
                placed(&format!("111122223333/roles/deploy/{name}")),
                trust,
                "{name}"
            );
        }
        for name in ["policy.json", "assume-deployer.json", "assume.json"] {
            assert_eq!(
                placed(&format!("111122223333/roles/deploy/{name}")),
                policy,
                "{name}"
            );
        }
        let by_content = |content: Value| {
            placement_by_convention_of(
                Path::new("111122223333/roles/deploy/deploy.json"),
                &Config::default(),
                &content,
            )
        };
        let assume = serde_json::json!({"Statement": [{"Effect": "Allow",
            "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
        let grant = serde_json::json!({"Statement": [{"Effect": "Allow",
            "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/x"}]});
        assert_eq!(by_content(assume), trust);
        assert_eq!(by_content(grant), policy);
    }

    #[test]
    fn one_folder_for_all_roles_names_each_file_after_its_role() {
        let arn = |account: &str, what: &str| format!("arn:aws:iam::{account}:{what}");
        let trust = |a: &str| Some(Placement::RoleTrust { arn: a.into() });
        let policy = |a: &str| Some(Placement::RolePolicy { arn: a.into() });
        let deploy = arn("446836395549", "role/deploy");
        for p in [
            "accounts/analytics-perf-446836395549/iam/roles/deploy.trust.json",
            "446836395549/roles/deploy.trust.json",
            "org/prod_446836395549/roles/deploy.Trust-Policy.json",
        ] {
            assert_eq!(placed(p), trust(&deploy), "{p}");
        }
        assert_eq!(
            placed("accounts/analytics-perf-446836395549/iam/roles/deploy.policy.json"),
            policy(&deploy)
        );
        assert_eq!(
            placed("446836395549/users/alice.policy.json"),
            Some(Placement::UserPolicy {
                arn: arn("446836395549", "user/alice")
            })
        );
        // No account folder near enough: the config's, else unknown.
        assert_eq!(
            placed("446836395549/a/b/c/roles/deploy.trust.json"),
            trust(&arn(UNKNOWN_ACCOUNT, "role/deploy"))
        );
        // A name that does not say what the file is, or is no IAM name, places nothing.
        for p in [
            "446836395549/roles/deploy.json",
            "446836395549/roles/deploy-trust.json",
            "446836395549/roles/.trust.json",
            "446836395549/roles/a b.trust.json",
            "446836395549/users/alice.trust.json",
            "446836395549/buckets/logs.policy.json",
        ] {
            assert_eq!(placed(p), None, "{p}");
            assert!(!is_flat_layout_file(Path::new(p)), "{p}");
        }
        assert!(is_flat_layout_file(Path::new(
            "446836395549/roles/deploy.policy.json"
        )));
        // A `.policy.json` whose statements let a principal assume the role is its trust.
        let assume = serde_json::json!({"Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]});
        assert_eq!(
            placement_by_convention_of(
                Path::new("446836395549/roles/deploy.policy.json"),
                &Config::default(),
                &assume
            ),
            trust(&deploy)
        );
    }
}
