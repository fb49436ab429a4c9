//! What single-entity IAM calls of the AWS CLI print, saved to a file: `aws iam get-role`
//! (`{"Role": {…}}`, or the bare role of `--query Role`), `get-user`, `get-group` (with its
//! `Users`), `get-policy-version` (`{"PolicyVersion": {"Document": …}}`), `get-policy`
//! (metadata, no document), and `get-role-policy` / `get-user-policy` /
//! `get-group-policy` (`{"RoleName", "PolicyName", "PolicyDocument"}`).
//!
//! Their entries have the shape of an account dump's, so the dump's reader loads them; only
//! finding them is done here. Unlike a dump, one such file says nothing about the rest of
//! its account, so it is its own format ([`SourceFormat::IamApiOutput`]): rules that need a
//! whole account described never count it as one.
//!
//! [`SourceFormat::IamApiOutput`]: crate::model::inventory::SourceFormat::IamApiOutput

use std::sync::Arc;

use serde_json::{Map, Value};

use super::account_dump::Dump;
use super::manifest::{place, placement_by_convention_of};
use super::{FileInput, LoadContext};
use crate::model::inventory::Contribution;
use crate::model::location::Location;
use crate::model::path::JsonPath;
use crate::model::policy::PolicyKind;

/// Which call printed a file: what [`shape_of`] recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `get-role`: the role under `Role`, or at the top (`--query Role`).
    Role { wrapped: bool },
    /// `get-user`.
    User,
    /// `get-group`, with its members under `Users`.
    Group,
    /// `get-policy-version`: the document under `PolicyVersion.Document`.
    PolicyVersion,
    /// `get-policy`: a managed policy's metadata, which holds no document.
    PolicyMetadata,
    /// `get-role-policy`, `get-user-policy`, `get-group-policy`: an inline policy and the
    /// name of its owner (`RoleName`, `UserName` or `GroupName`).
    InlinePolicy { owner_key: &'static str },
}

/// The call whose output `obj` is, when it is one.
pub fn shape_of(obj: &Map<String, Value>) -> Option<Shape> {
    let member = |key: &str, needs: &[&str]| {
        obj.get(key)
            .and_then(Value::as_object)
            .is_some_and(|o| needs.iter().all(|k| o.contains_key(*k)))
    };
    if member("PolicyVersion", &["Document"]) {
        return Some(Shape::PolicyVersion);
    }
    if member("Role", &["RoleName", "Arn"]) {
        return Some(Shape::Role { wrapped: true });
    }
    if member("User", &["UserName", "Arn"]) {
        return Some(Shape::User);
    }
    if member("Group", &["GroupName", "Arn"]) {
        return Some(Shape::Group);
    }
    if member("Policy", &["PolicyName", "Arn"]) {
        return Some(Shape::PolicyMetadata);
    }
    if obj.contains_key("PolicyDocument") && obj.contains_key("PolicyName") {
        let owner_key = ["RoleName", "UserName", "GroupName"]
            .into_iter()
            .find(|k| obj.contains_key(*k))?;
        return Some(Shape::InlinePolicy { owner_key });
    }
    if ["RoleName", "Arn", "AssumeRolePolicyDocument"]
        .iter()
        .all(|k| obj.contains_key(*k))
    {
        return Some(Shape::Role { wrapped: false });
    }
    None
}

/// Loads one file of the given shape.
pub fn load(
    ctx: &LoadContext,
    input: &FileInput,
    obj: &Map<String, Value>,
    shape: Shape,
) -> Contribution {
    let mut dump = Dump::new(input.id);
    let root = JsonPath::root();
    let entry = |key: &str| obj.get(key).and_then(Value::as_object);
    match shape {
        Shape::Role { wrapped: false } => dump.role(obj, &root),
        Shape::Role { wrapped: true } => {
            if let Some(role) = entry("Role") {
                dump.role(role, &root.key("Role"));
            }
        }
        Shape::User => {
            if let Some(user) = entry("User") {
                dump.user(user, &root.key("User"));
            }
        }
        Shape::Group => {
            if let Some(group) = entry("Group") {
                dump.group(group, &root.key("Group"));
            }
            add_members(&mut dump, obj, &root);
        }
        Shape::PolicyVersion => {
            let at = root.key("PolicyVersion").key("Document");
            if let Some(doc) = entry("PolicyVersion").and_then(|v| v.get("Document")) {
                let label = format!("policy version of {}", input.path.display());
                load_unowned(ctx, input, &mut dump, doc, &at, label);
            }
        }
        // Metadata only: nothing for a rule to read, and nothing wrong with the file.
        Shape::PolicyMetadata => {}
        Shape::InlinePolicy { owner_key } => {
            let owner = obj.get(owner_key).and_then(Value::as_str).unwrap_or("?");
            let name = obj.get("PolicyName").and_then(Value::as_str).unwrap_or("?");
            let what = owner_key.trim_end_matches("Name").to_ascii_lowercase();
            let label = format!("policy {name} of {what} {owner}");
            if let Some(doc) = obj.get("PolicyDocument") {
                load_unowned(
                    ctx,
                    input,
                    &mut dump,
                    doc,
                    &root.key("PolicyDocument"),
                    label,
                );
            }
        }
    }
    dump.out
}

