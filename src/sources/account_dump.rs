//! `aws iam get-account-authorization-details` dumps: every user, group, role and managed
//! policy of one account, with their inline policies, attachments and trust policies. The
//! AWS CLI prints policy documents as JSON objects; the raw API (and SDKs that do not
//! decode them) gives URL-encoded JSON strings: both are read, and positions point into
//! either form. A part of the dump with a shape iamlint cannot use is an IAM004 finding at
//! its position, and the rest of the file still loads. Several dumps (one per account)
//! simply merge in the inventory. This module describes what the dump holds; it never
//! decides what is a rule finding.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::{FileInput, LoadContext, MALFORMED_SOURCE};
use crate::finding::{Finding, Severity};
use crate::model::arn::{is_account_id, Arn};
use crate::model::inventory::{Account, Contribution, Group, ManagedPolicy, Role, User};
use crate::model::location::{DocOrigin, FileId, Location};
use crate::model::path::JsonPath;
use crate::model::policy::{PolicyDocument, PolicyKind};
use crate::model::shared_str::SharedStr;

/// Loads one dump.
pub fn load(_ctx: &LoadContext, input: &FileInput, value: &Value) -> Contribution {
    let mut dump = Dump::new(input.id);
    let Some(top) = value.as_object() else {
        return dump.out;
    };
    let root = JsonPath::root();
    // A dump made with `--filter` holds only some of the lists, so a missing list is not
    // a problem; a list that is not a list is.
    for (key, load_entry) in [
        ("UserDetailList", Dump::user as EntryLoader),
        ("GroupDetailList", Dump::group),
        ("RoleDetailList", Dump::role),
        ("Policies", Dump::policy),
    ] {
        let path = root.key(key);
        let Some(list) = top.get(key) else { continue };
        let Some(items) = dump.list(list, &path, key) else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let at = path.index(i);
            match item.as_object() {
                Some(entry) => load_entry(&mut dump, entry, &at),
                None => dump.malformed(
                    &at,
                    format!("`{key}` entry must be an object, found {}", kind_of(item)),
                ),
            }
        }
    }
    dump.out
}

type EntryLoader = fn(&mut Dump, &Map<String, Value>, &JsonPath);

/// The contribution being built and the file it comes from. The single-entity outputs of
/// `aws iam get-role` and friends ([`super::api_output`]) hold the same entries as a dump's
/// lists, so they are read by the same methods.
pub(crate) struct Dump {
    pub(crate) file: FileId,
    pub(crate) out: Contribution,
}

impl Dump {
    pub(crate) fn new(file: FileId) -> Self {
        Dump {
            file,
            out: Contribution::default(),
        }
    }

    pub(crate) fn malformed(&mut self, path: &JsonPath, message: String) {
        self.out.findings.push(
            Finding::new(
                MALFORMED_SOURCE,
                Severity::Error,
                Location::json(self.file, path.clone()),
                message,
            )
            .with_identity(format!("{MALFORMED_SOURCE}:{path}")),
        );
    }

    fn loc(&self, path: &JsonPath) -> Location {
        Location::json(self.file, path.clone())
    }

