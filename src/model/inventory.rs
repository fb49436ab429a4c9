//! The one inventory every rule reads: files, policy documents, and the accounts'
//! users, groups, roles, managed policies and CLI profiles, each with where it came from.
//! Loaders fill a [`Contribution`] per file; [`Inventory::merge`] joins them in file order
//! and merges an entity seen in several files by ARN, keeping every place it came from.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use foldhash::{HashMap, HashMapExt};
use hashbrown::HashTable;
use serde::Serialize;

use super::location::{FileId, Location, Spanned, TextSpan};
use super::named_grant::NamedGrant;
use super::policy::PolicyDocument;
use super::profile_set::ProfileSet;
use super::shared_str::SharedStr;
use crate::finding::Finding;

/// The formats iamlint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    PolicyJson,
    TerraformPlan,
    TerraformState,
    TerraformJson,
    /// A `.tf` or `.tfvars` file (HCL), read with its module.
    TerraformHcl,
    CloudFormation,
    /// An AWS CDK cloud assembly manifest (`cdk.out/manifest.json`): it holds no IAM, but
    /// gives the stacks' templates beside it their accounts.
    CdkManifest,
    AccountDump,
    /// What one `aws iam get-role`, `get-policy-version`, `get-role-policy` … call prints:
    /// one entity or document, never a whole account.
    IamApiOutput,
    AwsConfig,
    AwsCredentials,
    /// A credential cache the AWS CLI or SSO login wrote (`.aws/cli/cache/*.json`,
    /// `.aws/sso/cache/*.json`): read for its credentials only, never shown.
    CredentialCache,
    /// The `.iamlint.toml` (its manifest declares entities).
    Config,
    /// Markdown or HTML, read for console switch-role links.
    Documentation,
    /// A file that looks like ours by name or place but could not be read or parsed.
    Unknown,
}

impl SourceFormat {
    /// Whether a file read as this format was parsed as that format, so that reporters may
    /// show its text (secret values masked). A file that could not be parsed as what it was
    /// expected to be (`Unknown`: invalid JSON, binary, not the expected shape) may hold
    /// anything (a symlinked dotenv file, a pasted key), and a credential cache is nothing
    /// but secrets: their bytes are never shown, only positions.
    pub fn shows_source(self) -> bool {
        !matches!(self, SourceFormat::Unknown | SourceFormat::CredentialCache)
    }
}

/// One scanned file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as the user gave it, joined with the walk (what outputs show).
    pub path: PathBuf,
    pub format: SourceFormat,
    /// Reporters may show the file's text (secret values masked): it was parsed as the
    /// format it was expected to be ([`SourceFormat::shows_source`]) and its bytes were
    /// whole ([`Contribution::hide_source`] unset). The one switch every snippet goes by.
    pub show_source: bool,
}

impl SourceFile {
    /// Whether the file was read as one of the formats iamlint checks: what `check`'s
    /// summary and `iamlint inventory` both count (a file that was not recognised, and the
    /// `.iamlint.toml`, are not).
    pub fn is_scanned(&self) -> bool {
        !matches!(self.format, SourceFormat::Unknown | SourceFormat::Config)
    }
}

/// An AWS account, as far as iamlint knows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "id")]
pub enum Account {
    /// A 12-digit account id.
    Known(SharedStr),
    /// `${AWS::AccountId}` of one CloudFormation template: one account whose number is not
    /// known, the same everywhere in that file.
    Template(FileId),
    Unknown,
}

impl Account {
    pub fn known(&self) -> Option<&str> {
        match self {
            Account::Known(id) => Some(id),
            _ => None,
        }
    }
}

/// An IAM role.
#[derive(Clone, Debug)]
pub struct Role {
    pub arn: String,
    pub account: Account,
    pub name: String,
    /// `/` or `/a/b/`; empty when not known (a role only named by a grant, see
    /// [`super::named_grant`]), and then its ARN's path is a guess.
    pub path: String,
    pub trust: Option<Arc<PolicyDocument>>,
    /// Inline policies.
    pub policies: Vec<Arc<PolicyDocument>>,
    /// Managed policy ARNs.
    pub attached: Vec<String>,
    pub max_session_duration: Option<u32>,
    pub defined_at: Vec<Location>,
}

