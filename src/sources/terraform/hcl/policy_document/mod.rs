//! `data "aws_iam_policy_document"`: the document the AWS provider renders from the block's
//! evaluated body, built as a [`Node`] whose parts keep the places of the HCL they came
//! from. It follows the provider's `policy_document_data_source.go` and `policy_model.go`
//! (hashicorp/terraform-provider-aws): sets of strings are deduplicated and written in
//! reverse sorted order, or as a bare string when they hold one item; principals are
//! grouped by type and conditions by test and variable, keys in sorted order (Go's
//! `json.Marshal` of a map); documents merged in are read through the provider's own
//! types, which drop or reshape some parts.

mod merged;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use serde_json::Value;

use super::value::{Member, Node, Text, Val};
use crate::model::location::{Anchor, Location};
use crate::model::path::JsonPath;
use merged::json_doc;

/// Why the provider would fail to read the data source (the document is then unknown).
type Res<T> = Result<T, String>;

/// The policy document `body` (the evaluated body of the data block) renders to, for its
/// `json` and `minified_json`. Unknown parts stay unknown: an unknown item stays an
/// unknown item, and what cannot be placed (an unknown statement list or merged document,
/// a sid that decides a merge) makes `Statement` unknown. A body the provider would reject
/// makes the whole document unknown.
pub fn policy_document(body: &Node) -> Node {
    match render(body) {
        Ok(doc) => doc,
        Err(why) => Node::new(
            Val::Unknown(format!("aws_iam_policy_document fails: {why}").into()),
            body.loc(),
        ),
    }
}

/// A statement and its sid (None: unknown; "" for none).
struct Stmt {
    sid: Option<String>,
    node: Node,
}

/// A document being merged: the provider's `iamPolicyDoc`. `statements` is Err(why) when
/// unknown.
#[derive(Default)]
struct Doc {
    version: Option<Member>,
    id: Option<Member>,
    statements: Option<Result<Vec<Stmt>, Arc<str>>>,
    key_at: Option<Location>,
    at: Option<Location>,
}

fn render(body: &Node) -> Res<Node> {
    if let Val::Unknown(_) = body.value {
        return Ok(body.clone());
    }
    let mut merged = Doc::default();
    // `source_json` and `override_json` were merged first and last until provider v5,
    // which requires them to be empty; a module that sets them targets an older provider.
    if let Some(d) = json_doc(deprecated(body, "source_json"))? {
        merged.merge(d);
    }
    merge_list(&mut merged, body.get("source_policy_documents"), true)?;
    merged.merge(hcl_doc(body)?);
    merge_list(&mut merged, body.get("override_policy_documents"), false)?;
    if let Some(d) = json_doc(deprecated(body, "override_json"))? {
        merged.merge(d);
    }
    let mut members: Vec<Member> = merged.version.into_iter().chain(merged.id).collect();
    let statement = match merged.statements {
        Some(Ok(s)) if !s.is_empty() => Some(Node::new(
            Val::List(s.into_iter().map(|s| s.node).collect()),
            merged.at,
        )),
        Some(Err(why)) => Some(Node::new(Val::Unknown(why), merged.at)),
        _ => None, // `omitempty`: a document without statements has no `Statement`
    };
    members.extend(statement.map(|value| member("Statement", merged.key_at, value)));
    Ok(Node::new(Val::Object(members), body.loc()))
}

/// `source_json` or `override_json`, unless unset or "" (which the provider ignores).
fn deprecated<'a>(body: &'a Node, name: &str) -> Option<&'a Node> {
    body.get(name)
        .filter(|n| n.as_text().is_none_or(|t| !t.is_empty()))
}

fn is_null(n: &Node) -> bool {
    matches!(n.value, Val::Null)
}