    /// The items of a list member, or a finding when it is not a list.
    pub(crate) fn list<'v>(
        &mut self,
        v: &'v Value,
        path: &JsonPath,
        key: &str,
    ) -> Option<&'v [Value]> {
        match v {
            Value::Array(items) => Some(items),
            other => {
                self.malformed(
                    path,
                    format!("`{key}` must be a list, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    /// A required string member, or a finding at the entry (missing) or the value (not a
    /// string).
    fn required_str<'v>(
        &mut self,
        entry: &'v Map<String, Value>,
        path: &JsonPath,
        key: &str,
        what: &str,
    ) -> Option<&'v str> {
        match entry.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s),
            Some(other) => {
                self.malformed(
                    &path.key(key),
                    format!(
                        "`{key}` of {what} must be a non-empty string, found {}",
                        kind_of(other)
                    ),
                );
                None
            }
            None => {
                self.malformed(path, format!("{what} has no `{key}`"));
                None
            }
        }
    }

    /// An optional list member's items (absent: none; AWS leaves out empty lists such as
    /// `UserPolicyList`).
    fn optional_list<'v>(
        &mut self,
        entry: &'v Map<String, Value>,
        path: &JsonPath,
        key: &str,
    ) -> &'v [Value] {
        match entry.get(key) {
            None | Some(Value::Null) => &[],
            Some(v) => self.list(v, &path.key(key), key).unwrap_or(&[]),
        }
    }

    /// A policy document held as a JSON object, a JSON string or a URL-encoded JSON string.
    pub(crate) fn document(
        &mut self,
        v: &Value,
        path: &JsonPath,
        kind: PolicyKind,
        label: String,
        aws_managed: bool,
    ) -> Option<PolicyDocument> {
        // A document held as a string is parsed here; one held as an object is borrowed.
        let decoded: Value;
        let (raw, origin) = match v {
            Value::Object(_) => (
                v,
                DocOrigin::Json {
                    file: self.file,
                    base: path.clone(),
                },
            ),
            Value::String(s) => {
                // The CLI decodes documents; the API percent-encodes them. A string that
                // already starts like JSON is taken as JSON: decoding it again would turn a
                // `+` in a condition value into a space.
                let url_encoded = !s.trim_start().starts_with('{');
                let text = if url_encoded {
                    match crate::span::decode_url_text(s) {
                        Some(text) => text,
                        None => {
                            self.malformed(
                                path,
                                "URL-encoded policy document does not decode to UTF-8 text".into(),
                            );
                            return None;
                        }
                    }
                } else {
                    s.clone()
                };
                // Of an AWS managed policy only what may cover `sts:` is built.
                let parsed = if aws_managed {
                    super::json_value::aws_managed_document(&text)
                } else {
                    serde_json::from_str::<Value>(&text)
                };
                match parsed {
                    Ok(raw) => (
                        {
                            decoded = raw;
                            &decoded
                        },
                        DocOrigin::Embedded {
                            file: self.file,
                            string_at: path.clone(),
                            url_encoded,
                        },
                    ),
                    Err(e) => {
                        let how = if url_encoded {
                            "once URL-decoded, policy document is not JSON"
                        } else {
                            "policy document string is not JSON"
                        };
                        self.malformed(path, format!("{how}: {}", strip_position(&e)));
                        return None;
                    }
                }
            }
            other => {
                self.malformed(
                    path,
                    format!(
                        "policy document must be a JSON object or string, found {}",
                        kind_of(other)
                    ),
                );
                return None;
            }
        };
        Some(if aws_managed {
            PolicyDocument::aws_managed(raw, origin, label)
        } else {
            PolicyDocument::from_value(raw, origin, kind, label)
        })
    }

    /// `UserPolicyList`-style lists of `{PolicyName, PolicyDocument}`.
    pub(crate) fn inline_policies(
        &mut self,
        entry: &Map<String, Value>,
        path: &JsonPath,
        key: &str,
        owner: &str,
    ) -> Vec<Arc<PolicyDocument>> {
        let mut docs = Vec::new();
        for (i, item) in self.optional_list(entry, path, key).iter().enumerate() {
            let at = path.key(key).index(i);
            let Some(p) = item.as_object() else {
                self.malformed(
                    &at,
                    format!("`{key}` entry must be an object, found {}", kind_of(item)),
                );
                continue;
            };
            let name = self
                .required_str(p, &at, "PolicyName", "inline policy")
                .map(str::to_owned)
                .unwrap_or_else(|| format!("#{i}"));
            let Some(doc) = p.get("PolicyDocument") else {
                self.malformed(
                    &at,
                    format!("inline policy `{name}` has no `PolicyDocument`"),
                );
                continue;
            };
            let label = format!("policy {name} of {owner}");
            docs.extend(
                self.document(
                    doc,
                    &at.key("PolicyDocument"),
                    PolicyKind::Identity,
                    label,
                    false,
                )
                .map(Arc::new),
            );
        }
        docs
    }

    /// `AttachedManagedPolicies`: the policy ARNs.
    fn attached(&mut self, entry: &Map<String, Value>, path: &JsonPath) -> Vec<String> {
        let mut arns = Vec::new();
        let key = "AttachedManagedPolicies";
        for (i, item) in self.optional_list(entry, path, key).iter().enumerate() {
            let at = path.key(key).index(i);
            let Some(p) = item.as_object() else {
                self.malformed(
                    &at,
                    format!("`{key}` entry must be an object, found {}", kind_of(item)),
                );
                continue;
            };
            if let Some(arn) = self.required_str(p, &at, "PolicyArn", "attached policy") {
                arns.push(arn.to_owned());
            }
        }
        arns
    }

    pub(crate) fn user(&mut self, entry: &Map<String, Value>, path: &JsonPath) {
        let Some((arn, account, name, iam_path)) = self.identity(entry, path, "UserName", "user")
        else {
            return;
        };
        let owner = resource_of(&arn);
        let policies = self.inline_policies(entry, path, "UserPolicyList", &owner);
        let attached = self.attached(entry, path);
        let mut groups = Vec::new();
        for (i, g) in self
            .optional_list(entry, path, "GroupList")
            .iter()
            .enumerate()
        {
            match g {
                Value::String(s) => groups.push(s.clone()),
                other => self.malformed(
                    &path.key("GroupList").index(i),
                    format!(
                        "`GroupList` entry must be a group name, found {}",
                        kind_of(other)
                    ),
                ),
            }
        }
        // The dump itself has no login profiles; a dump enriched with `get-user` output
        // (`PasswordLastUsed`) or `get-login-profile` output (`LoginProfile`) says the user
        // signs in to the console. Without either, nothing is known.
        let console = (entry.get("PasswordLastUsed").is_some_and(Value::is_string)
            || entry.get("LoginProfile").is_some_and(Value::is_object))
        .then_some(true);
        self.out.users.push(User {
            arn,
            account,
            name,
            path: iam_path,
            policies,
            attached,
            groups,
            console,
            defined_at: vec![self.loc(path)],
        });
    }

    pub(crate) fn group(&mut self, entry: &Map<String, Value>, path: &JsonPath) {
        let Some((arn, account, name, _)) = self.identity(entry, path, "GroupName", "group") else {
            return;
        };
        let owner = resource_of(&arn);
        let policies = self.inline_policies(entry, path, "GroupPolicyList", &owner);
        let attached = self.attached(entry, path);
        self.out.groups.push(Group {
            arn,
            account,
            name,
            policies,
            attached,
            defined_at: vec![self.loc(path)],
        });
    }

    pub(crate) fn role(&mut self, entry: &Map<String, Value>, path: &JsonPath) {
        let Some((arn, account, name, iam_path)) = self.identity(entry, path, "RoleName", "role")
        else {
            return;
        };
        let owner = resource_of(&arn);
        let trust = match entry.get("AssumeRolePolicyDocument") {
            Some(doc) => self
                .document(
                    doc,
                    &path.key("AssumeRolePolicyDocument"),
                    PolicyKind::Trust,
                    format!("trust policy of {owner}"),
                    false,
                )
                .map(Arc::new),
            None => None,
        };
        let policies = self.inline_policies(entry, path, "RolePolicyList", &owner);
        let attached = self.attached(entry, path);
        let max_session_duration = match entry.get("MaxSessionDuration") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) => Some(n),
                None => {
                    self.malformed(
                        &path.key("MaxSessionDuration"),
                        format!(
                            "`MaxSessionDuration` must be a number of seconds, found {}",
                            kind_of(v)
                        ),
                    );
                    None
                }
            },
        };
        self.out.roles.push(Role {
            arn,
            account,
            name,
            path: iam_path,
            trust,
            policies,
            attached,
            max_session_duration,
            defined_at: vec![self.loc(path)],
        });
    }

    fn policy(&mut self, entry: &Map<String, Value>, path: &JsonPath) {
        let Some(arn) = self
            .required_str(entry, path, "Arn", "managed policy")
            .map(str::to_owned)
        else {
            return;
        };
        let aws_managed = is_aws_managed(&arn);
        let default_id = entry.get("DefaultVersionId").and_then(Value::as_str);
        let versions = self.optional_list(entry, path, "PolicyVersionList");
        let chosen = default_version(versions, default_id);
        let document = match chosen.and_then(|i| Some((i, versions.get(i)?.get("Document")?))) {
            Some((i, doc)) => {
                let at = path.key("PolicyVersionList").index(i).key("Document");
                let label = format!(
                    "managed policy {}",
                    resource_of(&arn).trim_start_matches("policy/")
                );
                self.document(doc, &at, PolicyKind::Identity, label, aws_managed)
                    .map(Arc::new)
            }
            None => None,
        };
        self.out.managed_policies.push(ManagedPolicy {
            arn,
            document,
            defined_at: vec![self.loc(path)],
        });
    }

    /// ARN, account, name and path of a user, group or role entry; a finding and `None`
    /// when the ARN or name is missing.
    fn identity(
        &mut self,
        entry: &Map<String, Value>,
        path: &JsonPath,
        name_key: &str,
        what: &str,
    ) -> Option<(String, Account, String, String)> {
        let arn = self
            .required_str(entry, path, "Arn", what)
            .map(str::to_owned);
        let name = self
            .required_str(entry, path, name_key, what)
            .map(str::to_owned);
        let (arn, name) = (arn?, name?);
        let account = match Arn::parse(&arn) {
            Ok(a) if is_account_id(&a.account) => Account::Known(SharedStr::new(&a.account)),
            _ => Account::Unknown,
        };
        let iam_path = entry
            .get("Path")
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_owned();
        Some((arn, account, name, iam_path))
    }
}