/// An IAM user.
#[derive(Clone, Debug)]
pub struct User {
    pub arn: String,
    pub account: Account,
    pub name: String,
    /// As a role's: empty when not known.
    pub path: String,
    pub policies: Vec<Arc<PolicyDocument>>,
    pub attached: Vec<String>,
    /// Group names (same account).
    pub groups: Vec<String>,
    /// Some(true) with a login profile, Some(false) when declared without one.
    pub console: Option<bool>,
    pub defined_at: Vec<Location>,
}

/// An IAM group.
#[derive(Clone, Debug)]
pub struct Group {
    pub arn: String,
    pub account: Account,
    pub name: String,
    pub policies: Vec<Arc<PolicyDocument>>,
    pub attached: Vec<String>,
    pub defined_at: Vec<Location>,
}

/// A customer managed policy (or an AWS managed one from a dump).
#[derive(Clone, Debug)]
pub struct ManagedPolicy {
    pub arn: String,
    pub document: Option<Arc<PolicyDocument>>,
    pub defined_at: Vec<Location>,
}

/// A profile of an AWS CLI config or credentials file.
///
/// Kept small: a platform team's configs hold tens of thousands of profiles, and every one
/// lives until the end of the scan. Most values are absent, so each is boxed.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    pub name: String,
    pub file: FileId,
    /// Where the `[profile NAME]` header is in `file`.
    pub header: Option<TextSpan>,
    /// True for `~/.aws/credentials`-style sections.
    pub from_credentials: bool,
    pub role_arn: Option<Box<ProfileValue>>,
    pub source_profile: Option<Box<ProfileValue>>,
    pub credential_source: Option<Box<ProfileValue>>,
    pub web_identity_token_file: Option<Box<ProfileValue>>,
    /// Where `credential_process` is; its value is left empty, because the command line
    /// can embed credentials.
    pub credential_process: Option<Box<ProfileValue>>,
    pub external_id: Option<Box<ProfileValue>>,
    pub mfa_serial: Option<Box<ProfileValue>>,
    pub role_session_name: Option<Box<ProfileValue>>,
    pub duration_seconds: Option<Box<ProfileValue>>,
    /// `sso_session`: the `[sso-session NAME]` this profile signs in with.
    pub sso_session: Option<Box<ProfileValue>>,
    /// Any `sso_*` key (an IAM Identity Center profile).
    pub sso: bool,
    /// Static keys present (`aws_access_key_id`), without their values.
    pub has_static_keys: bool,
}

/// A setting of a CLI profile as written, and where: 32 bytes where a
/// `Spanned<String>` is 88 (a profile merged from both files takes a value from either,
/// so each value names its file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileValue {
    pub value: Box<str>,
    pub file: FileId,
    pub span: TextSpan,
}

// The sizes the comments above promise, where pointers are 8 bytes.
#[cfg(target_pointer_width = "64")]
const _: () =
    assert!(std::mem::size_of::<ProfileValue>() == 32 && std::mem::size_of::<Profile>() <= 128);

