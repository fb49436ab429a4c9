//! Block bodies as values: attributes, nested and `dynamic` blocks, and values converted
//! to a variable's declared type.

use std::sync::Arc;

use super::super::ast::{Block, Body, Expr, ExprKind, ObjectKey, Op};
use super::super::eval::Eval;
use super::super::value::{At, Member, Node, Val};
use super::META;
use crate::model::location::Location;

/// A value converted to a type constraint as far as it matters here: attributes an
/// `object({…})` type declares `optional` are added (null, or their default) when left
/// out, and those it does not declare are dropped, recursively through `map`, `list`,
/// `set` and `tuple`. Any other type leaves the value as it is.
pub(super) fn conform(node: Node, ty: &Expr, ev: &mut Eval) -> Node {
    let ExprKind::Call(call) = &ty.kind else {
        return node;
    };
    let (name, args) = (&call.name, &call.args);
    let at = node.loc();
    match (&**name, node.value) {
        ("optional", value) => match args.first() {
            Some(inner) => conform(Node::new(value, at), inner, ev),
            None => Node::new(value, at),
        },
        ("object", Val::Object(members)) => {
            let Some(ExprKind::Object(spec)) = args.first().map(|a| &a.kind) else {
                return Node::new(Val::Object(members), at);
            };
            let mut out = Vec::new();
            for (key, ty) in spec.iter() {
                let key: String = match key {
                    ObjectKey::Name(name, _) => name.to_string(),
                    ObjectKey::Expr(e) => match &e.kind {
                        ExprKind::String(s) => s.to_string(),
                        _ => continue,
                    },
                };
                match members.iter().find(|m| *m.key == *key) {
                    Some(m) if !matches!(m.value.value, Val::Null) => out.push(Member {
                        key: m.key.clone(),
                        key_at: m.key_at.clone(),
                        value: conform(m.value.clone(), ty, ev),
                    }),
                    found => {
                        let default = match &ty.kind {
                            ExprKind::Call(call) if &*call.name == "optional" => {
                                call.args.get(1).map(|d| ev.expr(d))
                            }
                            _ => None,
                        };
                        out.push(Member {
                            key: Arc::from(key.as_str()),
                            key_at: found.and_then(|m| m.key_at.clone()),
                            value: default.unwrap_or_else(|| Node::new(Val::Null, None)),
                        });
                    }
                }
            }
            Node::new(Val::Object(out), at)
        }
        ("map" | "list" | "set", Val::List(items)) => match args.first() {
            Some(inner) => Node::new(
                Val::List(items.into_iter().map(|i| conform(i, inner, ev)).collect()),
                at,
            ),
            None => Node::new(Val::List(items), at),
        },
        ("map", Val::Object(members)) => match args.first() {
            Some(inner) => Node::new(
                Val::Object(
                    members
                        .into_iter()
                        .map(|m| Member {
                            value: conform(m.value, inner, ev),
                            ..m
                        })
                        .collect(),
                ),
                at,
            ),
            None => Node::new(Val::Object(members), at),
        },
        (_, value) => Node::new(value, at),
    }
}

/// `aws` or `aws.x` as written in a `providers` map or a `provider` argument.
pub(super) fn expr_name(e: Option<&Expr>) -> Option<String> {
    match &e?.kind {
        ExprKind::Variable(v) => Some(v.to_string()),
        ExprKind::Traversal(t) => {
            let (base, ops) = &**t;
            let ExprKind::Variable(root) = &base.kind else {
                return None;
            };
            match &**ops {
                [Op::GetAttr(id)] => Some(format!("{root}.{id}")),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Attributes of managed resources that are never evaluated.
pub(super) const NOT_READ: &[&str] = &["tags", "tags_all", "description"];

/// A block body as a node (see [`Instance::eval_body`]), without the attributes `skip`
/// names.
pub(super) fn body_node(ev: &mut Eval, body: &Body, top: bool, skip: &[&str]) -> Node {
    let at = ev.file.loc(body.span);
    let mut members: Vec<Member> = Vec::new();
    for attr in &body.attributes {
        let key = &*attr.key;
        if (top && META.contains(&key) && key != "source") || skip.contains(&key) {
            continue;
        }
        let value = ev.expr(&attr.value);
        members.push(Member {
            key: Arc::from(key),
            key_at: ev.file.loc(attr.key_span).map(At::new),
            value,
        });
    }
    let mut blocks: Vec<(Arc<str>, Option<Location>, Node)> = Vec::new();
    for block in &body.blocks {
        let ident = &*block.ident;
        if top && ident == "lifecycle" {
            continue;
        }
        if ident == "dynamic" {
            let Some(label) = block.labels.first().cloned() else {
                continue;
            };
            blocks.push((
                label.clone(),
                ev.file.loc(block.span),
                dynamic_blocks(ev, block, &label),
            ));
            continue;
        }
        let node = body_node(ev, &block.body, false, &[]);
        blocks.push((
            Arc::from(ident),
            ev.file.loc(block.ident_span),
            Node::new(node.value, ev.file.loc(block.span)),
        ));
    }
    for (name, key_at, node) in blocks {
        let existing = members.iter_mut().find(|m| m.key == name);
        match (existing, node.value) {
            (Some(m), v) => match (&mut m.value.value, v) {
                (Val::List(items), Val::List(more)) => items.extend(more),
                (Val::List(items), v @ Val::Object(_)) => items.push(Node::with_at(v, node.at)),
                (_, Val::Unknown(why)) => m.value = Node::unknown(why),
                (Val::Unknown(_), _) => {}
                _ => {}
            },
            (None, v @ Val::Object(_)) => {
                let key_at = key_at.map(At::new);
                members.push(Member {
                    key: name,
                    key_at: key_at.clone(),
                    value: Node::with_at(Val::List(vec![Node::with_at(v, node.at)]), key_at),
                })
            }
            (None, v) => members.push(Member::new(name, key_at, Node::with_at(v, node.at))),
        }
    }
    Node::new(Val::Object(members), at)
}

/// The blocks a `dynamic` block makes: a list, or unknown when its `for_each` is.
fn dynamic_blocks(ev: &mut Eval, block: &Block, label: &Arc<str>) -> Node {
    let at = ev.file.loc(block.span);
    let Some(for_each) = block.body.get_attribute("for_each") else {
        return Node::unknown("`dynamic` block without `for_each`");
    };
    let coll = ev.expr(&for_each.value);
    let Some(pairs) = super::super::eval::iteration(&coll) else {
        return Node::new(
            Val::Unknown("a `dynamic` block's `for_each` is not known".into()),
            at,
        );
    };
    let iterator: Arc<str> = block
        .body
        .get_attribute("iterator")
        .and_then(|a| match &a.value.kind {
            ExprKind::Variable(v) => Some(v.clone()),
            _ => None,
        })
        .unwrap_or_else(|| label.clone());
    let Some(content) = block.body.get_blocks("content").next() else {
        return Node::new(Val::List(Vec::new()), at);
    };
    let mut items = Vec::new();
    for (k, v) in pairs {
        let binding = Node::new(
            Val::Object(vec![
                Member {
                    key: Arc::from("key"),
                    key_at: None,
                    value: k,
                },
                Member {
                    key: Arc::from("value"),
                    key_at: None,
                    value: v,
                },
            ]),
            None,
        );
        let mark = ev.bound.len();
        ev.bound.push((iterator.clone(), binding));
        let node = body_node(ev, &content.body, false, &[]);
        ev.bound.truncate(mark);
        items.push(Node::new(node.value, ev.file.loc(content.span)));
    }
    Node::new(Val::List(items), at)
}
