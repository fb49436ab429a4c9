//! The rule registry: the `Rule` trait and the one list that maps ids to rules. A rule
//! either looks at one policy document at a time (`check_document`: it sees nothing else,
//! so it runs on the loader's thread as soon as the file is loaded, while the document is
//! still in cache) or at the whole inventory and graph (`check`, run once). Rules never
//! read files; names, severities and prose come from `rules/<ID>.md`.

mod assume_role_wildcard_resource;
mod chained_duration_over_hour;
mod committed_secret;
mod console_role_name_too_long;
mod console_unreachable_chain;
mod external_id_console_role;
mod ineffective_trust_condition;
mod invalid_duration;
mod invalid_profile_arn;
mod invalid_trust_policy;
mod malformed_arn;
mod oidc_trust_without_subject;
mod permission_without_trust;
mod policy_grammar;
mod profile_chain_broken;
mod profile_credential_source;
mod profile_loop;
mod profile_missing_trust_requirement;
mod service_trust_without_source_condition;
mod third_party_without_external_id;
mod trust_any_principal;
mod trust_missing_session_grant;
mod trust_policy_too_long;
mod trust_principal_action_mismatch;
mod trust_without_permission;
mod unknown_source_profile;

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::docs;
use crate::finding::{Finding, Severity};
use crate::graph::Graph;
use crate::model::inventory::{Contribution, Inventory};
use crate::model::location::Location;
use crate::model::policy::PolicyDocument;

/// What every rule may read.
pub struct Context<'a> {
    pub inventory: &'a Inventory,
    pub graph: &'a Graph,
    pub config: &'a Config,
}

impl Context<'_> {
    /// A finding of rule `id` at its documented default severity.
    pub fn finding(&self, id: &'static str, at: Location, message: impl Into<String>) -> Finding {
        finding(id, at, message)
    }
}

/// A finding of rule `id` at its documented default severity.
pub fn finding(id: &'static str, at: Location, message: impl Into<String>) -> Finding {
    Finding::new(id, default_severity(id), at, message)
}

/// The documented default severity of a rule id.
pub fn default_severity(id: &str) -> Severity {
    docs::get(id).map_or(Severity::Warning, docs::RuleDoc::default_severity)
}

/// One check.
pub trait Rule: Sync {
    /// The stable id (`IAM101`); name and prose come from `rules/<id>.md`.
    fn id(&self) -> &'static str;

    /// Checks one policy document, and nothing else.
    fn check_document(&self, _doc: &PolicyDocument, _out: &mut Vec<Finding>) {}

    /// Checks the whole inventory and graph once.
    fn check(&self, _ctx: &Context, _out: &mut Vec<Finding>) {}
}

/// Diagnostics that come from outside the rules (loaders, for files they cannot use; the
/// config, for suppressions that matched nothing); listed so they have documents, SARIF
/// rule entries and can be selected or ignored like any rule.
struct LoadDiagnostic(&'static str);

impl Rule for LoadDiagnostic {
    fn id(&self) -> &'static str {
        self.0
    }
}

/// Every rule, in id order (a test checks it). Ids are never reused.
pub fn registry() -> &'static [&'static dyn Rule] {
    use crate::sources::{
        FILE_TOO_LARGE, INVALID_JSON, LINK_OUTSIDE_SCAN, MALFORMED_SOURCE, NAMED_FILE_NOT_READ,
        UNREADABLE_FILE,
    };
    static RULES: &[&dyn Rule] = &[
        &LoadDiagnostic(UNREADABLE_FILE),
        &LoadDiagnostic(INVALID_JSON),
        &LoadDiagnostic(FILE_TOO_LARGE),
        &LoadDiagnostic(MALFORMED_SOURCE),
        &LoadDiagnostic(crate::config::UNUSED_SUPPRESSION),
        &LoadDiagnostic(LINK_OUTSIDE_SCAN),
        &LoadDiagnostic(NAMED_FILE_NOT_READ),
        // 1xx: trust and permission pairs
        &assume_role_wildcard_resource::AssumeRoleWildcardResource,
        &trust_any_principal::TrustAnyPrincipal,
        &permission_without_trust::PermissionWithoutTrust,
        &trust_without_permission::TrustWithoutPermission,
        &oidc_trust_without_subject::OidcTrustWithoutSubject,
        &ineffective_trust_condition::IneffectiveTrustCondition,
        &trust_principal_action_mismatch::TrustPrincipalActionMismatch,
        &third_party_without_external_id::ThirdPartyWithoutExternalId,
        &service_trust_without_source_condition::ServiceTrustWithoutSourceCondition,
        &trust_missing_session_grant::TrustMissingSessionGrant,
        // 2xx: chaining and the console
        &console_unreachable_chain::ConsoleUnreachableChain,
        &external_id_console_role::ExternalIdConsoleRole,
        &chained_duration_over_hour::ChainedDurationOverHour,
        &console_role_name_too_long::ConsoleRoleNameTooLong,
        // 3xx: grammar and ARNs
        &policy_grammar::PolicyGrammar,
        &malformed_arn::MalformedArn,
        &invalid_trust_policy::InvalidTrustPolicy,
        &trust_policy_too_long::TrustPolicyTooLong,
        // 4xx: CLI profiles
        &profile_credential_source::ProfileCredentialSource,
        &unknown_source_profile::UnknownSourceProfile,
        &profile_loop::ProfileLoop,
        &invalid_profile_arn::InvalidProfileArn,
        &invalid_duration::InvalidDuration,
        &profile_missing_trust_requirement::ProfileMissingTrustRequirement,
        &profile_chain_broken::ProfileChainBroken,
        // 5xx: secrets
        &committed_secret::CommittedSecret,
    ];
    RULES
}

