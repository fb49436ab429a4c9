//! The Terraform functions iamlint evaluates: those that build policies and ARNs
//! (`jsonencode`, `file`, `templatefile`, `format`, `join`, `concat`, `merge`, …). Any
//! other function, and any of these given an unknown argument, gives an unknown value.

use std::sync::Arc;

use serde_json::{Number, Value};

use super::eval::{float, index, json_with_unknowns, last_of_each_key, Eval};
use super::value::{Member, Node, Text, Val};
use crate::model::location::Location;

/// Calls function `name`.
pub fn call(ev: &mut Eval, name: &str, args: Vec<Node>, at: Option<Location>) -> Node {
    let unknown = |why: String| Node::new(Val::Unknown(why.into()), at.clone());
    // `try` and `coalesce` decide with unknown arguments; the rest need every argument.
    match name {
        "try" => {
            return match args.into_iter().next() {
                Some(first) if !first.has_unknown() => first,
                _ => unknown("`try` of a value not known".into()),
            };
        }
        "coalesce" => {
            for a in args {
                match &a.value {
                    Val::Unknown(_) => return unknown("`coalesce` of a value not known".into()),
                    Val::Null => continue,
                    Val::String(s, _) if s.is_empty() => continue,
                    _ => return a,
                }
            }
            return unknown("`coalesce` of nothing".into());
        }
        _ => {}
    }
    if let Some(why) = args.iter().find_map(|a| match &a.value {
        Val::Unknown(why) => Some(why.clone()),
        _ => None,
    }) {
        return Node::new(Val::Unknown(why), at);
    }
    let text = |i: usize| args.get(i).and_then(Node::as_text).map(|t| t.into_owned());
    let string = |s: String| Node::new(Val::String(Arc::from(s.as_str()), Text::Made), at.clone());
    let list = |items: Vec<Node>| Node::new(Val::List(items), at.clone());
    let result: Option<Node> = match name {
        "jsonencode" => args
            .into_iter()
            .next()
            .map(|a| Node::new(Val::Json(Arc::new(a)), at.clone())),
        "jsondecode" => text(0)
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .map(|v| Node::from_json(&v, at.as_ref(), None)),
        "file" => {
            let path = text(0).unwrap_or_default();
            let Some((content, place)) = ev.env.read_file(&path) else {
                return unknown(format!("`file` of `{path}` that is not in the scan"));
            };
            // Only a JSON document is used (a policy file): the text of anything else (a
            // credentials file, a key) would reach messages, and is never read.
            if !is_json_document(&content) {
                return unknown(format!(
                    "`file` of `{path}`, which is not a JSON document: not read"
                ));
            }
            let text = if place.is_some() {
                Text::Verbatim
            } else {
                Text::Made
            };
            return Node::new(Val::String(content, text), place.or(at));
        }
        "templatefile" => {
            let (Some(path), Some(vars)) = (text(0), args.get(1)) else {
                return unknown("`templatefile` arguments not known".into());
            };
            let Some((content, place)) = ev.env.read_file(&path) else {
                return unknown(format!(
                    "`templatefile` of `{path}` that is not in the scan"
                ));
            };
            let Ok(template) =
                hcl_edit::parser::parse_template(&content).map(|t| super::ast::template(&t, None))
            else {
                return unknown(format!("`templatefile` of `{path}` that is not a template"));
            };
            let Val::Object(members) = &vars.value else {
                return unknown("`templatefile` variables not known".into());
            };
            // The template's names are its variables only.
            let saved = std::mem::take(&mut ev.bound);
            ev.bound = members
                .iter()
                .map(|m| (m.key.clone(), m.value.clone()))
                .collect();
            let mut out = String::new();
            let mut verbatim = false;
            // Unknown interpolations are rendered as a sentinel either way.
            let _ = ev.render_template(&template, &mut out, &mut verbatim);
            ev.bound = saved;
            // As with `file`, only a JSON document is used; its parts are found in the
            // file's text by path (a template's interpolations sit inside strings).
            return match serde_json::from_str::<Value>(&out) {
                Ok(v) if is_json_document_value(&v) => {
                    Node::new(Val::Json(Arc::new(json_with_unknowns(&v))), place.or(at))
                }
                _ => unknown(format!(
                    "`templatefile` of `{path}` does not give a JSON document: not read"
                )),
            };
        }
        "format" => text(0).and_then(|f| format(&f, &args[1..])).map(string),
        "join" => match args.get(1).map(|a| &a.value) {
            Some(_) => {
                let sep = text(0).unwrap_or_default();
                let mut parts = Vec::new();
                for a in &args[1..] {
                    match &a.value {
                        Val::List(items) => {
                            for i in items {
                                match i.as_text() {
                                    Some(t) => parts.push(t.into_owned()),
                                    None => {
                                        return unknown("`join` of a value that is not text".into())
                                    }
                                }
                            }
                        }
                        _ => return unknown("`join` of a value that is not a list".into()),
                    }
                }
                Some(string(parts.join(&sep)))
            }
            None => None,
        },
        "concat" => {
            let mut out = Vec::new();
            for a in args {
                match a.value {
                    Val::List(items) => out.extend(items),
                    _ => return unknown("`concat` of a value that is not a list".into()),
                }
            }
            Some(list(out))
        }
        "merge" => {
            let mut members: Vec<Member> = Vec::new();
            for a in args {
                match a.value {
                    Val::Object(ms) => {
                        members.extend(ms);
                    }
                    Val::Null => {}
                    _ => return unknown("`merge` of a value that is not an object".into()),
                }
            }
            Some(Node::new(
                Val::Object(last_of_each_key(members)),
                at.clone(),
            ))
        }
        "lookup" => match (args.first(), text(1)) {
            (Some(map), Some(key)) => match map.get(&key) {
                Some(v) => Some(v.clone()),
                None => args.get(2).cloned(),
            },
            _ => None,
        },
        "element" => match (args.first().map(|a| &a.value), args.get(1)) {
            (Some(Val::List(items)), Some(i)) if !items.is_empty() => {
                let n = i.as_text().and_then(|t| t.parse::<usize>().ok());
                n.map(|n| items[n % items.len()].clone())
            }
            _ => None,
        },
        "length" => match args.first().map(|a| &a.value) {
            Some(Val::List(items)) => Some(Node::new(
                Val::Number(Number::from(items.len())),
                at.clone(),
            )),
            Some(Val::Object(ms)) => {
                Some(Node::new(Val::Number(Number::from(ms.len())), at.clone()))
            }
            Some(Val::String(s, _)) => Some(Node::new(
                Val::Number(Number::from(s.chars().count())),
                at.clone(),
            )),
            _ => None,
        },
        "tolist" | "toset" | "distinct" => match args.into_iter().next().map(|a| a.value) {
            Some(Val::List(items)) => {
                let mut seen: Vec<Value> = Vec::new();
                let mut out = Vec::new();
                for i in items {
                    let dedup = name != "tolist";
                    let key = i.to_json();
                    if dedup && key.as_ref().is_some_and(|k| seen.contains(k)) {
                        continue;
                    }
                    seen.extend(key);
                    out.push(i);
                }
                if name == "toset" {
                    // Sets of strings iterate in lexical order.
                    if out.iter().all(|n| matches!(n.value, Val::String(..))) {
                        out.sort_by(|a, b| a.as_text().cmp(&b.as_text()));
                    }
                }
                Some(list(out))
            }
            _ => None,
        },
        "tomap" | "tostring" | "tonumber" | "tobool" | "sensitive" | "nonsensitive" => {
            args.into_iter().next()
        }
        "lower" => text(0).map(|t| string(t.to_lowercase())),
        "upper" => text(0).map(|t| string(t.to_uppercase())),
        "trimspace" => text(0).map(|t| string(t.trim().to_owned())),
        "trimprefix" => text(0)
            .zip(text(1))
            .map(|(t, p)| string(t.strip_prefix(p.as_str()).unwrap_or(&t).to_owned())),
        "trimsuffix" => text(0)
            .zip(text(1))
            .map(|(t, p)| string(t.strip_suffix(p.as_str()).unwrap_or(&t).to_owned())),
        "replace" => match (text(0), text(1), text(2)) {
            // A `/…/` pattern is a regular expression: not evaluated.
            (Some(t), Some(from), Some(to))
                if !(from.len() > 1 && from.starts_with('/') && from.ends_with('/')) =>
            {
                Some(string(t.replace(&from, &to)))
            }
            _ => None,
        },
        "split" => text(0).zip(text(1)).map(|(sep, t)| {
            list(
                t.split(sep.as_str())
                    .map(|p| Node::string(p, None))
                    .collect(),
            )
        }),
        "flatten" => {
            fn flat(n: Node, out: &mut Vec<Node>) {
                match n.value {
                    Val::List(items) => items.into_iter().for_each(|i| flat(i, out)),
                    _ => out.push(n),
                }
            }
            let mut out = Vec::new();
            args.into_iter().for_each(|a| flat(a, &mut out));
            Some(list(out))
        }
        "compact" => match args.into_iter().next().map(|a| a.value) {
            Some(Val::List(items)) => Some(list(
                items
                    .into_iter()
                    .filter(|i| {
                        !matches!(&i.value, Val::Null)
                            && !matches!(&i.value, Val::String(s, _) if s.is_empty())
                    })
                    .collect(),
            )),
            _ => None,
        },
        "keys" | "values" => match args.first().map(|a| &a.value) {
            Some(Val::Object(ms)) => {
                let mut ms = ms.clone();
                ms.sort_by(|a, b| a.key.cmp(&b.key));
                Some(list(
                    ms.into_iter()
                        .map(|m| {
                            if name == "keys" {
                                Node::with_at(Val::String(m.key, Text::Made), m.key_at)
                            } else {
                                m.value
                            }
                        })
                        .collect(),
                ))
            }
            _ => None,
        },
        "zipmap" => match (
            args.first().map(|a| &a.value),
            args.get(1).map(|a| &a.value),
        ) {
            (Some(Val::List(ks)), Some(Val::List(vs))) if ks.len() == vs.len() => {
                let mut members = Vec::new();
                for (k, v) in ks.iter().zip(vs) {
                    let Some(key) = k.as_text() else {
                        return unknown("`zipmap` key that is not text".into());
                    };
                    members.push(Member {
                        key: Arc::from(&*key),
                        key_at: k.at.clone(),
                        value: v.clone(),
                    });
                }
                Some(Node::new(Val::Object(members), at.clone()))
            }
            _ => None,
        },
        "contains" => match (
            args.first().map(|a| &a.value),
            args.get(1).and_then(Node::to_json),
        ) {
            (Some(Val::List(items)), Some(v)) => Some(Node::new(
                Val::Bool(items.iter().any(|i| i.to_json().as_ref() == Some(&v))),
                at.clone(),
            )),
            _ => None,
        },
        "one" => match args.into_iter().next().map(|a| a.value) {
            Some(Val::List(mut items)) if items.len() <= 1 => {
                Some(items.pop().unwrap_or(Node::new(Val::Null, at.clone())))
            }
            _ => None,
        },
        "range" => {
            let nums: Option<Vec<f64>> = args.iter().map(|a| a.as_text()?.parse().ok()).collect();
            match nums.as_deref() {
                Some([end]) if *end >= 0.0 && *end <= 10_000.0 => Some(list(
                    (0..*end as usize)
                        .map(|i| Node::new(Val::Number(Number::from(i)), None))
                        .collect(),
                )),
                _ => None,
            }
        }
        "max" | "min" => {
            let nums: Option<Vec<f64>> = args.iter().map(|a| a.as_text()?.parse().ok()).collect();
            nums.and_then(|n| {
                let v = if name == "max" {
                    n.into_iter().reduce(f64::max)
                } else {
                    n.into_iter().reduce(f64::min)
                };
                v.and_then(float)
            })
            .map(|v| Node::new(v, at.clone()))
        }
        "index" => args.first().zip(args.get(1)).map(|(c, k)| index(c, k)),
        "can" => None,
        _ => return unknown(format!("function `{name}` is not evaluated")),
    };
    result.unwrap_or_else(|| {
        Node::new(
            Val::Unknown(format!("`{name}` of these arguments is not evaluated").into()),
            at,
        )
    })
}

/// Whether a file's text is a JSON document iamlint may use: an object that is not a
/// credential cache.
fn is_json_document(text: &str) -> bool {
    serde_json::from_str::<Value>(text).is_ok_and(|v| is_json_document_value(&v))
}

fn is_json_document_value(v: &Value) -> bool {
    v.as_object().is_some_and(|obj| {
        !crate::sources::credential_cache::looks_like_cache(obj)
            && !crate::sources::credential_cache::holds_cache_key(v)
    })
}

/// Terraform's `format` for the verbs ARNs use (`%s`, `%d`, `%v`, `%%`); None for any
/// other verb.
fn format(spec: &str, args: &[Node]) -> Option<String> {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => out.push_str(&next.next()?.as_text()?),
            _ => return None,
        }
    }
    Some(out)
}
