//! The HCL shape of the synthetic organisation (tests/support/synth_hcl.rs, issue #12):
//! the requested number of `.tf` files, every `.tf` and `.tfvars` file parses with
//! hcl-edit (the parser the bench's floor and the HCL front end use), generation is
//! deterministic, and a scan reports the planted problems and nothing else once `.tf`
//! files are read. Timing lives in `benches/scan.rs`, never here.

#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};

use synth::HclSpec;

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e == ext)
}

#[test]
fn every_generated_file_parses_and_counts_are_exact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = HclSpec::with_files(300);
    let org = synth::generate_hcl(dir.path(), &spec);
    assert_eq!(org.files_by_kind.get("hcl-iam"), Some(&300), "{org:?}");
    assert_eq!(org.files_by_kind.get("hcl-noise"), Some(&300), "{org:?}");
    assert!(org.files_by_kind.get("hcl-tfvars").copied().unwrap_or(0) > 0);
    let files = files_under(dir.path());
    assert_eq!(files.len(), org.files);
    let mut tf = 0;
    for f in &files {
        assert!(
            has_ext(f, "tf") || has_ext(f, "tfvars"),
            "unexpected file {}",
            f.display()
        );
        tf += usize::from(has_ext(f, "tf"));
        let text = std::fs::read_to_string(f).expect("read generated file");
        if let Err(e) = hcl_edit::parser::parse_body(&text) {
            panic!("{} does not parse: {e}\n{text}", f.display());
        }
    }
    assert_eq!(tf, 600);
    // Every shape is there: all three ways of writing a document, the aliased provider,
    // the local module called with for_each, and both plants.
    let all: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect();
    for needle in [
        "jsonencode({",
        "<<EOF",
        "data.aws_iam_policy_document.",
        "allowed_account_ids",
        "assume_role {",
        "source   = \"../../../modules/team-role\"",
        "for_each = local.readonly_policies",
        "aws_iam_role.audit_reader.arn",
        "aws_iam_group_membership",
        "${var.account_id}",
        "Resource = \"*\"",
        "AWS = \"*\"",
    ] {
        assert!(all.contains(needle), "no {needle:?} in the tree");
    }
    let want = org.expected_findings();
    assert!(want.get("IAM101").copied().unwrap_or(0) >= 1, "{want:?}");
    assert!(want.get("IAM102").copied().unwrap_or(0) >= 1, "{want:?}");
}

#[test]
fn hcl_generation_is_deterministic() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    let spec = HclSpec::with_files(120);
    let ga = synth::generate_hcl(a.path(), &spec);
    let gb = synth::generate_hcl(b.path(), &spec);
    assert_eq!((ga.files, ga.bytes), (gb.files, gb.bytes));
    let fa = files_under(a.path());
    let fb = files_under(b.path());
    assert_eq!(fa.len(), fb.len());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.strip_prefix(a.path()), y.strip_prefix(b.path()));
        assert_eq!(
            std::fs::read(x).ok(),
            std::fs::read(y).ok(),
            "{}",
            x.display()
        );
    }
}

/// The scan reports exactly the planted problems (every other trust has its grant and
/// every grant its trust): no fewer (a `.tf` construct not read) and no more; also when
/// every service folder defines a role (and so is evaluated, its other blocks blanked).
#[test]
fn scan_reports_exactly_the_planted_problems() {
    for spec in [HclSpec::with_files(200), HclSpec::with_service_roles(200)] {
        scan_reports_exactly_the_planted_problems_of(&spec);
    }
}

fn scan_reports_exactly_the_planted_problems_of(spec: &HclSpec) {
    let dir = tempfile::tempdir().expect("temp dir");
    let org = synth::generate_hcl(dir.path(), spec);
    assert_eq!(
        org.files_by_kind
            .get("hcl-iam-service")
            .copied()
            .unwrap_or(0)
            > 0,
        spec.service_roles
    );
    let root = dir.path().to_path_buf();
    let config = iamlint::config::Config {
        root: root.clone(),
        ..Default::default()
    };
    let results = iamlint::lint(
        std::slice::from_ref(&root),
        config,
        iamlint::rules::registry(),
    )
    .expect("scan runs");
    assert_eq!(
        synth::counts_by_rule(&results),
        org.expected_findings(),
        "findings per rule differ from the planted ones:\n{}",
        synth::listing(&results)
    );
}
