//! IAM301: the policy does not follow the IAM policy grammar, checked against the JSON
//! Schemas in `schemas/` (see `crate::grammar`) when the document is built
//! (`PolicyDocument::grammar_errors`). Values a template left unresolved
//! (`PolicyDocument::unresolved`), and values that hold one, are skipped.

use super::Rule;
use crate::finding::Finding;
use crate::model::policy::PolicyDocument;

pub struct PolicyGrammar;

const ID: &str = "IAM301";

impl Rule for PolicyGrammar {
    fn id(&self) -> &'static str {
        ID
    }

    fn check_document(&self, doc: &PolicyDocument, out: &mut Vec<Finding>) {
        if doc.aws_managed {
            return;
        }
        for err in &doc.grammar_errors {
            // A value a template left unresolved holds a placeholder, not what the template
            // would give: its shape is unknown, so say nothing about it.
            // Nor about what holds one: an unresolved member may be absent (a Terraform
            // null) once known, which decides "both `Action` and `NotAction`".
            if doc.is_unresolved(&err.path) || doc.has_unresolved(&err.path) {
                continue;
            }
            let loc = if err.on_key {
                doc.origin.key_at(&err.path)
            } else {
                doc.loc(&err.path)
            };
            out.push(
                super::finding(ID, loc, err.message.clone())
                    .with_identity(format!("{}#{}:{}", doc.label, err.path, err.message)),
            );
        }
    }
}