/// Runs the given rules' whole-inventory checks, in parallel over rules (their document
/// checks ran as files were loaded: see [`check_documents`]). The caller sorts the
/// result.
pub fn run_rules(rules: &[&'static dyn Rule], ctx: &Context) -> Vec<Finding> {
    let timed = crate::timings::enabled();
    rules
        .par_iter()
        .flat_map_iter(|rule| {
            let mut acc = Vec::new();
            let started = timed.then(std::time::Instant::now);
            rule.check(ctx, &mut acc);
            if let Some(t) = started {
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                eprintln!("iamlint timing:   rule {:<8} {ms:8.1} ms", rule.id());
            }
            acc
        })
        .collect()
}

/// Runs the document rules over the documents one file contributed (each once, though
/// several entities may hold it), adding their findings to the contribution.
pub fn check_documents(rules: &[&'static dyn Rule], part: &mut Contribution) {
    let mut seen = foldhash::HashSet::default();
    let mut out = Vec::new();
    for doc in part.documents_held() {
        if seen.insert(Arc::as_ptr(doc)) {
            for rule in rules {
                rule.check_document(doc, &mut out);
            }
        }
    }
    part.findings.extend(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_documented() {
        let ids: Vec<&str> = registry().iter().map(|r| r.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted, "the registry lists rules in id order");
        let mut seen = HashSet::new();
        for rule in registry() {
            assert!(seen.insert(rule.id()), "duplicate rule id {}", rule.id());
            let doc = docs::get(rule.id())
                .unwrap_or_else(|| panic!("rule {} has no rules/{}.md", rule.id(), rule.id()));
            assert!(
                doc.severity.parse::<Severity>().is_ok(),
                "{}: bad severity",
                doc.id
            );
            assert!(!doc.summary.is_empty());
            for heading in ["## What it does", "## Why is this bad?", "## Known limits"] {
                assert!(doc.body.contains(heading), "{} lacks `{heading}`", doc.id);
            }
        }
        for doc in docs::RULE_DOCS {
            assert!(
                seen.contains(doc.id),
                "rules/{}.md documents no rule",
                doc.id
            );
            assert!(
                doc.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: name must be kebab-case",
                doc.id
            );
        }
    }

    #[test]
    fn every_rule_has_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
        for rule in registry() {
            for side in ["bad", "good"] {
                let dir = root.join(rule.id()).join(side);
                let has_files = std::fs::read_dir(&dir)
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(false);
                assert!(
                    has_files,
                    "{} has no fixtures in {}",
                    rule.id(),
                    dir.display()
                );
            }
        }
    }

    proptest::proptest! {
        /// Whatever a trust's principal and conditions hold, the document rules return.
        #[test]
        fn trust_rules_never_panic(
            principal in "(arn:aws:iam::[0-9$:{}A-Za-z]{0,14}:(oidc|saml)-provider/)?[a-zA-Z./*?:${}]{0,30}",
            conditions in proptest::collection::vec(
                ("(ForAllValues:|ForAnyValue:)?(String|Arn|Null)[A-Za-z]{0,14}", "[a-zA-Z./*?:${}]{0,40}", proptest::collection::vec("[a-z0-9:/*?${}.-]{0,30}", 0..3)),
                0..4,
            ),
            action in "sts:[A-Za-z*?]{0,30}",
        ) {
            let mut cond = serde_json::Map::new();
            for (op, key, values) in conditions {
                let entry = cond.entry(op).or_insert_with(|| serde_json::json!({}));
                if let Some(m) = entry.as_object_mut() {
                    m.insert(key, serde_json::json!(values));
                }
            }
            let doc = serde_json::json!({"Statement": [
                {"Effect": "Allow", "Principal": {"Federated": principal.clone(), "AWS": principal}, "Action": action, "Condition": cond}
            ]});
            let origin = crate::model::location::DocOrigin::Json { file: 0, base: crate::model::path::JsonPath::root() };
            let doc = PolicyDocument::from_value(&doc, origin, crate::model::policy::PolicyKind::Trust, "t".into());
            let mut out = Vec::new();
            for rule in registry() {
                rule.check_document(&doc, &mut out);
            }
        }
    }
}