/// The known non-empty sids of a document's statements.
fn sids(d: &Doc) -> Vec<String> {
    let Some(Ok(stmts)) = &d.statements else {
        return Vec::new();
    };
    stmts
        .iter()
        .filter_map(|s| s.sid.clone())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Merges `source_policy_documents` (whose sids the provider requires to be distinct)
/// or `override_policy_documents`, in order.
fn merge_list(merged: &mut Doc, list: Option<&Node>, distinct: bool) -> Res<()> {
    let items = match list.map(|n| &n.value) {
        None | Some(Val::Null) => return Ok(()),
        Some(Val::Unknown(why)) => {
            merged.merge(Doc::unknown(why.clone()));
            return Ok(());
        }
        Some(Val::List(items)) => items,
        Some(_) => return Err("a document list is not a list".into()),
    };
    let mut seen = sids(merged);
    for item in items {
        let Some(d) = json_doc(Some(item))? else {
            continue; // the provider skips null documents
        };
        for sid in sids(&d).into_iter().filter(|_| distinct) {
            if seen.contains(&sid) {
                return Err(format!("duplicate Sid ({sid}) in source_policy_documents"));
            }
            seen.push(sid);
        }
        merged.merge(d);
    }
    Ok(())
}

impl Doc {
    fn unknown(why: Arc<str>) -> Doc {
        let u = |k| Some(member(k, None, Node::new(Val::Unknown(why.clone()), None)));
        Doc {
            version: u("Version"),
            id: u("Id"),
            statements: Some(Err(why.clone())),
            ..Doc::default()
        }
    }

    /// The provider's `Merge`: a non-empty Id replaces ours, a greater Version (compared as
    /// strings) replaces ours, and each statement replaces the one with its non-empty sid,
    /// or is appended.
    fn merge(&mut self, new: Doc) {
        if let Some(id) = new
            .id
            .filter(|m| m.value.as_text().is_none_or(|t| !t.is_empty()))
        {
            self.id = Some(id);
        }
        if let Some(v) = new.version {
            let cur = self.version.as_ref().map(|m| m.value.as_text());
            match (cur, v.value.as_text()) {
                (_, Some(t)) if t.is_empty() => {}
                (None, _) | (_, None) => self.version = Some(v),
                (Some(Some(c)), Some(t)) if t > c => self.version = Some(v),
                _ => {}
            }
        }
        self.key_at = self.key_at.take().or(new.key_at);
        self.at = self.at.take().or(new.at);
        let Some(new_stmts) = new.statements else {
            return;
        };
        let stmts = match (self.statements.take(), new_stmts) {
            (Some(Err(why)), _) | (_, Err(why)) => Err(why),
            (None, Ok(n)) => Self::append(Vec::new(), n),
            (Some(Ok(s)), Ok(n)) => Self::append(s, n),
        };
        self.statements = Some(stmts);
    }

    fn append(mut stmts: Vec<Stmt>, new: Vec<Stmt>) -> Result<Vec<Stmt>, Arc<str>> {
        for n in new {
            let Some(sid) = n.sid.as_deref().filter(|s| !s.is_empty()) else {
                // An unknown sid could match any sid already there.
                if n.sid.is_none() && stmts.iter().any(|s| s.sid.as_deref() != Some("")) {
                    return Err("a statement's Sid, which decides the merge, is unknown".into());
                }
                stmts.push(n);
                continue;
            };
            if stmts.iter().any(|s| s.sid.is_none()) {
                return Err("a statement's Sid, which decides the merge, is unknown".into());
            }
            match stmts.iter_mut().find(|s| s.sid.as_deref() == Some(sid)) {
                Some(s) => *s = n,
                None => stmts.push(n),
            }
        }
        Ok(stmts)
    }
}

fn member(key: &str, key_at: Option<Location>, value: Node) -> Member {
    Member::new(key.into(), key_at, value)
}

/// The body's own attribute `name` with its key's place; None when unset or null.
fn attr<'a>(body: &'a Node, name: &str) -> Option<(&'a Member, &'a Node)> {
    let Val::Object(members) = &body.value else {
        return None;
    };
    let m = members.iter().find(|m| &*m.key == name)?;
    (!is_null(&m.value)).then_some((m, &m.value))
}

/// A string attribute's value as a string node (HCL turns numbers, bools and `jsonencode`
/// results into strings).
fn text_node(n: &Node) -> Res<Node> {
    match (&n.value, n.as_text()) {
        (Val::String(..) | Val::Unknown(_), _) => Ok(n.clone()),
        (_, Some(t)) => Ok(Node::string(t.as_ref(), n.loc())),
        (Val::Json(_), None) => Ok(unknown_at(n, "jsonencode of an unknown value")),
        _ => Err("a string is expected".into()),
    }
}

