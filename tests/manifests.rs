//! The YAML files GitHub and pre-commit read: `action.yml`, `.pre-commit-hooks.yaml` and
//! every workflow under `.github/workflows/`. Each must parse (GitHub refuses an action
//! whose YAML is broken, and says so only when a user's workflow runs), and hold the
//! structure its reader needs: an action's name, description and steps, every
//! `${{ inputs.x }}` declared, every output taken from a step that exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, Yaml};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The one document of a YAML file, or a panic naming the file and the parser's error.
fn load(path: &Path) -> Yaml<'static> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text: &'static str = Box::leak(text.into_boxed_str());
    let mut docs = Yaml::load_from_str(text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{}: one YAML document", path.display());
    docs.remove(0)
}

fn str_of<'a>(node: &'a Yaml, key: &str, what: &str) -> &'a str {
    node.as_mapping_get(key)
        .and_then(Yaml::as_str)
        .unwrap_or_else(|| panic!("{what}: `{key}` must be a string"))
}

fn keys(node: &Yaml) -> Vec<String> {
    node.as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every string in a node, keys and values, depth first.
fn strings<'a>(node: &'a Yaml, out: &mut Vec<&'a str>) {
    if let Some(s) = node.as_str() {
        out.push(s);
    } else if let Some(seq) = node.as_sequence() {
        for n in seq {
            strings(n, out);
        }
    } else if let Some(map) = node.as_mapping() {
        for (k, v) in map {
            strings(k, out);
            strings(v, out);
        }
    }
}

