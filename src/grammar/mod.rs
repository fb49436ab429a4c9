//! The grammar of an IAM policy document: is it shaped the way AWS accepts? Two JSON
//! Schemas shipped in `schemas/` (one for identity-based policies, one for resource-based
//! and trust policies) are the single source of truth for what is valid; this module
//! compiles them once and turns the validator's errors into findings in plain words at
//! the exact JSON path of the offending value (or key). Where a schema error is too vague
//! to explain well on its own (the "exactly one of `Action`/`NotAction`" rules), the
//! message is worked out from the statement itself so one mistake gives one finding.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::model::json_view::JsonView;
use crate::model::path::{JsonPath, PathSeg};

mod plain;
pub use plain::plainly_valid;

const IDENTITY_SCHEMA: &str = include_str!("../../schemas/iam-identity-policy.schema.json");
const RESOURCE_SCHEMA: &str = include_str!("../../schemas/iam-resource-policy.schema.json");

/// At most this many grammar errors are reported for one document: past that the
/// document is broken wholesale and more findings only bury the first ones.
pub const MAX_ERRORS_PER_DOCUMENT: usize = 50;

/// Which grammar a policy document must follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyShape {
    /// Identity-based: inline and managed policies, permissions boundaries, SCPs. No
    /// `Principal`; `Resource` or `NotResource` required.
    Identity,
    /// Resource-based: bucket, key, topic and queue policies, RCPs, role trust policies.
    /// `Principal` or `NotPrincipal` required; `Resource` optional.
    Resource,
}

/// One way a policy document breaks the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrammarError {
    /// The offending value, or the member whose key is at fault when `on_key` is set.
    pub path: JsonPath,
    /// True when the error is about the key itself (an unknown or forbidden key), so it
    /// should be reported at the key rather than at its value.
    pub on_key: bool,
    /// What is wrong, in plain words: lower case, no trailing period.
    pub message: String,
}

/// Both policy schemas, compiled once.
pub struct Grammar {
    identity: Validator,
    resource: Validator,
}

impl Default for Grammar {
    fn default() -> Self {
        Self::new()
    }
}

impl Grammar {
    /// Compiles both embedded schemas. They ship with the binary and are tested, so a
    /// failure here is a bug in iamlint, not in the input.
    pub fn new() -> Self {
        Grammar {
            identity: compile(IDENTITY_SCHEMA),
            resource: compile(RESOURCE_SCHEMA),
        }
    }

    /// Checks `doc` against the grammar for `shape`. Returns nothing for a valid document;
    /// otherwise findings sorted by path then message, without duplicates, at most
    /// [`MAX_ERRORS_PER_DOCUMENT`] of them.
    pub fn check(&self, doc: &Value, shape: PolicyShape) -> Vec<GrammarError> {
        let validator = match shape {
            PolicyShape::Identity => &self.identity,
            PolicyShape::Resource => &self.resource,
        };
        // Most documents are valid; `is_valid` short-circuits and builds no errors.
        if validator.is_valid(doc) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for error in validator.iter_errors(doc) {
            describe(&error, doc, shape, &mut out);
        }
        out.sort_by(|a, b| (&a.path, &a.message, a.on_key).cmp(&(&b.path, &b.message, b.on_key)));
        out.dedup();
        out.truncate(MAX_ERRORS_PER_DOCUMENT);
        out
    }
}

/// Checks `doc` against the grammar for `shape`, as [`Grammar::check`] does, without
/// compiling or running the schemas for a document [`plainly_valid`] vouches for (most
/// documents of most trees: then the schemas are never compiled at all).
pub fn check<'a, V: JsonView<'a>>(doc: V, shape: PolicyShape) -> Vec<GrammarError> {
    if plainly_valid(doc, shape) {
        return Vec::new();
    }
    grammar().check(&doc.to_value(), shape)
}

/// The process-wide [`Grammar`], compiled on first use.
pub fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(Grammar::new)
}

fn compile(source: &str) -> Validator {
    let schema: Value = serde_json::from_str(source).expect("embedded schema is JSON");
    jsonschema::draft202012::new(&schema).expect("embedded schema compiles")
}

