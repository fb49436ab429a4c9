use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::attrs::is_template;
use super::*;
use crate::config::Config;
use crate::model::inventory::{Account, Contribution, Role};
use crate::model::location::Anchor;
use crate::model::location::{DocOrigin, Location};
use crate::model::path::JsonPath;
use crate::model::policy::{PolicyDocument, PolicyKind};
use crate::sources::manifest::UNKNOWN_ACCOUNT;
use crate::sources::MALFORMED_SOURCE;
use crate::sources::{FileInput, LoadContext};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/sources/terraform")
        .join(name)
}

/// Loads `text` as the Terraform format its content (or `.tf.json` name) says.
fn load_text(config: &Config, path: &Path, text: &str) -> Contribution {
    let value: Value = serde_json::from_str(text).expect("test input is JSON");
    let ctx = LoadContext::new(config);
    let input = FileInput {
        id: 0,
        path,
        text,
        offset: 0,
    };
    if path.to_string_lossy().ends_with(".tf.json") {
        load_tf_json(&ctx, &input, &value)
    } else if value.get("values").is_some() {
        load_state(&ctx, &input, &value)
    } else {
        load_plan(&ctx, &input, &value)
    }
}

fn load(name: &str) -> Contribution {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    load_text(&Config::default(), &path, &text)
}

fn load_plan_text(text: &str) -> Contribution {
    load_text(&Config::default(), Path::new("tfplan.json"), text)
}

fn role<'a>(c: &'a Contribution, name: &str) -> &'a Role {
    c.roles
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("role {name} loaded"))
}

fn json_at(loc: &Location) -> String {
    match &loc.anchor {
        Anchor::Json { path, .. } => path.to_string(),
        other => panic!("expected a JSON anchor, got {other:?}"),
    }
}

