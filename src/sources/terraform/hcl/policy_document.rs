//! `data "aws_iam_policy_document"`: the document the AWS provider renders from the block's
//! evaluated body, built as a [`Node`] whose parts keep the places of the HCL they came
//! from. It follows the provider's `policy_document_data_source.go` and `policy_model.go`
//! (hashicorp/terraform-provider-aws): sets of strings are deduplicated and written in
//! reverse sorted order, or as a bare string when they hold one item; principals are
//! grouped by type and conditions by test and variable, keys in sorted order (Go's
//! `json.Marshal` of a map); documents merged in are read through the provider's own
//! types, which drop or reshape some parts.

use std::sync::Arc;

use serde_json::Value;

use super::value::{Member, Node, Text, Val};
use crate::model::location::{Anchor, Location};
use crate::model::path::JsonPath;

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
            body.at.clone(),
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
    Ok(Node::new(Val::Object(members), body.at.clone()))
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
    Member {
        key: key.into(),
        key_at,
        value,
    }
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
        (_, Some(t)) => Ok(Node::string(t.as_ref(), n.at.clone())),
        (Val::Json(_), None) => Ok(unknown_at(n, "jsonencode of an unknown value")),
        _ => Err("a string is expected".into()),
    }
}

/// The document the body's own attributes and `statement` blocks make.
fn hcl_doc(body: &Node) -> Res<Doc> {
    let version = match attr(body, "version") {
        None => member("Version", None, Node::string("2012-10-17", None)),
        Some((m, v)) => member("Version", m.key_at.clone(), text_node(v)?),
    };
    if let Some(t) = version.value.as_text() {
        if t != "2012-10-17" && t != "2008-10-17" {
            return Err(format!("version {t} is neither 2012-10-17 nor 2008-10-17"));
        }
    }
    let id = match attr(body, "policy_id") {
        Some((m, v)) => Some(member("Id", m.key_at.clone(), text_node(v)?)),
        None => None,
    };
    let ctx = version.value.as_text().map(|t| t.into_owned());
    let (key_at, at) =
        attr(body, "statement").map_or((None, None), |(m, v)| (m.key_at.clone(), v.at.clone()));
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
        out.push(member("Sid", m.key_at.clone(), n));
    }
    let effect = match attr(b, "effect") {
        None => member("Effect", None, Node::string("Allow", None)),
        Some((m, v)) => member("Effect", m.key_at.clone(), text_node(v)?),
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
            if !matches!(&set.value, Val::List(l) if l.is_empty()) {
                out.push(member(key, m.key_at.clone(), set)); // empty sets are left out
            }
        }
    }
    for (name, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some((m, v)) = attr(b, name) {
            out.extend(principals(v, version)?.map(|p| member(key, m.key_at.clone(), p)));
        }
    }
    if let Some((m, v)) = attr(b, "condition") {
        out.extend(conditions(v, version)?.map(|c| member("Condition", m.key_at.clone(), c)));
    }
    Ok(Stmt {
        sid,
        node: Node::new(Val::Object(out), b.at.clone()),
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
        Some(_) => Ok(Node::string(t.replace("&{", "${"), n.at.clone())),
        None => Ok(Node::new(
            Val::Unknown("&{ with an unknown version".into()),
            n.at.clone(),
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
    Ok(Node::new(Val::List(nodes), v.at.clone()))
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
        _ => Node::new(Val::Unknown(why.into()), v.at.clone()),
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
    Ok(Some(Node::new(Val::Object(members), v.at.clone())))
}

fn ty_at(b: &Node) -> Option<Location> {
    b.get("type").and_then(|t| t.at.clone())
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
            Node::new(Val::List(x), a.at.clone())
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
                Node::new(Val::List(items.collect::<Res<_>>()?), values.at.clone())
            }
            Val::Unknown(_) => values.clone(),
            _ => return Err("condition values are not a list".into()),
        };
        let i = tests.iter().position(|x| x.0 == *t).unwrap_or_else(|| {
            tests.push((t.to_string(), test.at.clone(), b.at.clone(), Vec::new()));
            tests.len() - 1
        });
        let Some((_, _, _, vars_of)) = tests.get_mut(i) else {
            continue;
        };
        match vars_of.iter_mut().find(|x| x.0 == *name) {
            Some(x) => x.2 = concat(&x.2, values),
            None => vars_of.push((name.to_string(), var.at.clone(), values)),
        }
    }
    Ok(condition_node(tests, v.at.clone()))
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

/// A document merged in: a value (another policy document, `jsonencode`) or JSON text.
fn json_doc(n: Option<&Node>) -> Res<Option<Doc>> {
    let Some(n) = n else { return Ok(None) };
    let doc = match &n.value {
        Val::Null => return Ok(None),
        Val::Unknown(why) => return Ok(Some(Doc::unknown(why.clone()))),
        Val::Json(inner) => (**inner).clone(),
        Val::String(s, text) => {
            let v: Value =
                serde_json::from_str(s).map_err(|e| format!("a merged document: {e}"))?;
            from_value(&v, &n.at, *text, &JsonPath::root())
        }
        _ => return Err("a merged document is not a JSON string".into()),
    };
    read_doc(&doc).map(Some)
}

/// JSON text as a node. Its parts are placed in the text when the text is the file's bytes
/// (a heredoc, `file()`), else at the string.
fn from_value(v: &Value, at: &Option<Location>, text: Text, path: &JsonPath) -> Node {
    let place = |path: &JsonPath, key: bool| {
        let (Some(l), Text::Verbatim) = (at, text) else {
            return at.clone();
        };
        let Anchor::Bytes { start, end } = l.anchor else {
            return at.clone();
        };
        let anchor = Anchor::JsonIn {
            start,
            end,
            path: path.clone(),
            key,
        };
        Some(Location {
            file: l.file,
            anchor,
        })
    };
    let value = match v {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Number(n.clone()),
        Value::String(s) => Val::String(s.as_str().into(), Text::Made),
        Value::Array(items) => Val::List(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| from_value(x, at, text, &path.index(i)))
                .collect(),
        ),
        Value::Object(map) => {
            let mut members = Vec::new();
            for (k, x) in map {
                let p = path.key(k);
                members.push(member(k, place(&p, true), from_value(x, at, text, &p)));
            }
            Val::Object(members)
        }
    };
    Node::new(value, place(path, false))
}

