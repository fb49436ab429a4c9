//! AWS SAM (`Transform: AWS::Serverless-2016-10-31`): the execution role SAM makes for an
//! `AWS::Serverless::Function` that names no `Role` of its own. SAM names it
//! `<FunctionId>Role` (a generated name, written `<…>` as the loader's other generated
//! names), trusts Lambda with it unless the function gives an `AssumeRolePolicyDocument`,
//! and attaches `AWSLambdaBasicExecutionRole` plus what `Policies` lists:
//! - a policy document (`Statement: …`), as an inline policy at its place in the template;
//! - a managed policy's ARN;
//! - a managed policy's bare name or a SAM policy template (`S3ReadPolicy: {BucketName: …}`),
//!   which SAM expands from its own tables: left out, unknown, so never a finding.
//!
//! A function with a `Role` (its own, or one from `Globals`) uses a role declared
//! elsewhere: nothing new is loaded for it.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::template::{iam_arn, normalize_path, Template};
use crate::model::inventory::Role;
use crate::model::location::{DocOrigin, MappedSpans, WholePlace};
use crate::model::path::JsonPath;
use crate::model::policy::{PolicyDocument, PolicyKind};

/// The managed policy SAM attaches to every role it makes for a function.
const BASIC_EXECUTION: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

impl Template<'_> {
    /// The role SAM makes for the function `id`, if it makes one.
    pub(super) fn serverless_function(
        &mut self,
        id: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
    ) -> Option<Role> {
        let global = |key: &str| self.function_globals.and_then(|g| g.get(key));
        if props.contains_key("Role") || global("Role").is_some() {
            return None;
        }
        let role_id = format!("{id}Role");
        let name = format!("<{role_id}>");
        let path = match props.get("RolePath") {
            Some(v) => normalize_path(&self.scalar(v, 0).text),
            None => "/".to_owned(),
        };
        let trust = match props.get("AssumeRolePolicyDocument") {
            Some(v) => self.document(
                v,
                &props_at.key("AssumeRolePolicyDocument"),
                PolicyKind::Trust,
                format!("trust policy of {role_id}"),
            ),
            // One from `Globals` is not placed here; the trust is unknown rather than
            // Lambda's.
            None if global("AssumeRolePolicyDocument").is_some() => None,
            None => Some(self.lambda_trust(&role_id, at)),
        };
        let mut policies = Vec::new();
        let mut attached = vec![BASIC_EXECUTION.to_owned()];
        let policies_at = props_at.key("Policies");
        match props.get("Policies") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let label = format!("policy {i} of {role_id}");
                    let at = policies_at.index(i);
                    self.function_policy(item, &at, label, &mut policies, &mut attached);
                }
            }
            Some(item) => {
                let label = format!("policy of {role_id}");
                self.function_policy(item, &policies_at, label, &mut policies, &mut attached)
            }
            None => {}
        }
        Some(Role {
            arn: iam_arn(self.account_text(), "role", &path, &name),
            account: self.entity_account(),
            name,
            path,
            trust,
            policies,
            attached,
            max_session_duration: None,
            defined_at: vec![self.loc(at)],
        })
    }

    /// One entry of a function's `Policies`.
    fn function_policy(
        &mut self,
        item: &Value,
        at: &JsonPath,
        label: String,
        policies: &mut Vec<Arc<PolicyDocument>>,
        attached: &mut Vec<String>,
    ) {
        match item {
            Value::Object(map) if map.contains_key("Statement") => {
                policies.extend(self.document(item, at, PolicyKind::Identity, label));
            }
            // A policy template (one key, its parameters) is SAM's to expand.
            Value::Object(map) if map.len() == 1 && super::template::intrinsic(item).is_none() => {}
            _ => {
                let arn = self.scalar(item, 0);
                if arn.known && arn.text.starts_with("arn:") && !attached.contains(&arn.text) {
                    attached.push(arn.text);
                }
            }
        }
    }

    /// The trust policy SAM gives the role: Lambda may assume it. Placed at the function,
    /// since the template does not write it.
    fn lambda_trust(&self, role_id: &str, at: &JsonPath) -> Arc<PolicyDocument> {
        let raw = json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"
            }]
        });
        let origin = DocOrigin::Mapped {
            file: self.file,
            spans: MappedSpans(Arc::new(WholePlace(self.loc(at)))),
        };
        Arc::new(PolicyDocument::from_value(
            &raw,
            origin,
            PolicyKind::Trust,
            format!("trust policy of {role_id}"),
        ))
    }
}