#[test]
fn plan_reads_roles_of_root_and_nested_modules_once() {
    let c = load("plan.json");
    let mut arns: Vec<&str> = c.roles.iter().map(|r| r.arn.as_str()).collect();
    arns.sort_unstable();
    // planned_values and resource_changes hold each role; the destroyed
    // `aws_iam_role.legacy` (only in resource_changes and prior_state) is not loaded.
    assert_eq!(
        arns,
        vec![
            "arn:aws:iam::111122223333:role/build",
            "arn:aws:iam::111122223333:role/ci/deploy",
            "arn:aws:iam::111122223333:role/team/team-api",
            "arn:aws:iam::111122223333:role/team/team-web",
        ]
    );
    assert!(c.findings.is_empty(), "{:?}", c.findings);

    let deploy = role(&c, "deploy");
    assert_eq!(deploy.account, Account::Known("111122223333".into()));
    assert_eq!(deploy.path, "/ci/");
    assert_eq!(deploy.max_session_duration, Some(7200));
    assert_eq!(
        deploy.attached,
        vec!["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"]
    );
    assert_eq!(
        json_at(&deploy.defined_at[0]),
        "/planned_values/root_module/resources/5"
    );
    let trust = deploy.trust.as_ref().expect("trust loaded");
    assert_eq!(trust.kind, PolicyKind::Trust);
    assert_eq!(trust.label, "aws_iam_role.deploy");
    assert_eq!(
        trust.origin,
        DocOrigin::Embedded {
            file: 0,
            string_at: JsonPath::from_pointer(
                "/planned_values/root_module/resources/5/values/assume_role_policy"
            ),
            url_encoded: false,
        }
    );
    assert!(trust.statements[0].has_condition_key("sts:ExternalId"));
    let inline: Vec<&str> = deploy.policies.iter().map(|d| d.label.as_str()).collect();
    assert_eq!(inline, vec!["aws_iam_role.deploy.inline_policy[0]"]);

    // for_each instances in module.team, each with its own address as label; the
    // CRLF-laden trust strings parse.
    let api = role(&c, "team-api");
    assert_eq!(
        api.trust.as_ref().map(|d| d.label.as_str()),
        Some("module.team.aws_iam_role.app[\"api\"]")
    );
    assert_eq!(api.trust.as_ref().map(|d| d.statements.len()), Some(1));
    assert_eq!(
        api.attached,
        vec!["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
    );
}

#[test]
fn plan_unknown_values_are_left_out_without_findings() {
    let c = load("plan.json");
    // `build`'s trust is `(known after apply)`: no document, no finding; its separate
    // `aws_iam_role_policy` still joins it by name.
    let build = role(&c, "build");
    assert!(build.trust.is_none());
    let labels: Vec<&str> = build.policies.iter().map(|d| d.label.as_str()).collect();
    assert_eq!(labels, vec!["aws_iam_role_policy.build_readonly"]);
    // The auditor role's name is generated at apply: not an entity, but its documents
    // (and those of the role policy whose role is unknown) are still checked.
    assert!(c.roles.iter().all(|r| !r.arn.contains("auditor")));
    let standalone: Vec<(&str, PolicyKind)> = c
        .documents
        .iter()
        .map(|d| (d.label.as_str(), d.kind))
        .collect();
    assert_eq!(
        standalone,
        vec![
            (
                "module.team.module.audit.aws_iam_role.auditor",
                PolicyKind::Trust
            ),
            (
                "module.team.module.audit.aws_iam_role_policy.auditor",
                PolicyKind::Identity
            ),
        ]
    );
    // The user attachment's policy_arn is unknown: nothing attached, nothing guessed.
    let alice = c.users.iter().find(|u| u.name == "alice").expect("alice");
    assert!(alice.attached.is_empty());
}

#[test]
fn plan_reads_users_groups_memberships_and_policies() {
    let c = load("plan.json");
    let alice = c.users.iter().find(|u| u.name == "alice").expect("alice");
    assert_eq!(alice.arn, "arn:aws:iam::111122223333:user/people/alice");
    assert_eq!(alice.console, Some(true));
    let group = c
        .groups
        .iter()
        .find(|g| g.name == "admins")
        .expect("admins");
    assert_eq!(group.arn, "arn:aws:iam::111122223333:group/admins");
    assert_eq!(
        group.attached,
        vec!["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    );
    // Entities of this file go by ARN (so another file's `alice` is not confused with
    // this one); the `operators` group is not in the file and goes by name.
    assert_eq!(
        c.memberships,
        vec![
            (
                "arn:aws:iam::111122223333:group/admins".to_owned(),
                "arn:aws:iam::111122223333:user/people/alice".to_owned()
            ),
            (
                "operators".to_owned(),
                "arn:aws:iam::111122223333:user/people/alice".to_owned()
            )
        ]
    );
    assert!(c.attachments.is_empty());
    let arns: Vec<&str> = c.managed_policies.iter().map(|p| p.arn.as_str()).collect();
    assert_eq!(arns, vec!["arn:aws:iam::111122223333:policy/switch-roles"]);
    // The KMS key policy is not an IAM resource.
    assert!(c
        .managed_policies
        .iter()
        .filter_map(|p| p.document.as_ref())
        .chain(&c.documents)
        .all(|d| !d.label.contains("kms")));
}

#[test]
fn plan_provider_with_two_assume_role_blocks_is_a_chain() {
    let c = load("plan.json");
    assert_eq!(c.provider_chains.len(), 1, "aws.audit assumes nothing");
    let chain = &c.provider_chains[0];
    assert_eq!(chain.name, "aws");
    let [first, second] = chain.hops.as_slice() else {
        panic!("two hops, got {}", chain.hops.len());
    };
    assert_eq!(
        first.role_arn.as_ref().map(|s| s.value.as_str()),
        Some("arn:aws:iam::111122223333:role/terraform/bootstrap")
    );
    assert_eq!(first.duration_seconds.as_ref().map(|s| s.value), Some(5400));
    assert_eq!(
        first.session_name.as_ref().map(|s| s.value.as_str()),
        Some("terraform")
    );
    assert_eq!(
        json_at(&first.duration_seconds.as_ref().expect("duration").loc),
        "/configuration/provider_config/aws/expressions/assume_role/0/duration/constant_value"
    );
    assert_eq!(
        json_at(&first.at),
        "/configuration/provider_config/aws/expressions/assume_role/0"
    );
    // A role_arn from a variable is a reference: unknown.
    assert!(second.role_arn.is_none());
    assert_eq!(
        second.external_id.as_ref().map(|s| s.value.as_str()),
        Some("tf-7781")
    );
    assert_eq!(
        second.duration_seconds.as_ref().map(|s| s.value),
        Some(3600)
    );
}

#[test]
fn state_reads_arns_attachments_and_modules() {
    let c = load("state.json");
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    let op = role(&c, "operator");
    assert_eq!(op.arn, "arn:aws:iam::111122223333:role/ops/operator");
    assert_eq!(op.path, "/ops/");
    assert_eq!(op.account, Account::Known("111122223333".into()));
    assert_eq!(op.max_session_duration, Some(14400));
    // managed_policy_arns and the attachment resource name the same policy once; the
    // empty inline policy the provider records is no document.
    assert_eq!(op.attached, vec!["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    assert!(op.policies.is_empty());
    assert!(op.trust.is_some());
    let policy = &c.managed_policies[0];
    assert_eq!(
        policy.arn,
        "arn:aws:iam::111122223333:policy/ops/ops-switch"
    );
    assert!(policy.document.is_some());
    let ops = "arn:aws:iam::111122223333:policy/ops/ops-switch".to_owned();
    assert_eq!(c.groups[0].attached, vec![ops.clone()]);
    assert_eq!(c.users[0].attached, vec![ops]);
    assert!(c.attachments.is_empty());
    assert!(c.provider_chains.is_empty());
}

#[test]
fn tf_json_reads_resources_providers_and_templates() {
    let c = load("main.tf.json");
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    // No caller identity and no configured account: the placeholder account.
    let reporting = role(&c, "reporting");
    assert_eq!(
        reporting.arn,
        format!("arn:aws:iam::{UNKNOWN_ACCOUNT}:role/services/reporting")
    );
    assert_eq!(reporting.account, Account::Unknown);
    // The inline block, and the role policy whose `role` is the plain reference
    // `${aws_iam_role.reporting.name}`.
    let labels: Vec<&str> = reporting
        .policies
        .iter()
        .map(|d| d.label.as_str())
        .collect();
    assert_eq!(
        labels,
        vec![
            "aws_iam_role.reporting.inline_policy[0]",
            "aws_iam_role_policy.reporting_queue"
        ]
    );
    assert_eq!(
        reporting.attached,
        vec!["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
    );
    // `${var.prefix}-worker` and `${data….json}` are templates: unknown.
    assert_eq!(c.roles.len(), 1);
    assert!(c.documents.is_empty());

    let chains: Vec<(&str, Vec<Option<u64>>)> = c
        .provider_chains
        .iter()
        .map(|ch| {
            (
                ch.name.as_str(),
                ch.hops
                    .iter()
                    .map(|h| h.duration_seconds.as_ref().map(|d| d.value))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        chains,
        vec![
            ("aws", vec![Some(3600)]),
            ("aws.prod", vec![Some(3600), Some(7200)])
        ]
    );
    let prod = &c.provider_chains[1].hops[1];
    assert!(
        prod.external_id.is_none(),
        "`${{var.external_id}}` is unknown"
    );
    assert_eq!(
        json_at(&prod.role_arn.as_ref().expect("role_arn").loc),
        "/provider/aws/1/assume_role/1/role_arn"
    );
}

#[test]
fn account_comes_from_the_configuration_when_the_file_names_none() {
    let path = fixture("main.tf.json");
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let config = Config {
        default_account: Some("999988887777".into()),
        ..Config::default()
    };
    let c = load_text(&config, &path, &text);
    assert_eq!(
        c.roles[0].arn,
        "arn:aws:iam::999988887777:role/services/reporting"
    );
    assert_eq!(c.roles[0].account, Account::Known("999988887777".into()));
}

#[test]
fn policy_that_is_not_json_is_reported_and_the_scan_goes_on() {
    let c = load_plan_text(
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
          {"address": "aws_iam_role.a", "mode": "managed", "type": "aws_iam_role", "name": "a",
           "values": {"name": "a", "path": "/", "assume_role_policy": "{\"Version\": \"2012-10-17\", Statement: []}"}},
          {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
           "values": {"name": "p", "path": "/", "policy": "[]"}},
          {"address": "aws_iam_role.b", "mode": "managed", "type": "aws_iam_role", "name": "b",
           "values": {"name": "b", "path": "/", "assume_role_policy": "  \r\n"}}
        ]}}}"#,
    );
    let messages: Vec<(&str, String)> = c
        .findings
        .iter()
        .map(|f| (f.rule, f.message.clone()))
        .collect();
    assert_eq!(
        messages,
        vec![
            (
                MALFORMED_SOURCE,
                "`assume_role_policy` of `aws_iam_role.a` is not valid JSON: key must be a string (line 1, column 27 of the policy)".to_owned()
            ),
            (
                MALFORMED_SOURCE,
                "`policy` of `aws_iam_policy.p` is JSON but not a policy object".to_owned()
            ),
        ]
    );
    assert_eq!(
        json_at(&c.findings[0].primary),
        "/planned_values/root_module/resources/0/values/assume_role_policy"
    );
    // Both roles are still there, without trust; the blank policy is skipped silently.
    assert_eq!(c.roles.len(), 2);
    assert!(c.roles.iter().all(|r| r.trust.is_none()));
    assert!(c.managed_policies[0].document.is_none());
}

#[test]
fn resource_changes_fill_in_what_planned_values_lack() {
    let c = load_plan_text(
        r#"{"format_version": "0.1", "resource_changes": [
          {"address": "aws_iam_role.x", "mode": "managed", "type": "aws_iam_role", "name": "x",
           "change": {"actions": ["create"], "before": null,
             "after": {"name": "x", "path": "/", "assume_role_policy": null, "arn": null},
             "after_unknown": {"assume_role_policy": true, "arn": true}}},
          {"address": "aws_iam_user.gone", "mode": "managed", "type": "aws_iam_user", "name": "gone",
           "change": {"actions": ["delete"], "before": {"name": "gone", "path": "/"}, "after": null}}
        ]}"#,
    );
    assert_eq!(c.roles.len(), 1);
    assert_eq!(
        c.roles[0].arn,
        format!("arn:aws:iam::{UNKNOWN_ACCOUNT}:role/x")
    );
    assert!(c.roles[0].trust.is_none());
    assert!(c.users.is_empty());
    assert!(c.findings.is_empty());
}

#[test]
fn bad_shapes_and_durations_are_findings_not_panics() {
    let c = load_plan_text(
        r#"{"format_version": "1.0", "planned_values": {"root_module": {"resources": 5,
            "child_modules": [{"resources": [7, {"type": "aws_iam_role", "values": []}]}]}},
          "resource_changes": {},
          "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {
            "assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::111122223333:role/a"},
                             "duration": {"constant_value": "an hour"}}]}}}}}"#,
    );
    let at: Vec<String> = c.findings.iter().map(|f| json_at(&f.primary)).collect();
    assert_eq!(
        at,
        vec![
            "/resource_changes",
            "/planned_values/root_module/resources",
            "/planned_values/root_module/child_modules/0/resources/0",
            "/planned_values/root_module/child_modules/0/resources/1/values",
            "/configuration/provider_config/aws/expressions/assume_role/0/duration/constant_value",
        ]
    );
    assert!(c.findings.iter().all(|f| f.rule == MALFORMED_SOURCE));
    // The hop is still recorded, without the duration it could not read.
    assert_eq!(c.provider_chains[0].hops.len(), 1);
    assert!(c.provider_chains[0].hops[0].duration_seconds.is_none());
}