impl ProfileValue {
    pub fn new(value: impl Into<Box<str>>, file: FileId, span: TextSpan) -> Self {
        ProfileValue {
            value: value.into(),
            file,
            span,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Where the value is written.
    pub fn loc(&self) -> Location {
        self.span.loc(self.file)
    }
}

/// What a section of an AWS CLI config or credentials file that is not a profile is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigSectionKind {
    /// `[sso-session NAME]` (config file).
    SsoSession,
    /// `[services NAME]` (config file).
    Services,
    /// A section the SDKs do not read as a profile: `[NAME]` in a config file, a name
    /// with characters the SDKs reject, `[profile NAME]` in a credentials file.
    Other,
}

/// A section of an AWS CLI config or credentials file that is not a profile.
#[derive(Clone, Debug)]
pub struct ConfigSection {
    pub file: FileId,
    pub kind: ConfigSectionKind,
    /// The session or services name; for [`ConfigSectionKind::Other`] the whole text
    /// between the brackets (`profile in valid`).
    pub name: String,
    /// Where the `[...]` header is.
    pub header: Location,
}

/// A key that holds a credential (`aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token` in an AWS CLI config or credentials file; `SecretAccessKey`,
/// `accessToken`… in a CLI or SSO credential cache): what and where, never the value.
#[derive(Clone, Debug)]
pub struct SecretKey {
    /// The key: lower case in INI files (`aws_secret_access_key`), as written in JSON
    /// caches (`SecretAccessKey`).
    pub key: String,
    /// Where it sits, for the finding's message.
    pub place: SecretPlace,
    pub key_at: Location,
    pub value_at: Location,
    /// False for values that cannot be a real credential (see
    /// [`crate::sources::aws_config::is_placeholder_credential`], the one rule for every key).
    pub looks_real: bool,
}

/// Where a credential key sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretPlace {
    /// A section of a CLI config or credentials file, as the loader names it (a profile
    /// name, or the bracket text of a section the SDKs ignore).
    Section(String),
    /// A line the SDKs do not read (before any header, under a malformed header, or
    /// written `key: value`), with the name of the section it sits in when that section's
    /// header is well formed.
    StrayLine(Option<String>),
    /// A credential cache the AWS CLI or SSO login wrote (`.aws/cli/cache/*.json`,
    /// `.aws/sso/cache/*.json`).
    Cache,
    /// A Terraform file: where in it (`provider "aws"`, `variable "x"`, a `.tfvars` value).
    Terraform(String),
}

/// Terraform AWS provider `assume_role` blocks, in order: more than one is a chain.
#[derive(Clone, Debug)]
pub struct ProviderChain {
    /// `aws` or `aws.alias`.
    pub name: String,
    pub hops: Vec<ProviderHop>,
}

/// One `assume_role` block of a Terraform provider.
#[derive(Clone, Debug)]
pub struct ProviderHop {
    /// An `assume_role_with_web_identity` block (always the first hop) rather than an
    /// `assume_role` block.
    pub web_identity: bool,
    pub role_arn: Option<Spanned<String>>,
    pub duration_seconds: Option<Spanned<u64>>,
    pub external_id: Option<Spanned<String>>,
    pub session_name: Option<Spanned<String>>,
    /// Where `tags` (a non-empty map) or `transitive_tag_keys` (a non-empty list) is:
    /// the hop passes session tags, and the trust must allow `sts:TagSession`.
    pub session_tags: Option<Location>,
    /// `source_identity`: the trust must allow `sts:SetSourceIdentity`.
    pub source_identity: Option<Spanned<String>>,
    pub at: Location,
}

/// A console switch-role link found in a file.
#[derive(Clone, Debug)]
pub struct SwitchLink {
    pub account: String,
    pub role_name: String,
    pub at: Location,
}

/// What one file adds to the inventory.
#[derive(Debug, Default)]
pub struct Contribution {
    /// Standalone documents (not owned by an entity in this file).
    pub documents: Vec<Arc<PolicyDocument>>,
    pub roles: Vec<Role>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub managed_policies: Vec<ManagedPolicy>,
    /// Shared, once merged, with the inventory and its profile sets.
    pub profiles: Vec<Arc<Profile>>,
    /// Non-profile sections of CLI config files (`[sso-session x]`, …).
    pub config_sections: Vec<ConfigSection>,
    /// Credential keys of CLI config files (where they are, never their values).
    pub secrets: Vec<SecretKey>,
    /// Byte ranges whose text may be secret (credential values, lines the INI parser
    /// refused): reporters never print their text.
    pub redactions: Vec<Location>,
    pub provider_chains: Vec<ProviderChain>,
    pub switch_links: Vec<SwitchLink>,
    /// Load diagnostics (bad file, bad shape, secrets found by the INI loader…).
    pub findings: Vec<Finding>,
    /// Set by a loader that read the file although its bytes are not what the format
    /// expects (a credentials file with NUL bytes or bad UTF-8 is still searched for
    /// credentials): no reporter shows its text. See [`SourceFile::show_source`].
    pub hide_source: bool,
    /// Group memberships declared apart from users (`aws_iam_group_membership`):
    /// (group ARN or name, user ARN or name).
    pub memberships: Vec<(String, String)>,
    /// Policy attachments declared apart from their target
    /// (`aws_iam_role_policy_attachment`): (entity ARN or name, policy ARN).
    pub attachments: Vec<(String, String)>,
    /// Policies for entities the file names in a known account but does not define.
    pub named_grants: Vec<NamedGrant>,
    /// Values a loader could not know statically (a Terraform variable without a value,
    /// a remote module's output), with why: `iamlint inventory` lists them, so a user can
    /// see why a role is missing or a rule stayed silent.
    pub unknown_values: Vec<UnknownValue>,
}

