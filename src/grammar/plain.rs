//! A quick yes for the documents the schemas plainly accept. Compiling the schemas and
//! walking a document through the validator's tree cost a scan of 10,000 JSON files
//! about 7% of its instructions and a fifth of its cache misses (BENCHMARKS.md, session
//! 13), for documents almost all of which are valid. This walk says "valid" only for a
//! document every keyword of `schemas/*.schema.json` accepts; on anything else it says
//! "not sure" and the schema decides. It never finds an error: the schemas stay the one
//! source of truth for what is wrong and how it is explained. A test holds it to the
//! schemas on generated documents (a yes here must be a yes there).

use serde_json::{Map, Value};

use super::PolicyShape;
use crate::model::arn::split_once_byte;

/// True only when the schema for `shape` accepts `doc`; false means "ask the schema".
pub fn plainly_valid(doc: &Value, shape: PolicyShape) -> bool {
    let Value::Object(top) = doc else {
        return false;
    };
    let mut statement = None;
    for (key, value) in top {
        let ok = match key.as_str() {
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
    match statement {
        Some(Value::Object(s)) => statement_ok(s, shape),
        Some(Value::Array(items)) => {
            !items.is_empty()
                && items.iter().all(|item| match item {
                    Value::Object(s) => statement_ok(s, shape),
                    _ => false,
                })
        }
        _ => false,
    }
}

/// `statementBody`: the keys each schema allows, `Effect` required, exactly one of each
/// pair the shape requires, at most one of each other pair.
fn statement_ok(s: &Map<String, Value>, shape: PolicyShape) -> bool {
    let (mut effect, mut action, mut not_action) = (false, false, false);
    let (mut resource, mut not_resource, mut principal, mut not_principal) =
        (false, false, false, false);
    for (key, value) in s {
        let ok = match key.as_str() {
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
fn action_list(value: &Value) -> bool {
    match value {
        Value::String(a) => action_ok(a),
        Value::Array(items) => {
            !items.is_empty() && items.iter().all(|i| i.as_str().is_some_and(action_ok))
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
fn string_list(value: &Value) -> bool {
    match value {
        Value::String(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
        _ => false,
    }
}

/// `condition`: operator to an object of key to a scalar or a list of scalars.
fn condition(value: &Value) -> bool {
    let scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let Value::Object(operators) = value else {
        return false;
    };
    operators.values().all(|keys| match keys {
        Value::Object(keys) => keys.values().all(|v| match v {
            Value::Array(items) => items.iter().all(scalar),
            v => scalar(v),
        }),
        _ => false,
    })
}

/// `principal`: `"*"`, or a non-empty object of the four principal types, each a
/// `stringList`.
fn principal_ok(value: &Value) -> bool {
    match value {
        Value::String(p) => p == "*",
        Value::Object(types) => {
            !types.is_empty()
                && types.iter().all(|(k, v)| {
                    matches!(
                        k.as_str(),
                        "AWS" | "Service" | "Federated" | "CanonicalUser"
                    ) && string_list(v)
                })
        }
        _ => false,
    }
}