#[test]
fn tf_json_policy_given_as_an_object_is_reported() {
    let c = load_text(
        &Config::default(),
        Path::new("iam.tf.json"),
        r#"{"resource": [{"aws_iam_policy": {"p": [{"name": "p",
            "policy": {"Version": "2012-10-17", "Statement": []}}]}}]}"#,
    );
    assert_eq!(c.findings.len(), 1);
    assert_eq!(
        c.findings[0].message,
        "`policy` of `aws_iam_policy.p` is not a string"
    );
    assert_eq!(
        json_at(&c.findings[0].primary),
        "/resource/0/aws_iam_policy/p/0/policy"
    );
}

fn labels(docs: &[Arc<PolicyDocument>]) -> Vec<&str> {
    docs.iter().map(|d| d.label.as_str()).collect()
}

#[test]
fn plan_references_join_policies_to_the_entities_the_plan_creates() {
    let c = load("plan_references.json");
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    let extra = "arn:aws:iam::111122223333:policy/deploy-extra";
    // `role = aws_iam_role.deploy.id`, `policy_arn = aws_iam_policy.deploy_extra.arn`.
    let deploy = role(&c, "deploy");
    assert_eq!(
        labels(&deploy.policies),
        vec!["aws_iam_role_policy.deploy_logs"]
    );
    assert_eq!(deploy.attached, vec![extra]);
    let policy = &c.managed_policies[0];
    assert_eq!(policy.arn, extra);
    assert_eq!(
        policy.document.as_ref().map(|d| d.label.as_str()),
        Some("aws_iam_policy.deploy_extra")
    );
    // `user = aws_iam_user.ci.id` on the policy and the login profile; the attachment
    // names the user by its known name and the policy by `.id` (its ARN).
    let ci = c.users.iter().find(|u| u.name == "ci").expect("ci");
    assert_eq!(labels(&ci.policies), vec!["aws_iam_user_policy.ci"]);
    assert_eq!(ci.attached, vec![extra]);
    assert_eq!(ci.console, Some(true));
    assert_eq!(
        c.memberships,
        vec![(
            "arn:aws:iam::111122223333:group/ops".to_owned(),
            "arn:aws:iam::111122223333:user/bots/ci".to_owned()
        )]
    );
    assert!(c.attachments.is_empty());
    // for_each key to key, and a literal key, inside module.team["blue"].
    assert_eq!(
        labels(&role(&c, "blue-api").policies),
        vec!["module.team[\"blue\"].aws_iam_role_policy.app[\"api\"]"]
    );
    assert_eq!(
        labels(&role(&c, "blue-web").policies),
        vec![
            "module.team[\"blue\"].aws_iam_role_policy.app[\"web\"]",
            "module.team[\"blue\"].aws_iam_role_policy.pinned"
        ]
    );
    // Not followed: the role's ARN (IAM takes names), a template with a variable, a
    // resource of two instances read without a key, keys that differ, and a name
    // that is no resource of the policy's own module.
    assert_eq!(
        labels(&c.documents),
        vec![
            "aws_iam_role_policy.by_arn",
            "aws_iam_role_policy.templated",
            "module.team[\"blue\"].aws_iam_role_policy.any_app",
            "module.team[\"blue\"].aws_iam_role_policy.mismatch[\"api\"]",
            "module.team[\"blue\"].aws_iam_role_policy.mismatch[\"db\"]",
            "module.team[\"blue\"].aws_iam_role_policy.outer",
        ]
    );
}