/// A string field as Go reads it: None for null (left as it was).
fn go_string(v: &Node) -> Res<Option<Node>> {
    match v.value {
        Val::Null => Ok(None),
        Val::String(..) | Val::Json(_) | Val::Unknown(_) => Ok(Some(v.clone())),
        _ => Err("a merged document's string field is not a string".into()),
    }
}

/// A merged document read into the provider's `iamPolicyDoc` (Go matches field names
/// without regard to case, and drops fields it does not know).
fn read_doc(doc: &Node) -> Res<Doc> {
    let members = match &doc.value {
        Val::Object(m) => m,
        Val::Null => return Ok(Doc::default()),
        Val::Unknown(why) => return Ok(Doc::unknown(why.clone())),
        _ => return Err("a merged document is not an object".into()),
    };
    let mut d = Doc::default();
    for m in members {
        let v = &m.value;
        match m.key.to_ascii_lowercase().as_str() {
            "version" => {
                if let Some(n) = go_string(v)? {
                    d.version = Some(member("Version", m.key_at.clone(), n));
                }
            }
            "id" => {
                if let Some(n) = go_string(v)? {
                    d.id = Some(member("Id", m.key_at.clone(), n));
                }
            }
            "statement" => {
                (d.key_at, d.at) = (m.key_at.clone(), v.at.clone());
                d.statements = match &v.value {
                    Val::Null => None,
                    Val::Unknown(why) => Some(Err(why.clone())),
                    Val::List(items) => {
                        Some(Ok(items.iter().map(read_statement).collect::<Res<_>>()?))
                    }
                    _ => return Err("a merged document's Statement is not a list".into()),
                };
            }
            _ => {}
        }
    }
    Ok(d)
}

#[rustfmt::skip]
const FIELDS: [&str; 9] = [
    "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal",
    "Condition",
];

/// A merged statement as the provider reads and writes it back: its fields in the
/// provider's order, Action and Resource as they were, Principal and Condition reshaped.
fn read_statement(s: &Node) -> Res<Stmt> {
    let members = match &s.value {
        Val::Object(m) => m,
        Val::Unknown(_) => {
            return Ok(Stmt {
                sid: None,
                node: s.clone(),
            })
        }
        _ => return Err("a merged statement is not an object".into()), // null: the provider panics
    };
    let mut slots: [Option<Member>; 9] = Default::default();
    for m in members {
        let Some(i) = FIELDS.iter().position(|f| f.eq_ignore_ascii_case(&m.key)) else {
            continue;
        };
        let v = &m.value;
        let value = match i {
            0 | 1 => go_string(v)?.filter(|n| n.as_text().is_none_or(|t| !t.is_empty())),
            6 | 7 => read_principal(v)?,
            8 => read_condition(v)?,
            _ => Some(v.clone()).filter(|n| !is_null(n)),
        };
        if let Some(slot) = slots.get_mut(i) {
            *slot = value.map(|n| member(FIELDS[i], m.key_at.clone(), n));
        }
    }
    let sid = match &slots[0] {
        None => Some(String::new()),
        Some(m) => m.value.as_text().map(|t| t.into_owned()),
    };
    let node = Node::new(
        Val::Object(slots.into_iter().flatten().collect()),
        s.at.clone(),
    );
    Ok(Stmt { sid, node })
}

