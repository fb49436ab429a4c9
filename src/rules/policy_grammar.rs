//! IAM301: the policy does not follow the IAM policy grammar, checked against the JSON
//! Schemas in `schemas/` (see `crate::grammar`). Values a template left unresolved
//! (`PolicyDocument::unresolved`) are skipped.

use super::{Context, Rule};
use crate::finding::Finding;
use crate::grammar::{grammar, PolicyShape};
use crate::model::policy::{PolicyDocument, PolicyKind};

pub struct PolicyGrammar;

const ID: &str = "IAM301";

impl Rule for PolicyGrammar {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, ctx: &Context, out: &mut Vec<Finding>) {
        if doc.aws_managed {
            return;
        }
        let shape = match doc.kind {
            PolicyKind::Identity | PolicyKind::ServiceControl => PolicyShape::Identity,
            PolicyKind::Trust | PolicyKind::Resource => PolicyShape::Resource,
        };
        for err in grammar().check(&doc.raw, shape) {
            // A value a template left unresolved holds a placeholder, not what the template
            // would give: its shape is unknown, so say nothing about it.
            if doc.is_unresolved(&err.path) {
                continue;
            }
            let loc = if err.on_key {
                doc.origin.key_at(&err.path)
            } else {
                doc.loc(&err.path)
            };
            out.push(
                ctx.finding(ID, loc, err.message.clone())
                    .with_identity(format!("{}#{}:{}", doc.label, err.path, err.message)),
            );
        }
    }
}
