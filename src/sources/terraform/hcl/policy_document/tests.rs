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
    assert_eq!(st[0].loc(), at(1));
    let Val::Object(members) = &st[0].value else {
        panic!("an object")
    };
    assert_eq!(members[1].key_loc(), at(10)); // Action's key: the actions attribute's
    assert_eq!(members[1].value.loc(), at(7)); // its item: the list item's
    assert_eq!(members[0].key_loc(), None); // the default Effect was not written
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
            list(vec![Node::new(Val::Json(Arc::new(over)), None)]),
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
    assert_eq!(statements(&d).loc(), at(40));
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
    }) = &statements(&d).loc()
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
