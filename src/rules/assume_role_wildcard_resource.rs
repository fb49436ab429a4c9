//! IAM101: an identity policy lets its holder assume any role in any account.

use super::Rule;
use crate::finding::Finding;
use crate::model::matching::matches_resource;
use crate::model::policy::{Effect, PolicyDocument, PolicyKind, Statement};

pub struct AssumeRoleWildcardResource;

const ID: &str = "IAM101";

/// Two role ARNs that share nothing but being roles: a pattern that matches both matches
/// every role in every account (IAM-SEMANTICS §9).
const PROBES: &[&str] = &[
    "arn:aws:iam::111111111111:role/zq-probe-a",
    "arn:aws:iam::222222222222:role/other/path/x7",
];

/// Condition keys that narrow a grant to some resources (ABAC on role tags, resource
/// account or organisation): with one of them the wide Resource is deliberate.
const RESOURCE_NARROWING_KEYS: &[&str] = &[
    "aws:resourceaccount",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
];

fn is_narrowed(stmt: &Statement) -> bool {
    stmt.conditions.iter().any(|c| {
        let key = c.key.to_ascii_lowercase();
        RESOURCE_NARROWING_KEYS.contains(&key.as_str())
            || key.starts_with("aws:resourcetag/")
            || key.starts_with("iam:resourcetag/")
    })
}

/// Whether a part that could limit the grant was left unresolved by a template: a
/// `Condition` (it may narrow the resource), or a `NotAction`/`NotResource` list (its
/// unknown item may be the very action or `*`). Unknown values are never guessed.
fn has_unknown_limit(doc: &PolicyDocument, stmt: &Statement) -> bool {
    if doc.unresolved.is_empty() {
        return false;
    }
    let negated_unknown = |list: Option<&crate::model::policy::ValueList>| {
        list.is_some_and(|l| l.negated && doc.has_unresolved_in(stmt, l.key.as_str()))
    };
    doc.has_unresolved_in(stmt, "Condition")
        || negated_unknown(stmt.action.as_ref())
        || negated_unknown(stmt.resource.as_ref())
}

/// Whether a Resource pattern matches every role in every account.
pub fn is_wide_role_pattern(pattern: &str) -> bool {
    PROBES.iter().all(|arn| matches_resource(pattern, arn))
}

impl Rule for AssumeRoleWildcardResource {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.kind != PolicyKind::Identity || doc.aws_managed {
            return;
        }
        for stmt in &doc.statements {
            if stmt.effect != Effect::Allow
                || !stmt.covers_action("sts:AssumeRole")
                || is_narrowed(stmt)
                || has_unknown_limit(doc, stmt)
            {
                continue;
            }
            let Some(resource) = &stmt.resource else {
                continue;
            };
            // Which action pattern grants it, unless it is `sts:AssumeRole` itself.
            let how = match &stmt.action {
                Some(a) if a.negated => " through `NotAction`".to_owned(),
                Some(a) => a
                    .values
                    .iter()
                    .find(|p| crate::model::matching::matches_action(p, "sts:AssumeRole"))
                    .filter(|p| !p.eq_ignore_ascii_case("sts:AssumeRole"))
                    .map(|p| format!(" through `{p}`"))
                    .unwrap_or_default(),
                None => String::new(),
            };
            if resource.negated {
                let loc = doc.loc(&resource.path(&stmt.path()));
                out.push(
                    super::finding(
                        ID,
                        loc,
                        format!("`Allow` with `NotResource` grants `sts:AssumeRole`{how} on every role not listed, in any account"),
                    )
                    .with_help("list the role ARNs this identity may assume in `Resource` instead")
                    .with_identity(format!("{}#{}", doc.label, resource.path(&stmt.path()))),
                );
                continue;
            }
            for (i, pattern) in resource.values.iter().enumerate() {
                if !is_wide_role_pattern(pattern) {
                    continue;
                }
                let path = resource.item_path(&stmt.path(), i);
                out.push(
                    super::finding(
                        ID,
                        doc.loc(&path),
                        format!("grants `sts:AssumeRole`{how} on `{pattern}`: any role in any account that trusts this account"),
                    )
                    .with_help("name the role ARNs (or a narrow path such as `arn:aws:iam::123456789012:role/deploy/*`) this identity may assume")
                    .with_identity(format!("{}#{path}", doc.label)),
                );
            }
        }
    }
}