/// Where in a policy document an error sits, with statement-relative detail.
enum Place<'a> {
    /// The document itself.
    Root,
    /// A top-level member other than `Statement` (`Version`, `Id`).
    Top(&'a str),
    /// The `Statement` member when it is not a single statement object.
    StatementList,
    /// Inside one statement: its path and value, and the segments below it.
    Statement {
        path: JsonPath,
        value: &'a Value,
        rest: &'a [PathSeg],
    },
    Other,
}

fn locate<'a>(doc: &'a Value, path: &'a JsonPath) -> Place<'a> {
    let segs = path.segments();
    let Some(first) = segs.first() else {
        return Place::Root;
    };
    let PathSeg::Key(first) = first else {
        return Place::Other;
    };
    if first != "Statement" {
        return Place::Top(first);
    }
    let Some(list) = doc.get("Statement") else {
        return Place::Other;
    };
    // `Statement` may be a single object, in which case it is the statement itself.
    let (len, value) = match (list, segs.get(1)) {
        (Value::Object(_), _) => (1, list),
        (Value::Array(items), Some(PathSeg::Index(i))) => match items.get(*i) {
            Some(item) => (2, item),
            None => return Place::Other,
        },
        (_, None) => return Place::StatementList,
        _ => return Place::Other,
    };
    Place::Statement {
        path: JsonPath(segs[..len].to_vec()),
        value,
        rest: &segs[len..],
    }
}

/// Turns a JSON Pointer into a path, deciding index versus key by walking the document:
/// a digit-only segment is an index only where the value there is an array (a condition
/// key may well be made of digits).
fn resolve(doc: &Value, pointer: &str) -> JsonPath {
    let mut segs = Vec::new();
    let mut current = Some(doc);
    if pointer.is_empty() {
        return JsonPath(segs);
    }
    for raw in pointer.strip_prefix('/').unwrap_or(pointer).split('/') {
        let key = raw.replace("~1", "/").replace("~0", "~");
        match current {
            Some(Value::Array(items)) => match key.parse::<usize>() {
                Ok(i) => {
                    current = items.get(i);
                    segs.push(PathSeg::Index(i));
                }
                Err(_) => {
                    current = None;
                    segs.push(PathSeg::Key(key.into()));
                }
            },
            Some(Value::Object(map)) => {
                current = map.get(&key);
                segs.push(PathSeg::Key(key.into()));
            }
            _ => {
                current = None;
                segs.push(PathSeg::Key(key.into()));
            }
        }
    }
    JsonPath(segs)
}

/// Appends the finding(s) for one schema error.
fn describe(
    error: &ValidationError<'_>,
    doc: &Value,
    shape: PolicyShape,
    out: &mut Vec<GrammarError>,
) {
    let path = resolve(doc, error.instance_path().as_str());
    let instance: &Value = error.instance();
    let kind = error.kind();
    let at = |message: String| GrammarError {
        path: path.clone(),
        on_key: false,
        message,
    };

    // Unknown keys are reported one finding per key, at the key.
    if let ValidationErrorKind::AdditionalProperties { unexpected } = kind {
        for key in unexpected {
            out.push(GrammarError {
                path: path.key(key),
                on_key: true,
                message: unknown_key(doc, &path, key, shape),
            });
        }
        return;
    }

    let message = match locate(doc, &path) {
        Place::Root => match kind {
            ValidationErrorKind::Type { .. } => {
                format!("a policy must be a JSON object, found {}", show(instance))
            }
            ValidationErrorKind::Required { property } => {
                format!(
                    "policy has no `{}`",
                    property.as_str().unwrap_or("Statement")
                )
            }
            _ => fallback(error),
        },
        Place::Top("Version") => format!(
            "`Version` must be \"2012-10-17\" or \"2008-10-17\", found {}",
            show(instance)
        ),
        Place::Top(name) => match kind {
            ValidationErrorKind::Type { kind } => {
                format!(
                    "`{name}` must be {}, found {}",
                    expected(kind),
                    show(instance)
                )
            }
            _ => fallback(error),
        },
        Place::StatementList => match kind {
            ValidationErrorKind::MinItems { .. } => "`Statement` is an empty list".to_owned(),
            ValidationErrorKind::Type { .. } => format!(
                "`Statement` must be an object or a list of objects, found {}",
                show(instance)
            ),
            _ => fallback(error),
        },
        Place::Statement {
            path: stmt_path,
            value,
            rest,
        } => match statement_message(kind, instance, rest) {
            Some(message) => message,
            None if rest.is_empty() && is_combinator(kind) => {
                // anyOf/oneOf/not over the statement: the schema only says "one of these
                // failed", so say which pair is wrong from the statement itself.
                let before = out.len();
                pair_errors(value, &stmt_path, shape, out);
                if out.len() > before {
                    return;
                }
                fallback(error)
            }
            None => fallback(error),
        },
        Place::Other => fallback(error),
    };
    out.push(at(message));
}

