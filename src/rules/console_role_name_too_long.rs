//! IAM204: a role a console identity can switch to has a path plus name longer than the
//! 64 characters the console's switch-role form accepts (IAM-SEMANTICS §5, seed 002).

use std::collections::BTreeMap;

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{Console, NodeIx, Verdict};
use crate::model::inventory::Role;

pub struct ConsoleRoleNameTooLong;

/// The length of the console's roleName: the path without its leading slash, plus the name.
fn console_name_len(role: &Role) -> usize {
    role.path.trim_start_matches('/').chars().count() + role.name.chars().count()
}

const ID: &str = "IAM204";

/// The console's limit on path + name.
const MAX_CONSOLE_ROLE_NAME: usize = 64;

impl Rule for ConsoleRoleNameTooLong {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let g = ctx.graph;
        let too_long = |r: NodeIx| {
            g.role(ctx.inventory, r)
                .is_some_and(|role| console_name_len(role) > MAX_CONSOLE_ROLE_NAME)
        };
        // Each role a console identity switches to over an edge that holds, with the first
        // such identity: listed edges, then implied ones (light, and of wide grants).
        let mut first_from: BTreeMap<NodeIx, NodeIx> = BTreeMap::new();
        let mut note = |r: NodeIx, p: NodeIx| {
            first_from
                .entry(r)
                .and_modify(|f| *f = (*f).min(p))
                .or_insert(p);
        };
        for e in &g.edges {
            if e.verdict == Verdict::Holds && g.nodes[e.from].console != Console::No {
                note(e.to, e.from);
            }
        }
        for e in g.light_edges() {
            if g.nodes[e.from].console != Console::No
                && too_long(e.to)
                && g.light_verdict(e) == Verdict::Holds
            {
                note(e.to, e.from);
            }
        }
        for group in g.wide_groups() {
            for &r in group.roles.iter().filter(|&&r| too_long(r)) {
                let first = group.holders.iter().copied().find(|&h| {
                    g.nodes[h].console != Console::No
                        && g.implied_verdict(h, r) == Some(Verdict::Holds)
                });
                if let Some(h) = first {
                    note(r, h);
                }
            }
        }
        for (r, from) in first_from {
            let Some(role) = g.role(ctx.inventory, r) else {
                continue;
            };
            let len = console_name_len(role);
            if len <= MAX_CONSOLE_ROLE_NAME {
                continue;
            }
            let full = format!("{}{}", role.path.trim_start_matches('/'), role.name);
            let Some(at) = role.defined_at.first() else {
                continue;
            };
            out.push(
                ctx.finding(
                    ID,
                    at.clone(),
                    format!(
                        "`{full}` is {len} characters, over the console's {MAX_CONSOLE_ROLE_NAME}; `{}` cannot switch to it in the console",
                        g.nodes[from].label
                    ),
                )
                .with_help("shorten the role's path or name to 64 characters or fewer")
                .with_identity(role.arn.clone()),
            );
        }
        // A link is a console switch by definition, whether or not the role was scanned.
        for link in &ctx.inventory.switch_links {
            let full = link.role_name.trim_start_matches('/');
            let len = full.chars().count();
            if len <= MAX_CONSOLE_ROLE_NAME {
                continue;
            }
            out.push(
                ctx.finding(
                    ID,
                    link.at.clone(),
                    format!("switch-role link names `{full}`, {len} characters, over the console's {MAX_CONSOLE_ROLE_NAME}"),
                )
                .with_help("shorten the role's path or name to 64 characters or fewer")
                .with_identity(format!("link:{}:{full}", link.account)),
            );
        }
    }
}
