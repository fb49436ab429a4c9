//! IAM204: a role a console identity can switch to has a path plus name longer than the
//! 64 characters the console's switch-role form accepts (IAM-SEMANTICS §5, seed 002).

use std::collections::BTreeSet;

use super::{Context, Rule};
use crate::finding::Finding;
use crate::graph::{Console, Verdict};

pub struct ConsoleRoleNameTooLong;

const ID: &str = "IAM204";

/// The console's limit on path + name.
const MAX_CONSOLE_ROLE_NAME: usize = 64;

impl Rule for ConsoleRoleNameTooLong {
    fn id(&self) -> &'static str {
        ID
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let g = ctx.graph;
        let mut done = BTreeSet::new();
        for e in &g.edges {
            if e.verdict != Verdict::Holds
                || g.nodes[e.from].console == Console::No
                || !done.insert(e.to)
            {
                continue;
            }
            let Some(role) = g.role(ctx.inventory, e.to) else {
                continue;
            };
            // The console's roleName is the path without its leading slash, plus the name.
            let full = format!("{}{}", role.path.trim_start_matches('/'), role.name);
            let len = full.chars().count();
            if len <= MAX_CONSOLE_ROLE_NAME {
                continue;
            }
            let Some(at) = role.defined_at.first() else {
                continue;
            };
            out.push(
                ctx.finding(
                    ID,
                    at.clone(),
                    format!(
                        "`{full}` is {len} characters, over the console's {MAX_CONSOLE_ROLE_NAME}; `{}` cannot switch to it in the console",
                        g.nodes[e.from].label
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