/// The message for an error inside a statement, or `None` to let the caller decide.
fn statement_message(
    kind: &ValidationErrorKind,
    instance: &Value,
    rest: &[PathSeg],
) -> Option<String> {
    use PathSeg::{Index, Key};
    use ValidationErrorKind as K;
    let found = show(instance);
    let message = match (rest, kind) {
        ([], K::Type { .. }) => format!("statement must be an object, found {found}"),
        ([], K::Required { property }) => {
            format!("statement has no `{}`", property.as_str().unwrap_or("Effect"))
        }
        ([Key(k)], K::Enum { .. }) if k == "Effect" => {
            format!("`Effect` must be \"Allow\" or \"Deny\", found {found}")
        }
        ([Key(k)], K::Type { kind }) if k == "Sid" => {
            format!("`Sid` must be {}, found {found}", expected(kind))
        }
        // Action, NotAction, Resource, NotResource: a string or a non-empty list of them.
        ([Key(k)], K::Type { .. }) if is_list_member(k) => {
            format!("`{k}` must be a string or a list of strings, found {found}")
        }
        ([Key(k)], K::MinItems { .. }) if is_list_member(k) => {
            format!("`{k}` is an empty list")
        }
        ([Key(k), Index(_)], K::Type { .. }) if is_list_member(k) => {
            format!("`{k}` entry must be a string, found {found}")
        }
        ([Key(k)] | [Key(k), Index(_)], K::Pattern { .. }) if k == "Action" || k == "NotAction" => {
            format!(
                "`{k}` entry `{}` is not of the form `service:action`",
                clip(instance.as_str().unwrap_or_default())
            )
        }
        ([Key(k)], K::Type { .. } | K::Pattern { .. }) if is_principal(k) => format!(
            "`{k}` must be \"*\" or an object such as \
             {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, found {found}"
        ),
        ([Key(k)], K::MinProperties { .. }) if is_principal(k) => {
            format!("`{k}` names no principal")
        }
        ([Key(k), Key(t)], K::Type { .. }) if is_principal(k) => {
            format!("`{t}` in `{k}` must be a string or a list of strings, found {found}")
        }
        ([Key(k), Key(t)], K::MinItems { .. }) if is_principal(k) => {
            format!("`{t}` in `{k}` is an empty list")
        }
        ([Key(k), Key(t), Index(_)], K::Type { .. }) if is_principal(k) => {
            format!("`{t}` in `{k}` must list only strings, found {found}")
        }
        ([Key(k)], K::Type { .. }) if k == "Condition" => {
            format!("`Condition` must be an object of condition operators, found {found}")
        }
        ([Key(k), Key(op)], K::Type { .. }) if k == "Condition" => format!(
            "condition operator `{op}` must be an object of condition keys, found {found}"
        ),
        ([Key(k), Key(_), Key(key)], K::Type { .. }) if k == "Condition" => format!(
            "condition value for `{key}` must be a string, number, boolean or a list of them, \
             found {found}"
        ),
        ([Key(k), Key(_), Key(key), Index(_)], K::Type { .. }) if k == "Condition" => format!(
            "condition value for `{key}` must list only strings, numbers and booleans, found {found}"
        ),
        _ => return None,
    };
    Some(message)
}