fn is_stringish(n: &Node) -> bool {
    matches!(n.value, Val::String(..) | Val::Json(_) | Val::Unknown(_))
}

/// A merged Principal: any string reads as `*`; an object's lists come out reverse sorted
/// (a single string stays a string, a one-item list a list); `{"*": "*"}` becomes `"*"`.
fn read_principal(v: &Node) -> Res<Option<Node>> {
    let members = match &v.value {
        Val::Unknown(_) => return Ok(Some(v.clone())),
        Val::String(..) | Val::Json(_) => return Ok(Some(Node::string("*", v.at.clone()))),
        Val::Object(m) => m,
        _ => return Err("a merged Principal is neither a string nor an object".into()),
    };
    let mut out = Vec::new();
    for m in members {
        let value = match &m.value.value {
            _ if is_stringish(&m.value) => m.value.clone(),
            Val::List(items) if items.iter().all(is_stringish) => {
                Node::new(Val::List(sort_desc(items.clone())), m.value.at.clone())
            }
            _ => return Err("a merged principal's identifiers are not strings".into()),
        };
        out.push(member(&m.key, m.key_at.clone(), value));
    }
    if let [only] = out.as_slice() {
        let one = flatten(only.value.clone());
        match (&one.value, one.as_text()) {
            (_, Some(t)) if &*only.key == "*" && t == "*" => return Ok(Some(one)),
            (Val::Unknown(_), _) if &*only.key == "*" => return Ok(Some(unknown_at(v, "*"))),
            _ => {}
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok((!out.is_empty()).then(|| Node::new(Val::Object(out), v.at.clone())))
}

/// A merged Condition: bools become strings, one-item lists strings, and numbers and nulls
/// are dropped (the provider's reader has no case for them).
fn read_condition(v: &Node) -> Res<Option<Node>> {
    let tests = match &v.value {
        Val::Null => return Ok(None),
        Val::Unknown(_) => return Ok(Some(v.clone())),
        Val::Object(t) => t,
        _ => return Err("a merged Condition is not an object".into()),
    };
    let mut out: Vec<Test> = Vec::new();
    for t in tests {
        let vars = match &t.value.value {
            Val::Object(vars) => vars,
            Val::Null => continue,
            Val::Unknown(_) => return Ok(Some(unknown_at(v, "a condition test is not known"))),
            _ => return Err("a merged condition test is not an object".into()),
        };
        let mut vs = Vec::new();
        for m in vars {
            let n = &m.value;
            let value = match &n.value {
                _ if is_stringish(n) => n.clone(),
                Val::Bool(b) => Node::string(b.to_string(), n.at.clone()),
                Val::List(items) if items.iter().all(is_stringish) => n.clone(),
                Val::List(_) => return Err("a merged condition list holds a non-string".into()),
                _ => continue,
            };
            vs.push((m.key.to_string(), m.key_at.clone(), value));
        }
        out.push((t.key.to_string(), t.key_at.clone(), t.value.at.clone(), vs));
    }
    Ok(condition_node(out, v.at.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(a: usize) -> Option<Location> {
        Some(Location::bytes(0, a, a + 1))
    }
    fn s(t: &str, a: usize) -> Node {
        Node::string(t, at(a))
    }
    fn list(items: Vec<Node>) -> Node {
        Node::new(Val::List(items), None)
    }
    fn strs(items: &[&str]) -> Node {
        list(
            items
                .iter()
                .enumerate()
                .map(|(i, t)| s(t, 100 + i))
                .collect(),
        )
    }
    /// An object whose member i has its key at 10 * (i + 1).
    fn obj(members: Vec<(&str, Node)>) -> Node {
        let m = members.into_iter().enumerate();
        let m = m.map(|(i, (k, value))| member(k, at(10 * (i + 1)), value));
        Node::new(Val::Object(m.collect()), at(1))
    }
    fn unknown() -> Node {
        Node::unknown("var.x")
    }
    fn doc(body: Vec<(&str, Node)>) -> Node {
        policy_document(&obj(body))
    }
    fn statements(d: &Node) -> &Node {
        d.get("Statement").expect("a Statement")
    }

    #[test]
    fn a_simple_allow_statement_keeps_the_places_of_its_tokens() {
        let block = obj(vec![
            ("actions", list(vec![s("s3:GetObject", 7)])),
            ("resources", strs(&["a", "b", "a"])),
        ]);
        let d = doc(vec![("statement", list(vec![block]))]);
        let want = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["b", "a"]}]});
        assert_eq!(d.to_json(), Some(want));
        let Val::List(st) = &statements(&d).value else {
            panic!("a list")
        };
        assert_eq!(st[0].at, at(1));
        let Val::Object(members) = &st[0].value else {
            panic!("an object")
        };
        assert_eq!(members[1].key_at, at(10)); // Action's key: the actions attribute's
        assert_eq!(members[1].value.at, at(7)); // its item: the list item's
        assert_eq!(members[0].key_at, None); // the default Effect was not written
    }

    #[test]
    fn principals_are_grouped_by_type_and_the_star_principal_is_a_string() {
        let p = |t: &str, ids: &[&str]| obj(vec![("type", s(t, 5)), ("identifiers", strs(ids))]);
        let blocks = vec![
            p("Service", &["s"]),
            p("AWS", &["x", "y"]),
            p("AWS", &["z"]),
            p("AWS", &["z"]),
        ];
        let st = vec![
            obj(vec![("principals", list(blocks))]),
            obj(vec![("principals", list(vec![p("*", &["*"])]))]),
            obj(vec![("not_principals", list(vec![p("AWS", &["*"])]))]),
        ];
        let d = doc(vec![("statement", list(st))]);
        let want = json!([
            {"Effect": "Allow", "Principal": {"AWS": ["y", "x", "z"], "Service": "s"}},
            {"Effect": "Allow", "Principal": "*"},
            {"Effect": "Allow", "NotPrincipal": {"AWS": "*"}}]);
        assert_eq!(statements(&d).to_json(), Some(want));
    }

    #[test]
    fn conditions_join_values_by_test_and_variable_and_flatten_single_values() {
        let c = |t: &str, v: &str, vals: &[&str]| {
            obj(vec![
                ("test", s(t, 2)),
                ("variable", s(v, 3)),
                ("values", strs(vals)),
            ])
        };
        let conds = vec![
            c("StringLike", "k", &["b"]),
            c("Bool", "m", &["true"]),
            c("StringLike", "k", &["a"]),
        ];
        let conds = conds
            .into_iter()
            .chain([c("StringLike", "j", &["x", "&{aws:username}"])]);
        let d = doc(vec![(
            "statement",
            list(vec![obj(vec![("condition", list(conds.collect()))])]),
        )]);
        let want = json!([{"Effect": "Allow", "Condition": {
            "Bool": {"m": "true"}, "StringLike": {"j": ["x", "${aws:username}"], "k": ["b", "a"]}}}]);
        assert_eq!(statements(&d).to_json(), Some(want));
    }

    #[test]
    fn statements_merge_by_sid_in_the_providers_order() {
        let src = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"sid": "B", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*", "Extra": 1}]}"#;
        let over = obj(vec![(
            "Statement",
            list(vec![
                obj(vec![
                    ("Sid", s("B", 3)),
                    ("Effect", s("Deny", 4)),
                    ("Action", s("*", 5)),
                ]),
                obj(vec![("Effect", s("Deny", 6)), ("NotAction", s("iam:*", 7))]),
            ]),
        )]);
        let d = doc(vec![
            (
                "source_policy_documents",
                list(vec![s(src, 50), Node::new(Val::Null, None)]),
            ),
            (
                "override_policy_documents",
                list(vec![Node::new(Val::Json(Box::new(over)), None)]),
            ),
            (
                "statement",
                list(vec![obj(vec![
                    ("sid", s("A", 8)),
                    ("effect", s("Deny", 9)),
                    ("actions", strs(&["s3:*"])),
                ])]),
            ),
        ]);
        let want = json!([
            {"Sid": "A", "Effect": "Deny", "Action": "s3:*"},
            {"Sid": "B", "Effect": "Deny", "Action": "*"},
            {"Effect": "Deny", "NotAction": "iam:*"}]);
        assert_eq!(statements(&d).to_json(), Some(want));
        // The provider refuses a sid repeated in the source documents.
        let d = doc(vec![(
            "source_policy_documents",
            list(vec![s(src, 50), s(src, 60)]),
        )]);
        assert!(matches!(d.value, Val::Unknown(_)));
    }

    #[test]
    fn a_source_json_string_is_read_as_the_provider_reads_it() {
        let src = r#"{"Statement": [{"Principal": {"AWS": ["a", "c", "b"], "Service": "s"},
            "Action": ["x"], "Condition": {"Bool": {"aws:SecureTransport": false},
            "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}, "StringEquals": {"k": ["v"]}}},
            {"Principal": "anything", "NotPrincipal": {"*": ["*"]}}]}"#;
        let d = doc(vec![(
            "source_policy_documents",
            list(vec![Node::new(Val::String(src.into(), Text::Made), at(40))]),
        )]);
        let want = json!({"Version": "2012-10-17", "Statement": [
            {"Action": ["x"], "Principal": {"AWS": ["c", "b", "a"], "Service": "s"},
             "Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"k": "v"}}},
            {"Principal": "*", "NotPrincipal": "*"}]});
        assert_eq!(d.to_json(), Some(want));
        assert_eq!(statements(&d).at, at(40));
        // A heredoc's parts are placed inside it.
        let d = doc(vec![(
            "source_json",
            Node::new(Val::String(src.into(), Text::Verbatim), at(40)),
        )]);
        let Some(Location {
            anchor:
                Anchor::JsonIn {
                    start: 40,
                    path,
                    key: false,
                    ..
                },
            ..
        }) = &statements(&d).at
        else {
            panic!("placed in the heredoc")
        };
        assert_eq!(*path, JsonPath::root().key("Statement"));
        let bad = doc(vec![(
            "override_policy_documents",
            list(vec![s("{not json", 3)]),
        )]);
        assert!(matches!(bad.value, Val::Unknown(_)));
    }

    #[test]
    fn unknown_parts_stay_unknown() {
        let block = obj(vec![(
            "actions",
            list(vec![unknown(), s("b", 2), s("a", 3)]),
        )]);
        let d = doc(vec![("statement", list(vec![block]))]);
        let want = json!([{"Effect": "Allow", "Action": ["b", "a", "${unknown}"]}]);
        assert_eq!(statements(&d).to_document().0, want);
        let unknown_statement = |body| matches!(statements(&doc(body)).value, Val::Unknown(_));
        assert!(unknown_statement(vec![("statement", unknown())]));
        assert!(unknown_statement(vec![(
            "dynamic",
            list(vec![obj(vec![])])
        )]));
        assert!(unknown_statement(vec![(
            "source_policy_documents",
            list(vec![unknown()])
        )]));
        // An unknown sid decides whether the override replaces it.
        let over = r#"{"Statement": [{"Sid": "A", "Effect": "Deny"}]}"#;
        assert!(unknown_statement(vec![
            ("statement", list(vec![obj(vec![("sid", unknown())])])),
            ("override_policy_documents", list(vec![s(over, 4)])),
        ]));
        // ...but not when nothing has a sid to replace.
        assert!(!unknown_statement(vec![(
            "statement",
            list(vec![obj(vec![("sid", unknown())]), obj(vec![])])
        )]));
        let p = obj(vec![
            ("type", s("*", 5)),
            ("identifiers", list(vec![unknown()])),
        ]);
        let d = doc(vec![(
            "statement",
            list(vec![obj(vec![("principals", list(vec![p]))])]),
        )]);
        assert!(matches!(
            statements(&d).to_document().0[0]["Principal"],
            Value::String(_)
        ));
    }

    #[test]
    fn versions_ids_and_rejected_bodies() {
        let src = r#"{"Version": "2008-10-17", "Id": "src", "Statement": []}"#;
        let d = doc(vec![
            ("source_policy_documents", list(vec![s(src, 1)])),
            ("policy_id", s("", 2)),
        ]);
        assert_eq!(
            d.to_json(),
            Some(json!({"Version": "2012-10-17", "Id": "src"}))
        );
        let st = list(vec![obj(vec![(
            "resources",
            strs(&["arn:&{aws:username}"]),
        )])]);
        let d = doc(vec![("version", s("2008-10-17", 1)), ("statement", st)]);
        assert!(matches!(d.value, Val::Unknown(_)));
        for weird in [
            s("x", 1),
            Node::new(Val::Number(1.into()), None),
            list(vec![]),
        ] {
            let _ = policy_document(&weird);
            let _ = doc(vec![
                ("statement", weird.clone()),
                ("source_json", weird.clone()),
            ]);
            let _ = doc(vec![(
                "statement",
                list(vec![obj(vec![
                    ("principals", weird.clone()),
                    ("condition", weird),
                ])]),
            )]);
        }
    }
}