/// A plan of `resources` (planned_values) and `configuration` resources.
fn plan_with(resources: &str, config: &str) -> Contribution {
    load_plan_text(&format!(
        r#"{{"format_version": "1.2",
          "planned_values": {{"root_module": {{"resources": [{resources}]}}}},
          "configuration": {{"root_module": {{"resources": [{config}]}}}}}}"#
    ))
}

#[test]
fn plan_references_to_counted_resources_and_old_formats() {
    let doc = r#"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"#;
    let c = plan_with(
        &format!(
            r#"{{"address": "aws_iam_role.one[0]", "type": "aws_iam_role", "name": "one", "index": 0, "values": {{"name": "one", "path": "/"}}}},
            {{"address": "aws_iam_role.two[0]", "type": "aws_iam_role", "name": "two", "index": 0, "values": {{"name": "two-0", "path": "/"}}}},
            {{"address": "aws_iam_role.two[1]", "type": "aws_iam_role", "name": "two", "index": 1, "values": {{"name": "two-1", "path": "/"}}}},
            {{"address": "aws_iam_role_policy.bare", "type": "aws_iam_role_policy", "name": "bare", "values": {{"policy": "{doc}"}}}},
            {{"address": "aws_iam_role_policy.keyed", "type": "aws_iam_role_policy", "name": "keyed", "values": {{"policy": "{doc}"}}}},
            {{"address": "aws_iam_role_policy.each[0]", "type": "aws_iam_role_policy", "name": "each", "index": 0, "values": {{"policy": "{doc}"}}}},
            {{"address": "aws_iam_role_policy.each[1]", "type": "aws_iam_role_policy", "name": "each", "index": 1, "values": {{"policy": "{doc}"}}}},
            {{"address": "aws_iam_role_policy.all", "type": "aws_iam_role_policy", "name": "all", "values": {{"policy": "{doc}"}}}}"#
        ),
        r#"{"address": "aws_iam_role_policy.bare", "type": "aws_iam_role_policy", "name": "bare",
            "expressions": {"role": {"references": ["aws_iam_role.one"]}}},
           {"address": "aws_iam_role_policy.keyed", "type": "aws_iam_role_policy", "name": "keyed",
            "expressions": {"role": {"references": ["aws_iam_role.two[1].id", "aws_iam_role.two[1]", "aws_iam_role.two"]}}},
           {"address": "aws_iam_role_policy.each", "type": "aws_iam_role_policy", "name": "each",
            "expressions": {"role": {"references": ["aws_iam_role.two", "count.index"]}}},
           {"address": "aws_iam_role_policy.all", "type": "aws_iam_role_policy", "name": "all",
            "expressions": {"role": {"references": ["aws_iam_role.two"]}}}"#,
    );
    // Terraform before 1.1 lists only `aws_iam_role.one`: its one instance.
    assert_eq!(
        labels(&role(&c, "one").policies),
        vec!["aws_iam_role_policy.bare"]
    );
    assert_eq!(
        labels(&role(&c, "two-0").policies),
        vec!["aws_iam_role_policy.each[0]"]
    );
    assert_eq!(
        labels(&role(&c, "two-1").policies),
        vec!["aws_iam_role_policy.keyed", "aws_iam_role_policy.each[1]"]
    );
    assert_eq!(labels(&c.documents), vec!["aws_iam_role_policy.all"]);
}