/// The document the body's own attributes and `statement` blocks make.
fn hcl_doc(body: &Node) -> Res<Doc> {
    let version = match attr(body, "version") {
        None => member("Version", None, Node::string("2012-10-17", None)),
        Some((m, v)) => member("Version", m.key_loc(), text_node(v)?),
    };
    if let Some(t) = version.value.as_text() {
        if t != "2012-10-17" && t != "2008-10-17" {
            return Err(format!("version {t} is neither 2012-10-17 nor 2008-10-17"));
        }
    }
    let id = match attr(body, "policy_id") {
        Some((m, v)) => Some(member("Id", m.key_loc(), text_node(v)?)),
        None => None,
    };
    let ctx = version.value.as_text().map(|t| t.into_owned());
    let (key_at, at) =
        attr(body, "statement").map_or((None, None), |(m, v)| (m.key_loc(), v.loc()));
    let statements = match attr(body, "statement").map(|(_, v)| &v.value) {
        // A `dynamic` block left unexpanded here can only be `dynamic "statement"`.
        _ if body.get("dynamic").is_some() => Err("a dynamic statement block".into()),
        None => Ok(Vec::new()),
        Some(Val::Unknown(why)) => Err(why.clone()),
        Some(Val::List(blocks)) => {
            let stmts = blocks
                .iter()
                .map(|b| hcl_statement(b, &ctx))
                .collect::<Res<Vec<_>>>()?;
            let mut seen = Vec::new();
            for sid in stmts
                .iter()
                .filter_map(|s| s.sid.as_deref())
                .filter(|s| !s.is_empty())
            {
                if seen.contains(&sid) {
                    return Err(format!("duplicate Sid ({sid})"));
                }
                seen.push(sid);
            }
            Ok(stmts)
        }
        Some(_) => return Err("statement is not a list of blocks".into()),
    };
    Ok(Doc {
        version: Some(version),
        id,
        statements: Some(statements),
        key_at,
        at,
    })
}

/// One `statement` block. `version` is the body's (None: unknown), which decides `&{`.
fn hcl_statement(b: &Node, version: &Option<String>) -> Res<Stmt> {
    let sid_node = attr(b, "sid")
        .map(|(m, v)| Ok::<_, String>((m, text_node(v)?)))
        .transpose()?;
    let sid = match &sid_node {
        None => Some(String::new()),
        Some((_, n)) => n.as_text().map(|t| t.into_owned()),
    };
    if let Some(s) = sid
        .as_deref()
        .filter(|s| !s.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(format!("sid {s} is not alphanumeric"));
    }
    if !matches!(b.value, Val::Object(_)) {
        return Ok(Stmt {
            sid: None,
            node: unknown_at(b, "a statement block not evaluated"),
        });
    }
    if b.get("dynamic").is_some() {
        // An unexpanded `dynamic` block inside: which of principals, not_principals or
        // condition it makes is not known, so the statement is not.
        let node = unknown_at(b, "a statement with a dynamic block");
        return Ok(Stmt { sid, node });
    }
    let mut out = Vec::new();
    if let Some((m, n)) = sid_node.filter(|(_, n)| n.as_text().is_none_or(|t| !t.is_empty())) {
        out.push(member("Sid", m.key_loc(), n));
    }
    let effect = match attr(b, "effect") {
        None => member("Effect", None, Node::string("Allow", None)),
        Some((m, v)) => member("Effect", m.key_loc(), text_node(v)?),
    };
    if effect
        .value
        .as_text()
        .is_some_and(|t| t != "Allow" && t != "Deny")
    {
        return Err("effect is neither Allow nor Deny".into());
    }
    out.push(effect);
    let sets = [
        ("actions", "Action", false),
        ("not_actions", "NotAction", false),
    ];
    let sets = sets.into_iter().chain([
        ("resources", "Resource", true),
        ("not_resources", "NotResource", true),
    ]);
    for (name, key, vars) in sets {
        if let Some((m, v)) = attr(b, name) {
            let set = string_set(v, vars.then_some(version))?;
            // The provider leaves an empty set out, and IAM then rejects a statement
            // without actions or resources: no one means that. An empty list here is a
            // variable's default (`default = []`) standing for values given at run time
            // (tfvars kept elsewhere, `-var`), so the element is unknown, not absent.
            let set = if matches!(&set.value, Val::List(l) if l.is_empty()) {
                Node::with_at(
                    Val::Unknown("an empty list: given at run time".into()),
                    set.at.clone(),
                )
            } else {
                set
            };
            out.push(member(key, m.key_loc(), set));
        }
    }
    for (name, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some((m, v)) = attr(b, name) {
            out.extend(principals(v, version)?.map(|p| member(key, m.key_loc(), p)));
        }
    }
    if let Some((m, v)) = attr(b, "condition") {
        out.extend(conditions(v, version)?.map(|c| member("Condition", m.key_loc(), c)));
    }
    Ok(Stmt {
        sid,
        node: Node::new(Val::Object(out), b.loc()),
    })
}