/// The exactly-one-of rules, checked on the statement itself for a clear message.
fn pair_errors(
    statement: &Value,
    path: &JsonPath,
    shape: PolicyShape,
    out: &mut Vec<GrammarError>,
) {
    let Some(map) = statement.as_object() else {
        return;
    };
    // (key, negated key, at least one required)
    let pairs: &[(&str, &str, bool)] = match shape {
        PolicyShape::Identity => &[
            ("Action", "NotAction", true),
            ("Resource", "NotResource", true),
        ],
        PolicyShape::Resource => &[
            ("Principal", "NotPrincipal", true),
            ("Action", "NotAction", true),
            ("Resource", "NotResource", false),
        ],
    };
    for &(key, not_key, required) in pairs {
        let message = match (map.contains_key(key), map.contains_key(not_key)) {
            (true, true) => format!("statement has both `{key}` and `{not_key}`"),
            (false, false) if required => format!("statement has no `{key}` or `{not_key}`"),
            _ => continue,
        };
        out.push(GrammarError {
            path: path.clone(),
            on_key: false,
            message,
        });
    }
}

fn unknown_key(doc: &Value, parent: &JsonPath, key: &str, shape: PolicyShape) -> String {
    match locate(doc, parent) {
        Place::Root => format!("unknown key `{key}` in policy"),
        Place::Statement { rest: [], .. } => {
            if shape == PolicyShape::Identity && is_principal(key) {
                format!("`{key}` is not allowed in an identity policy")
            } else {
                format!("unknown key `{key}` in statement")
            }
        }
        Place::Statement {
            rest: [PathSeg::Key(k)],
            ..
        } if is_principal(k) => format!(
            "unknown principal type `{key}` in `{k}` \
             (expected `AWS`, `Service`, `Federated` or `CanonicalUser`)"
        ),
        _ => format!("unknown key `{key}`"),
    }
}

fn is_principal(key: &str) -> bool {
    key == "Principal" || key == "NotPrincipal"
}

fn is_list_member(key: &str) -> bool {
    matches!(key, "Action" | "NotAction" | "Resource" | "NotResource")
}

fn is_combinator(kind: &ValidationErrorKind) -> bool {
    matches!(
        kind,
        ValidationErrorKind::AnyOf { .. }
            | ValidationErrorKind::OneOfNotValid { .. }
            | ValidationErrorKind::OneOfMultipleValid { .. }
            | ValidationErrorKind::Not { .. }
    )
}

/// A value as it appears in a message: scalars verbatim (strings quoted and shortened),
/// containers by kind, since echoing a whole statement back helps nobody.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() > CLIP => {
            let short: String = s.chars().take(CLIP).collect();
            format!("{}…", Value::String(short))
        }
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        other => other.to_string(),
    }
}

/// Longest stretch of an input string echoed in a message.
const CLIP: usize = 60;

/// `text` shortened to [`CLIP`] characters, marked with an ellipsis when cut.
fn clip(text: &str) -> String {
    if text.chars().count() > CLIP {
        text.chars().take(CLIP).chain(['…']).collect()
    } else {
        text.to_owned()
    }
}

/// "a string", "a string or a list", ... for a schema `type`.
fn expected(kind: &TypeKind) -> String {
    fn one(t: jsonschema::types::JsonType) -> &'static str {
        use jsonschema::types::JsonType as T;
        match t {
            T::Array => "a list",
            T::Boolean => "true or false",
            T::Integer => "a whole number",
            T::Null => "null",
            T::Number => "a number",
            T::Object => "an object",
            T::String => "a string",
        }
    }
    match kind {
        TypeKind::Single(t) => one(*t).to_owned(),
        TypeKind::Multiple(set) => {
            let names: Vec<&str> = set.iter().map(one).collect();
            match names.split_last() {
                Some((last, [])) => (*last).to_owned(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => "something else".to_owned(),
            }
        }
    }
}

/// A last resort for an error no arm above expects: still at the right path, in the
/// validator's own words.
fn fallback(error: &ValidationError<'_>) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c
            .to_lowercase()
            .chain(chars)
            .collect::<String>()
            .trim_end_matches('.')
            .to_owned(),
        None => "value is not valid here".to_owned(),
    }
}

#[cfg(test)]
mod tests;