/// A value not known statically (see [`Contribution::unknown_values`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnknownValue {
    /// What it is: `aws_iam_role.deploy.name`, `module.roles`.
    pub what: String,
    pub why: String,
    pub at: Option<Location>,
}

impl Contribution {
    /// Gives back the spare room of every list. Loaders push one item at a time (a list
    /// of one role gets room for four); every file's contribution is held until all are
    /// merged, so the slack would add up to megabytes on a monorepo.
    pub fn shrink_to_fit(&mut self) {
        self.documents.shrink_to_fit();
        self.roles.shrink_to_fit();
        self.users.shrink_to_fit();
        self.groups.shrink_to_fit();
        self.managed_policies.shrink_to_fit();
        self.profiles.shrink_to_fit();
        self.config_sections.shrink_to_fit();
        self.secrets.shrink_to_fit();
        self.redactions.shrink_to_fit();
        self.provider_chains.shrink_to_fit();
        self.switch_links.shrink_to_fit();
        self.findings.shrink_to_fit();
        self.memberships.shrink_to_fit();
        self.attachments.shrink_to_fit();
        self.named_grants.shrink_to_fit();
    }

    /// Whether it holds nothing at all (most files of a monorepo): the scan keeps no
    /// contribution for such a file. Spelled out field by field, so that a new field
    /// cannot be forgotten here.
    pub fn is_empty(&self) -> bool {
        let Contribution {
            documents,
            roles,
            users,
            groups,
            managed_policies,
            profiles,
            config_sections,
            secrets,
            redactions,
            provider_chains,
            switch_links,
            findings,
            hide_source,
            memberships,
            attachments,
            named_grants,
            unknown_values,
        } = self;
        documents.is_empty()
            && roles.is_empty()
            && users.is_empty()
            && groups.is_empty()
            && managed_policies.is_empty()
            && profiles.is_empty()
            && config_sections.is_empty()
            && secrets.is_empty()
            && redactions.is_empty()
            && provider_chains.is_empty()
            && switch_links.is_empty()
            && findings.is_empty()
            && !hide_source
            && memberships.is_empty()
            && attachments.is_empty()
            && named_grants.is_empty()
            && unknown_values.is_empty()
    }

    /// Every policy document the file holds: standalone and entities' (a document placed
    /// on several entities comes once per place).
    pub fn documents_held(&self) -> impl Iterator<Item = &Arc<PolicyDocument>> {
        documents_held(
            &self.documents,
            &self.roles,
            &self.users,
            &self.groups,
            &self.managed_policies,
        )
        .chain(self.named_grants.iter().flat_map(|g| &g.policies))
    }
}

/// Every file's contribution, merged.
#[derive(Debug, Default)]
pub struct Inventory {
    pub files: Vec<SourceFile>,
    pub documents: Vec<Arc<PolicyDocument>>,
    pub roles: Vec<Role>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub managed_policies: Vec<ManagedPolicy>,
    /// Shared with the profile sets (`Inventory::profile_sets`), which would otherwise copy
    /// every profile: a platform team's configs hold hundreds each.
    pub profiles: Vec<Arc<Profile>>,
    pub config_sections: Vec<ConfigSection>,
    pub secrets: Vec<SecretKey>,
    /// Byte ranges whose text reporters must never print (see [`Contribution::redactions`]).
    pub redactions: Vec<Location>,
    pub provider_chains: Vec<ProviderChain>,
    pub switch_links: Vec<SwitchLink>,
    pub findings: Vec<Finding>,
    /// Values not known statically, sorted (see [`Contribution::unknown_values`]).
    pub unknown_values: Vec<UnknownValue>,
    /// Look-up tables built by `merge` (ARN -> index), so the graph is linear to build.
    index: Index,
    /// The CLI profile sets, grouped and merged once on first use (several rules read them).
    profile_sets: OnceLock<Vec<ProfileSet>>,
}

