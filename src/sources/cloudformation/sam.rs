//! AWS SAM (`Transform: AWS::Serverless-2016-10-31`): the execution roles SAM makes for an
//! `AWS::Serverless::Function` that names no `Role` of its own, and for an
//! `AWS::Serverless::StateMachine` that gives `Policies` instead of a `Role`. SAM names
//! such a role `<ResourceId>Role` (a generated name, written `<…>` as the loader's other
//! generated names) and trusts the service with it (Lambda, Step Functions) unless a
//! function gives an `AssumeRolePolicyDocument`. A function's role also gets
//! `AWSLambdaBasicExecutionRole`. Both take what `Policies` lists:
//! - a policy document (`Statement: …`), as an inline policy at its place in the template;
//! - a managed policy's ARN;
//! - a managed policy's bare name or a SAM policy template (`S3ReadPolicy: {BucketName: …}`),
//!   which SAM expands from its own tables: left out, unknown, so never a finding.
//!
//! A resource with a `Role` uses a role declared elsewhere: nothing new is loaded for it.
//!
//! `Globals.Function` gives every function the properties it does not set itself. Of those
//! that shape the role, SAM takes `AssumeRolePolicyDocument` and `RolePath` there (and
//! `PermissionsBoundary`, which iamlint does not model); a function that writes its own
//! keeps it (SAM would merge the two trust documents' statements: the function's are a
//! part of that, so what is read is never more than what is deployed). SAM rejects `Role`
//! and `Policies` in `Globals` (its transform fails: "not a supported property"): they are
//! reported (IAM004), never applied, and a function under a global `Role` gets no role, as
//! nothing can be known of it.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::template::{iam_arn, normalize_path, Template};
use crate::model::inventory::Role;
use crate::model::location::{DocOrigin, MappedSpans, WholePlace};
use crate::model::path::JsonPath;
use crate::model::policy::{PolicyDocument, PolicyKind};

/// The managed policy SAM attaches to every role it makes for a function.
const BASIC_EXECUTION: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/// Properties of `Globals.Function` that SAM refuses and that would shape a role.
const UNSUPPORTED_FUNCTION_GLOBALS: &[&str] = &["Role", "Policies"];

/// What SAM makes a role for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SamKind {
    Function,
    StateMachine,
}

impl SamKind {
    /// The service SAM's trust policy lets in.
    fn service(self) -> &'static str {
        match self {
            SamKind::Function => "lambda.amazonaws.com",
            SamKind::StateMachine => "states.amazonaws.com",
        }
    }
}

impl Template<'_> {
    /// Reports what `Globals.Function` holds that SAM refuses.
    pub(super) fn check_function_globals(&mut self) {
        let Some(globals) = self.function_globals else {
            return;
        };
        let at = JsonPath::root().key("Globals").key("Function");
        for key in UNSUPPORTED_FUNCTION_GLOBALS {
            if globals.contains_key(*key) {
                self.malformed(
                    &at.key(key),
                    format!(
                        "SAM does not take `{key}` in `Globals.Function` (the transform fails): set it on each function"
                    ),
                );
            }
        }
    }

    /// The role SAM makes for the function `id`, if it makes one.
    pub(super) fn serverless_function(
        &mut self,
        id: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
    ) -> Option<Role> {
        let globals = self.function_globals;
        let global = |key: &str| globals.and_then(|g| g.get(key));
        if props.contains_key("Role") || global("Role").is_some() {
            return None;
        }
        let globals_at = JsonPath::root().key("Globals").key("Function");
        let role_id = format!("{id}Role");
        let trust = match (
            props.get("AssumeRolePolicyDocument"),
            global("AssumeRolePolicyDocument"),
        ) {
            (Some(v), _) => self.document(
                v,
                &props_at.key("AssumeRolePolicyDocument"),
                PolicyKind::Trust,
                format!("trust policy of {role_id}"),
            ),
            (None, Some(v)) => self.document(
                v,
                &globals_at.key("AssumeRolePolicyDocument"),
                PolicyKind::Trust,
                format!("trust policy of {role_id}"),
            ),
            (None, None) => Some(self.service_trust(SamKind::Function, &role_id, at)),
        };
        let role_path = match props.get("RolePath") {
            Some(v) => Some(v),
            None => global("RolePath"),
        };
        Some(self.sam_role(id, SamKind::Function, props, props_at, at, role_path, trust))
    }

    /// The role SAM makes for the state machine `id`: one when it gives `Policies` and no
    /// `Role` (both together SAM rejects, reported here; neither makes a role with the
    /// permissions of its event sources only, which are not read, so none is loaded).
    pub(super) fn serverless_state_machine(
        &mut self,
        id: &str,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
    ) -> Option<Role> {
        if props.contains_key("Role") {
            if props.contains_key("Policies") {
                self.malformed(
                    &props_at.key("Policies"),
                    format!("SAM state machine `{id}` gives both `Role` and `Policies`: SAM takes one of them"),
                );
            }
            return None;
        }
        if !props.contains_key("Policies") {
            return None;
        }
        let role_id = format!("{id}Role");
        let trust = Some(self.service_trust(SamKind::StateMachine, &role_id, at));
        let role_path = props.get("RolePath");
        Some(self.sam_role(
            id,
            SamKind::StateMachine,
            props,
            props_at,
            at,
            role_path,
            trust,
        ))
    }

    /// The role SAM makes for resource `id` of `kind`, with its `Policies`.
    #[allow(clippy::too_many_arguments)]
    fn sam_role(
        &mut self,
        id: &str,
        kind: SamKind,
        props: &Map<String, Value>,
        props_at: &JsonPath,
        at: &JsonPath,
        role_path: Option<&Value>,
        trust: Option<Arc<PolicyDocument>>,
    ) -> Role {
        let role_id = format!("{id}Role");
        let name = self.generated_name(&role_id);
        let path = match role_path {
            Some(v) => normalize_path(&self.scalar(v, 0).text),
            None => "/".to_owned(),
        };
        let mut policies = Vec::new();
        let mut attached = match kind {
            SamKind::Function => vec![BASIC_EXECUTION.to_owned()],
            SamKind::StateMachine => Vec::new(),
        };
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
        Role {
            arn: iam_arn(self.account_text(), "role", &path, &name),
            account: self.entity_account(),
            name,
            path,
            trust,
            policies,
            attached,
            max_session_duration: None,
            defined_at: vec![self.loc(at)],
        }
    }

    /// One entry of a function's or state machine's `Policies`.
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

    /// The trust policy SAM gives the role: the service may assume it. Placed at the
    /// resource, since the template does not write it.
    fn service_trust(&self, kind: SamKind, role_id: &str, at: &JsonPath) -> Arc<PolicyDocument> {
        let raw = json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": kind.service()},
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
