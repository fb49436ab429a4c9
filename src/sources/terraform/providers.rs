//! AWS provider blocks, in every front end: their `assume_role` chains (IAM203 and the
//! profile-like checks) and the credentials written in them (IAM501).

use serde_json::Value;

use super::attrs::{Attrs, Field, Flavor};
use super::backend::Loader;
use super::duration::parse_go_duration;
use crate::finding::{Finding, Severity};
use crate::model::inventory::{ProviderChain, ProviderHop, SecretPlace};
use crate::model::location::Spanned;
use crate::model::path::JsonPath;
use crate::sources::record_secret;
use crate::sources::MALFORMED_SOURCE;

impl Loader<'_> {
    /// One entry of a plan's `configuration.provider_config`.
    pub(super) fn load_plan_provider(&mut self, key: &str, config: &Value, path: JsonPath) {
        let Some(obj) = config.as_object() else {
            return;
        };
        let provider = obj
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_else(|| key.rsplit(':').next().unwrap_or(key));
        if provider != "aws" {
            return;
        }
        let mut name = match obj.get("alias").and_then(Value::as_str) {
            Some(alias) => format!("aws.{alias}"),
            None => "aws".to_owned(),
        };
        // A provider configured inside a module is keyed `module.x:aws`.
        if let Some(module) = obj
            .get("module_address")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
        {
            name = format!("{module}:{name}");
        }
        let Some(expressions) = obj.get("expressions").and_then(Value::as_object) else {
            return;
        };
        let attrs = Attrs {
            obj: expressions,
            path: path.key("expressions"),
            unknown: None,
            flavor: Flavor::Config,
        };
        self.provider_secrets(&name, &attrs);
        self.load_provider(name, &attrs);
    }

    /// Each credential a provider written in JSON holds as a literal (`access_key`,
    /// `secret_key`, `token`): a secret, and its value a redaction, so that no snippet
    /// shows it. (HCL files are searched when they are parsed.)
    pub(super) fn provider_secrets(&mut self, name: &str, provider: &Attrs) {
        for key in ["access_key", "secret_key", "token"] {
            let Some((value, path)) = provider.known_text(key) else {
                continue;
            };
            let text = self.input.text;
            let (Some(value_at), Some(key_at)) = (
                crate::span::locate_value(text, &path),
                crate::span::locate_key(text, &path),
            ) else {
                continue;
            };
            record_secret(
                &mut self.out,
                self.input,
                key,
                SecretPlace::Terraform(format!("provider `{name}`")),
                (key_at, value_at),
                value,
            );
        }
    }

    /// A provider's `assume_role` blocks, in order, as a chain (providers without one
    /// assume nothing and are not recorded).
    ///
    /// An `assume_role_with_web_identity` block is the first hop when present: the provider
    /// assumes it first and every `assume_role` block chains from its session.
    pub(super) fn load_provider(&mut self, name: String, provider: &Attrs) {
        let mut hops = Vec::new();
        let web = provider.blocks("assume_role_with_web_identity");
        let blocks = provider.blocks("assume_role");
        for (web_identity, block) in web
            .into_iter()
            .take(1)
            .map(|b| (true, b))
            .chain(blocks.into_iter().map(|b| (false, b)))
        {
            let spanned = |field: Field<&str>| match field {
                Field::Known(v, p) => Some(Spanned::new(v.to_owned(), self.loc(&p))),
                _ => None,
            };
            let role_arn = spanned(block.text("role_arn"));
            let external_id = spanned(block.text("external_id"));
            let session_name = spanned(block.text("session_name"));
            let source_identity = spanned(block.text("source_identity"));
            // Only tags known to be there count: a variable may be an empty map.
            let session_tags =
                ["tags", "transitive_tag_keys"]
                    .iter()
                    .find_map(|key| match block.get(key) {
                        Field::Known(Value::Object(m), p) if !m.is_empty() => Some(self.loc(&p)),
                        Field::Known(Value::Array(a), p) if !a.is_empty() => Some(self.loc(&p)),
                        _ => None,
                    });
            let duration_seconds = match block.text("duration") {
                Field::Known(text, path) => {
                    match parse_go_duration(text) {
                        Some(secs) => Some(Spanned::new(secs, self.loc(&path))),
                        None => {
                            self.out.findings.push(
                            Finding::new(
                                MALFORMED_SOURCE,
                                Severity::Error,
                                self.loc(&path),
                                format!("`duration` of provider `{name}` is `{text}`, not a duration"),
                            )
                            .with_help("write a Go duration such as `1h`, `45m` or `3600s`")
                            .with_identity(format!("{MALFORMED_SOURCE}:provider.{name}.duration")),
                        );
                            None
                        }
                    }
                }
                _ => block
                    .number("duration_seconds")
                    .map(|(secs, path)| Spanned::new(secs, self.loc(&path))),
            };
            hops.push(ProviderHop {
                web_identity,
                role_arn,
                duration_seconds,
                external_id,
                session_name,
                session_tags,
                source_identity,
                at: self.loc(&block.path),
            });
        }
        if !hops.is_empty() {
            self.out.provider_chains.push(ProviderChain { name, hops });
        }
    }
}