#[test]
fn odd_configuration_shapes_are_no_references() {
    let c = load_plan_text(
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
            {"address": "aws_iam_role.r", "type": "aws_iam_role", "name": "r", "values": {"name": "r", "path": "/"}},
            {"address": "aws_iam_role_policy.p", "type": "aws_iam_role_policy", "name": "p", "values": {"policy": "{}"}}]}},
          "configuration": {"root_module": {"module_calls": [1], "resources": [
            {"address": 5, "expressions": {"role": {"references": ["aws_iam_role.r.id"]}}},
            {"address": "aws_iam_role_policy.p", "expressions": {"role": {"references": "aws_iam_role.r.id"}}},
            {"address": "aws_iam_role_policy.p", "expressions": {"role": {"references": [null, "aws_iam_role.r"]}}}]}}}"#,
    );
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    assert!(role(&c, "r").policies.is_empty());
    assert_eq!(labels(&c.documents), vec!["aws_iam_role_policy.p"]);
}

#[test]
fn policy_without_a_known_arn_meets_its_attachment_under_a_file_key() {
    // No caller identity: neither policy has an ARN, one has no name yet either.
    let c = plan_with(
        r#"{"address": "aws_iam_role.r", "type": "aws_iam_role", "name": "r", "values": {"name": "r", "path": "/"}},
           {"address": "aws_iam_policy.named", "type": "aws_iam_policy", "name": "named", "values": {"name": "named", "path": "/", "policy": "{\"Statement\":[]}"}},
           {"address": "aws_iam_policy.generated", "type": "aws_iam_policy", "name": "generated", "values": {"path": "/", "policy": "{\"Statement\":[]}"}},
           {"address": "aws_iam_role_policy_attachment.named", "type": "aws_iam_role_policy_attachment", "name": "named", "values": {"role": "r"}},
           {"address": "aws_iam_role_policy_attachment.generated", "type": "aws_iam_role_policy_attachment", "name": "generated", "values": {"role": "elsewhere"}}"#,
        r#"{"address": "aws_iam_role_policy_attachment.named", "type": "aws_iam_role_policy_attachment", "name": "named",
            "expressions": {"role": {"references": ["aws_iam_role.r.name", "aws_iam_role.r"]},
                            "policy_arn": {"references": ["aws_iam_policy.named.arn", "aws_iam_policy.named"]}}},
           {"address": "aws_iam_role_policy_attachment.generated", "type": "aws_iam_role_policy_attachment", "name": "generated",
            "expressions": {"role": {"constant_value": "elsewhere"},
                            "policy_arn": {"references": ["aws_iam_policy.generated.id", "aws_iam_policy.generated"]}}}"#,
    );
    let keys: Vec<&str> = c.managed_policies.iter().map(|p| p.arn.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            "terraform:tfplan.json:aws_iam_policy.named",
            "terraform:tfplan.json:aws_iam_policy.generated"
        ]
    );
    assert!(c.managed_policies.iter().all(|p| p.document.is_some()));
    assert_eq!(
        role(&c, "r").attached,
        vec!["terraform:tfplan.json:aws_iam_policy.named"]
    );
    // A role of another file, by name: the merge joins it to the same key.
    assert_eq!(
        c.attachments,
        vec![(
            "elsewhere".to_owned(),
            "terraform:tfplan.json:aws_iam_policy.generated".to_owned()
        )]
    );
    assert!(c.documents.is_empty());
}