/// The names after `prefix` inside every `${{ ... }}` expression of `text`
/// (`inputs.` gives `x` for `${{ inputs.x }}` and for `${{ inputs.x == 'y' }}`).
fn referenced(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("${{") {
        let after = &rest[open + 3..];
        let close = after.find("}}").unwrap_or(after.len());
        let expr = &after[..close];
        let mut e = expr;
        while let Some(at) = e.find(prefix) {
            let boundary = at == 0 || !e.as_bytes()[at - 1].is_ascii_alphanumeric();
            let name: String = e[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if boundary && !name.is_empty() {
                out.push(name);
            }
            e = &e[at + prefix.len()..];
        }
        rest = &after[close.min(after.len())..];
    }
    out
}

#[test]
fn action_yml_is_a_valid_composite_action() {
    let path = manifest_dir().join("action.yml");
    let action = load(&path);
    assert!(!str_of(&action, "name", "action.yml").is_empty());
    assert!(!str_of(&action, "description", "action.yml").is_empty());
    let runs = action.as_mapping_get("runs").expect("action.yml: runs");
    assert_eq!(str_of(runs, "using", "runs"), "composite");
    let steps = runs
        .as_mapping_get("steps")
        .and_then(Yaml::as_sequence)
        .expect("runs.steps is a list");
    assert!(!steps.is_empty());

    let inputs: BTreeSet<String> = action
        .as_mapping_get("inputs")
        .map(keys)
        .unwrap_or_default()
        .into_iter()
        .collect();
    for name in &inputs {
        let input = &action.as_mapping_get("inputs").unwrap()[name.as_str()];
        let desc = str_of(input, "description", &format!("input {name}"));
        assert!(!desc.is_empty(), "input {name} has a description");
        for key in keys(input) {
            assert!(
                ["description", "required", "default", "deprecationMessage"]
                    .contains(&key.as_str()),
                "input {name}: unknown key `{key}`"
            );
        }
    }

    let mut ids = BTreeSet::new();
    for (i, step) in steps.iter().enumerate() {
        let what = format!("step {i}");
        let has_run = step.contains_mapping_key("run");
        let has_uses = step.contains_mapping_key("uses");
        assert!(
            has_run != has_uses,
            "{what}: exactly one of `run` and `uses`"
        );
        if has_run {
            // Composite steps need a shell; GitHub has no default for them.
            assert!(!str_of(step, "shell", &what).is_empty());
        }
        if let Some(id) = step.as_mapping_get("id") {
            let id = id.as_str().expect("step id is a string");
            assert!(ids.insert(id.to_owned()), "{what}: duplicate id {id}");
        }
        let mut texts = Vec::new();
        strings(step, &mut texts);
        for text in texts {
            for name in referenced(text, "inputs.") {
                assert!(
                    inputs.contains(&name),
                    "{what} uses `inputs.{name}`, which action.yml does not declare"
                );
            }
            for id in referenced(text, "steps.") {
                assert!(
                    ids.contains(&id),
                    "{what} reads `steps.{id}` before (or without) a step of that id"
                );
            }
        }
    }

    let outputs = action.as_mapping_get("outputs");
    for name in outputs.map(keys).unwrap_or_default() {
        let output = &outputs.unwrap()[name.as_str()];
        let what = format!("output {name}");
        assert!(!str_of(output, "description", &what).is_empty());
        let value = str_of(output, "value", &what);
        let from = referenced(value, "steps.");
        assert!(!from.is_empty(), "{what} takes its value from a step");
        for id in from {
            assert!(
                ids.contains(&id),
                "{what} reads step `{id}`, which is absent"
            );
        }
    }
}

#[test]
fn pre_commit_hooks_are_valid() {
    let path = manifest_dir().join(".pre-commit-hooks.yaml");
    let hooks = load(&path);
    let hooks = hooks.as_sequence().expect("a list of hooks");
    assert!(!hooks.is_empty());
    let mut ids = BTreeSet::new();
    for hook in hooks {
        let id = str_of(hook, "id", "hook");
        assert!(ids.insert(id.to_owned()), "duplicate hook id {id}");
        for key in ["name", "entry", "language"] {
            assert!(!str_of(hook, key, id).is_empty(), "{id}: {key}");
        }
        if let Some(files) = hook.as_mapping_get("files") {
            assert!(files.as_str().is_some(), "{id}: files is a regex string");
        }
    }
    assert!(ids.contains("iamlint"), "the default hook id is `iamlint`");
}

#[test]
fn workflows_are_valid() {
    let dir = manifest_dir().join(".github/workflows");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yml" | "yaml")
        ) {
            continue;
        }
        let name = path.display().to_string();
        let wf = load(&path);
        // YAML 1.2: `on` is a string key here, as GitHub reads it.
        assert!(wf.contains_mapping_key("on"), "{name}: `on`");
        let jobs = wf.as_mapping_get("jobs").expect("jobs");
        let job_ids: BTreeSet<String> = keys(jobs).into_iter().collect();
        assert!(!job_ids.is_empty(), "{name}: at least one job");
        for job_id in &job_ids {
            let job = &jobs[job_id.as_str()];
            let what = format!("{name}: job {job_id}");
            assert!(
                job.contains_mapping_key("runs-on") || job.contains_mapping_key("uses"),
                "{what}: runs-on"
            );
            let needs: Vec<&str> = match job.as_mapping_get("needs") {
                Some(n) if n.as_str().is_some() => vec![n.as_str().unwrap()],
                Some(n) => n
                    .as_sequence()
                    .expect("needs is a string or a list")
                    .iter()
                    .map(|x| x.as_str().expect("a job id"))
                    .collect(),
                None => Vec::new(),
            };
            for need in needs {
                assert!(job_ids.contains(need), "{what} needs unknown job {need}");
            }
            let Some(steps) = job.as_mapping_get("steps") else {
                continue;
            };
            let mut ids = BTreeSet::new();
            for (i, step) in steps
                .as_sequence()
                .expect("steps is a list")
                .iter()
                .enumerate()
            {
                assert!(
                    step.contains_mapping_key("run") != step.contains_mapping_key("uses"),
                    "{what}: step {i} has exactly one of `run` and `uses`"
                );
                if let Some(id) = step.as_mapping_get("id").and_then(Yaml::as_str) {
                    assert!(ids.insert(id.to_owned()), "{what}: duplicate step id {id}");
                }
                let mut texts = Vec::new();
                strings(step, &mut texts);
                for text in texts {
                    for id in referenced(text, "steps.") {
                        assert!(
                            ids.contains(&id),
                            "{what}: step {i} reads unknown step {id}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn expression_references_are_found() {
    assert_eq!(
        referenced(
            "a ${{ inputs.x }} b ${{ inputs.fail-on == 'y' && steps.s.outputs.o }}",
            "inputs."
        ),
        ["x", "fail-on"]
    );
    assert_eq!(
        referenced("${{ steps.run.outputs.exit-code }}", "steps."),
        ["run"]
    );
    assert!(referenced("inputs.x without an expression", "inputs.").is_empty());
    assert!(referenced("${{ github.event.inputs.x }}", "xinputs.").is_empty());
}

#[test]
fn python_packages_follow_the_crate_version() {
    let version = env!("CARGO_PKG_VERSION");
    let hook = std::fs::read_to_string(manifest_dir().join("pyproject.toml")).unwrap();
    assert!(
        hook.contains(&format!("dependencies = [\"iamlint=={version}\"]")),
        "pyproject.toml (the pre-commit hook package) pins the crate's version"
    );
    assert!(hook.contains(&format!("version = \"{version}\"")));
    let wheel = std::fs::read_to_string(manifest_dir().join("python/pyproject.toml")).unwrap();
    assert!(wheel.contains("bindings = \"bin\""));
    assert!(wheel.contains("manifest-path = \"../Cargo.toml\""));
    assert!(wheel.contains("dynamic = [\"version\"]"));
}

#[test]
fn the_default_hook_installs_the_wheel_and_the_source_hook_remains() {
    let hooks = load(&manifest_dir().join(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_sequence().unwrap();
    let lang = |id: &str| {
        hooks
            .iter()
            .find(|h| h.as_mapping_get("id").and_then(Yaml::as_str) == Some(id))
            .and_then(|h| h.as_mapping_get("language"))
            .and_then(Yaml::as_str)
            .map(str::to_owned)
    };
    assert_eq!(lang("iamlint").as_deref(), Some("python"));
    assert_eq!(lang("iamlint-source").as_deref(), Some("rust"));
}
