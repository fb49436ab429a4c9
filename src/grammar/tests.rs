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
        let doc = identity_statement(json!({"Effect": "Allow", "Action": action, "Resource": "*"}));
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
    let doc = identity_statement(json!({"Effect": "Allow", "Action": "s3:*", "Resources": "*"}));
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

/// The quick walk ([`plainly_valid`]) says yes only where the schema says yes: checked on
/// documents built from the schema's own keys, values of every kind, and near misses
/// (keys in the wrong case, actions one byte off the pattern, empty lists, doubled pairs).
mod plain_agrees_with_schema {
    use super::*;
    use proptest::prelude::*;

    fn action() -> impl Strategy<Value = Value> {
        prop_oneof![
            4 => prop::sample::select(vec![
                "*", "s3:GetObject", "s3:Get*", "ec2:Describe?nstances", "a.b-c_d:x.y-z_",
                "s3:", ":Get", "s3:Get Object", "*:*", "s3:*", "-s3:x", "_x:y", "s3:Get:Object",
                "", "S3:get", "s3:Get\n", "\u{e9}c2:Run", "ec2:R\u{fc}n", "s3 :Get", "**",
                "9:9", "s3:?", "s3:-", ".s3:x",
            ])
            .prop_map(Value::from),
            1 => "[a-zA-Z0-9:*?._ -]{0,8}".prop_map(Value::from),
        ]
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            Just(json!(1.5)),
            prop::sample::select(vec!["*", "Allow", "Deny", "allow", "2012-10-17", "x", ""])
                .prop_map(Value::from),
        ]
    }

    /// Any JSON value, two levels deep, keys drawn from the schema's own names.
    fn any_json() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(2, 12, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::vec((key(), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "AWS",
            "Service",
            "Federated",
            "CanonicalUser",
            "aws",
            "StringEquals",
            "k",
            "Foo",
        ])
        .prop_map(str::to_owned)
    }

    fn list_of(item: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
        prop_oneof![
            2 => item.clone(),
            2 => prop::collection::vec(item, 0..4).prop_map(Value::from),
            1 => any_json(),
        ]
        .boxed()
    }

    fn strings() -> BoxedStrategy<Value> {
        list_of(
            prop_oneof![
                4 => prop::sample::select(vec!["*", "arn:aws:s3:::b/*", ""]).prop_map(Value::from),
                1 => scalar(),
            ]
            .boxed(),
        )
    }

    fn principal() -> BoxedStrategy<Value> {
        prop_oneof![
            2 => Just(json!("*")),
            1 => Just(json!("**")),
            4 => prop::collection::vec((key(), strings()), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            1 => any_json(),
        ]
        .boxed()
    }

    fn condition() -> BoxedStrategy<Value> {
        let values = list_of(scalar().boxed());
        let keys = prop::collection::vec((key(), values), 0..3)
            .prop_map(|kv| Value::Object(kv.into_iter().collect()));
        prop_oneof![
            4 => prop::collection::vec((key(), keys), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            1 => any_json(),
        ]
        .boxed()
    }

    fn member() -> BoxedStrategy<(String, Value)> {
        let named =
            |k: &'static str, v: BoxedStrategy<Value>| v.prop_map(move |v| (k.to_owned(), v));
        prop_oneof![
            3 => named("Effect", prop_oneof![4 => Just(json!("Allow")), 1 => scalar()].boxed()),
            1 => named("Sid", scalar().boxed()),
            3 => named("Action", list_of(action().boxed())),
            2 => named("NotAction", list_of(action().boxed())),
            3 => named("Resource", strings()),
            1 => named("NotResource", strings()),
            3 => named("Principal", principal()),
            1 => named("NotPrincipal", principal()),
            2 => named("Condition", condition()),
            1 => named("effect", scalar().boxed()),
            1 => named("Foo", any_json().boxed()),
        ]
        .boxed()
    }

    fn valid_action() -> BoxedStrategy<Value> {
        let one = prop::sample::select(vec![
            "*",
            "s3:GetObject",
            "ec2:Describe?nstances",
            "a.b-c_d:x*",
        ])
        .prop_map(Value::from);
        prop_oneof![
            one.clone(),
            prop::collection::vec(one, 1..3).prop_map(Value::from)
        ]
        .boxed()
    }

    fn valid_strings() -> BoxedStrategy<Value> {
        let one = prop::sample::select(vec!["*", "arn:aws:s3:::b/*", ""]).prop_map(Value::from);
        prop_oneof![
            one.clone(),
            prop::collection::vec(one, 1..3).prop_map(Value::from)
        ]
        .boxed()
    }

    fn valid_principal() -> BoxedStrategy<Value> {
        prop_oneof![
            Just(json!("*")),
            Just(json!({"AWS": "arn:aws:iam::111122223333:root"})),
            Just(json!({"Service": ["ec2.amazonaws.com"], "Federated": "x"})),
            Just(json!({"CanonicalUser": "abc"})),
        ]
        .boxed()
    }

    fn valid_condition() -> BoxedStrategy<Value> {
        prop_oneof![
            Just(json!({"Bool": {"aws:SecureTransport": true}})),
            Just(json!({"StringLike": {"k": ["a*", 1, false]}, "NumericLessThan": {"n": 3600}})),
            Just(json!({})),
            Just(json!({"StringEquals": {}})),
            Just(json!({"StringEquals": {"k": []}})),
        ]
        .boxed()
    }

    /// A statement both schemas could accept (Resource and Principal are each optional
    /// here, so a document may suit one shape, both or neither), then one member added,
    /// replaced or taken away, half the time.
    fn statement() -> BoxedStrategy<Value> {
        let base = (
            any::<bool>(),
            valid_action(),
            prop::option::of((any::<bool>(), valid_strings())),
            prop::option::of((any::<bool>(), valid_principal())),
            prop::option::of(valid_condition()),
            prop::option::of(Just(json!("sid"))),
        )
            .prop_map(
                |(not_action, action, resource, principal, condition, sid)| {
                    let mut s = serde_json::Map::new();
                    s.insert("Effect".into(), json!("Allow"));
                    let name = if not_action { "NotAction" } else { "Action" };
                    s.insert(name.into(), action);
                    if let Some((not, r)) = resource {
                        s.insert(if not { "NotResource" } else { "Resource" }.into(), r);
                    }
                    if let Some((not, p)) = principal {
                        s.insert(if not { "NotPrincipal" } else { "Principal" }.into(), p);
                    }
                    if let Some(c) = condition {
                        s.insert("Condition".into(), c);
                    }
                    if let Some(sid) = sid {
                        s.insert("Sid".into(), sid);
                    }
                    s
                },
            );
        let change = prop_oneof![
            3 => Just(None),
            2 => member().prop_map(|kv| Some((kv, false))),
            1 => member().prop_map(|kv| Some((kv, true))),
        ];
        prop_oneof![
            12 => (base, change).prop_map(|(mut s, change)| {
                match change {
                    Some(((k, _), true)) => {
                        s.remove(&k);
                    }
                    Some(((k, v), false)) => {
                        s.insert(k, v);
                    }
                    None => {}
                }
                Value::Object(s)
            }),
            1 => any_json(),
        ]
        .boxed()
    }

    fn document() -> impl Strategy<Value = Value> {
        let statements = prop_oneof![
            3 => statement(),
            3 => prop::collection::vec(statement(), 1..3).prop_map(Value::from),
            1 => prop::collection::vec(statement(), 0..1).prop_map(Value::from),
        ];
        let extra = prop_oneof![
            4 => Just(None),
            1 => scalar().prop_map(|v| Some(("Version".to_owned(), v))),
            1 => scalar().prop_map(|v| Some(("Id".to_owned(), v))),
            1 => any_json().prop_map(|v| Some(("Id".to_owned(), v))),
            1 => scalar().prop_map(|v| Some(("statement".to_owned(), v))),
            1 => Just(Some(("Statement".to_owned(), Value::Null))),
        ];
        let version = prop_oneof![Just(json!("2012-10-17")), Just(json!("2008-10-17"))];
        (statements, prop::option::of(version), extra).prop_map(|(s, version, extra)| {
            let mut doc = serde_json::Map::new();
            doc.insert("Statement".into(), s);
            if let Some(v) = version {
                doc.insert("Version".into(), v);
            }
            if let Some((k, v)) = extra {
                doc.insert(k, v);
            }
            Value::Object(doc)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn a_plain_yes_is_a_schema_yes(doc in document()) {
            // The walk is exact on these documents (it may say "not sure" in general, but
            // never does here), which also shows the generator reaches both answers.
            for shape in [PolicyShape::Identity, PolicyShape::Resource] {
                prop_assert_eq!(
                    plainly_valid(&doc, shape),
                    grammar().check(&doc, shape).is_empty(),
                    "{:?} {}", shape, doc
                );
            }
        }
    }

    /// The walk is worth having only if it vouches for what real policies look like.
    #[test]
    fn ordinary_policies_are_plainly_valid() {
        let identity = json!({
            "Version": "2012-10-17",
            "Id": "x",
            "Statement": [
                {"Sid": "A", "Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe?nstances"],
                 "Resource": ["arn:aws:s3:::b/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": true},
                               "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
                               "StringLike": {"aws:PrincipalTag/team": ["a*", "b"]}}},
                {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"}
            ]
        });
        let trust = json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"],
                          "Service": "ec2.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
        });
        assert!(plainly_valid(&identity, PolicyShape::Identity));
        assert!(plainly_valid(&trust, PolicyShape::Resource));
        assert!(!plainly_valid(&trust, PolicyShape::Identity));
        assert!(!plainly_valid(&identity, PolicyShape::Resource));
    }
}
