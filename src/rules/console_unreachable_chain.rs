//! IAM201: a console identity reaches a role only through a chain of switches, which the
//! console cannot follow: it authorizes every switch with the original identity and never
//! chains (IAM-SEMANTICS §5, seeds 000 and 002).

use std::collections::BTreeMap;

use super::{Context, Rule};
use crate::finding::{join_shortened, Finding, Label, Severity};
use crate::graph::{Console, Graph, IdentitySide, NodeIx, TrustSide, Verdict};
use crate::model::inventory::Inventory;

pub struct ConsoleUnreachableChain;

const ID: &str = "IAM201";

/// Where an edge's two sides say so, as chain steps.
fn hop_labels(g: &Graph, inv: &Inventory, from: NodeIx, to: NodeIx, out: &mut Vec<Label>) {
    let Some(edge) = g.edge_between(inv, from, to) else {
        return;
    };
    let (a, b) = (&g.nodes[from].label, &g.nodes[to].label);
    if let IdentitySide::Allowed { at, .. } = &edge.identity {
        if let Some(loc) = at.first() {
            out.push(Label {
                loc: loc.location(),
                message: format!("{a} may assume {b}"),
            });
        }
    }
    match &edge.trust {
        TrustSide::NamesPrincipal { at } | TrustSide::NamesAccount { at } => out.push(Label {
            loc: at.location(),
            message: format!("{b} trusts {a}"),
        }),
        _ => {
            if let Some(loc) = g.defined_at(inv, to) {
                out.push(Label {
                    loc,
                    message: format!("{b} is defined here"),
                });
            }
        }
    }
}

impl Rule for ConsoleUnreachableChain {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if ctx.config.console.multi_session {
            return;
        }
        let (inv, g) = (ctx.inventory, ctx.graph);
        // target role -> (console identity, chain), first identity by ARN order.
        let mut by_target: BTreeMap<NodeIx, Vec<(NodeIx, Vec<NodeIx>)>> = BTreeMap::new();
        for (a, node) in g.nodes.iter().enumerate() {
            if node.console == Console::No {
                continue;
            }
            for (target, chain) in g.chained(a) {
                let direct = g.verdict_between(a, target);
                if matches!(direct, Some(Verdict::Holds | Verdict::Uncertain)) {
                    continue;
                }
                by_target.entry(target).or_default().push((a, chain));
            }
        }
        for (target, mut reached) in by_target {
            reached.sort_by(|x, y| g.nodes[x.0].arn.cmp(&g.nodes[y.0].arn));
            let Some((first, chain)) = reached.first() else {
                continue;
            };
            let Some(role) = g.role(inv, target) else {
                continue;
            };
            // The trust entry that admits the last hop is what the fix sits next to.
            let last_hop = chain
                .len()
                .checked_sub(2)
                .and_then(|i| chain.get(i))
                .and_then(|&prev| g.edge_between(inv, prev, target))
                .and_then(|e| match &e.trust {
                    TrustSide::NamesPrincipal { at } | TrustSide::NamesAccount { at } => {
                        Some(at.location())
                    }
                    _ => None,
                });
            let Some(at) = last_hop
                .or_else(|| role.trust.as_ref().map(|t| t.origin.whole()))
                .or_else(|| g.defined_at(inv, target))
            else {
                continue;
            };
            let names: Vec<&str> = chain.iter().map(|&n| g.nodes[n].label.as_str()).collect();
            let origin = &g.nodes[*first];
            let others = match reached.len() - 1 {
                0 => String::new(),
                1 => " (and 1 other console identity)".to_owned(),
                n => format!(" (and {n} other console identities)"),
            };
            let mut flow = Vec::new();
            if let Some(loc) = g.defined_at(inv, *first) {
                flow.push(Label {
                    loc,
                    message: format!("{} signs in to the console", origin.label),
                });
            }
            for pair in chain.windows(2) {
                if let [x, y] = pair {
                    hop_labels(g, inv, *x, *y, &mut flow);
                }
            }
            let severity = if reached
                .iter()
                .any(|(a, _)| g.nodes[*a].console == Console::Yes)
            {
                super::default_severity(ID)
            } else {
                // An IAM user with no evidence of console access may never sign in there.
                Severity::Warning
            };
            let mut finding = ctx
                .finding(
                    ID,
                    at,
                    format!(
                        "console identity `{}`{others} reaches `{}` only by chaining {}: the console switches roles with the original identity and cannot chain",
                        origin.label,
                        g.nodes[target].label,
                        join_shortened(&names, " -> ")
                    ),
                )
                .with_help(format!(
                    "trust `{}` in the trust policy of `{}` and allow it `sts:AssumeRole` on `{}`; or use the CLI, which can chain",
                    origin.arn, g.nodes[target].label, g.nodes[target].arn
                ))
                .with_identity(format!("{}=>{}", origin.arn, g.nodes[target].arn))
                .with_flow(flow);
            finding.severity = severity;
            out.push(finding);
        }
    }
}
