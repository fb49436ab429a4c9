//! IAM202: a role whose trust requires `sts:ExternalId` is meant for console switching —
//! a console identity is granted it by name — but the console cannot pass an ExternalId
//! (IAM-SEMANTICS §5, seed 002).

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{Console, IdentitySide, TrustSide, Verdict};

pub struct ExternalIdConsoleRole;

const ID: &str = "IAM202";

impl Rule for ExternalIdConsoleRole {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let g = ctx.graph;
        for e in &g.edges {
            let from = &g.nodes[e.from];
            if from.console == Console::No
                || e.verdict != Verdict::Holds
                || e.requires.external_id.is_none()
            {
                continue;
            }
            // A grant that names the role is the sign it is meant for this identity; a
            // wildcard grant says nothing about console use.
            let IdentitySide::Allowed {
                at: grants,
                literal: true,
                ..
            } = &e.identity
            else {
                continue;
            };
            let (TrustSide::NamesPrincipal { at } | TrustSide::NamesAccount { at }) = &e.trust
            else {
                continue;
            };
            let to = &g.nodes[e.to];
            let mut finding = ctx
                .finding(
                    ID,
                    at.clone(),
                    format!(
                        "`{}` requires `sts:ExternalId`, which the console cannot pass, yet console identity `{}` is granted it",
                        to.label, from.label
                    ),
                )
                .with_help("use a separate role without the ExternalId condition for console switching (ExternalId is for third parties), or switch with the CLI and `external_id`")
                .with_identity(format!("{}=>{}", from.arn, to.arn));
            if let Some(g0) = grants.first() {
                finding = finding.with_label(
                    g0.clone(),
                    format!("{} is granted the role here", from.label),
                );
            }
            if from.console == Console::Maybe {
                finding.severity = crate::finding::Severity::Warning;
            }
            out.push(finding);
        }
    }
}
