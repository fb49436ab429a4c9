//! What the AWS provider knows: a module's provider configurations (and so the account of
//! each resource), and the attributes it computes for IAM resources (`arn`, `id`, `name`)
//! and data sources (`aws_caller_identity`, `aws_partition`, `aws_iam_policy_document`,
//! `aws_iam_openid_connect_provider`).

use std::sync::Arc;

use super::super::ast::Block;
use super::super::policy_document::policy_document;
use super::super::value::{Member, Node, Val};
use super::{expr_name, Instance, ProviderInfo};
use crate::model::arn::{is_account_id, Arn};

impl Instance<'_, '_> {
    /// This module's own `provider "aws"` blocks, over the ones it inherited.
    pub(super) fn configure_providers(&mut self) {
        for (block, file) in &self.def.providers {
            let body = self.eval_body(&block.body, file, &[]);
            let alias = body
                .get("alias")
                .and_then(Node::as_text)
                .map(|a| a.into_owned());
            let name = alias.map_or_else(|| "aws".to_owned(), |a| format!("aws.{a}"));
            let region = body
                .get("region")
                .and_then(Node::as_text)
                .map(|r| r.into_owned());
            let partition = match region.as_deref() {
                Some(r) if r.starts_with("cn-") => "aws-cn",
                Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
                _ => "aws",
            };
            let allowed: Vec<String> = match body.get("allowed_account_ids").map(|n| &n.value) {
                Some(Val::List(items)) => items
                    .iter()
                    .filter_map(|i| i.as_text().map(|t| t.into_owned()))
                    .collect(),
                _ => Vec::new(),
            };
            let assumed = match body.get("assume_role").map(|n| &n.value) {
                Some(Val::List(blocks)) => blocks
                    .last()
                    .and_then(|b| b.get("role_arn"))
                    .and_then(Node::as_text)
                    .and_then(|arn| Arn::parse(&arn).ok())
                    .map(|a| a.account),
                _ => None,
            };
            let account = match allowed.as_slice() {
                [one] if is_account_id(one) => Some(one.clone()),
                _ => assumed.filter(|a| is_account_id(a)),
            };
            self.providers.insert(
                name.clone(),
                ProviderInfo {
                    name,
                    account,
                    partition: partition.to_owned(),
                    body: Some(body),
                },
            );
        }
    }

    /// The provider configurations this instance defines itself, for provider chains.
    pub fn own_providers(&self) -> Vec<&ProviderInfo> {
        let mut out: Vec<&ProviderInfo> = self
            .providers
            .values()
            .filter(|p| p.body.is_some())
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    pub(super) fn provider_of(&self, block: &Block) -> Option<&ProviderInfo> {
        match block.body.get_attribute("provider") {
            Some(attr) => self.providers.get(&expr_name(Some(&attr.value))?),
            None => self.providers.get("aws"),
        }
    }

    /// The (partition, account) of a resource's provider, when its account is known.
    pub(super) fn account(&self, block: &Block) -> Option<(&str, &str)> {
        let p = self.provider_of(block)?;
        Some((&p.partition, p.account.as_deref()?))
    }

    /// A resource's attributes, with those the provider computes from them (`arn`, `id`,
    /// `name` of IAM entities) when what they depend on is known.
    pub(super) fn resource_attributes(&self, kind: &str, block: &Block, mut body: Node) -> Node {
        let name = body
            .get("name")
            .and_then(Node::as_text)
            .map(|n| n.into_owned());
        let path = match body.get("path") {
            Some(p) => p.as_text().map(|p| p.into_owned()),
            None => Some("/".to_owned()),
        };
        let account = self.account(block);
        let what = match kind {
            "aws_iam_role" => Some("role"),
            "aws_iam_user" => Some("user"),
            "aws_iam_group" => Some("group"),
            "aws_iam_policy" => Some("policy"),
            _ => None,
        };
        let arn = match (what, &name, &path, &account) {
            (Some(what), Some(name), Some(path), Some((partition, account))) => {
                Some(format!("arn:{partition}:iam::{account}:{what}{path}{name}"))
            }
            _ => match (kind, &account) {
                ("aws_iam_openid_connect_provider", Some((partition, account))) => {
                    body.get("url").and_then(Node::as_text).map(|u| {
                        format!(
                            "arn:{partition}:iam::{account}:oidc-provider/{}",
                            u.trim_start_matches("https://")
                        )
                    })
                }
                ("aws_iam_saml_provider", Some((partition, account))) => name
                    .as_ref()
                    .map(|n| format!("arn:{partition}:iam::{account}:saml-provider/{n}")),
                _ => None,
            },
        };
        let mut add = |key: &str, value: Option<String>| {
            if let Val::Object(members) = &mut body.value {
                if members.iter().any(|m| &*m.key == key) {
                    return;
                }
                let value = match value {
                    Some(v) => Node::string(v, None),
                    None => Node::unknown(format!("`{key}` is known after apply")),
                };
                members.push(Member {
                    key: Arc::from(key),
                    key_at: None,
                    value,
                });
            }
        };
        if what.is_some() || arn.is_some() {
            add("arn", arn.clone());
        }
        if what.is_some() {
            add("path", path);
            if kind == "aws_iam_policy" {
                add("id", arn);
            } else {
                add("id", name.clone());
            }
            add("name", name);
        }
        body
    }

    pub(super) fn data_value(&self, kind: &str, block: &Block, body: Node) -> Node {
        let account = self.account(block);
        let members = match kind {
            "aws_caller_identity" => {
                vec![("account_id", account.map(|(_, a)| Node::string(a, None)))]
            }
            // The provider's partition (from its region) is known even when its account
            // is not.
            "aws_partition" => vec![(
                "partition",
                Some(Node::string(
                    self.provider_of(block)
                        .map_or_else(|| "aws".to_owned(), |p| p.partition.clone()),
                    None,
                )),
            )],
            // Looked up by `url` (or `arn`) in the provider's account: its ARN follows from
            // the URL as for the resource.
            "aws_iam_openid_connect_provider" => {
                let arn = match body.get("arn").and_then(Node::as_text) {
                    Some(arn) => Some(arn.into_owned()),
                    None => body
                        .get("url")
                        .and_then(Node::as_text)
                        .zip(account.as_ref())
                        .map(|(u, (partition, account))| {
                            format!(
                                "arn:{partition}:iam::{account}:oidc-provider/{}",
                                u.trim_start_matches("https://")
                            )
                        }),
                };
                vec![("arn", arn.map(|a| Node::string(a, None)))]
            }
            "aws_iam_policy_document" => {
                let doc = Node::new(Val::Json(Arc::new(policy_document(&body))), body.loc());
                vec![("json", Some(doc.clone())), ("minified_json", Some(doc))]
            }
            _ => Vec::new(),
        };
        Node::with_at(
            Val::Object(
                members
                    .into_iter()
                    .map(|(k, v)| Member {
                        key: Arc::from(k),
                        key_at: None,
                        value: v.unwrap_or_else(|| {
                            Node::unknown(format!("`{k}` is not known statically"))
                        }),
                    })
                    .collect(),
            ),
            body.at,
        )
    }
}
