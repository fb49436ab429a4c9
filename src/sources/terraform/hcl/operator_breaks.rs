//! A line break right after a conditional's `?` or `:` (or after `&&`, `||`) inside
//! brackets, which Terraform takes (inside `(…)`, `[…]` and `{…}` line breaks are blanks)
//! and hcl-edit refuses ("invalid expression" at the line break): the cloudposse label
//! module's `{ for k in … : k => x == "none" ? a :\n  x == "title" ? b : … }`. The break
//! becomes a space, so every byte keeps its offset and hcl-edit reads the expression on.
//! Outside brackets Terraform refuses the break too; iamlint then reads what Terraform
//! would not, and misses that syntax error, not more.

/// The operators after which a break is joined.
const OPERATORS: [&[u8]; 4] = [b"?", b":", b"&&", b"||"];

/// `text` with the line break at or after `at` (past blanks) made a space, when an
/// operator ends the line before it; None otherwise.
pub fn join(text: &str, at: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let blanks = bytes
        .get(at..)?
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t' || b == b'\r')
        .count();
    let brk = at + blanks;
    if bytes.get(brk) != Some(&b'\n') {
        return None;
    }
    let line = bytes.get(..brk)?;
    let line = line
        .iter()
        .rposition(|&b| !matches!(b, b' ' | b'\t' | b'\r'))
        .and_then(|end| line.get(..=end))?;
    if !OPERATORS.iter().any(|op| line.ends_with(op)) || line.ends_with(b"::") {
        return None;
    }
    let mut joined = bytes.to_vec();
    for b in joined.get_mut(at..=brk)? {
        *b = b' ';
    }
    String::from_utf8(joined).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_break_after_a_conditional_operator_is_joined() {
        let text = "a = { for k in l : k => k == \"a\" ? \"x\" :\n    \"y\" }\n";
        let at = text.find(":\n").unwrap() + 1;
        let joined = join(text, at).unwrap();
        assert_eq!(joined.len(), text.len());
        assert_eq!(&joined[..at], &text[..at]);
        assert!(joined[at..].starts_with("     \"y\""));
    }

    #[test]
    fn other_breaks_are_left() {
        let text = "a = b\nc = d\n";
        assert_eq!(join(text, 5), None);
        assert_eq!(join(text, 1), None);
        assert_eq!(join("a = x ::\n y", 8), None);
    }
}
