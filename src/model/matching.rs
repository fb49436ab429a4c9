//! IAM wildcard matching: `*` matches any run of characters (including `/` and `:`), `?`
//! matches exactly one. Actions compare ASCII case-insensitively, ARNs case-sensitively
//! (IAM-SEMANTICS §2). This module knows nothing about policies; it only matches strings.

/// Whether `pattern` (with IAM wildcards) matches `text`, comparing case-sensitively.
pub fn matches_wildcard(pattern: &str, text: &str) -> bool {
    glob(pattern.as_bytes(), text.as_bytes(), |a, b| a == b)
}

/// Whether an action pattern (`sts:Assume*`, `*`) matches an action name. Actions are
/// case-insensitive in IAM.
pub fn matches_action(pattern: &str, action: &str) -> bool {
    glob(pattern.as_bytes(), action.as_bytes(), |a, b| {
        a.eq_ignore_ascii_case(&b)
    })
}

/// Whether a resource pattern matches a concrete ARN. ARNs are case-sensitive.
pub fn matches_resource(pattern: &str, arn: &str) -> bool {
    matches_wildcard(pattern, arn)
}

/// Whether the text holds an IAM wildcard character.
pub fn has_wildcard(text: &str) -> bool {
    text.bytes().any(|b| b == b'*' || b == b'?')
}

/// Iterative glob with single-star backtracking: linear in practice, never recursive, so
/// hostile patterns cannot blow the stack.
fn glob(pattern: &[u8], text: &[u8], eq: impl Fn(u8, u8) -> bool) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || text.get(t).is_some_and(|&x| eq(c, x)) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn actions_are_case_insensitive() {
        assert!(matches_action("sts:AssumeRole", "STS:assumerole"));
        assert!(matches_action("sts:Assume*", "sts:AssumeRole"));
        assert!(matches_action("sts:*", "sts:AssumeRole"));
        assert!(matches_action("*", "sts:AssumeRole"));
        assert!(matches_action("sts:AssumeRol?", "sts:AssumeRole"));
        assert!(!matches_action("sts:AssumeRoleWith*", "sts:AssumeRole"));
        assert!(!matches_action("s3:*", "sts:AssumeRole"));
    }

    #[test]
    fn resources_are_case_sensitive_and_star_crosses_separators() {
        let arn = "arn:aws:iam::123456789012:role/division/sub/Admin";
        assert!(matches_resource("arn:aws:iam::*:role/*", arn));
        assert!(matches_resource(
            "arn:aws:iam::123456789012:role/*Admin",
            arn
        ));
        assert!(!matches_resource(
            "arn:aws:iam::123456789012:role/*admin",
            arn
        ));
        assert!(!matches_resource(
            "arn:aws:iam::123456789012:role/Admin",
            arn
        ));
        assert!(matches_resource("*", arn));
        assert!(!matches_resource("", arn));
        assert!(matches_resource("", ""));
    }

    #[test]
    fn many_stars_stay_fast() {
        let pattern = "*a".repeat(200);
        let text = "a".repeat(5_000) + "b";
        assert!(!matches_wildcard(&pattern, &text));
    }

    proptest! {
        #[test]
        fn star_matches_everything(s in ".*") {
            prop_assert!(matches_wildcard("*", &s));
        }

        #[test]
        fn literal_matches_only_itself(a in "[a-zA-Z0-9:/_-]{0,20}", b in "[a-zA-Z0-9:/_-]{0,20}") {
            prop_assert_eq!(matches_wildcard(&a, &b), a == b);
        }

        #[test]
        fn actions_ignore_case(a in "[a-z]{1,8}:[A-Za-z]{1,12}") {
            prop_assert!(matches_action(&a.to_uppercase(), &a));
            prop_assert!(matches_action(&a, &a.to_lowercase()));
        }

        #[test]
        fn prefix_star_matches_extensions(a in "[a-z:/]{0,10}", b in "[a-z:/]{0,10}") {
            let pattern = format!("{a}*");
            let text = format!("{a}{b}");
            prop_assert!(matches_wildcard(&pattern, &text));
        }
    }
}