#[derive(Debug, Default)]
struct Index {
    /// Roles and managed policies by ARN: positions in their lists, the ARN read from the
    /// entity itself (a monorepo has tens of thousands; a map of copied ARNs was a
    /// megabyte of strings and as many allocations).
    roles: ByArn,
    managed_policies: ByArn,
    /// account -> group name -> index (two levels, so a look-up borrows its keys).
    groups: HashMap<Account, HashMap<String, usize>>,
}

/// Positions in a list, found by a string key that each item holds (see [`Index`]).
#[derive(Default)]
struct ByArn {
    table: HashTable<usize>,
}

impl std::fmt::Debug for ByArn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ByArn({} entries)", self.table.len())
    }
}

impl ByArn {
    /// Indexes `items` by `arn`; the first of items with the same ARN wins.
    fn build<T>(items: &[T], arn: impl Fn(&T) -> &str) -> ByArn {
        let mut table = HashTable::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let key = arn(item);
            let hash = hash_key(None, key);
            let entry = table.entry(
                hash,
                |&j: &usize| items.get(j).is_some_and(|o| arn(o) == key),
                |&j: &usize| items.get(j).map_or(0, |o| hash_key(None, arn(o))),
            );
            if let hashbrown::hash_table::Entry::Vacant(v) = entry {
                v.insert(i);
            }
        }
        ByArn { table }
    }

    fn get<'a, T>(&self, items: &'a [T], key: &str, arn: impl Fn(&T) -> &str) -> Option<&'a T> {
        let hash = hash_key(None, key);
        self.table
            .find(hash, |&j| items.get(j).is_some_and(|o| arn(o) == key))
            .and_then(|&j| items.get(j))
    }
}

/// The hash of a merge key (see [`entity_key`]): the template an unknown account belongs
/// to, if any, and the ARN (`None` for the plain ARN indexes). A fixed state, so the tables
/// need no hasher stored beside them; the seed changes nothing a scan gives, since items
/// keep the order they first came in.
fn hash_key(template: Option<FileId>, arn: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x1a4e_11a7).hash_one((template, arn))
}

impl Inventory {
    /// How many files were read as IAM configuration (see [`SourceFile::is_scanned`]).
    pub fn files_scanned(&self) -> usize {
        self.files.iter().filter(|f| f.is_scanned()).count()
    }

    /// Every CLI profile set (a config file with the credentials file beside it), in file
    /// order; see [`super::profile_set`].
    pub fn profile_sets(&self) -> &[ProfileSet] {
        self.profile_sets
            .get_or_init(|| super::profile_set::profile_sets(self))
    }

    /// Joins contributions in the order given (file order), merging entities by ARN.
    pub fn merge(files: Vec<SourceFile>, parts: Vec<Box<Contribution>>) -> Inventory {
        // Roles (the bulk of a monorepo's entities) merge on one thread while everything
        // else merges on another; each side keeps file order, so the result is the same.
        let mut role_parts = Vec::with_capacity(parts.len());
        let mut rest = Vec::with_capacity(parts.len());
        for mut part in parts {
            role_parts.push(std::mem::take(&mut part.roles));
            rest.push(part);
        }
        // Each side indexes its own lists by ARN before they meet.
        let ((roles, role_index), (mut inv, declared_apart)) = rayon::join(
            || {
                let roles = merge_roles(role_parts);
                let index = ByArn::build(&roles, |r| &r.arn);
                (roles, index)
            },
            || {
                let (mut inv, declared_apart) = merge_rest(files, rest);
                inv.index.managed_policies = ByArn::build(&inv.managed_policies, |p| &p.arn);
                (inv, declared_apart)
            },
        );
        inv.roles = roles;
        let DeclaredApart {
            memberships,
            attachments,
            named_grants,
        } = declared_apart;
        inv.index.roles = if super::named_grant::apply(&mut inv, named_grants) {
            ByArn::build(&inv.roles, |r| &r.arn)
        } else {
            role_index
        };
        inv.apply_memberships(memberships);
        inv.apply_attachments(attachments);
        inv.index_groups();
        inv
    }