/// The provider's `&{` → `${` in resources, identifiers and condition values (`&{` was
/// the way to write a policy variable before Terraform escaped `$${`); version 2008-10-17
/// rejects it. `version` None: the item's fate is unknown.
fn replace_vars(n: Node, vars: Option<&Option<String>>) -> Res<Node> {
    let (Some(version), Some(t)) = (vars, n.as_text()) else {
        return Ok(n);
    };
    if !t.contains("&{") {
        return Ok(n);
    }
    match version.as_deref() {
        Some("2008-10-17") => Err(format!("&{{ in {t} is not supported in version 2008-10-17")),
        Some(_) => Ok(Node::string(t.replace("&{", "${"), n.loc())),
        None => Ok(Node::new(
            Val::Unknown("&{ with an unknown version".into()),
            n.loc(),
        )),
    }
}

/// A set of strings as the provider writes it: one item as a bare string, else the
/// distinct items in reverse sorted order (unknown items last, as their place is unknown).
fn string_set(v: &Node, vars: Option<&Option<String>>) -> Res<Node> {
    let Val::List(items) = &v.value else {
        return match v.value {
            Val::Unknown(_) | Val::Null => Ok(v.clone()),
            _ => Err("a set of strings is expected".into()),
        };
    };
    let mut nodes: Vec<Node> = Vec::new();
    for item in items {
        let node = text_node(item)?;
        let t = node.as_text();
        if t.is_none() || !nodes.iter().any(|n| n.as_text() == t) {
            nodes.push(node);
        }
    }
    let mut nodes = sort_desc(nodes)
        .into_iter()
        .map(|n| replace_vars(n, vars))
        .collect::<Res<Vec<_>>>()?;
    if nodes.len() == 1 {
        return Ok(nodes.remove(0));
    }
    Ok(Node::new(Val::List(nodes), v.loc()))
}

/// Strings in reverse sorted order (the provider's `slices.Sort` then `slices.Reverse`),
/// unknown ones last.
fn sort_desc(mut nodes: Vec<Node>) -> Vec<Node> {
    nodes.sort_by(|a, b| match (a.as_text(), b.as_text()) {
        (Some(x), Some(y)) => y.cmp(&x),
        (x, y) => x.is_none().cmp(&y.is_none()),
    });
    nodes
}

/// The blocks of a set of blocks, fully known repeats dropped as a set drops them; None
/// when the blocks themselves are not known (an unknown list, an unexpanded `dynamic`).
fn block_set(v: &Node) -> Option<Vec<&Node>> {
    let Val::List(blocks) = &v.value else {
        return None;
    };
    let mut out: Vec<&Node> = Vec::new();
    for b in blocks {
        if !matches!(b.value, Val::Object(_)) || b.get("dynamic").is_some() {
            return None;
        }
        let j = b.to_json();
        if j.is_none() || !out.iter().any(|o| o.to_json() == j) {
            out.push(b);
        }
    }
    Some(out)
}

fn unknown_at(v: &Node, why: &str) -> Node {
    match v.value {
        Val::Unknown(_) => v.clone(),
        _ => Node::new(Val::Unknown(why.into()), v.loc()),
    }
}

