//! A path into a JSON document (a parsed JSON Pointer), used to find a value's exact
//! position again when a finding is reported. Paths are cheap to keep; byte ranges are
//! only computed for values that end up in a finding.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// One step of a [`JsonPath`]: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSeg {
    Key(PathKey),
    Index(usize),
}

/// An object key of a path. Paths are made for every attribute the loaders read and
/// every statement the rules look at, and almost all of their keys are the same few
/// dozen words of policy and configuration grammar: those are kept as static text, any
/// other key once behind a shared pointer, so extending a path copies no key.
#[derive(Clone)]
pub enum PathKey {
    Static(&'static str),
    Shared(Arc<str>),
}

impl PathKey {
    pub fn as_str(&self) -> &str {
        match self {
            PathKey::Static(s) => s,
            PathKey::Shared(s) => s,
        }
    }
}

impl Deref for PathKey {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for PathKey {
    fn from(key: &str) -> Self {
        match common_key(key) {
            Some(k) => PathKey::Static(k),
            None => PathKey::Shared(Arc::from(key)),
        }
    }
}

impl From<&Arc<str>> for PathKey {
    fn from(key: &Arc<str>) -> Self {
        match common_key(key) {
            Some(k) => PathKey::Static(k),
            None => PathKey::Shared(key.clone()),
        }
    }
}

impl From<String> for PathKey {
    fn from(key: String) -> Self {
        PathKey::from(key.as_str())
    }
}

impl PartialEq for PathKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PathKey {}

impl PartialEq<str> for PathKey {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for PathKey {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::hash::Hash for PathKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialOrd for PathKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PathKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for PathKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for PathKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The key as static text when it is one of the words paths are mostly made of (one
/// hash look-up: a `match` over all of them compares lengths and bytes one by one).
fn common_key(key: &str) -> Option<&'static str> {
    static WORDS: std::sync::LazyLock<foldhash::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| COMMON_KEYS.iter().copied().collect());
    WORDS.get(key).copied()
}

/// Policy grammar; Terraform plans, state, `.tf.json` and evaluated HCL; CloudFormation;
/// account authorization dumps; the AWS CLI.
const COMMON_KEYS: &[&str] = &[
    "Version",
    "Statement",
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
    "AWS",
    "Service",
    "Federated",
    "CanonicalUser",
    "StringEquals",
    "StringLike",
    "StringNotEquals",
    "StringNotLike",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Bool",
    "Null",
    "ForAnyValue:StringEquals",
    "ForAnyValue:StringLike",
    "ForAllValues:StringEquals",
    "ForAllValues:StringLike",
    "sts:ExternalId",
    "aws:PrincipalOrgID",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:PrincipalArn",
    "aws:MultiFactorAuthPresent",
    "resources",
    "values",
    "providers",
    "planned_values",
    "prior_state",
    "root_module",
    "child_modules",
    "configuration",
    "resource_changes",
    "change",
    "after",
    "after_unknown",
    "expressions",
    "constant_value",
    "references",
    "address",
    "module_calls",
    "module",
    "resource",
    "data",
    "provider",
    "provider_config",
    "assume_role",
    "role_arn",
    "assume_role_policy",
    "policy",
    "name",
    "name_prefix",
    "path",
    "arn",
    "id",
    "role",
    "user",
    "group",
    "users",
    "roles",
    "groups",
    "policy_arn",
    "managed_policy_arns",
    "inline_policy",
    "max_session_duration",
    "account_id",
    "allowed_account_ids",
    "statement",
    "effect",
    "actions",
    "not_actions",
    "not_resources",
    "principals",
    "not_principals",
    "identifiers",
    "type",
    "condition",
    "test",
    "variable",
    "values_list",
    "json",
    "Resources",
    "Properties",
    "Type",
    "AssumeRolePolicyDocument",
    "Policies",
    "PolicyDocument",
    "PolicyName",
    "RoleName",
    "UserName",
    "GroupName",
    "ManagedPolicyArns",
    "MaxSessionDuration",
    "Roles",
    "Users",
    "Groups",
    "Path",
    "Fn::Sub",
    "Fn::Join",
    "Ref",
    "Fn::GetAtt",
    "Fn::If",
    "Outputs",
    "Parameters",
    "RoleDetailList",
    "UserDetailList",
    "GroupDetailList",
    "RolePolicyList",
    "UserPolicyList",
    "GroupPolicyList",
    "AttachedManagedPolicies",
    "PolicyVersionList",
    "Document",
    "Arn",
    "RoleId",
    "InstanceProfileList",
    "GroupList",
    "profiles",
];

/// A path from a document's root to one of its values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPath(pub Vec<PathSeg>);

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// This path with one more object key.
    pub fn key(&self, key: &str) -> Self {
        self.then(PathSeg::Key(PathKey::from(key)))
    }

    /// This path with one more array index.
    pub fn index(&self, index: usize) -> Self {
        self.then(PathSeg::Index(index))
    }

    /// This path and one more segment, in one allocation of the exact size (a clone and a
    /// push grew every new path once more: 1% of a scan).
    fn then(&self, seg: PathSeg) -> Self {
        let mut segs = Vec::with_capacity(self.0.len() + 1);
        segs.extend_from_slice(&self.0);
        segs.push(seg);
        JsonPath(segs)
    }

    /// This path followed by `other`.
    pub fn join(&self, other: &JsonPath) -> Self {
        let mut segs = Vec::with_capacity(self.0.len() + other.0.len());
        segs.extend_from_slice(&self.0);
        segs.extend_from_slice(&other.0);
        JsonPath(segs)
    }

    pub fn segments(&self) -> &[PathSeg] {
        &self.0
    }

    /// Parses an RFC 6901 JSON Pointer (`/Statement/0/Action`). Segments made only of
    /// digits become indices; `~1` and `~0` are unescaped.
    pub fn from_pointer(pointer: &str) -> Self {
        if pointer.is_empty() {
            return JsonPath::root();
        }
        let segs = pointer
            .trim_start_matches('/')
            .split('/')
            .map(|raw| {
                let seg = raw.replace("~1", "/").replace("~0", "~");
                match seg.parse::<usize>() {
                    Ok(i) if !seg.is_empty() && (seg == "0" || !seg.starts_with('0')) => {
                        PathSeg::Index(i)
                    }
                    _ => PathSeg::Key(PathKey::from(seg)),
                }
            })
            .collect();
        JsonPath(segs)
    }
}

impl fmt::Display for JsonPath {
    /// Writes the path as an RFC 6901 JSON Pointer.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for seg in &self.0 {
            match seg {
                PathSeg::Key(k) => write!(f, "/{}", k.replace('~', "~0").replace('/', "~1"))?,
                PathSeg::Index(i) => write!(f, "/{i}")?,
            }
        }
        Ok(())
    }
}
