//! The synthetic organisation (tests/support/synth.rs) through the library: a small tree
//! yields exactly the planted findings per rule and nothing else, generation is
//! deterministic, and a 10,000-role organisation builds the graph it should. Timing lives
//! in `benches/scan.rs`, never here.

#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};

use iamlint::config::Config;
use iamlint::graph::Graph;
use iamlint::rules::registry;
use synth::{Format, OrgSpec, Shape};

/// The formats whose loaders are present (all of them since the Terraform, CloudFormation
/// and dump loaders were merged). Accounts in formats left out of this list are still
/// written, so their sniffing and parsing is exercised, but nothing is expected of them.
const LOADED: &[Format] = &Format::ALL;

fn config_for(root: &Path) -> Config {
    Config {
        root: root.to_path_buf(),
        ..Config::default()
    }
}

/// Requires a scan of the tree at `root` to report exactly `org`'s plants (in the formats
/// iamlint loads), and gives them.
fn assert_reports_the_plants(
    root: &Path,
    org: &synth::Generated,
    what: &str,
) -> std::collections::BTreeMap<String, usize> {
    let root = root.to_path_buf();
    let results = iamlint::lint(std::slice::from_ref(&root), config_for(&root), registry())
        .expect("scan runs");
    let got = synth::counts_by_rule(&results);
    let want = org.expected_findings(LOADED);
    let listing = synth::listing(&results);
    assert_eq!(got, want, "{what}: findings per rule differ:\n{listing}");
    want
}

#[test]
fn small_organisation_reports_exactly_the_planted_problems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = OrgSpec::small();
    let org = synth::generate(dir.path(), &spec);
    let want = assert_reports_the_plants(dir.path(), &org, "small");
    // Every plant counts: the small spec plants each kind at least twice in loaded formats.
    for rule in ["IAM101", "IAM102", "IAM201"] {
        assert!(
            want.get(rule).copied().unwrap_or(0) >= 1,
            "{rule} not planted"
        );
    }
}

/// Every organisation shape the benchmark measures (issue #16) is consistent: a scan
/// reports its plants and nothing else.
#[test]
fn every_shape_reports_exactly_the_planted_problems() {
    for shape in Shape::ALL {
        let dir = tempfile::tempdir().expect("temp dir");
        let org = synth::generate(dir.path(), &OrgSpec::small_shaped(shape));
        assert_reports_the_plants(dir.path(), &org, &format!("{shape:?}"));
        let root = dir.path().to_path_buf();
        let scan =
            iamlint::scan(std::slice::from_ref(&root), config_for(&root), &[]).expect("scan runs");
        assert_implied_edges_judged_alike(&scan);
        if shape == Shape::Hub {
            // Most of the hub's humans hold one pattern across accounts: implied edges.
            let implied = scan.graph.edge_count() - scan.graph.edges.len();
            assert!(
                implied > scan.graph.edges.len() / 4,
                "{implied} implied edges"
            );
        }
    }
    // The hub plants its own kind.
    let dir = tempfile::tempdir().expect("temp dir");
    let org = synth::generate(dir.path(), &OrgSpec::small_shaped(Shape::Hub));
    assert!(
        org.expected_findings(LOADED)
            .get("IAM104")
            .copied()
            .unwrap_or(0)
            >= 2
    );
}

/// A stable digest of every file under `root` (paths and bytes).
fn tree_digest(root: &Path) -> String {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut parts = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(root).unwrap_or(f).display().to_string();
        let bytes = std::fs::read(f).unwrap_or_default();
        parts.push(format!(
            "{rel}:{}",
            iamlint::report::stable_hash(&[&String::from_utf8_lossy(&bytes)])
        ));
    }
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    iamlint::report::stable_hash(&refs)
}

#[test]
fn generation_is_deterministic() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    let spec = OrgSpec::small();
    let ga = synth::generate(a.path(), &spec);
    let gb = synth::generate(b.path(), &spec);
    assert_eq!(ga.files, gb.files);
    assert_eq!(ga.bytes, gb.bytes);
    assert_eq!(tree_digest(a.path()), tree_digest(b.path()));
    // Every kind of file is there.
    for kind in [
        "raw",
        "dump",
        "terraform",
        "cloudformation",
        "profiles",
        "noise",
    ] {
        assert!(
            ga.files_by_kind.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} files"
        );
    }
    // Templates in both syntaxes, and YAML that is no template.
    let names: Vec<String> = walkdir::WalkDir::new(a.path())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for name in ["iam.template.json", "iam.template.yaml", "k8s.yaml"] {
        assert!(names.iter().any(|n| n == name), "no {name}");
    }
}

