//! A quick yes for the documents the schemas plainly accept. Compiling the schemas and
//! walking a document through the validator's tree cost a scan of 10,000 JSON files
//! about 7% of its instructions and a fifth of its cache misses (BENCHMARKS.md, session
//! 13), for documents almost all of which are valid. This walk says "valid" only for a
//! document every keyword of `schemas/*.schema.json` accepts; on anything else it says
//! "not sure" and the schema decides. It never finds an error: the schemas stay the one
//! source of truth for what is wrong and how it is explained. A test holds it to the
//! schemas on generated documents (a yes here must be a yes there).

use super::PolicyShape;
use crate::model::arn::split_once_byte;
use crate::model::json_view::{Json, JsonView};

/// True only when the schema for `shape` accepts `doc`; false means "ask the schema".
pub fn plainly_valid<'a, V: JsonView<'a>>(doc: V, shape: PolicyShape) -> bool {
    let Json::Object(top) = doc.json() else {
        return false;
    };
    let mut statement = None;
    for (key, value) in top {
        let ok = match key {
            "Version" => matches!(value.as_str(), Some("2012-10-17" | "2008-10-17")),
            "Id" => value.is_string(),
            "Statement" => {
                statement = Some(value);
                true
            }
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    match statement.map(JsonView::json) {
        Some(Json::Object(s)) => statement_ok::<V>(s, shape),
        Some(Json::Array(mut items)) => {
            items.len() > 0
                && items.all(|item| match item.json() {
                    Json::Object(s) => statement_ok::<V>(s, shape),
                    _ => false,
                })
        }
        _ => false,
    }
}

/// `statementBody`: the keys each schema allows, `Effect` required, exactly one of each
/// pair the shape requires, at most one of each other pair.
fn statement_ok<'a, V: JsonView<'a>>(s: V::Members, shape: PolicyShape) -> bool {
    let (mut effect, mut action, mut not_action) = (false, false, false);
    let (mut resource, mut not_resource, mut principal, mut not_principal) =
        (false, false, false, false);
    for (key, value) in s {
        let ok = match key {
            "Sid" => value.is_string(),
            "Effect" => {
                effect = true;
                matches!(value.as_str(), Some("Allow" | "Deny"))
            }
            "Action" => {
                action = true;
                action_list(value)
            }
            "NotAction" => {
                not_action = true;
                action_list(value)
            }
            "Resource" => {
                resource = true;
                string_list(value)
            }
            "NotResource" => {
                not_resource = true;
                string_list(value)
            }
            "Condition" => condition(value),
            "Principal" if shape == PolicyShape::Resource => {
                principal = true;
                principal_ok(value)
            }
            "NotPrincipal" if shape == PolicyShape::Resource => {
                not_principal = true;
                principal_ok(value)
            }
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    let one_action = action != not_action;
    let pairs = match shape {
        PolicyShape::Identity => resource != not_resource,
        PolicyShape::Resource => principal != not_principal && !(resource && not_resource),
    };
    effect && one_action && pairs
}

/// `actionList`: a pattern-matching string or a non-empty list of them.
fn action_list<'a, V: JsonView<'a>>(value: V) -> bool {
    match value.json() {
        Json::String(a) => action_ok(a),
        Json::Array(mut items) => {
            items.len() > 0 && items.all(|i| i.as_str().is_some_and(action_ok))
        }
        _ => false,
    }
}

/// `^(\*|[A-Za-z0-9][A-Za-z0-9_.-]*:[A-Za-z0-9*?_.-]+)$`, byte by byte.
fn action_ok(a: &str) -> bool {
    if a == "*" {
        return true;
    }
    let Some((service, action)) = split_once_byte(a, b':') else {
        return false;
    };
    let mut service = service.bytes();
    service.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && service.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && !action.is_empty()
        && action
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'?' | b'_' | b'.' | b'-'))
}

/// `stringList`: a string or a non-empty list of strings.
fn string_list<'a, V: JsonView<'a>>(value: V) -> bool {
    match value.json() {
        Json::String(_) => true,
        Json::Array(mut items) => items.len() > 0 && items.all(JsonView::is_string),
        _ => false,
    }
}

/// `condition`: operator to an object of key to a scalar or a list of scalars.
fn condition<'a, V: JsonView<'a>>(value: V) -> bool {
    fn scalar<'a, V: JsonView<'a>>(v: V) -> bool {
        matches!(v.json(), Json::String(_) | Json::Number(_) | Json::Bool(_))
    }
    let Json::Object(mut operators) = value.json() else {
        return false;
    };
    operators.all(|(_, keys)| match keys.json() {
        Json::Object(mut keys) => keys.all(|(_, v)| match v.json() {
            Json::Array(mut items) => items.all(scalar),
            _ => scalar(v),
        }),
        _ => false,
    })
}

/// `principal`: `"*"`, or a non-empty object of the four principal types, each a
/// `stringList`.
fn principal_ok<'a, V: JsonView<'a>>(value: V) -> bool {
    match value.json() {
        Json::String(p) => p == "*",
        Json::Object(mut types) => {
            types.len() > 0
                && types.all(|(k, v)| {
                    matches!(k, "AWS" | "Service" | "Federated" | "CanonicalUser") && string_list(v)
                })
        }
        _ => false,
    }
}