    fn index_groups(&mut self) {
        let mut groups: HashMap<Account, HashMap<String, usize>> = HashMap::new();
        for (i, g) in self.groups.iter().enumerate() {
            groups
                .entry(g.account.clone())
                .or_default()
                .entry(g.name.clone())
                .or_insert(i);
        }
        self.index.groups = groups;
    }

    /// A group by account and name.
    pub fn group(&self, account: &Account, name: &str) -> Option<&Group> {
        self.index
            .groups
            .get(account)
            .and_then(|names| names.get(name))
            .and_then(|&i| self.groups.get(i))
    }

    fn apply_memberships(&mut self, memberships: Vec<(String, String)>) {
        if memberships.is_empty() {
            return;
        }
        let users = name_or_arn_index(self.users.iter().map(|u| (&u.arn, &u.name)));
        for (group, user) in memberships {
            let group_name = group.rsplit('/').next().unwrap_or(&group).to_owned();
            if let Some(u) = users.get(&user).and_then(|&i| self.users.get_mut(i)) {
                if !u.groups.contains(&group_name) {
                    u.groups.push(group_name);
                }
            }
        }
    }

    fn apply_attachments(&mut self, attachments: Vec<(String, String)>) {
        if attachments.is_empty() {
            return;
        }
        let roles = name_or_arn_index(self.roles.iter().map(|r| (&r.arn, &r.name)));
        let users = name_or_arn_index(self.users.iter().map(|u| (&u.arn, &u.name)));
        let groups = name_or_arn_index(self.groups.iter().map(|g| (&g.arn, &g.name)));
        for (target, policy) in attachments {
            let list = if let Some(r) = roles.get(&target).and_then(|&i| self.roles.get_mut(i)) {
                &mut r.attached
            } else if let Some(u) = users.get(&target).and_then(|&i| self.users.get_mut(i)) {
                &mut u.attached
            } else if let Some(g) = groups.get(&target).and_then(|&i| self.groups.get_mut(i)) {
                &mut g.attached
            } else {
                continue;
            };
            if !list.contains(&policy) {
                list.push(policy);
            }
        }
    }

    /// Every policy document: standalone ones and those owned by entities, each once.
    pub fn all_documents(&self) -> Vec<&Arc<PolicyDocument>> {
        // Merged entities can share a document; keep one of each.
        let mut seen = foldhash::HashSet::default();
        documents_held(
            &self.documents,
            &self.roles,
            &self.users,
            &self.groups,
            &self.managed_policies,
        )
        .filter(|d| seen.insert(Arc::as_ptr(d)))
        .collect()
    }

    pub fn file_path(&self, id: FileId) -> Option<&std::path::Path> {
        self.files.get(id as usize).map(|f| f.path.as_path())
    }

    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        self.index.roles.get(&self.roles, arn, |r| &r.arn)
    }

    pub fn managed_policy(&self, arn: &str) -> Option<&ManagedPolicy> {
        self.index
            .managed_policies
            .get(&self.managed_policies, arn, |p| &p.arn)
    }
}

/// Standalone documents, then those of roles (trust first), users, groups and managed
/// policies: what a contribution or the inventory holds, in that order.
fn documents_held<'a>(
    documents: &'a [Arc<PolicyDocument>],
    roles: &'a [Role],
    users: &'a [User],
    groups: &'a [Group],
    managed_policies: &'a [ManagedPolicy],
) -> impl Iterator<Item = &'a Arc<PolicyDocument>> {
    documents
        .iter()
        .chain(roles.iter().flat_map(|r| r.trust.iter().chain(&r.policies)))
        .chain(users.iter().flat_map(|u| &u.policies))
        .chain(groups.iter().flat_map(|g| &g.policies))
        .chain(managed_policies.iter().flat_map(|p| &p.document))
}

