//! Unit tests of the YAML front end.

use super::*;
use serde_json::json;

fn value(text: &str) -> Value {
    match read(text) {
        Ok(doc) => doc.value,
        Err(e) => panic!("{text:?} does not read: {e:?}"),
    }
}

fn error(text: &str) -> YamlError {
    match read(text) {
        Ok(doc) => panic!("{text:?} reads: {:?}", doc.value),
        Err(e) => e,
    }
}

/// The text at the place of `path` (a JSON pointer), or of its key.
fn text_at<'t>(text: &'t str, pointer: &str, key: bool) -> &'t str {
    let doc = read(text).expect("reads");
    let path = JsonPath::from_pointer(pointer);
    let (start, end) = doc.spans.find(path.segments(), key);
    text.get(start..end).expect("span inside the text")
}

#[test]
fn short_forms_become_long_forms() {
    let v = value(
        r#"
a: !Ref Env
b: !Sub "${AWS::AccountId}-x"
c: !Sub
  - "${A}-y"
  - A: !Ref Env
d: !GetAtt Role.Arn
e: !GetAtt [Role, Arn]
f: !Join [":", [a, !Ref B]]
g: !Select [0, !Split [",", "a,b"]]
h: !If [IsProd, x, !Ref AWS::NoValue]
i: !ImportValue Shared
j: !FindInMap [M, !Ref AWS::Region, k]
k: !Equals [!Ref Env, prod]
l: !Not [!Condition IsProd]
m: !Base64 text
n: !Cidr [10.0.0.0/16, 2, 8]
o: !GetAZs ''
p: !Transform {Name: AWS::Include}
q: !And [!Or [!Condition A, !Condition B]]
r: !Unknown x
"#,
    );
    assert_eq!(
        v,
        json!({
            "a": {"Ref": "Env"},
            "b": {"Fn::Sub": "${AWS::AccountId}-x"},
            "c": {"Fn::Sub": ["${A}-y", {"A": {"Ref": "Env"}}]},
            "d": {"Fn::GetAtt": "Role.Arn"},
            "e": {"Fn::GetAtt": ["Role", "Arn"]},
            "f": {"Fn::Join": [":", ["a", {"Ref": "B"}]]},
            "g": {"Fn::Select": ["0", {"Fn::Split": [",", "a,b"]}]},
            "h": {"Fn::If": ["IsProd", "x", {"Ref": "AWS::NoValue"}]},
            "i": {"Fn::ImportValue": "Shared"},
            "j": {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "k"]},
            "k": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "l": {"Fn::Not": [{"Condition": "IsProd"}]},
            "m": {"Fn::Base64": "text"},
            "n": {"Fn::Cidr": ["10.0.0.0/16", "2", "8"]},
            "o": {"Fn::GetAZs": ""},
            "p": {"Fn::Transform": {"Name": "AWS::Include"}},
            "q": {"Fn::And": [{"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}]},
            "r": {"Fn::Unknown": "x"},
        })
    );
}

#[test]
fn scalars_are_text_as_cloudformation_reads_them() {
    let v = value(
        "account: 012345678901\nother: 123456789012\nyes11: yes\non11: on\nnum: 3600\n\
         float: 1.50\nt: true\nf: False\nn: ~\nempty:\nquoted: 'true'\nstr: !!str 12\n\
         tagged: !Ref true\n",
    );
    assert_eq!(
        v,
        json!({
            "account": "012345678901", "other": "123456789012", "yes11": "yes",
            "on11": "on", "num": "3600", "float": "1.50", "t": true, "f": false,
            "n": null, "empty": null, "quoted": "true", "str": "12",
            "tagged": {"Ref": "true"},
        })
    );
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let v = value(
        "base: &b {Effect: Allow, Action: 's3:*'}\n\
         copy: *b\n\
         merged:\n  <<: *b\n  Action: 's3:Get*'\n\
         many:\n  <<: [{a: 1}, {a: 2, b: 2}]\n",
    );
    assert_eq!(
        v,
        json!({
            "base": {"Effect": "Allow", "Action": "s3:*"},
            "copy": {"Effect": "Allow", "Action": "s3:*"},
            "merged": {"Action": "s3:Get*", "Effect": "Allow"},
            "many": {"a": "1", "b": "2"},
        })
    );
    // The alias is the place of the copy as a whole; its parts are where the anchor wrote
    // them.
    let text = "base: &b {Effect: Allow}\ncopy: *b\n";
    assert_eq!(text_at(text, "/copy", false), "*b");
    assert_eq!(text_at(text, "/copy/Effect", false), "Allow");
}

#[test]
fn duplicate_keys_keep_the_last_value_as_json_does() {
    let text = "a: 1\nb: 2\na: 3\n";
    assert_eq!(value(text), json!({"a": "3", "b": "2"}));
    assert_eq!(text_at(text, "/a", false), "3");
}

#[test]
fn places_are_the_yaml_values_and_keys() {
    let text = "\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub '${Env}-role'
      List:
        - first
        - \"second\"
      Block: |
        text
";
    assert_eq!(
        text_at(text, "/Resources/Role/Type", false),
        "AWS::IAM::Role"
    );
    assert_eq!(text_at(text, "/Resources/Role/Type", true), "Type");
    // A short form's place is the tagged value, tag and all.
    assert_eq!(
        text_at(text, "/Resources/Role/Properties/RoleName", false),
        "!Sub '${Env}-role'"
    );
    assert_eq!(
        text_at(text, "/Resources/Role/Properties/RoleName/Fn::Sub", false),
        "!Sub '${Env}-role'"
    );
    assert_eq!(
        text_at(text, "/Resources/Role/Properties/List/1", false),
        "\"second\""
    );
    // A block collection ends with its last item, not at the next key.
    assert_eq!(
        text_at(text, "/Resources/Role/Properties/List", false),
        "- first\n        - \"second\""
    );
    // A path that goes on past what the file holds stops at the nearest value it has.
    assert_eq!(
        text_at(text, "/Resources/Role/Properties/List/7/x", false),
        "- first\n        - \"second\""
    );
    let flow = "a: {b: [1, 2]}\n";
    assert_eq!(text_at(flow, "/a", false), "{b: [1, 2]}");
    assert_eq!(text_at(flow, "/a/b", false), "[1, 2]");
    // A tagged flow collection ends at its bracket too.
    let tagged = "a: !Join [\"\", [x, y]]\nb: 1\n";
    assert_eq!(text_at(tagged, "/a", false), "!Join [\"\", [x, y]]");
    assert_eq!(text_at(tagged, "/a/Fn::Join/1", false), "[x, y]");
}

#[test]
fn places_are_bytes_after_multibyte_characters() {
    let text = "Description: «Zugriff für Prüfer» ✓\nKey: välue\n";
    assert_eq!(text_at(text, "/Key", false), "välue");
    assert_eq!(text_at(text, "/Key", true), "Key");
}

#[test]
fn bad_yaml_is_one_error_at_its_position_quoting_nothing() {
    let text = "Resources:\n  A: [unclosed\n  B: secretvalue\n";
    let e = error(text);
    assert!(e.at <= text.len());
    assert!(!e.message.contains("secretvalue"), "{}", e.message);
    // Tabs cannot indent YAML.
    let e = error("Resources:\n\tA: b\n");
    assert_eq!(e.at, 12, "{e:?}");
    let e = error("a: `x\n");
    assert_eq!(e.message, "unexpected character");
    assert_eq!(error("").message, "no YAML document in the file");
    assert_eq!(error("# only a comment\n").at, 0);
}

#[test]
fn billion_laughs_stops_at_the_budget() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let items = [prev.as_str(); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    let e = error(&text);
    assert!(e.message.contains("aliases expand"), "{e:?}");
    // An alias inside its own anchor never ends: the nesting limit stops it.
    let e = error("a: &x [*x]\n");
    assert!(e.message.contains("nested deeper"), "{e:?}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let flow = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let _ = error(&flow);
    let mut block = String::new();
    for depth in 0..400 {
        block.push_str(&" ".repeat(depth));
        block.push_str("- \n");
    }
    let e = error(&block);
    assert!(e.message.contains("nested deeper"), "{e:?}");
    let ok = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
    let _ = value(&ok);
}

#[test]
fn only_the_first_document_is_read() {
    let doc = read("a: 1\n---\nb: [unclosed\n").expect("first document reads");
    assert_eq!(doc.value, json!({"a": "1"}));
    assert_eq!(doc.more_documents, Some(5));
    let doc = read("---\na: 1\n...\n").expect("reads");
    assert_eq!(doc.more_documents, None);
}

#[test]
fn templates_are_recognised_by_their_top_level_keys() {
    assert!(is_yaml_template(
        "AWSTemplateFormatVersion: 2010-09-09\nResources: {}\n"
    ));
    assert!(is_yaml_template(
        "# c\n\"AWSTemplateFormatVersion\": '2010-09-09'\n"
    ));
    assert!(is_yaml_template(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
    ));
    // Kubernetes, GitHub workflows, compose files.
    assert!(!is_yaml_template(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - resources: {}\n"
    ));
    assert!(!is_yaml_template(
        "on: push\njobs:\n  x:\n    steps:\n      - run: echo Resources: AWS::\n"
    ));
    assert!(!is_yaml_template("services:\n  db:\n    image: postgres\n"));
    assert!(!is_yaml_template("Resources:\n  - a\n"));
    // JSON is YAML: a JSON template in a `.yaml` file.
    assert!(is_yaml_template(
        "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {}\n}\n"
    ));
    assert!(!is_yaml_template(
        "{\"name\": \"chart\", \"version\": \"1.0\"}\n"
    ));
    let doc = read("{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::User\"}}}")
        .expect("JSON reads as YAML");
    assert_eq!(
        doc.value,
        json!({"Resources": {"R": {"Type": "AWS::IAM::User"}}})
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Lines of YAML's own punctuation, tags, anchors and a template's keys, at random
    /// indentation.
    fn yaml() -> impl Strategy<Value = String> {
        let line = (
            0usize..8,
            "(- |)?(Resources|Type|<<|&a |\\*a|!Sub |!Ref |!GetAtt |\\? |'x|\"y|é|\t|\\[|\\]|\\{|\\}|,|: |#|---|\\.\\.\\.|\\||>|AWS::IAM::Role|012|~|true){0,4}",
        )
            .prop_map(|(indent, text)| format!("{}{text}\n", " ".repeat(indent)));
        prop::collection::vec(line, 0..12).prop_map(|lines| lines.concat())
    }

    proptest! {
        #[test]
        fn never_panics_and_places_stay_in_the_text(text in yaml()) {
            if let Ok(doc) = read(&text) {
                fn check(node: &SpanNode, text: &str) {
                    let (start, end) = node.range();
                    assert!(text.get(start..end).is_some(), "{node:?}");
                    if let Some((s, e)) = node.key_range() {
                        assert!(text.get(s..e).is_some(), "{node:?}");
                    }
                    for (_, kid) in &node.kids {
                        check(kid, text);
                    }
                }
                check(&doc.spans, &text);
            }
        }
    }
}

#[test]
fn merging_one_big_mapping_many_times_stops_at_the_budget() {
    let keys: Vec<String> = (0..2_000).map(|i| format!("k{i}: v")).collect();
    let aliases = vec!["*big"; 100].join(", ");
    let text = format!("big: &big {{{}}}\nm:\n  <<: [{aliases}]\n", keys.join(", "));
    let e = error(&text);
    assert!(e.message.contains("aliases expand"), "{e:?}");
}