/// Whether a managed policy's ARN is an AWS managed policy's: those live in the
/// pseudo-account `aws`.
pub(crate) fn is_aws_managed(arn: &str) -> bool {
    Arn::parse(arn).is_ok_and(|a| a.account == "aws")
}

/// Which of a managed policy's versions is in force: the one marked `IsDefaultVersion`,
/// else the one whose `VersionId` is the policy's `DefaultVersionId`. The only version
/// whose document is read (which lets [`super::json_value`] build no other).
pub(crate) fn default_version(versions: &[Value], default_id: Option<&str>) -> Option<usize> {
    versions
        .iter()
        .position(|v| v.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true))
        .or_else(|| {
            versions.iter().position(|v| {
                default_id.is_some() && v.get("VersionId").and_then(Value::as_str) == default_id
            })
        })
}

/// `role/path/Name` from an ARN (the whole text when it is not one), for labels.
fn resource_of(arn: &str) -> String {
    Arn::parse(arn).map_or_else(|_| arn.to_owned(), |a| a.resource)
}

/// What kind of JSON value this is, for messages.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its " at line L column C" tail (positions are shown
/// separately).
pub(crate) fn strip_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ").and_then(|i| msg.get(..i)) {
        Some(head) => head.to_owned(),
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::location::Anchor;
    use serde_json::json;
    use std::path::Path;

    fn load_value(value: Value) -> Contribution {
        let config = Config::default();
        let ctx = LoadContext::new(&config);
        let text = value.to_string();
        let input = FileInput {
            id: 7,
            path: Path::new("dump.json"),
            text: &text,
            offset: 0,
        };
        load(&ctx, &input, &value)
    }

    fn finding_paths(out: &Contribution) -> Vec<(String, String)> {
        out.findings
            .iter()
            .map(|f| {
                let path = match &f.primary.anchor {
                    Anchor::Json { path, .. } => path.to_string(),
                    other => format!("{other:?}"),
                };
                (path, f.message.clone())
            })
            .collect()
    }

    /// `%7B…` as the IAM API returns documents (spaces as `+`).
    fn url_encode(text: &str) -> String {
        let mut out = String::new();
        for b in text.bytes() {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    out.push(b as char)
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    }

    #[test]
    fn loads_entities_accounts_and_documents() {
        let out = load_value(json!({
            "UserDetailList": [{
                "Path": "/ops/", "UserName": "alice", "Arn": "arn:aws:iam::111122223333:user/ops/alice",
                "GroupList": ["admins"],
                "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": []}}],
                "AttachedManagedPolicies": [{"PolicyName": "X", "PolicyArn": "arn:aws:iam::111122223333:policy/X"}]
            }],
            "GroupDetailList": [{"GroupName": "admins", "Arn": "arn:aws:iam::111122223333:group/admins", "GroupPolicyList": []}],
            "RoleDetailList": [{
                "Path": "/", "RoleName": "deploy", "Arn": "arn:aws:iam::111122223333:role/deploy",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]},
                "MaxSessionDuration": 7200
            }],
            "Policies": []
        }));
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let user = &out.users[0];
        assert_eq!(user.account, Account::Known("111122223333".into()));
        assert_eq!((user.name.as_str(), user.path.as_str()), ("alice", "/ops/"));
        assert_eq!(user.groups, vec!["admins"]);
        assert_eq!(user.attached, vec!["arn:aws:iam::111122223333:policy/X"]);
        assert_eq!(user.console, None);
        assert_eq!(
            user.policies[0].origin,
            DocOrigin::Json {
                file: 7,
                base: JsonPath::from_pointer("/UserDetailList/0/UserPolicyList/0/PolicyDocument")
            }
        );
        let role = &out.roles[0];
        assert_eq!(role.max_session_duration, Some(7200));
        let trust = role.trust.as_ref().unwrap();
        assert_eq!(trust.kind, PolicyKind::Trust);
        assert_eq!(trust.label, "trust policy of role/deploy");
        assert_eq!(out.groups[0].name, "admins");
    }

    #[test]
    fn url_encoded_documents_keep_their_origin() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalTag/duty":"on call"}}}]}"#;
        let out = load_value(json!({
            "RoleDetailList": [{
                "RoleName": "r", "Arn": "arn:aws:iam::444455556666:role/r",
                "AssumeRolePolicyDocument": url_encode(trust),
            }]
        }));
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let doc = out.roles[0].trust.as_ref().unwrap();
        assert_eq!(
            doc.origin,
            DocOrigin::Embedded {
                file: 7,
                string_at: JsonPath::from_pointer("/RoleDetailList/0/AssumeRolePolicyDocument"),
                url_encoded: true
            }
        );
        let stmt = &doc.statements[0];
        assert!(stmt.covers_action("sts:AssumeRole"));
        // `+` decodes to a space.
        assert_eq!(*stmt.conditions[0].values, ["on call"]);
    }

    #[test]
    fn json_string_documents_are_not_url_decoded() {
        let out = load_value(json!({
            "RoleDetailList": [{
                "RoleName": "r", "Arn": "arn:aws:iam::444455556666:role/r",
                "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a+b/*"}]}"#}]
            }]
        }));
        let doc = &out.roles[0].policies[0];
        assert!(matches!(
            doc.origin,
            DocOrigin::Embedded {
                url_encoded: false,
                ..
            }
        ));
        assert_eq!(
            *doc.statements[0].resource.as_ref().unwrap().values,
            ["arn:aws:s3:::a+b/*"]
        );
    }

    #[test]
    fn managed_policies_use_the_default_version() {
        let out = load_value(json!({
            "Policies": [
                {"PolicyName": "mine", "Arn": "arn:aws:iam::111122223333:policy/mine", "DefaultVersionId": "v2",
                 "PolicyVersionList": [
                    {"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}},
                    {"VersionId": "v2", "IsDefaultVersion": true, "Document": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}
                 ]},
                {"PolicyName": "ReadOnlyAccess", "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "DefaultVersionId": "v9",
                 "PolicyVersionList": [{"VersionId": "v9", "Document": {"Statement": []}}]}
            ]
        }));
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let mine = out.managed_policies[0].document.as_ref().unwrap();
        assert!(mine.statements[0].covers_action("sts:AssumeRole"));
        assert!(!mine.aws_managed);
        assert_eq!(mine.label, "managed policy mine");
        // No `IsDefaultVersion`: the `DefaultVersionId` decides.
        let aws = out.managed_policies[1].document.as_ref().unwrap();
        assert!(aws.aws_managed);
        assert_eq!(
            aws.origin,
            DocOrigin::Json {
                file: 7,
                base: JsonPath::from_pointer("/Policies/1/PolicyVersionList/0/Document")
            }
        );
    }

    #[test]
    fn aws_managed_policies_keep_only_what_may_cover_sts() {
        let statements = json!([
            {"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*"], "Resource": "*"},
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
            {"Effect": "Allow", "Action": ["iam:Get*", "STS:GetCallerIdentity"], "Resource": "*"},
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Allow", "Action": ["s*:Assume*"], "Resource": "*"},
            {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "Assume*", "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
        ]);
        let policy = |arn: &str| {
            json!({"PolicyName": "p", "Arn": arn, "DefaultVersionId": "v1",
                   "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
                                          "Document": {"Statement": statements.clone()}}]})
        };
        let out = load_value(json!({"Policies": [
            policy("arn:aws:iam::aws:policy/Broad"),
            policy("arn:aws:iam::111122223333:policy/Mine"),
        ]}));
        let aws = out.managed_policies[0].document.as_ref().unwrap();
        let kept: Vec<String> = aws
            .statements
            .iter()
            .map(|s| s.path().to_string())
            .collect();
        assert_eq!(
            kept,
            [
                "/Statement/1",
                "/Statement/2",
                "/Statement/3",
                "/Statement/4",
                "/Statement/5",
                "/Statement/6"
            ]
        );
        assert_eq!(aws.omitted_statements, 2);
        // A customer managed policy is the user's: every statement is built and checked.
        let mine = out.managed_policies[1].document.as_ref().unwrap();
        assert_eq!((mine.statements.len(), mine.omitted_statements), (8, 0));
    }

    #[test]
    fn console_only_with_evidence() {
        let out = load_value(json!({
            "UserDetailList": [
                {"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "PasswordLastUsed": "2024-01-01T00:00:00Z"},
                {"UserName": "b", "Arn": "arn:aws:iam::111122223333:user/b", "LoginProfile": {"UserName": "b"}},
                {"UserName": "c", "Arn": "arn:aws:iam::111122223333:user/c"}
            ]
        }));
        let console: Vec<_> = out.users.iter().map(|u| u.console).collect();
        assert_eq!(console, vec![Some(true), Some(true), None]);
    }

    #[test]
    fn shape_errors_are_findings_and_the_rest_loads() {
        let out = load_value(json!({
            "UserDetailList": [
                "alice",
                {"UserName": "bob"},
                {"UserName": "carol", "Arn": "arn:aws:iam::111122223333:user/carol", "GroupList": [3]}
            ],
            "RoleDetailList": {"RoleName": "x"},
            "GroupDetailList": [{"GroupName": "g", "Arn": "arn:aws:iam::111122223333:group/g",
                "GroupPolicyList": [{"PolicyName": "p", "PolicyDocument": "%7Bnot json"}, {"PolicyName": "q"}]}],
            "Policies": [{"PolicyName": "p"}]
        }));
        let got = finding_paths(&out);
        let want = [
            (
                "/UserDetailList/0",
                "`UserDetailList` entry must be an object, found a string",
            ),
            ("/UserDetailList/1", "user has no `Arn`"),
            (
                "/UserDetailList/2/GroupList/0",
                "`GroupList` entry must be a group name, found a number",
            ),
            (
                "/GroupDetailList/0/GroupPolicyList/0/PolicyDocument",
                "once URL-decoded, policy document is not JSON: key must be a string",
            ),
            (
                "/GroupDetailList/0/GroupPolicyList/1",
                "inline policy `q` has no `PolicyDocument`",
            ),
            (
                "/RoleDetailList",
                "`RoleDetailList` must be a list, found an object",
            ),
            ("/Policies/0", "managed policy has no `Arn`"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(p, m)| (p.to_string(), m.to_string()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(out.users.len(), 1);
        assert_eq!(out.groups.len(), 1);
        assert!(out.findings.iter().all(|f| f.rule == MALFORMED_SOURCE));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// JSON made of this format's own keys and values, nested at random.
        fn json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                "arn:aws:iam::111122223333:role/r|arn:aws:iam::aws:policy/x|%7B%22Statement%22%3A%5B%5D%7D|%7B|%E9|\\{\\}|v1|/".prop_map(Value::String),
            ];
            leaf.prop_recursive(5, 64, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::btree_map("UserDetailList|GroupDetailList|RoleDetailList|Policies|UserName|GroupName|RoleName|Arn|Path|PolicyName|PolicyDocument|PolicyArn|UserPolicyList|GroupPolicyList|RolePolicyList|AttachedManagedPolicies|GroupList|AssumeRolePolicyDocument|MaxSessionDuration|PolicyVersionList|Document|IsDefaultVersion|DefaultVersionId|VersionId|PasswordLastUsed", inner, 0..5)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        /// Loads `text` read as serde_json reads it, and as the scan does
        /// ([`crate::sources::json_value`], which builds the default version's document
        /// only): what each gives, as text.
        fn loaded_both_ways(text: &str) -> (String, String) {
            let config = Config::default();
            let ctx = LoadContext::new(&config);
            let input = FileInput {
                id: 7,
                path: Path::new("dump.json"),
                text,
                offset: 0,
            };
            let full: Value = serde_json::from_str(text).unwrap();
            let lean = crate::sources::json_value::parse(text).unwrap();
            let show = |v: &Value| format!("{:?}", load(&ctx, &input, v));
            (show(&full), show(&lean))
        }

        /// A managed policy version as a dump holds one, each key there or not.
        fn version() -> impl Strategy<Value = Value> {
            let document = prop_oneof![
                Just(
                    json!({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]})
                ),
                Just(json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})),
                Just(json!({"Statement": [
                    {"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"},
                    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}
                ]})),
                Just(json!("%7B%22Statement%22%3A%5B%5D%7D")),
                Just(json!(7)),
            ];
            (
                prop::option::of(document),
                prop::option::of("v[123]"),
                prop::option::of(any::<bool>()),
            )
                .prop_map(|(document, id, default)| {
                    let mut v = Map::new();
                    if let Some(d) = document {
                        v.insert("Document".into(), d);
                    }
                    if let Some(id) = id {
                        v.insert("VersionId".into(), id.into());
                    }
                    if let Some(b) = default {
                        v.insert("IsDefaultVersion".into(), b.into());
                    }
                    Value::Object(v)
                })
        }

        proptest! {
            #[test]
            fn loads_alike_with_only_the_default_version_built(
                v in json(),
                versions in prop::collection::vec(version(), 0..4),
                default_id in prop::option::of("v[12]"),
                arn in "arn:aws:iam::(aws|111122223333):policy/x",
            ) {
                let policy = json!({"Arn": arn, "DefaultVersionId": default_id, "PolicyVersionList": versions});
                let text = json!({"Policies": [v.clone(), policy, {"PolicyVersionList": v}]}).to_string();
                let (full, lean) = loaded_both_ways(&text);
                prop_assert_eq!(full, lean);
            }

            #[test]
            fn never_panics(v in json()) {
                let _ = load_value(v.clone());
                let _ = load_value(json!({"UserDetailList": [v.clone()], "RoleDetailList": [v.clone()], "GroupDetailList": v.clone(), "Policies": [v]}));
            }
        }
    }
}