/// Merges the roles of every file, in file order (see [`Inventory::merge`]).
fn merge_roles(parts: Vec<Vec<Role>>) -> Vec<Role> {
    let mut out = Keyed::with_capacity(parts.iter().map(Vec::len).sum());
    for role in parts.into_iter().flatten() {
        out.merge(role, |r| entity_key(&r.account, &r.arn), merge_role);
    }
    out.items
}

/// What files declare apart from the entities it is about, applied once every entity is
/// merged: memberships, attachments and grants to entities known by name.
struct DeclaredApart {
    memberships: Pairs,
    attachments: Pairs,
    named_grants: Vec<NamedGrant>,
}

/// Merges everything but roles, in file order, and returns what was declared apart, to
/// apply once the roles are in too. (Boxed as they were loaded: splitting them off the
/// roles then moves pointers, not contributions.)
#[allow(clippy::vec_box)]
fn merge_rest(files: Vec<SourceFile>, parts: Vec<Box<Contribution>>) -> (Inventory, DeclaredApart) {
    let mut inv = Inventory {
        files,
        ..Inventory::default()
    };
    // Sized up front: a monorepo contributes tens of thousands of items, and growing by
    // doubling copies them and leaves half-empty buffers behind.
    let total = |f: fn(&Contribution) -> usize| parts.iter().map(|p| f(p)).sum::<usize>();
    inv.documents.reserve_exact(total(|p| p.documents.len()));
    inv.profiles.reserve_exact(total(|p| p.profiles.len()));
    inv.findings.reserve_exact(total(|p| p.findings.len()));
    let mut users = Keyed::with_capacity(total(|p| p.users.len()));
    let mut groups = Keyed::with_capacity(total(|p| p.groups.len()));
    let mut policies = Keyed::with_capacity(total(|p| p.managed_policies.len()));
    let mut apart = DeclaredApart {
        memberships: Vec::new(),
        attachments: Vec::new(),
        named_grants: Vec::new(),
    };
    for part in parts {
        let part = *part;
        inv.documents.extend(part.documents);
        for user in part.users {
            users.merge(user, |u| entity_key(&u.account, &u.arn), merge_user);
        }
        for group in part.groups {
            groups.merge(group, |g| entity_key(&g.account, &g.arn), merge_group);
        }
        for policy in part.managed_policies {
            policies.merge(policy, managed_policy_key, |a, b| {
                if a.document.is_none() {
                    a.document = b.document;
                }
                a.defined_at.extend(b.defined_at);
            });
        }
        inv.profiles.extend(part.profiles);
        inv.config_sections.extend(part.config_sections);
        inv.secrets.extend(part.secrets);
        inv.redactions.extend(part.redactions);
        inv.provider_chains.extend(part.provider_chains);
        inv.switch_links.extend(part.switch_links);
        inv.findings.extend(part.findings);
        inv.unknown_values.extend(part.unknown_values);
        apart.memberships.extend(part.memberships);
        apart.attachments.extend(part.attachments);
        apart.named_grants.extend(part.named_grants);
    }
    inv.unknown_values.sort();
    inv.users = users.items;
    inv.groups = groups.items;
    inv.managed_policies = policies.items;
    (inv, apart)
}

/// (entity, other) name pairs declared apart: memberships and attachments.
type Pairs = Vec<(String, String)>;

/// The merge key of an entity: its ARN within its account. Two CloudFormation templates
/// that both say `${AWS::AccountId}` are two accounts as far as iamlint knows, so their
/// roles of the same name stay apart.
fn entity_key<'a>(account: &Account, arn: &'a str) -> (Option<FileId>, &'a str) {
    match account {
        Account::Template(file) => (Some(*file), arn),
        _ => (None, arn),
    }
}

