//! Documents merged in (`source_policy_documents`, `override_policy_documents` and the
//! deprecated `source_json`/`override_json`), read as the provider reads them: through its
//! own Go types, which drop or reshape some parts.

use super::*;

/// A document merged in: a value (another policy document, `jsonencode`) or JSON text.
pub(super) fn json_doc(n: Option<&Node>) -> Res<Option<Doc>> {
    let Some(n) = n else { return Ok(None) };
    let doc = match &n.value {
        Val::Null => return Ok(None),
        Val::Unknown(why) => return Ok(Some(Doc::unknown(why.clone()))),
        Val::Json(inner) => (**inner).clone(),
        Val::String(s, text) => {
            let v: Value =
                serde_json::from_str(s).map_err(|e| format!("a merged document: {e}"))?;
            from_value(&v, &n.loc(), *text, &JsonPath::root())
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
                    d.version = Some(member("Version", m.key_loc(), n));
                }
            }
            "id" => {
                if let Some(n) = go_string(v)? {
                    d.id = Some(member("Id", m.key_loc(), n));
                }
            }
            "statement" => {
                (d.key_at, d.at) = (m.key_loc(), v.loc());
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
            *slot = value.map(|n| member(FIELDS[i], m.key_loc(), n));
        }
    }
    let sid = match &slots[0] {
        None => Some(String::new()),
        Some(m) => m.value.as_text().map(|t| t.into_owned()),
    };
    let node = Node::new(Val::Object(slots.into_iter().flatten().collect()), s.loc());
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
        Val::String(..) | Val::Json(_) => return Ok(Some(Node::string("*", v.loc()))),
        Val::Object(m) => m,
        _ => return Err("a merged Principal is neither a string nor an object".into()),
    };
    let mut out = Vec::new();
    for m in members {
        let value = match &m.value.value {
            _ if is_stringish(&m.value) => m.value.clone(),
            Val::List(items) if items.iter().all(is_stringish) => {
                Node::new(Val::List(sort_desc(items.clone())), m.value.loc())
            }
            _ => return Err("a merged principal's identifiers are not strings".into()),
        };
        out.push(member(&m.key, m.key_loc(), value));
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
    Ok((!out.is_empty()).then(|| Node::new(Val::Object(out), v.loc())))
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
                Val::Bool(b) => Node::string(b.to_string(), n.loc()),
                Val::List(items) if items.iter().all(is_stringish) => n.clone(),
                Val::List(_) => return Err("a merged condition list holds a non-string".into()),
                _ => continue,
            };
            vs.push((String::from(&*m.key), m.key_loc(), value));
        }
        out.push((String::from(&*t.key), t.key_loc(), t.value.loc(), vs));
    }
    Ok(condition_node(out, v.loc()))
}