#[test]
fn sized_monorepo_has_the_requested_number_of_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let org = synth::generate(dir.path(), &OrgSpec::with_files(1000));
    assert_eq!(org.files, 1000, "{:?}", org.files_by_kind);
    let candidates =
        iamlint::discover::discover(&[dir.path().to_path_buf()], &config_for(dir.path()));
    assert_eq!(candidates.len(), 1000);
}

#[test]
fn graph_of_ten_thousand_roles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = OrgSpec::with_roles(10_000);
    let org = synth::generate(dir.path(), &spec);
    let all_roles = org.roles(&Format::ALL);
    assert!(all_roles >= 10_000, "{all_roles} roles generated");
    let root = dir.path().to_path_buf();
    let scan =
        iamlint::scan(std::slice::from_ref(&root), config_for(&root), &[]).expect("scan runs");
    assert_eq!(scan.inventory.roles.len(), org.roles(LOADED), "roles");
    assert_eq!(scan.inventory.users.len(), org.users(LOADED), "users");
    let graph = Graph::build(&scan.inventory, &scan.config);
    assert_eq!(graph.nodes.len(), org.nodes(LOADED), "nodes");
    assert_eq!(graph.edge_count(), org.edges(LOADED), "edges");
    // The graph `scan` built is the same.
    assert_eq!(scan.graph.edges.len(), graph.edges.len());
    assert_eq!(scan.graph.edge_count(), graph.edge_count());
    assert_implied_edges_judged_alike(&scan);
}

/// Every implied edge (light, or of a wide grant) has the verdict kept for it when judged
/// in full, as a listed edge is, and the identity side its holder's side says (`Allowed`,
/// or `Denied` for a holder denied every role); a light edge, or a group, says whether the
/// grant is under a condition, and whether it names its role exactly, as the full judgment
/// does.
fn assert_implied_edges_judged_alike(scan: &iamlint::Scan) {
    use iamlint::graph::{HolderSide, IdentitySide};
    let g = &scan.graph;
    for e in g.implied_edges(&scan.inventory) {
        let what = format!("{} -> {}", g.nodes[e.from].arn, g.nodes[e.to].arn);
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict), "{what}");
        assert_eq!(g.verdict_between(e.from, e.to), Some(e.verdict), "{what}");
        let (side, literal) = match e.identity {
            IdentitySide::Allowed {
                conditional,
                literal,
                ..
            } => (
                if conditional {
                    HolderSide::AllowedIf
                } else {
                    HolderSide::Allowed
                },
                Some(literal),
            ),
            IdentitySide::Denied { .. } => (HolderSide::Denied, None),
            _ => panic!("{what}: {:?}", e.identity),
        };
        let light = g
            .light_edges()
            .binary_search_by_key(&(e.from, e.to), |l| (l.from, l.to));
        if let Ok(i) = light {
            let light = &g.light_edges()[i];
            assert_eq!(light.side, side, "{what}");
            if let Some(literal) = literal {
                assert_eq!(light.literal, literal, "{what}");
            }
        } else {
            // A light edge stands for a group's pair (a grant with a condition of a
            // holder whose unconditional grant is the group's).
            for group in g.wide_groups() {
                if group.holders.binary_search(&e.from).is_ok()
                    && group.roles.binary_search(&e.to).is_ok()
                {
                    assert_eq!(group.side, side, "{what}");
                }
            }
        }
        // A pair of a long list of ARNs names its role exactly.
        let in_list = g.wide_groups().iter().any(|group| {
            group.literal
                && group.holders.binary_search(&e.from).is_ok()
                && group.roles.binary_search(&e.to).is_ok()
        });
        assert!(literal.unwrap_or(true) || !in_list, "{what}");
    }
}

/// The trees named in `IAMLINT_JUDGE_TREES` (separated by `:`; public corpora, held-out
/// organisations): every implied edge is judged as a listed one would be. Run by hand
/// (`IAMLINT_JUDGE_TREES=… cargo test --release --test synth_org -- --ignored`) when the
/// graph's grouping changes: the generated shapes cannot hold every real layout.
#[test]
#[ignore = "needs trees outside the repository"]
fn implied_edges_are_judged_alike_on_the_trees_given() {
    let trees = std::env::var("IAMLINT_JUDGE_TREES").unwrap_or_default();
    for tree in trees.split(':').filter(|t| !t.is_empty()) {
        let root = PathBuf::from(tree);
        let scan =
            iamlint::scan(std::slice::from_ref(&root), config_for(&root), &[]).expect("scan runs");
        assert_implied_edges_judged_alike(&scan);
    }
}
