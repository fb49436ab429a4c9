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

use crate::model::path::{JsonPath, PathSeg};

const IDENTITY_SCHEMA: &str = include_str!("../schemas/iam-identity-policy.schema.json");
const RESOURCE_SCHEMA: &str = include_str!("../schemas/iam-resource-policy.schema.json");

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
mod tests {
    use super::*;
    use serde_json::json;

    fn check(doc: Value, shape: PolicyShape) -> Vec<GrammarError> {
        grammar().check(&doc, shape)
    }

    /// (pointer, on_key, message) triples, for compact assertions.
    fn found(doc: Value, shape: PolicyShape) -> Vec<(String, bool, String)> {
        check(doc, shape)
            .into_iter()
            .map(|e| (e.path.to_string(), e.on_key, e.message))
            .collect()
    }

    fn one(pointer: &str, on_key: bool, message: &str) -> Vec<(String, bool, String)> {
        vec![(pointer.to_owned(), on_key, message.to_owned())]
    }

    fn identity_statement(statement: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": [statement]})
    }

    #[test]
    fn valid_identity_policy_is_clean() {
        let doc = json!({
            "Version": "2012-10-17",
            "Id": "example",
            "Statement": [
                {
                    "Sid": "ReadBucket",
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:List*", "ec2:Describe?nstances"],
                    "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/${aws:username}/*"],
                    "Condition": {
                        "Bool": {"aws:SecureTransport": true, "aws:MultiFactorAuthPresent": "true"},
                        "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
                        "ForAnyValue:StringLike": {"aws:PrincipalTag/team": ["a*", "b"]},
                        "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8::/32"]}
                    }
                },
                {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"},
                {"Effect": "Allow", "Action": "*", "Resource": "*"}
            ]
        });
        assert_eq!(found(doc, PolicyShape::Identity), vec![]);
    }

    #[test]
    fn real_action_names_are_accepted() {
        for action in [
            "execute-api:Invoke",
            "aws-marketplace:ViewSubscriptions",
            "rds-db:connect",
            "s3-object-lambda:GetObject",
            "es:ESHttpGet",
            "AppSync:GraphQL",
            "iam:*AccessKey*",
            "ssm:Get?arameter",
        ] {
            let doc =
                identity_statement(json!({"Effect": "Allow", "Action": action, "Resource": "*"}));
            assert_eq!(found(doc, PolicyShape::Identity), vec![], "{action}");
        }
    }

    #[test]
    fn valid_trust_policy_is_clean() {
        let doc = json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"},
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
                },
                {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
            ]
        });
        assert_eq!(found(doc, PolicyShape::Resource), vec![]);
    }

    #[test]
    fn valid_bucket_policy_is_clean() {
        let doc = json!({
            "Version": "2012-10-17",
            "Id": "PolicyForCloudFront",
            "Statement": [
                {
                    "Sid": "Deny insecure transport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": false}}
                },
                {
                    "Effect": "Allow",
                    "Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::bucket/*"
                },
                {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/public/*"}
            ]
        });
        assert_eq!(found(doc, PolicyShape::Resource), vec![]);
    }

    #[test]
    fn single_object_statement_is_accepted_and_located() {
        let ok = json!({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}});
        assert_eq!(found(ok, PolicyShape::Identity), vec![]);
        let trust = json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}});
        assert_eq!(found(trust, PolicyShape::Resource), vec![]);

        let bad = json!({"Statement": {"Effect": "allow", "Resource": "*"}});
        assert_eq!(
            found(bad, PolicyShape::Identity),
            vec![
                (
                    "/Statement".to_owned(),
                    false,
                    "statement has no `Action` or `NotAction`".to_owned()
                ),
                (
                    "/Statement/Effect".to_owned(),
                    false,
                    "`Effect` must be \"Allow\" or \"Deny\", found \"allow\"".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn effect_must_be_allow_or_deny() {
        let doc = identity_statement(json!({"Effect": "allow", "Action": "s3:*", "Resource": "*"}));
        assert_eq!(
            found(doc, PolicyShape::Identity),
            one(
                "/Statement/0/Effect",
                false,
                "`Effect` must be \"Allow\" or \"Deny\", found \"allow\""
            )
        );
        let doc = identity_statement(json!({"Action": "s3:*", "Resource": "*"}));
        assert_eq!(
            found(doc, PolicyShape::Identity),
            one("/Statement/0", false, "statement has no `Effect`")
        );
    }

    #[test]
    fn action_must_be_present_exactly_once() {
        let none = identity_statement(json!({"Effect": "Allow", "Resource": "*"}));
        assert_eq!(
            found(none, PolicyShape::Identity),
            one(
                "/Statement/0",
                false,
                "statement has no `Action` or `NotAction`"
            )
        );
        let both = identity_statement(
            json!({"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"}),
        );
        assert_eq!(
            found(both, PolicyShape::Identity),
            one(
                "/Statement/0",
                false,
                "statement has both `Action` and `NotAction`"
            )
        );
    }

    #[test]
    fn a_bare_statement_gets_one_finding_per_missing_pair() {
        let doc = identity_statement(json!({"Effect": "Allow"}));
        assert_eq!(
            found(doc, PolicyShape::Identity),
            vec![
                (
                    "/Statement/0".to_owned(),
                    false,
                    "statement has no `Action` or `NotAction`".to_owned()
                ),
                (
                    "/Statement/0".to_owned(),
                    false,
                    "statement has no `Resource` or `NotResource`".to_owned()
                ),
            ]
        );
        let doc = identity_statement(json!({"Effect": "Allow"}));
        assert_eq!(
            found(doc, PolicyShape::Resource),
            vec![
                (
                    "/Statement/0".to_owned(),
                    false,
                    "statement has no `Action` or `NotAction`".to_owned()
                ),
                (
                    "/Statement/0".to_owned(),
                    false,
                    "statement has no `Principal` or `NotPrincipal`".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn long_values_are_clipped_in_messages() {
        let long = format!("s3{}", "x".repeat(100));
        let doc = identity_statement(json!({"Effect": "Allow", "Action": long, "Resource": "*"}));
        let errors = check(doc, PolicyShape::Identity);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            format!(
                "`Action` entry `s3{}…` is not of the form `service:action`",
                "x".repeat(58)
            )
        );
    }

    #[test]
    fn resource_rules_differ_by_shape() {
        let both = identity_statement(
            json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "NotResource": "arn:aws:s3:::b"}),
        );
        assert_eq!(
            found(both.clone(), PolicyShape::Identity),
            one(
                "/Statement/0",
                false,
                "statement has both `Resource` and `NotResource`"
            )
        );
        let none = identity_statement(json!({"Effect": "Allow", "Action": "s3:*"}));
        assert_eq!(
            found(none, PolicyShape::Identity),
            one(
                "/Statement/0",
                false,
                "statement has no `Resource` or `NotResource`"
            )
        );
        let mut both = both;
        both["Statement"][0]["Principal"] = json!("*");
        assert_eq!(
            found(both, PolicyShape::Resource),
            one(
                "/Statement/0",
                false,
                "statement has both `Resource` and `NotResource`"
            )
        );
    }

    #[test]
    fn unknown_keys_are_reported_at_the_key() {
        let doc =
            identity_statement(json!({"Effect": "Allow", "Action": "s3:*", "Resources": "*"}));
        assert_eq!(
            found(doc, PolicyShape::Identity),
            vec![
                (
                    "/Statement/0".to_owned(),
                    false,
                    "statement has no `Resource` or `NotResource`".to_owned()
                ),
                (
                    "/Statement/0/Resources".to_owned(),
                    true,
                    "unknown key `Resources` in statement".to_owned()
                ),
            ]
        );
        let doc = json!({"Version": "2012-10-17", "Statment": [], "Statement": []});
        let errors = found(doc, PolicyShape::Identity);
        assert!(errors.contains(&(
            "/Statment".to_owned(),
            true,
            "unknown key `Statment` in policy".to_owned()
        )));
        assert!(errors.contains(&(
            "/Statement".to_owned(),
            false,
            "`Statement` is an empty list".to_owned()
        )));
    }

    #[test]
    fn principal_is_not_allowed_in_identity_policy() {
        let doc = identity_statement(
            json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}),
        );
        assert_eq!(
            found(doc, PolicyShape::Identity),
            one(
                "/Statement/0/Principal",
                true,
                "`Principal` is not allowed in an identity policy"
            )
        );
    }

    #[test]
    fn version_must_be_known() {
        let doc = json!({"Version": "2012-10-18", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}});
        assert_eq!(
            found(doc, PolicyShape::Identity),
            one(
                "/Version",
                false,
                "`Version` must be \"2012-10-17\" or \"2008-10-17\", found \"2012-10-18\""
            )
        );
        let doc = json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}});
        assert_eq!(
            found(doc, PolicyShape::Identity),
            vec![],
            "Version is optional"
        );
    }

    #[test]
    fn statement_must_be_object_or_list_of_objects() {
        let doc = json!({"Statement": "Allow everything"});
        assert_eq!(
            found(doc, PolicyShape::Identity),
            one(
                "/Statement",
                false,
                "`Statement` must be an object or a list of objects, found \"Allow everything\""
            )
        );
        let doc = json!({"Statement": [1]});
        assert_eq!(
            found(doc, PolicyShape::Identity),
            one(
                "/Statement/0",
                false,
                "statement must be an object, found 1"
            )
        );
        assert_eq!(
            found(json!({}), PolicyShape::Identity),
            one("", false, "policy has no `Statement`")
        );
        assert_eq!(
            found(json!([]), PolicyShape::Identity),
            one("", false, "a policy must be a JSON object, found a list")
        );
    }

    #[test]
    fn action_entries_must_name_service_and_action() {
        let doc = identity_statement(
            json!({"Effect": "Allow", "Action": ["s3:GetObject", "s3GetObject", 7], "Resource": "*"}),
        );
        assert_eq!(
            found(doc, PolicyShape::Identity),
            vec![
                (
                    "/Statement/0/Action/1".to_owned(),
                    false,
                    "`Action` entry `s3GetObject` is not of the form `service:action`".to_owned()
                ),
                (
                    "/Statement/0/Action/2".to_owned(),
                    false,
                    "`Action` entry must be a string, found 7".to_owned()
                ),
            ]
        );
        let doc =
            identity_statement(json!({"Effect": "Allow", "NotAction": "s3 :Get", "Resource": []}));
        assert_eq!(
            found(doc, PolicyShape::Identity),
            vec![
                (
                    "/Statement/0/NotAction".to_owned(),
                    false,
                    "`NotAction` entry `s3 :Get` is not of the form `service:action`".to_owned()
                ),
                (
                    "/Statement/0/Resource".to_owned(),
                    false,
                    "`Resource` is an empty list".to_owned()
                ),
            ]
        );
        let doc =
            identity_statement(json!({"Effect": "Allow", "Action": {"s3": "*"}, "Resource": "*"}));
        assert_eq!(
            found(doc, PolicyShape::Identity),
            one(
                "/Statement/0/Action",
                false,
                "`Action` must be a string or a list of strings, found an object"
            )
        );
    }

    #[test]
    fn principal_rules_in_resource_policies() {
        let stmt = |extra: Value| {
            let mut s = json!({"Effect": "Allow", "Action": "sts:AssumeRole"});
            if let (Some(s), Some(extra)) = (s.as_object_mut(), extra.as_object()) {
                s.extend(extra.clone());
            }
            json!({"Version": "2012-10-17", "Statement": [s]})
        };
        assert_eq!(
            found(stmt(json!({})), PolicyShape::Resource),
            one(
                "/Statement/0",
                false,
                "statement has no `Principal` or `NotPrincipal`"
            )
        );
        assert_eq!(
            found(
                stmt(json!({"Principal": "*", "NotPrincipal": {"AWS": "*"}})),
                PolicyShape::Resource
            ),
            one(
                "/Statement/0",
                false,
                "statement has both `Principal` and `NotPrincipal`"
            )
        );
        assert_eq!(
            found(stmt(json!({"Principal": "arn:aws:iam::111122223333:root"})), PolicyShape::Resource),
            one(
                "/Statement/0/Principal",
                false,
                "`Principal` must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}, found \"arn:aws:iam::111122223333:root\""
            )
        );
        assert_eq!(
            found(stmt(json!({"Principal": {"Aws": "*"}})), PolicyShape::Resource),
            one(
                "/Statement/0/Principal/Aws",
                true,
                "unknown principal type `Aws` in `Principal` (expected `AWS`, `Service`, `Federated` or `CanonicalUser`)"
            )
        );
        assert_eq!(
            found(
                stmt(json!({"Principal": {"Service": []}})),
                PolicyShape::Resource
            ),
            one(
                "/Statement/0/Principal/Service",
                false,
                "`Service` in `Principal` is an empty list"
            )
        );
        assert_eq!(
            found(stmt(json!({"Principal": {}})), PolicyShape::Resource),
            one(
                "/Statement/0/Principal",
                false,
                "`Principal` names no principal"
            )
        );
    }

    #[test]
    fn condition_values_may_be_strings_numbers_booleans_or_lists() {
        let doc = identity_statement(json!({
            "Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:ViaAWSService": false}, "NumericEquals": {"s3:max-keys": [10, 20]}, "Null": {"aws:TokenIssueTime": true}}
        }));
        assert_eq!(found(doc, PolicyShape::Identity), vec![]);

        let doc = identity_statement(json!({
            "Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/x": null, "123": [{"a": 1}]}, "Bool": "true"}
        }));
        assert_eq!(
            found(doc, PolicyShape::Identity),
            vec![
                ("/Statement/0/Condition/Bool".to_owned(), false, "condition operator `Bool` must be an object of condition keys, found \"true\"".to_owned()),
                ("/Statement/0/Condition/StringEquals/123/0".to_owned(), false, "condition value for `123` must list only strings, numbers and booleans, found an object".to_owned()),
                ("/Statement/0/Condition/StringEquals/aws:PrincipalTag~1x".to_owned(), false, "condition value for `aws:PrincipalTag/x` must be a string, number, boolean or a list of them, found null".to_owned()),
            ]
        );
        // A digit-only condition key is a key, not an index.
        let errors = check(
            identity_statement(
                json!({"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"123": null}}}),
            ),
            PolicyShape::Identity,
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].path.segments().last(),
            Some(&PathSeg::Key("123".into()))
        );
    }

    #[test]
    fn errors_are_capped_sorted_and_deduplicated() {
        let statements: Vec<Value> = (0..200)
            .map(|_| json!({"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}))
            .collect();
        let errors = check(json!({"Statement": statements}), PolicyShape::Identity);
        assert_eq!(errors.len(), MAX_ERRORS_PER_DOCUMENT);
        // Numeric index order, not string order: statements 0..50 are the ones kept.
        let expected: Vec<JsonPath> = (0..50)
            .map(|i| JsonPath::root().key("Statement").index(i).key("Effect"))
            .collect();
        let paths: Vec<JsonPath> = errors.into_iter().map(|e| e.path).collect();
        assert_eq!(paths, expected);
    }

    #[test]
    fn grammar_is_a_singleton() {
        assert!(std::ptr::eq(grammar(), grammar()));
    }
}
