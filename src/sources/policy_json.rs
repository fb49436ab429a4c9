//! Bare IAM policy documents (what `aws iam create-role --assume-role-policy-document
//! file://…` reads). The owner comes from the manifest or the directory convention; the
//! kind (trust, identity, resource) from that placement or, failing it, from the content.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::manifest::{place, placement_by_convention_of};
use super::{FileInput, LoadContext};
use crate::model::arn::has_template_placeholder;
use crate::model::inventory::Contribution;
use crate::model::location::{DocOrigin, Location};
use crate::model::path::{JsonPath, PathKey, PathSeg};
use crate::model::policy::{classify_by_content, PolicyDocument, PolicyKind};

/// Loads one policy file.
pub fn load(ctx: &LoadContext, input: &FileInput, value: Value) -> Contribution {
    let mut out = Contribution::default();
    let mut placements = ctx.manifest.placements(input.path);
    if placements.is_empty() {
        placements.extend(placement_by_convention_of(input.path, ctx.config, &value));
    }
    let kind = match placements.first() {
        Some(p) if p.is_trust() => PolicyKind::Trust,
        Some(_) => PolicyKind::Identity,
        None => match classify_by_content(&value) {
            PolicyKind::Identity if names_service_control_policy(input.path) => {
                PolicyKind::ServiceControl
            }
            kind => kind,
        },
    };
    let origin = DocOrigin::Json {
        file: input.id,
        base: JsonPath::root(),
    };
    let mut doc =
        PolicyDocument::from_value(&value, origin, kind, input.path.display().to_string());
    let mut unresolved = Vec::new();
    template_parts(&value, &mut unresolved);
    doc.unresolved = unresolved.into_boxed_slice();
    let doc = Arc::new(doc);
    if placements.is_empty() {
        out.documents.push(doc);
    } else {
        for p in &placements {
            place(&mut out, p, doc.clone(), Location::file(input.id));
        }
    }
    out
}

/// The parts of a policy file that a template fills in before the policy reaches IAM,
/// which no rule judges: documentation placeholders (`"Action": "<action>"`, `{{ arn }}`),
/// shell variables (`$ACCOUNT`), and CloudFormation intrinsics (`{"Ref": "Roles"}`,
/// `{"Fn::Sub": …}`) in statement snippets that a macro merges into a template. IAM
/// policy variables (`${aws:username}`) are the policy's own and stay.
fn template_parts(v: &Value, out: &mut Vec<JsonPath>) {
    // The path is kept as borrowed steps and made a `JsonPath` only where a part is found:
    // building one for every value cost a tenth of a scan of many small policy files.
    fn walk<'v>(v: &'v Value, at: &mut Vec<Step<'v>>, out: &mut Vec<JsonPath>) {
        match v {
            Value::String(s) if has_template_placeholder(s) => out.push(path_of(at)),
            Value::Object(map)
                if map.len() == 1 && map.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) =>
            {
                out.push(path_of(at));
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    walk(item, at, out);
                    at.pop();
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    at.push(Step::Key(k));
                    walk(item, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    walk(v, &mut Vec::new(), out);
}

/// One step of a path being walked.
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

fn path_of(steps: &[Step]) -> JsonPath {
    JsonPath(
        steps
            .iter()
            .map(|s| match s {
                Step::Key(k) => PathSeg::Key(PathKey::from(*k)),
                Step::Index(i) => PathSeg::Index(*i),
            })
            .collect(),
    )
}

/// Whether a file's path calls it a service control policy: a word of a folder or file
/// name that begins or ends with `scp` (`scp.json`, `example-scp.json`, `scps/`,
/// `DenyRegionsSCP.json`), or `service-control-policies` in any spelling. SCPs share the
/// identity grammar but grant nothing ("SCPs alone are not sufficient to granting permissions",
/// AWS Organizations user guide), so the rules about what an
/// identity policy allows stay silent on them; a file that says nothing stays an identity
/// policy.
fn names_service_control_policy(path: &Path) -> bool {
    const SPELT_OUT: &str = "servicecontrolpolic";
    // Runs for every file no convention places: no copy of a name unless it is long
    // enough to spell the words out.
    let word_names_scp = |word: &str| {
        let word = word.strip_suffix(['s', 'S']).unwrap_or(word);
        let scp = |part: Option<&str>| part.is_some_and(|p| p.eq_ignore_ascii_case("scp"));
        scp(word.get(..3)) || scp(word.get(word.len().saturating_sub(3)..))
    };
    super::path_names(path).any(|name| {
        name.split(|ch: char| !ch.is_ascii_alphanumeric())
            .any(word_names_scp)
            || (name.len() >= SPELT_OUT.len() && {
                let squeezed: String = name
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                squeezed.contains(SPELT_OUT)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::names_service_control_policy as scp;
    use std::path::Path;

    #[test]
    fn service_control_policies_are_named_by_their_path() {
        for yes in [
            "adf-bootstrap/example-scp.json",
            "org/scps/deny-regions.json",
            "org/SCP/root.json",
            "DenyRegionsSCP.json",
            "scp_deny_leave_org.json",
            "policies/service-control-policies/deny.json",
            "Service_Control_Policy/deny.json",
        ] {
            assert!(scp(Path::new(yes)), "{yes}");
        }
        for no in [
            "iam/111122223333/roles/deploy/policy.json",
            "policies/admin.json",
            "escape/policy.json",
            "transcripts/policy.json",
            "service-control/policy.json",
        ] {
            assert!(!scp(Path::new(no)), "{no}");
        }
    }
}
