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
use super::manifest::{place, placement_by_convention};
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
        placements.extend(placement_by_convention(input.path, ctx.config));
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