/// `principals` blocks: identifiers grouped by type, types in sorted order; a lone `*`
/// type with the one identifier `*` is written `"*"`. None when there are none.
fn principals(v: &Node, version: &Option<String>) -> Res<Option<Node>> {
    let Some(blocks) = block_set(v) else {
        return Ok(Some(unknown_at(v, "principals not known")));
    };
    let mut groups: Vec<(String, Option<Location>, Node)> = Vec::new();
    for b in &blocks {
        let (Some(ty), Some(ids)) = (b.get("type"), b.get("identifiers")) else {
            return Err("a principals block without type or identifiers".into());
        };
        let ty = text_node(ty)?;
        let Some(ty) = ty.as_text() else {
            return Ok(Some(unknown_at(v, "a principal type not known")));
        };
        if is_null(ids) {
            return Err("null identifiers".into());
        }
        let ids = string_set(ids, Some(version))?;
        if blocks.len() == 1 && ty == "*" {
            match ids.as_text() {
                Some(t) if t == "*" => return Ok(Some(ids)),
                None if !matches!(ids.value, Val::List(_)) => {
                    return Ok(Some(unknown_at(
                        v,
                        "identifiers of the * principal not known",
                    )))
                }
                _ => {}
            }
        }
        let type_at = ty_at(b);
        match groups.iter_mut().find(|g| g.0 == *ty) {
            None => groups.push((ty.into_owned(), type_at, ids)),
            // Blocks of one type join in set order, which the provider takes from hashes;
            // they join here in the order written.
            Some(g) => g.2 = concat(&g.2, ids),
        }
    }
    if groups.is_empty() {
        return Ok(None);
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let members = groups
        .into_iter()
        .map(|(t, at, n)| member(&t, at, n))
        .collect();
    Ok(Some(Node::new(Val::Object(members), v.loc())))
}

fn ty_at(b: &Node) -> Option<Location> {
    b.get("type").and_then(|t| t.loc())
}

/// Two identifier values of one type (a string or a list each) as one list.
fn concat(a: &Node, b: Node) -> Node {
    let items = |n: Node| match n.value {
        Val::List(l) => Some(l),
        Val::Unknown(_) => None,
        _ => Some(vec![n]),
    };
    match (items(a.clone()), items(b)) {
        (Some(mut x), Some(y)) => {
            x.extend(y);
            Node::new(Val::List(x), a.loc())
        }
        _ => unknown_at(a, "identifiers not known"),
    }
}

/// `condition` blocks: `{test: {variable: values}}`, keys sorted, the values of blocks
/// with the same test and variable joined, and a single value written as a string.
fn conditions(v: &Node, version: &Option<String>) -> Res<Option<Node>> {
    let Some(blocks) = block_set(v) else {
        return Ok(Some(unknown_at(v, "conditions not known")));
    };
    let mut tests: Vec<Test> = Vec::new();
    for b in blocks {
        let field = |k| b.get(k).map(text_node).transpose();
        let (Some(test), Some(var), Some(values)) =
            (field("test")?, field("variable")?, b.get("values"))
        else {
            return Err("a condition block without test, variable or values".into());
        };
        let (Some(t), Some(name)) = (test.as_text(), var.as_text()) else {
            return Ok(Some(unknown_at(
                v,
                "a condition's test or variable not known",
            )));
        };
        // `values` is a list (kept in order, repeats kept), not a set.
        let values = match &values.value {
            Val::List(items) => {
                let items = items
                    .iter()
                    .map(|i| replace_vars(text_node(i)?, Some(version)));
                Node::new(Val::List(items.collect::<Res<_>>()?), values.loc())
            }
            Val::Unknown(_) => values.clone(),
            _ => return Err("condition values are not a list".into()),
        };
        let i = tests.iter().position(|x| x.0 == *t).unwrap_or_else(|| {
            tests.push((t.to_string(), test.loc(), b.loc(), Vec::new()));
            tests.len() - 1
        });
        let Some((_, _, _, vars_of)) = tests.get_mut(i) else {
            continue;
        };
        match vars_of.iter_mut().find(|x| x.0 == *name) {
            Some(x) => x.2 = concat(&x.2, values),
            None => vars_of.push((name.to_string(), var.loc(), values)),
        }
    }
    Ok(condition_node(tests, v.loc()))
}

/// A condition test: its key, the key's and the value's places, and its variables.
type Test = (
    String,
    Option<Location>,
    Option<Location>,
    Vec<(String, Option<Location>, Node)>,
);

/// Sorted test and variable keys, single values flattened; None when empty.
fn condition_node(mut tests: Vec<Test>, at: Option<Location>) -> Option<Node> {
    tests.retain(|t| !t.3.is_empty());
    if tests.is_empty() {
        return None;
    }
    tests.sort_by(|a, b| a.0.cmp(&b.0));
    let members = tests.into_iter().map(|(t, key_at, t_at, mut vars)| {
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        let vars = vars
            .into_iter()
            .map(|(k, k_at, n)| member(&k, k_at, flatten(n)))
            .collect();
        member(&t, key_at, Node::new(Val::Object(vars), t_at))
    });
    Some(Node::new(Val::Object(members.collect()), at))
}

fn flatten(n: Node) -> Node {
    match n.value {
        Val::List(mut l) if l.len() == 1 => l.remove(0),
        _ => n,
    }
}