#[test]
fn tf_json_plain_references() {
    let c = load_text(
        &Config::default(),
        Path::new("iam.tf.json"),
        r#"{"resource": {
          "aws_iam_role": {
            "r": {"name": "r"},
            "fixed": {"count": 1, "name": "fixed"}
          },
          "aws_iam_policy": {"p": {"name": "p", "policy": "{\"Statement\":[]}"}},
          "aws_iam_role_policy": {
            "by_id": {"role": "${aws_iam_role.r.id}", "policy": "{\"Statement\":[]}"},
            "by_arn": {"role": "${aws_iam_role.r.arn}", "policy": "{\"Statement\":[]}"},
            "suffixed": {"role": "${aws_iam_role.r.name}-x", "policy": "{\"Statement\":[]}"},
            "counted": {"role": "${aws_iam_role.fixed.name}", "policy": "{\"Statement\":[]}"}
          },
          "aws_iam_policy_attachment": {
            "p": {"name": "p", "policy_arn": "${aws_iam_policy.p.arn}",
                  "roles": ["${aws_iam_role.r.name}", "legacy", "${var.more}"]}
          }
        }}"#,
    );
    let key = "terraform:iam.tf.json:aws_iam_policy.p";
    let r = role(&c, "r");
    assert_eq!(labels(&r.policies), vec!["aws_iam_role_policy.by_id"]);
    assert_eq!(r.attached, vec![key]);
    assert_eq!(c.managed_policies[0].arn, key);
    assert_eq!(c.attachments, vec![("legacy".to_owned(), key.to_owned())]);
    // `fixed` has `count`: which instance the file means is not shown.
    assert_eq!(
        labels(&c.documents),
        vec![
            "aws_iam_role_policy.by_arn",
            "aws_iam_role_policy.suffixed",
            "aws_iam_role_policy.counted"
        ]
    );
}
#[test]
fn go_durations() {
    assert_eq!(parse_go_duration("1h"), Some(3600));
    assert_eq!(parse_go_duration("1h30m"), Some(5400));
    assert_eq!(parse_go_duration("3600s"), Some(3600));
    assert_eq!(parse_go_duration("1.5h"), Some(5400));
    assert_eq!(parse_go_duration("90m0s"), Some(5400));
    assert_eq!(parse_go_duration(".5m"), Some(30));
    assert_eq!(parse_go_duration("1500ms"), Some(1));
    assert_eq!(parse_go_duration("0"), Some(0));
    for bad in ["", "1", "h", "1x", "-1h", "1h-", ".h", "an hour", "1 h"] {
        assert_eq!(parse_go_duration(bad), None, "{bad}");
    }
    assert_eq!(parse_go_duration(&"9".repeat(60)), None);
    assert_eq!(parse_go_duration(&format!("{}h", "9".repeat(40))), None);
}