/// The merge key of a managed policy. A policy carries no account of its own: one whose
/// ARN holds CloudFormation's `${AWS::AccountId}` belongs to its template's unknown
/// account (as in [`entity_key`]), so same-named policies of two templates stay apart.
fn managed_policy_key(policy: &ManagedPolicy) -> (Option<FileId>, &str) {
    match policy.defined_at.first() {
        Some(at) if policy.arn.contains("${AWS::AccountId}") => (Some(at.file), &policy.arn),
        _ => (None, &policy.arn),
    }
}

/// Entities merged by key, in the order they first came: the key is read from the
/// entities themselves, so merging copies no ARN.
struct Keyed<T> {
    items: Vec<T>,
    table: HashTable<usize>,
}

impl<T> Keyed<T> {
    fn with_capacity(n: usize) -> Self {
        Keyed {
            items: Vec::with_capacity(n),
            table: HashTable::with_capacity(n),
        }
    }

    /// Adds `item`, or merges it into the entity with the same key.
    fn merge(
        &mut self,
        item: T,
        key: impl Fn(&T) -> (Option<FileId>, &str),
        merge: impl Fn(&mut T, T),
    ) {
        let Keyed { items, table } = self;
        let (template, arn) = key(&item);
        let hash = hash_key(template, arn);
        let found = table
            .find(hash, |&j| {
                items.get(j).is_some_and(|o| key(o) == (template, arn))
            })
            .copied();
        match found.and_then(|j| items.get_mut(j)) {
            Some(existing) => merge(existing, item),
            None => {
                table.insert_unique(hash, items.len(), |&j| {
                    items.get(j).map_or(0, |o| {
                        let (t, a) = key(o);
                        hash_key(t, a)
                    })
                });
                items.push(item);
            }
        }
    }
}

fn merge_role(a: &mut Role, b: Role) {
    if a.trust.is_none() {
        a.trust = b.trust;
    }
    a.policies.extend(b.policies);
    extend_unique(&mut a.attached, b.attached);
    a.max_session_duration = a.max_session_duration.or(b.max_session_duration);
    a.defined_at.extend(b.defined_at);
}

fn merge_user(a: &mut User, b: User) {
    a.policies.extend(b.policies);
    extend_unique(&mut a.attached, b.attached);
    extend_unique(&mut a.groups, b.groups);
    a.console = match (a.console, b.console) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (x, y) => x.or(y),
    };
    a.defined_at.extend(b.defined_at);
}

fn merge_group(a: &mut Group, b: Group) {
    a.policies.extend(b.policies);
    extend_unique(&mut a.attached, b.attached);
    a.defined_at.extend(b.defined_at);
}

/// Entities by ARN and by name (attachments and memberships name either).
fn name_or_arn_index<'a>(
    items: impl Iterator<Item = (&'a String, &'a String)>,
) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, (arn, name)) in items.enumerate() {
        map.entry(arn.clone()).or_insert(i);
        map.entry(name.clone()).or_insert(i);
    }
    map
}

fn extend_unique(a: &mut Vec<String>, b: Vec<String>) {
    for x in b {
        if !a.contains(&x) {
            a.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(arn: &str, file: FileId) -> Contribution {
        Contribution {
            managed_policies: vec![ManagedPolicy {
                arn: arn.to_owned(),
                document: None,
                defined_at: vec![Location::file(file)],
            }],
            ..Contribution::default()
        }
    }

    #[test]
    fn template_managed_policies_stay_apart_and_known_ones_merge() {
        let template = "arn:aws:iam::${AWS::AccountId}:policy/<Readers>";
        let known = "arn:aws:iam::111122223333:policy/Readers";
        let inv = Inventory::merge(
            Vec::new(),
            vec![
                Box::new(policy(template, 0)),
                Box::new(policy(template, 1)),
                Box::new(policy(known, 2)),
                Box::new(policy(known, 3)),
            ],
        );
        let arns: Vec<(&str, usize)> = inv
            .managed_policies
            .iter()
            .map(|p| (p.arn.as_str(), p.defined_at.len()))
            .collect();
        assert_eq!(arns, vec![(template, 1), (template, 1), (known, 2)]);
    }
}
