//! What a file's path says about it: the names of its folders and the file, read per
//! file on the loading threads. `Path::components` parses the path anew on every call
//! (about 3,000 instructions for a path of six names); these split its bytes once.

use std::path::Path;

/// The names of a path, first to last, split at its separators; empty names (`a//b`) and
/// `.` are skipped. A name that is not UTF-8 is `""`, so that positions from the end stay
/// those of the path.
pub fn path_names(path: &Path) -> impl DoubleEndedIterator<Item = &str> {
    path.as_os_str()
        .as_encoded_bytes()
        .split(|&b| b.is_ascii() && std::path::is_separator(char::from(b)))
        .filter(|name| !name.is_empty() && *name != b".")
        .map(|name| std::str::from_utf8(name).unwrap_or(""))
}

/// Whether the name or place of a file says it holds IAM configuration, so that a file
/// that cannot be read or parsed is worth a finding (an unrelated broken JSON file is not).
pub fn looks_ours_by_name(path: &Path) -> bool {
    let mut names = path_names(path).rev();
    let name = names.next().unwrap_or_default();
    let has = |needle: &str| {
        name.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    let ends = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    if has("policy")
        || has("trust")
        || ends(".tf.json")
        || ends(".tf")
        || ends(".tfvars")
        || ends(".tfstate")
        || has("tfplan")
        || name.eq_ignore_ascii_case("credentials")
    {
        return true;
    }
    names.any(|c| {
        matches!(
            c,
            "policies" | "roles" | "users" | "groups" | "iam" | ".aws"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_components_of_the_path() {
        for p in [
            "a/b/c.json",
            "/abs/111122223333/roles/deploy/trust.json",
            "./rel//double/./x.json",
            "single.json",
            "",
            "/",
        ] {
            let path = Path::new(p);
            let want: Vec<&str> = path
                .components()
                .filter(|c| !matches!(c, std::path::Component::RootDir))
                .filter_map(|c| c.as_os_str().to_str())
                .filter(|c| *c != ".")
                .collect();
            let got: Vec<&str> = path_names(path).collect();
            assert_eq!(got, want, "{p}");
        }
    }

    #[test]
    fn files_named_or_placed_like_iam_configuration() {
        for yes in [
            "x/Trust-Policy.JSON",
            "main.TF",
            "prod.tfvars",
            "terraform.tfstate",
            "plan.tfplan.json",
            "home/.aws/credentials",
            "iam/anything.json",
            "org/roles/deploy/x.json",
        ] {
            assert!(looks_ours_by_name(Path::new(yes)), "{yes}");
        }
        for no in [
            "package.json",
            "roles.json",
            "a/tsconfig.json",
            "policyless/x.json/",
            "credentials.bak",
        ] {
            assert!(!looks_ours_by_name(Path::new(no)), "{no}");
        }
    }
}
