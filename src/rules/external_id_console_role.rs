//! IAM202: a role whose trust requires `sts:ExternalId` is meant for console switching —
//! a console identity is granted it by name — but the console cannot pass an ExternalId
//! (IAM-SEMANTICS §5, seed 002).

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{requirements_of, Console, IdentitySide, TrustSide, Verdict, ASSUME_ROLE};
use crate::model::inventory::{Role, SwitchLink};
use crate::model::policy::Effect;

pub struct ExternalIdConsoleRole;

const ID: &str = "IAM202";

impl Rule for ExternalIdConsoleRole {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let g = ctx.graph;
        // Implied edges of grants that name the role, judged in full where the role's
        // trust may require an ExternalId (the pairs of wide patterns are never literal).
        let implied = g.literal_edges_judged(
            ctx.inventory,
            |r| {
                g.role(ctx.inventory, r)
                    .and_then(|r| r.trust.as_ref())
                    .is_some_and(|t| {
                        t.statements.iter().any(|s| {
                            s.conditions
                                .iter()
                                .any(|c| c.key.eq_ignore_ascii_case("sts:ExternalId"))
                        })
                    })
            },
            |v| v == Verdict::Holds,
            |p| g.nodes[p].console != Console::No,
        );
        for e in g.edges.iter().chain(&implied) {
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
                    at.location(),
                    format!(
                        "`{}` requires `sts:ExternalId`, which the console cannot pass, yet console identity `{}` is granted it",
                        to.label, from.label
                    ),
                )
                .with_help("use a separate role without the ExternalId condition for console switching (ExternalId is for third parties), or switch with the CLI and `external_id`")
                .with_identity(format!("{}=>{}", from.arn, to.arn));
            if let Some(g0) = grants.first() {
                finding = finding.with_label(
                    g0.location(),
                    format!("{} is granted the role here", from.label),
                );
            }
            if from.console == Console::Maybe {
                finding.severity = crate::finding::Severity::Warning;
            }
            out.push(finding);
        }
        for link in &ctx.inventory.switch_links {
            let Some(role) = linked_role(ctx, link) else {
                continue;
            };
            let Some(trust) = &role.trust else { continue };
            let reqs: Vec<_> = trust
                .statements
                .iter()
                .filter(|s| {
                    s.effect == Effect::Allow
                        && s.covers_action(ASSUME_ROLE)
                        && s.principal.as_ref().is_some_and(|p| !p.negated)
                })
                .map(requirements_of)
                .collect();
            if reqs.is_empty() || !reqs.iter().all(|r| r.external_id.is_some()) {
                continue;
            }
            out.push(
                ctx.finding(
                    ID,
                    link.at.clone(),
                    format!(
                        "switch-role link names `role/{}`, whose trust policy requires `sts:ExternalId`, which the console cannot pass",
                        role.name
                    ),
                )
                .with_label(trust.origin.whole(), format!("trust policy of role/{}", role.name))
                .with_help("link to a role without the ExternalId condition, or tell people to use the CLI with `external_id`")
                .with_identity(format!("link=>{}", role.arn)),
            );
        }
    }
}

/// The role a switch-role link names (account id, or an alias from the config).
pub(crate) fn linked_role<'a>(ctx: &Context<'a>, link: &SwitchLink) -> Option<&'a Role> {
    let account = if crate::model::arn::is_account_id(&link.account) {
        link.account.clone()
    } else {
        ctx.config
            .accounts
            .iter()
            .find(|(a, _)| a.alias.as_deref() == Some(link.account.as_str()))
            .map(|(a, _)| a.id.clone())?
    };
    let name = link.role_name.trim_start_matches('/');
    ["aws", "aws-us-gov", "aws-cn"].iter().find_map(|p| {
        ctx.inventory
            .role_by_arn(&format!("arn:{p}:iam::{account}:role/{name}"))
    })
}
