use super::lex::skip_container;
use super::*;

fn path(pointer: &str) -> JsonPath {
    JsonPath::from_pointer(pointer)
}

fn keys(keys: &[&str]) -> JsonPath {
    JsonPath(keys.iter().map(|k| PathSeg::Key((*k).into())).collect())
}

fn value<'t>(text: &'t str, pointer: &str) -> Option<&'t str> {
    text.get(locate_value(text, &path(pointer))?)
}

fn key<'t>(text: &'t str, pointer: &str) -> Option<&'t str> {
    text.get(locate_key(text, &path(pointer))?)
}

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:Put*"],"Resource":"*"},{"Effect":"Deny","Action":[],"Resource":{}}]}"#;

#[test]
fn nested_objects_and_arrays() {
    assert_eq!(value(POLICY, "/Version"), Some(r#""2012-10-17""#));
    assert_eq!(value(POLICY, "/Statement/0/Action/1"), Some(r#""s3:Put*""#));
    assert_eq!(value(POLICY, "/Statement/0/Action/0"), Some(r#""s3:Get*""#));
    assert_eq!(
        value(POLICY, "/Statement/1"),
        Some(r#"{"Effect":"Deny","Action":[],"Resource":{}}"#)
    );
    assert_eq!(value(POLICY, "/Statement/1/Action"), Some("[]"));
    assert_eq!(value(POLICY, "/Statement/1/Resource"), Some("{}"));
    assert_eq!(value(POLICY, ""), Some(POLICY));
    assert_eq!(key(POLICY, "/Statement/1/Effect"), Some(r#""Effect""#));
    // Array elements and the root have no key: locate_key gives the value.
    assert_eq!(key(POLICY, "/Statement/1"), value(POLICY, "/Statement/1"));
    assert_eq!(key(POLICY, ""), Some(POLICY));
}

#[test]
fn missing_paths() {
    for pointer in [
        "/Statement/2",
        "/Statement/0/Nope",
        "/Statement/Effect",
        "/Version/0",
        "/Version/x",
        "/Statement/1/Action/0",
        "/Statement/1/Resource/x",
        "/nope",
    ] {
        assert_eq!(value(POLICY, pointer), None, "{pointer}");
        assert_eq!(key(POLICY, pointer), None, "{pointer}");
    }
}

#[test]
fn scalars_of_every_kind() {
    let text = r#"[true,false,null,0,-1.5e+3,"s",-0,12.25E-2]"#;
    let want = [
        "true", "false", "null", "0", "-1.5e+3", "\"s\"", "-0", "12.25E-2",
    ];
    for (i, w) in want.iter().enumerate() {
        assert_eq!(value(text, &format!("/{i}")), Some(*w));
    }
    assert_eq!(value(" 42 ", ""), Some("42"));
    assert_eq!(value("\"x\"", ""), Some("\"x\""));
}

#[test]
fn duplicate_keys_last_wins() {
    let text = r#"{"a":1,"b":2,"a":{"c":3},"d":4}"#;
    assert_eq!(value(text, "/a"), Some(r#"{"c":3}"#));
    assert_eq!(value(text, "/a/c"), Some("3"));
    let r = locate_key(text, &path("/a")).unwrap();
    assert_eq!(r.start, text.rfind("\"a\"").unwrap());
    assert_eq!(text.get(r), Some("\"a\""));

    // What was under an earlier duplicate is gone, as in serde_json.
    let text = r#"{"a":{"b":1},"a":{"c":2}}"#;
    assert_eq!(value(text, "/a/b"), None);
    assert_eq!(value(text, "/a/c"), Some("2"));
    let text = r#"{"a":[{"x":1}],"a":[]}"#;
    assert_eq!(value(text, "/a/0/x"), None);
    assert_eq!(value(text, "/a/0"), None);

    // Duplicates deeper down, inside the selected element.
    let text = r#"{"s":[{"k":1,"k":2},{"k":3}]}"#;
    assert_eq!(value(text, "/s/0/k"), Some("2"));
    assert_eq!(value(text, "/s/1/k"), Some("3"));
}

#[test]
fn agrees_with_serde_json_on_duplicates() {
    let text = r#"{"a":{"x":[1,2]},"b":0,"a":{"x":[3,{"y":4,"y":5}]}}"#;
    let parsed: serde_json::Value = serde_json::from_str(text).unwrap();
    for pointer in ["/a", "/a/x", "/a/x/0", "/a/x/1", "/a/x/1/y", "/b"] {
        let slice = value(text, pointer).unwrap();
        let got: serde_json::Value = serde_json::from_str(slice).unwrap();
        assert_eq!(Some(&got), parsed.pointer(pointer), "{pointer}");
    }
}

#[test]
fn escaped_keys() {
    let text = r#"{"a\"b": 1, "x\u0041": 2, "\ud83d\ude00": 3, "a\\/b": 4, "a/b": 5}"#;
    assert_eq!(value(text, "").map(str::len), Some(text.len()));
    assert_eq!(
        text.get(locate_value(text, &keys(&["a\"b"])).unwrap()),
        Some("1")
    );
    assert_eq!(
        text.get(locate_key(text, &keys(&["a\"b"])).unwrap()),
        Some(r#""a\"b""#)
    );
    assert_eq!(
        text.get(locate_value(text, &keys(&["xA"])).unwrap()),
        Some("2")
    );
    assert_eq!(
        text.get(locate_value(text, &keys(&["😀"])).unwrap()),
        Some("3")
    );
    assert_eq!(
        text.get(locate_value(text, &keys(&["a\\/b"])).unwrap()),
        Some("4")
    );
    // "a\/b" and "a/b" are the same key only when spelled with `\/`.
    assert_eq!(
        text.get(locate_value(text, &keys(&["a/b"])).unwrap()),
        Some("5")
    );
    assert_eq!(locate_value(text, &keys(&["a"])), None);
    assert_eq!(locate_value(text, &keys(&["a\"b\""])), None);
    assert_eq!(locate_value(text, &keys(&["x"])), None);
}

#[test]
fn index_segment_matches_numeric_key_of_object() {
    let text = r#"{"0":"zero","10":"ten"}"#;
    assert_eq!(value(text, "/0"), Some("\"zero\""));
    assert_eq!(value(text, "/10"), Some("\"ten\""));
    assert_eq!(key(text, "/10"), Some("\"10\""));
    assert_eq!(value(text, "/1"), None);
}

#[test]
fn bom_crlf_and_whitespace() {
    let text = "\u{feff}  \r\n{\r\n  \"a\" :\t[ 1 ,\r\n    2 ] ,\r\n  \"b\"\r\n:\r\n{ } \r\n}\r\n ";
    assert_eq!(value(text, "/a/1"), Some("2"));
    assert_eq!(value(text, "/a"), Some("[ 1 ,\r\n    2 ]"));
    assert_eq!(value(text, "/b"), Some("{ }"));
    assert_eq!(key(text, "/b"), Some("\"b\""));
    let r = locate_value(text, &path("/a/1")).unwrap();
    let lines = LineIndex::new(text);
    assert_eq!(lines.line_col(text, r.start), (4, 5));
    // The BOM is not a column: editors (and GitHub) show line 1 from the char after it.
    assert_eq!(lines.line_col(text, 3), (1, 1));
    assert_eq!(lines.line_col(text, 4), (1, 2));
    assert_eq!(lines.line_col_utf16(text, 4), (1, 2));
    // A BOM anywhere but the start is not whitespace.
    assert_eq!(value("{\"a\":\u{feff}1}", "/a"), None);
}

#[test]
fn multibyte_chars_before_the_value() {
    let text = "{\"ü\": \"ä€😀\", \"k\": [\"€\", \"x\"]}";
    assert_eq!(value(text, "/ü"), Some("\"ä€😀\""));
    let r = locate_value(text, &path("/k/1")).unwrap();
    assert_eq!(text.get(r.clone()), Some("\"x\""));
    let lines = LineIndex::new(text);
    let chars = text.get(..r.start).unwrap().chars().count();
    assert_eq!(lines.line_col(text, r.start), (1, chars + 1));
    // 😀 is two UTF-16 units but one char.
    assert_eq!(lines.line_col_utf16(text, r.start), (1, chars + 2));
}

#[test]
fn a_skipped_container_ends_at_its_own_bracket() {
    let text = r#"{"a": [1, {"b": "}]\"{["}, [[]]], "c": {"d": "]"}} tail"#;
    let b = text.as_bytes();
    assert_eq!(skip_container(b, 0), Some(text.find(" tail").unwrap()));
    let array = text.find('[').unwrap();
    assert_eq!(
        &text[array..skip_container(b, array).unwrap()],
        r#"[1, {"b": "}]\"{["}, [[]]]"#
    );
    assert_eq!(skip_container(br#"{"a": [1,"#, 0), None);
    assert_eq!(skip_container(br#"{"a": "}"#, 0), None);
}

#[test]
fn line_index_columns() {
    let text = "a😀b\r\nxy\rz\n\n€";
    let lines = LineIndex::new(text);
    let at = |s: &str| text.find(s).unwrap();
    assert_eq!(lines.line_col(text, 0), (1, 1));
    assert_eq!(lines.line_col(text, at("b")), (1, 3));
    assert_eq!(lines.line_col_utf16(text, at("b")), (1, 4));
    // The `\n` of a CRLF still belongs to the first line.
    assert_eq!(lines.line_col(text, at("\n")), (1, 5));
    assert_eq!(lines.line_col(text, at("x")), (2, 1));
    assert_eq!(lines.line_col(text, at("z")), (3, 1));
    assert_eq!(lines.line_col(text, at("z") + 2), (4, 1));
    assert_eq!(lines.line_col(text, at("€")), (5, 1));
    // Inside a multi-byte char: that char's start. Past the end: the end.
    assert_eq!(lines.line_col(text, at("€") + 1), (5, 1));
    assert_eq!(lines.line_col(text, text.len()), (5, 2));
    assert_eq!(lines.line_col(text, usize::MAX), (5, 2));
    assert_eq!(lines.line_col_utf16(text, 2), (1, 2));
    let empty = LineIndex::new("");
    assert_eq!(empty.line_col("", 7), (1, 1));
    assert_eq!(empty.line_col_utf16("", 0), (1, 1));
    assert_eq!(LineIndex::new("\n").line_col("\n", 1), (2, 1));
}

#[test]
fn many_paths_in_one_pass_follow_duplicate_keys_escapes_and_index_keys() {
    // Duplicate keys (the last wins, on the path and at the target), an escaped key, a
    // member whose key is an index's decimal form, and many siblings.
    let mut text = String::from(
        r#"{"a": {"b": 1}, "a": {"b": [10, {"c": 2}], "b": 3}, "\u0064": {"e": 4}, "0": {"1": 5}, "s": ["#,
    );
    for i in 0..300 {
        text.push_str(&format!(
            "{}{{\"r\": \"x{i}\"}}",
            if i == 0 { "" } else { "," }
        ));
    }
    text.push_str("]}");
    let mut queries: Vec<(JsonPath, bool)> = [
        "/a", "/a/b", "/a/b/0", "/a/b/1/c", "/d", "/d/e", "/0", "/0/1", "/s", "/x",
    ]
    .iter()
    .flat_map(|p| [(path(p), false), (path(p), true)])
    .collect();
    for i in (0..300).step_by(7) {
        queries.push((path(&format!("/s/{i}/r")), false));
        queries.push((path(&format!("/s/{i}")), true));
    }
    let refs: Vec<(&JsonPath, bool)> = queries.iter().map(|(p, k)| (p, *k)).collect();
    let many = locate_many(&text, &refs);
    for ((p, key), got) in queries.iter().zip(many) {
        let one = if *key {
            locate_key(&text, p)
        } else {
            locate_value(&text, p)
        };
        assert_eq!(got, one, "{p} (key: {key})");
    }
    assert_eq!(
        text.get(locate_value(&text, &path("/a/b")).unwrap()),
        Some("3")
    );
    assert_eq!(
        text.get(locate_value(&text, &path("/d/e")).unwrap()),
        Some("4")
    );
    assert_eq!(
        text.get(locate_value(&text, &path("/0/1")).unwrap()),
        Some("5")
    );
}

#[test]
fn columns_on_long_lines_are_what_counting_from_the_line_start_gives() {
    // Lines longer than several checkpoints, with one-, two-, three- and four-byte
    // characters straddling checkpoint boundaries.
    let mut text = String::new();
    for i in 0..9000 {
        text.push_str(["a", "é", "€", "😀"][i % 4]);
        if i % 2999 == 0 {
            text.push_str(["\n", "\r\n", "\r"][i % 3]);
        }
    }
    let lines = LineIndex::new(&text);
    let mut start = 0;
    for (at, c) in text.char_indices() {
        let prefix = &text[start..at];
        assert_eq!(
            lines.line_col(&text, at).1,
            prefix.chars().count() + 1,
            "at {at}"
        );
        assert_eq!(
            lines.line_col_utf16(&text, at).1,
            prefix.encode_utf16().count() + 1,
            "at {at}"
        );
        let next = at + c.len_utf8();
        if c == '\n' || (c == '\r' && text.as_bytes().get(next) != Some(&b'\n')) {
            start = next;
        }
    }
}

#[test]
fn decodes_every_json_escape() {
    let raw = r#""a\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83d\ude00€z""#;
    let d = decode_json_string(raw).unwrap();
    assert_eq!(d.text, "a\"\\/\u{8}\u{c}\n\r\té€😀€z");
    assert_eq!(d.raw_offset(0), 1);
    assert_eq!(d.raw_offset(1), 2); // `\"`
    assert_eq!(d.raw_offset(2), 4); // `\\`
    let euro = d.text.find('€').unwrap();
    assert_eq!(raw.get(d.raw_range(euro..euro + 3)), Some(r"\u20AC"));
    let smile = d.text.find('😀').unwrap();
    assert_eq!(
        raw.get(d.raw_range(smile..smile + 4)),
        Some(r"\ud83d\ude00")
    );
    // Every byte of a decoded escape maps to the escape's start.
    assert_eq!(d.raw_offset(smile + 2), d.raw_offset(smile));
    let z = d.text.len() - 1;
    assert_eq!(raw.get(d.raw_range(z - 3..z)), Some("€"));
    // A raw multi-byte char maps byte for byte.
    assert_eq!(d.raw_offset(z - 2), d.raw_offset(z - 3) + 1);
    assert_eq!(d.raw_offset(d.text.len()), raw.len() - 1);
    assert_eq!(d.raw_offset(d.text.len() + 10), raw.len() - 1);
    assert_eq!(decode_json_string("\"\"").unwrap().text, "");
    assert_eq!(decode_json_string("\"\"").unwrap().raw_range(0..0), 1..1);
}

#[test]
fn unpaired_surrogates_become_replacement_chars() {
    for (raw, want) in [
        (r#""\ud800""#, "\u{fffd}"),
        (r#""\udc00x""#, "\u{fffd}x"),
        (r#""\ud800\u0041""#, "\u{fffd}A"),
        (r#""\ud800\ud800\udc00""#, "\u{fffd}\u{10000}"),
        (r#""\udbff\udfff""#, "\u{10ffff}"),
        (r#""\ud800\n""#, "\u{fffd}\n"),
    ] {
        assert_eq!(decode_json_string(raw).unwrap().text, want, "{raw}");
    }
}

#[test]
fn rejects_malformed_string_literals() {
    for raw in [
        "",
        "\"",
        "abc",
        "\"abc",
        "\"abc\" ",
        " \"abc\"",
        "\"a\"b\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"\\",
        "\"\\\"",
        "\"a\nb\"",
        "\"\u{0}\"",
    ] {
        assert!(decode_json_string(raw).is_none(), "{raw:?}");
    }
}

#[test]
fn url_decoding() {
    let d = decode_url("a%20b+c%e2%82%ACd%zz%4%").unwrap();
    assert_eq!(d.text, "a b c€d%zz%4%");
    assert_eq!(d.raw_offset(1), 1);
    assert_eq!(d.raw_offset(2), 4);
    assert_eq!(d.raw_offset(3), 5);
    assert_eq!(d.raw_offset(4), 6);
    // Each byte of a percent-encoded char maps to its own `%XX`.
    assert_eq!(d.raw_offset(5), 7);
    assert_eq!(d.raw_offset(6), 10);
    assert_eq!(d.raw_offset(7), 13);
    assert_eq!(d.raw_range(5..8), 7..16);
    assert_eq!(d.raw_offset(d.text.len()), 23);
    assert!(decode_url("%ff").is_none());
    assert_eq!(
        decode_url_text("a%20b+c%e2%82%ACd%zz%4%").as_deref(),
        Some(d.text.as_str())
    );
    assert!(decode_url_text("%ff").is_none());
    assert!(decode_url("%e2%82").is_none());
    assert_eq!(decode_url("").unwrap().raw_offset(0), 0);
    assert_eq!(decode_url("€").unwrap().raw_range(0..3), 0..3);
}

/// A Terraform-plan-like document whose policy is a JSON string with escapes.
const PLAN: &str = r#"{
  "resource_changes": [
{
  "address": "aws_iam_role.ci",
  "change": {
    "after": {
      "name": "ci",
      "assume_role_policy": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Principal\": {\"AWS\": \"arn:aws:iam::1:root\"}, \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"a\u0026b\"}}}\n  ]\n}\n"
    }
  }
}
  ]
}"#;

fn in_plan(inner: &str, want_key: bool) -> Option<&'static str> {
    let at = path("/resource_changes/0/change/after/assume_role_policy");
    let r = locate_embedded(PLAN, &at, false, &path(inner), want_key)?;
    PLAN.get(r)
}

#[test]
fn embedded_policy_in_terraform_plan() {
    assert_eq!(in_plan("/Statement/0/Action", false), Some(r#"\"*\""#));
    assert_eq!(in_plan("/Statement/0/Action", true), Some(r#"\"Action\""#));
    assert_eq!(
        in_plan("/Statement/0/Condition/StringEquals/sts:ExternalId", false),
        Some(r#"\"a\u0026b\""#)
    );
    assert_eq!(
        in_plan("/Statement/0/Principal", false),
        Some(r#"{\"AWS\": \"arn:aws:iam::1:root\"}"#)
    );
    assert_eq!(in_plan("/Version", false), Some(r#"\"2012-10-17\""#));
    let whole = in_plan("", false).unwrap();
    assert!(whole.starts_with(r#"{\n  \"Version\""#));
    assert!(whole.ends_with(r#"]\n}"#));
    assert_eq!(in_plan("/Statement/1", false), None);
    // The outer value is not a string, or not there.
    let not_string = path("/resource_changes/0/change");
    assert_eq!(
        locate_embedded(PLAN, &not_string, false, &path(""), false),
        None
    );
    assert_eq!(
        locate_embedded(PLAN, &path("/nope"), false, &path(""), false),
        None
    );

    let r = locate_embedded(
        PLAN,
        &path("/resource_changes/0/change/after/assume_role_policy"),
        false,
        &path("/Statement/0/Action"),
        false,
    )
    .unwrap();
    let lines = LineIndex::new(PLAN);
    let (line, col) = lines.line_col(PLAN, r.start);
    assert_eq!(line, 8);
    assert_eq!(
        col,
        PLAN.lines().nth(7).unwrap().find(r#"\"*\""#).unwrap() + 1
    );
}

#[test]
fn embedded_url_encoded_policy() {
    let text = r#"{"Policies":[{"PolicyDocument":"%7B%22Statement%22%3A+%5B%7B%22Action%22%3A+%22s3%3A*%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2F%E2%82%AC%22%7D%5D%7D"}]}"#;
    let at = path("/Policies/0/PolicyDocument");
    let get = |inner: &str, want_key: bool| {
        text.get(locate_embedded(text, &at, true, &path(inner), want_key)?)
    };
    assert_eq!(get("/Statement/0/Action", false), Some("%22s3%3A*%22"));
    assert_eq!(get("/Statement/0/Action", true), Some("%22Action%22"));
    assert_eq!(
        get("/Statement/0/Resource", false),
        Some("%22arn%3Aaws%3As3%3A%3A%3Ab%2F%E2%82%AC%22")
    );
    assert_eq!(get("/Statement/0/Nope", false), None);
    // Without the URL layer the content is not JSON.
    assert_eq!(
        locate_embedded(text, &at, false, &path("/Statement"), false),
        None
    );
}

#[test]
fn embedded_with_both_layers_of_escaping() {
    // JSON escapes outside, percent-encoding inside: `\u0025` is `%`.
    let text = r#"{"d":"\u00257B\"a\"%3A\"x\u002By\"%7D"}"#;
    let r = locate_embedded(text, &path("/d"), true, &path("/a"), false).unwrap();
    assert_eq!(text.get(r), Some(r#"\"x\u002By\""#));
    let r = locate_embedded(text, &path("/d"), true, &path("/a"), true).unwrap();
    assert_eq!(text.get(r), Some(r#"\"a\""#));
}

#[test]
fn garbage_and_truncated_inputs_return_none() {
    for text in [
        "",
        " ",
        "\u{feff}",
        "{",
        "[",
        "}",
        "]",
        "{]",
        "[}",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "[1,]",
        "[1 2]",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "[01]",
        "[1.]",
        "[.5]",
        "[1e]",
        "[-]",
        "[+1]",
        "[tru]",
        "[nul]",
        "[truex]",
        "[NaN]",
        "{\"a\":1}}",
        "{\"a\":1} x",
        "\"\\q\"",
        "[\"\t\"]",
        "\u{feff}\u{feff}{}",
    ] {
        for pointer in ["", "/a", "/0", "/a/0"] {
            assert_eq!(value(text, pointer), None, "{text:?} {pointer}");
            assert_eq!(key(text, pointer), None, "{text:?} {pointer}");
        }
    }
    // Every proper prefix of a document is invalid.
    for end in 0..POLICY.len() {
        let text = POLICY.get(..end).unwrap();
        assert_eq!(value(text, "/Version"), None, "{text}");
        assert_eq!(value(text, "/Statement/0/Effect"), None, "{text}");
    }
    // Outside the path too: the document as a whole must be valid.
    assert_eq!(value(r#"{"a":1,"b":[1,}"#, "/a"), None);
}

#[test]
fn deep_nesting_is_bounded() {
    let deep = "[".repeat(100_000);
    assert_eq!(value(&deep, ""), None);
    assert_eq!(value(&deep, "/0/0/0"), None);
    let closed = format!("{}{}", deep, "]".repeat(100_000));
    assert_eq!(value(&closed, ""), None);
    let long_path = JsonPath(vec![PathSeg::Index(0); 100_000]);
    assert_eq!(locate_value(&closed, &long_path), None);

    let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let to_one = JsonPath(vec![PathSeg::Index(0); MAX_DEPTH]);
    assert_eq!(ok.get(locate_value(&ok, &to_one).unwrap()), Some("1"));
    let too_deep = format!(
        "{}1{}",
        "[".repeat(MAX_DEPTH + 1),
        "]".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(value(&too_deep, ""), None);
    let objects = "{\"a\":".repeat(100_000);
    assert_eq!(value(&objects, "/a/a"), None);
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            // Dyadic fractions, which print and parse back exactly.
            (-8000i32..8000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
            "(\\PC|[\"\\\\/\n\t\u{1}])*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-c\"\\\\é😀]{0,3}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn all_paths(v: &Value, at: JsonPath, out: &mut Vec<(JsonPath, Value)>) {
        out.push((at.clone(), v.clone()));
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    all_paths(item, at.index(i), out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    all_paths(item, at.key(k), out);
                }
            }
            _ => {}
        }
    }

    proptest! {
        #[test]
        fn never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let text = String::from_utf8_lossy(&bytes);
            for pointer in ["", "/0", "/a", "/a/0/b"] {
                let _ = locate_value(&text, &path(pointer));
                let _ = locate_key(&text, &path(pointer));
                let _ = locate_embedded(&text, &path(pointer), true, &path("/a"), true);
            }
            let _ = decode_json_string(&text);
            let _ = decode_url(&text);
            let lines = LineIndex::new(&text);
            for offset in 0..=text.len() + 1 {
                let _ = lines.line_col(&text, offset);
                let _ = lines.line_col_utf16(&text, offset);
            }
        }

        #[test]
        fn a_prefix_two_bytes_past_an_offset_places_it_as_the_whole_text_does(
            text in "[\r\na€😀\u{feff}]{0,24}",
            at in any::<prop::sample::Index>(),
        ) {
            // What the report does: lines counted only as far as the last place.
            let at = at.index(text.len() + 1);
            let mut cut = (at + 2).min(text.len());
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            let (whole, prefix) = (LineIndex::new(&text), &text[..cut]);
            let part = LineIndex::new(prefix);
            prop_assert_eq!(part.line_col(prefix, at), whole.line_col(&text, at));
            prop_assert_eq!(part.line_col_utf16(prefix, at), whole.line_col_utf16(&text, at));
            prop_assert_eq!(part.utf16_units_before(prefix, at), whole.utf16_units_before(&text, at));
        }

        #[test]
        fn url_text_alone_is_the_mapped_decoding(raw in "([%+]|%[0-9a-fA-F]{0,2}|%[eE]2%82%[aA][cC]|[a-z\"{}:é€])*") {
            prop_assert_eq!(decode_url_text(&raw), decode_url(&raw).map(|d| d.text));
        }

        #[test]
        fn never_panics_on_json_like_noise(text in "[\\[\\]{}:,\"\\\\ u0-9a\u{feff}\r\n]{0,64}") {
            let _ = locate_value(&text, &path("/a/0"));
            let _ = locate_key(&text, &path("/0/a"));
            let _ = decode_json_string(&text);
        }

        #[test]
        fn every_path_slices_back_to_its_value(v in json(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            let mut paths = Vec::new();
            all_paths(&v, JsonPath::root(), &mut paths);
            for (p, want) in paths {
                let r = locate_value(&text, &p);
                prop_assert!(r.is_some(), "{} in {}", p, text);
                let slice = text.get(r.unwrap()).unwrap();
                let got: Value = serde_json::from_str(slice).unwrap();
                prop_assert_eq!(got, want);
                if let Some(PathSeg::Key(k)) = p.segments().last() {
                    let kr = locate_key(&text, &p).unwrap();
                    let lit = decode_json_string(text.get(kr).unwrap()).unwrap();
                    prop_assert_eq!(lit.text.as_str(), k.as_str());
                }
            }
        }

        #[test]
        fn one_pass_for_many_paths_finds_what_one_pass_each_finds(
            v in json(),
            text_noise in "[ \\[\\]{}:,\"a0]{0,3}",
        ) {
            // Every path of the document plus some that are not in it, as values and as
            // keys, on the document and on a broken copy of it.
            let mut paths = Vec::new();
            all_paths(&v, JsonPath::root(), &mut paths);
            let mut queries: Vec<(JsonPath, bool)> = Vec::new();
            for (p, _) in &paths {
                queries.push((p.clone(), false));
                queries.push((p.clone(), true));
                queries.push((p.key("missing"), false));
                queries.push((p.index(7), true));
            }
            let text = serde_json::to_string_pretty(&v).unwrap();
            for text in [text.clone(), format!("{text}{text_noise}")] {
                let refs: Vec<(&JsonPath, bool)> = queries.iter().map(|(p, k)| (p, *k)).collect();
                let many = locate_many(&text, &refs);
                prop_assert_eq!(many.len(), queries.len());
                for ((p, want_key), got) in queries.iter().zip(many) {
                    let one = if *want_key { locate_key(&text, p) } else { locate_value(&text, p) };
                    prop_assert_eq!(got, one, "{} (key: {}) in {}", p, want_key, text);
                }
            }
        }

        #[test]
        fn embedded_ranges_are_the_escaped_value(v in json()) {
            let inner = serde_json::to_string_pretty(&v).unwrap();
            let outer = serde_json::to_string(&serde_json::json!({"p": inner})).unwrap();
            let mut paths = Vec::new();
            all_paths(&v, JsonPath::root(), &mut paths);
            for (p, _) in paths {
                let want = inner.get(locate_value(&inner, &p).unwrap()).unwrap();
                let r = locate_embedded(&outer, &path("/p"), false, &p, false).unwrap();
                let escaped = format!("\"{}\"", outer.get(r).unwrap());
                let decoded = decode_json_string(&escaped).unwrap();
                prop_assert_eq!(decoded.text.as_str(), want);
            }
        }
    }
}
