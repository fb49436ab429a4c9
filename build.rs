//! Embeds every rules/*.md document in the binary as one sorted table, with its front
//! matter parsed, so `iamlint explain`, SARIF help and the rule registry share one source.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let dir = Path::new("rules");
    let mut docs = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path).expect("rules/*.md is readable UTF-8");
            docs.push((path, text));
        }
    }
    docs.sort();
    let mut out = String::from("pub static RULE_DOCS: &[RuleDoc] = &[\n");
    for (path, text) in &docs {
        let (front, body) = split_front_matter(text)
            .unwrap_or_else(|| panic!("{} has no `---` front matter", path.display()));
        let field = |name: &str| -> String {
            front
                .lines()
                .find_map(|l| {
                    l.strip_prefix(&format!("{name}:"))
                        .map(|v| v.trim().to_owned())
                })
                .unwrap_or_else(|| panic!("{} front matter lacks `{name}`", path.display()))
        };
        let file_stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let id = field("id");
        assert_eq!(
            id,
            file_stem,
            "{}: id must match the file name",
            path.display()
        );
        writeln!(
            out,
            "    RuleDoc {{ id: {:?}, name: {:?}, severity: {:?}, summary: {:?}, body: {:?} }},",
            id,
            field("name"),
            field("severity"),
            field("summary"),
            body.trim()
        )
        .expect("writing to a String cannot fail");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("rule_docs.rs"), out).expect("OUT_DIR is writable");
}

fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---")?;
    let end = rest.find("\n---")?;
    let front = &rest[..end];
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    Some((front, body))
}