/// `get-group`'s `Users`: each member joins the group in the merge.
fn add_members(dump: &mut Dump, obj: &Map<String, Value>, root: &JsonPath) {
    let Some(group) = dump.out.groups.first().map(|g| g.name.clone()) else {
        return;
    };
    let Some(list) = obj.get("Users") else { return };
    let Some(users) = dump.list(list, &root.key("Users"), "Users") else {
        return;
    };
    let members: Vec<(String, String)> = users
        .iter()
        .filter_map(|u| u.get("Arn").or_else(|| u.get("UserName")))
        .filter_map(Value::as_str)
        .map(|user| (group.clone(), user.to_owned()))
        .collect();
    dump.out.memberships.extend(members);
}

/// A document whose owner the output does not give by ARN: placed by the manifest or the
/// folder convention like a bare policy file (which also says whether it is a trust), else
/// kept on its own as an identity policy (per-document rules still read it; no owner is
/// guessed from a name alone, which may be in any account).
fn load_unowned(
    ctx: &LoadContext,
    input: &FileInput,
    dump: &mut Dump,
    doc: &Value,
    at: &JsonPath,
    label: String,
) {
    let mut placements = ctx.manifest.placements(input.path);
    if placements.is_empty() {
        placements.extend(placement_by_convention_of(input.path, ctx.config, doc));
    }
    let kind = match placements.first() {
        Some(p) if p.is_trust() => PolicyKind::Trust,
        _ => PolicyKind::Identity,
    };
    let Some(doc) = dump.document(doc, at, kind, label, false).map(Arc::new) else {
        return;
    };
    for p in &placements {
        place(&mut dump.out, p, doc.clone(), Location::file(input.id));
    }
    if placements.is_empty() {
        dump.out.documents.push(doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use proptest::prelude::*;
    use std::path::Path;

    /// Loads `value` as the CLI output it looks like, if any (as the dispatch does).
    fn load_value(value: &Value) -> Option<Contribution> {
        let obj = value.as_object()?;
        let shape = shape_of(obj)?;
        let config = Config::default();
        let ctx = LoadContext::new(&config);
        let text = value.to_string();
        let input = FileInput {
            id: 3,
            path: Path::new("iam/out.json"),
            text: &text,
            offset: 0,
        };
        Some(load(&ctx, &input, obj, shape))
    }

    #[test]
    fn each_call_is_recognised_and_loaded() {
        let doc = serde_json::json!({"Version": "2012-10-17", "Statement": []});
        let role = serde_json::json!({"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "Path": "/", "AssumeRolePolicyDocument": doc});
        let cases = [
            (
                serde_json::json!({"Role": role}),
                Shape::Role { wrapped: true },
            ),
            (role.clone(), Shape::Role { wrapped: false }),
            (
                serde_json::json!({"PolicyVersion": {"Document": doc, "VersionId": "v1"}}),
                Shape::PolicyVersion,
            ),
            (
                serde_json::json!({"Policy": {"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p"}}),
                Shape::PolicyMetadata,
            ),
            (
                serde_json::json!({"UserName": "u", "PolicyName": "p", "PolicyDocument": doc}),
                Shape::InlinePolicy {
                    owner_key: "UserName",
                },
            ),
        ];
        for (value, shape) in cases {
            assert_eq!(
                shape_of(value.as_object().expect("object")),
                Some(shape),
                "{value}"
            );
        }
        let out = load_value(&serde_json::json!({"Role": role})).expect("a role");
        assert_eq!(out.roles.len(), 1);
        assert!(out.roles[0].trust.is_some());
        // A policy document on its own is not CLI output, and neither is a template.
        assert_eq!(shape_of(doc.as_object().expect("object")), None);
        assert_eq!(
            shape_of(
                serde_json::json!({"Resources": {}})
                    .as_object()
                    .expect("object")
            ),
            None
        );
    }

    /// JSON made of these outputs' keys, nested at random.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "arn:aws:iam::111122223333:role/r|r|%7B%22Statement%22%3A%5B%5D%7D|%7B|\\{\\}|/"
                .prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("Role|User|Group|Users|Policy|PolicyVersion|Document|RoleName|UserName|GroupName|PolicyName|PolicyDocument|Arn|Path|AssumeRolePolicyDocument|MaxSessionDuration|Statement", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Every shape's loader, on any object (not only those the shape was found in).
        #[test]
        fn never_panics(v in json()) {
            let _ = load_value(&v);
            let Some(obj) = v.as_object() else { return Ok(()) };
            let config = Config::default();
            let ctx = LoadContext::new(&config);
            let text = v.to_string();
            let input = FileInput { id: 3, path: Path::new("iam/out.json"), text: &text, offset: 0 };
            for shape in [
                Shape::Role { wrapped: true },
                Shape::Role { wrapped: false },
                Shape::User,
                Shape::Group,
                Shape::PolicyVersion,
                Shape::PolicyMetadata,
                Shape::InlinePolicy { owner_key: "RoleName" },
            ] {
                let _ = load(&ctx, &input, obj, shape);
            }
        }
    }
}