#[test]
fn templates() {
    assert!(is_template("${var.x}"));
    assert!(is_template("arn:aws:iam::${local.acct}:role/x"));
    assert!(is_template("%{ if x }a%{ endif }"));
    assert!(!is_template("arn:aws:s3:::b/$${aws:username}/*"));
    assert!(!is_template("%%{literal}"));
    assert!(!is_template("50% off {x}"));
    // HCL reads `$$${` as a literal `$` then the `$${` escape.
    assert!(!is_template("$$${var.x}"));
}

/// IAM110 reads a block's session tags and source identity: known tags and
/// `transitive_tag_keys` count, a `${var…}` map (maybe empty) does not, in `.tf.json` as in
/// plans' configuration.
#[test]
fn provider_blocks_record_session_tags_and_source_identity() {
    let text = r#"{"provider": {"aws": [
        {"assume_role": [
            {"role_arn": "arn:aws:iam::111122223333:role/a", "tags": {"team": "x"}},
            {"role_arn": "arn:aws:iam::111122223333:role/b", "transitive_tag_keys": ["team"], "source_identity": "alice"},
            {"role_arn": "arn:aws:iam::111122223333:role/c", "tags": "${var.tags}", "source_identity": ""},
            {"role_arn": "arn:aws:iam::111122223333:role/d", "tags": {}}
        ]}
    ]}}"#;
    let c = load_text(&Config::default(), Path::new("main.tf.json"), text);
    let hops = &c.provider_chains[0].hops;
    let tags: Vec<Option<String>> = hops
        .iter()
        .map(|h| h.session_tags.as_ref().map(json_at))
        .collect();
    assert_eq!(
        tags,
        vec![
            Some("/provider/aws/0/assume_role/0/tags".to_owned()),
            Some("/provider/aws/0/assume_role/1/transitive_tag_keys".to_owned()),
            None,
            None
        ]
    );
    let ids: Vec<Option<&str>> = hops
        .iter()
        .map(|h| h.source_identity.as_ref().map(|s| s.value.as_str()))
        .collect();
    assert_eq!(ids, vec![None, Some("alice"), None, None]);
}
