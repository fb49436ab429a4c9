//! The graph as text for `iamlint graph`: Graphviz dot, Mermaid, or JSON for scripts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{
    entry_points, Console, Edge, EntryPoint, Graph, IdentitySide, NodeIx, NodeKind, Place,
    TrustSide, Verdict,
};
use crate::model::inventory::Inventory;

/// The distinct providers of the entry points, in order (their node ids are indexes).
fn provider_ids(entries: &[(EntryPoint, NodeIx)]) -> Vec<&str> {
    let mut ids: Vec<&str> = entries.iter().map(|(e, _)| e.provider.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl Graph {
    /// The graph as text: Graphviz dot, Mermaid, or JSON for scripts.
    pub fn render(
        &self,
        inv: &Inventory,
        format: crate::cli::GraphFormat,
        from: Option<&str>,
        to: Option<&str>,
    ) -> String {
        let keep_pair = |p: NodeIx, r: NodeIx| {
            from.is_none_or(|f| self.nodes.get(p).is_some_and(|n| n.arn == f))
                && to.is_none_or(|t| self.nodes.get(r).is_some_and(|n| n.arn == t))
        };
        let keep_edge = |e: &Edge| keep_pair(e.from, e.to);
        // Implied edges are drawn like the listed ones; only those kept are judged.
        let implied = self.implied_edges_where(inv, keep_pair);
        let mut edges: Vec<&Edge> = self
            .edges
            .iter()
            .chain(&implied)
            .filter(|e| keep_edge(e))
            .collect();
        edges.sort_by_key(|e| (e.from, e.to));
        let mut used: BTreeSet<NodeIx> = BTreeSet::new();
        for e in &edges {
            used.insert(e.from);
            used.insert(e.to);
        }
        if from.is_none() && to.is_none() {
            used.extend(0..self.nodes.len());
        }
        // Federated providers, each with the role node it reaches.
        let role_nodes: BTreeMap<usize, NodeIx> = self
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(n, node)| match node.kind {
                NodeKind::Role(r) => Some((r, n)),
                NodeKind::User(_) => None,
            })
            .collect();
        let entries: Vec<(EntryPoint, NodeIx)> = entry_points(inv)
            .into_iter()
            .filter_map(|e| Some((role_nodes.get(&e.role).copied()?, e)))
            .filter(|(n, e)| {
                from.is_none_or(|f| e.provider == f)
                    && to.is_none_or(|t| self.nodes.get(*n).is_some_and(|node| node.arn == t))
            })
            .map(|(n, e)| (e, n))
            .collect();
        used.extend(entries.iter().map(|(_, n)| *n));
        match format {
            crate::cli::GraphFormat::Dot => self.render_dot(&edges, &used, &entries),
            crate::cli::GraphFormat::Mermaid => self.render_mermaid(&edges, &used, &entries),
            crate::cli::GraphFormat::Json => self.render_json(inv, &edges, &used, &entries),
        }
    }

    fn render_dot(
        &self,
        edges: &[&Edge],
        used: &BTreeSet<NodeIx>,
        entries: &[(EntryPoint, NodeIx)],
    ) -> String {
        let mut out = String::from(
            "digraph iam {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
        );
        for &n in used {
            let node = &self.nodes[n];
            let style = match node.console {
                Console::Yes => ", style=filled, fillcolor=\"#dbeafe\"",
                Console::Maybe => ", style=dashed",
                Console::No => "",
            };
            let shape = match node.kind {
                NodeKind::User(_) => ", shape=ellipse",
                NodeKind::Role(_) => "",
            };
            let _ = writeln!(out, "  n{n} [label={:?}{shape}{style}];", node.arn);
        }
        for e in edges {
            let (style, label) = edge_style(e);
            let _ = writeln!(out, "  n{} -> n{} [label={label:?}{style}];", e.from, e.to);
        }
        let providers = provider_ids(entries);
        for (p, name) in providers.iter().enumerate() {
            let _ = writeln!(out, "  p{p} [label={name:?}, shape=hexagon];");
        }
        for (e, n) in entries {
            let p = providers.iter().position(|x| *x == e.provider).unwrap_or(0);
            let style = if e.uncertain { "dotted" } else { "dashed" };
            let _ = writeln!(
                out,
                "  p{p} -> n{n} [label={:?}, style={style}];",
                e.label()
            );
        }
        out.push_str("}\n");
        out
    }

    fn render_mermaid(
        &self,
        edges: &[&Edge],
        used: &BTreeSet<NodeIx>,
        entries: &[(EntryPoint, NodeIx)],
    ) -> String {
        let mut out = String::from("flowchart LR\n");
        for &n in used {
            let node = &self.nodes[n];
            let text = node.arn.replace('"', "'");
            let _ = match node.kind {
                NodeKind::User(_) => writeln!(out, "  n{n}([\"{text}\"])"),
                NodeKind::Role(_) => writeln!(out, "  n{n}[\"{text}\"]"),
            };
            if node.console == Console::Yes {
                let _ = writeln!(out, "  class n{n} console");
            }
        }
        for e in edges {
            let (_, label) = edge_style(e);
            let arrow = if e.verdict == Verdict::Holds {
                "-->"
            } else {
                "-.->"
            };
            let _ = writeln!(out, "  n{} {arrow}|{label}| n{}", e.from, e.to);
        }
        let providers = provider_ids(entries);
        for (p, name) in providers.iter().enumerate() {
            let _ = writeln!(out, "  p{p}{{{{\"{}\"}}}}", name.replace('"', "'"));
        }
        for (e, n) in entries {
            let p = providers.iter().position(|x| *x == e.provider).unwrap_or(0);
            let label = e.label().replace(['"', '|'], "'");
            let _ = writeln!(out, "  p{p} -.->|\"{label}\"| n{n}");
        }
        out.push_str("  classDef console fill:#dbeafe\n");
        out
    }

    fn render_json(
        &self,
        inv: &Inventory,
        edges: &[&Edge],
        used: &BTreeSet<NodeIx>,
        entries: &[(EntryPoint, NodeIx)],
    ) -> String {
        use serde_json::json;
        let place = |at: &Place| {
            let loc = &at.location();
            json!({
                "path": inv.file_path(loc.file).map(crate::report::display_path),
                "pointer": crate::report::pointer_of(loc),
            })
        };
        let nodes: Vec<_> = used
            .iter()
            .map(|&n| {
                let node = &self.nodes[n];
                json!({
                    "id": n,
                    "arn": node.arn,
                    "kind": match node.kind { NodeKind::User(_) => "user", NodeKind::Role(_) => "role" },
                    "account": node.account,
                    "console": format!("{:?}", node.console).to_lowercase(),
                    // Every principal of the role's account has an implied uncertain edge
                    // to it (not listed in `edges`).
                    "open_to_account": self.is_open(n),
                })
            })
            .collect();
        let edges: Vec<_> = edges
            .iter()
            .map(|e| {
                let identity = match &e.identity {
                    IdentitySide::Allowed { at, conditional, .. } => json!({"state": "allowed", "conditional": conditional, "at": at.iter().map(place).collect::<Vec<_>>()}),
                    IdentitySide::Denied { at } => json!({"state": "denied", "at": [place(at)]}),
                    IdentitySide::MaybeDenied { at } => json!({"state": "maybe-denied", "at": [place(at)]}),
                    IdentitySide::NotAllowed => json!({"state": "not-allowed"}),
                    IdentitySide::Unknown => json!({"state": "unknown"}),
                };
                let trust = match &e.trust {
                    TrustSide::NamesPrincipal { at } => json!({"state": "names-principal", "at": [place(at)]}),
                    TrustSide::NamesAccount { at } => json!({"state": "names-account", "at": [place(at)]}),
                    TrustSide::Denied { at } => json!({"state": "denied", "at": [place(at)]}),
                    TrustSide::NotTrusted => json!({"state": "not-trusted"}),
                    TrustSide::Unknown => json!({"state": "unknown"}),
                };
                json!({
                    "from": self.nodes[e.from].arn,
                    "to": self.nodes[e.to].arn,
                    "verdict": verdict_name(e.verdict),
                    "identity": identity,
                    "trust": trust,
                    "requires": {
                        "external_id": e.requires.external_id.is_some(),
                        "mfa": e.requires.mfa,
                        "role_session_name": e.requires.role_session_name,
                        "source_identity": e.requires.source_identity,
                    },
                })
            })
            .collect();
        let entry_points: Vec<_> = entries
            .iter()
            .map(|(e, n)| {
                json!({
                    "provider": e.provider,
                    "to": self.nodes[*n].arn,
                    "action": e.action,
                    "subjects": e.subjects,
                    "conditions_known": e.conditions_known,
                    "uncertain": e.uncertain,
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(
            &json!({"nodes": nodes, "edges": edges, "entry_points": entry_points}),
        )
        .unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A verdict's name in outputs.
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "holds",
        Verdict::MissingPermission => "missing-permission",
        Verdict::MissingTrust => "missing-trust",
        Verdict::Denied => "denied",
        Verdict::Uncertain => "uncertain",
    }
}

fn edge_style(e: &Edge) -> (&'static str, String) {
    let mut label = verdict_name(e.verdict).to_owned();
    if e.requires.external_id.is_some() {
        label.push_str(", external-id");
    }
    if e.requires.mfa {
        label.push_str(", mfa");
    }
    let style = if e.verdict == Verdict::Holds {
        ""
    } else {
        ", style=dashed"
    };
    (style, label)
}
