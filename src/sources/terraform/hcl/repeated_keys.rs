//! Object literals with a repeated key (`{ Service = "a", …, Service = "a" }`).
//!
//! Terraform accepts them and keeps the last value (hashicorp/terraform#28727 keeps it so
//! for compatibility), but hcl-edit's parser stops at the second key ("expected unique
//! object key; found redefined object key"), and the whole file would be lost. So the
//! repeated key is spelt again in a form hcl-edit takes for a different key while HCL
//! evaluates it to the same name — `"Service"`, then `("Service")`, `(("Service"))` —
//! taking the bytes it needs from the blanks around its `=`. Every other byte keeps its
//! offset, so places stay exact; the evaluator keeps the last value of each name
//! (`eval::last_of_each_key`), as Terraform does.

/// How many times one file may be respelt before its parse error is reported as is.
pub const MAX_RESPELLINGS: usize = 16;

/// `text` with the key that starts at `at` spelt in its next other form (a name quoted,
/// a quoted name put in one more pair of parentheses), or None when the key is none of
/// these, or the blanks around its `=` are too few to make room.
pub fn respell(text: &str, at: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let rest = bytes.get(at..)?;
    let parens = rest.iter().take_while(|&&b| b == b'(').count();
    let inner = rest.get(parens..)?;
    let (name, name_len) = match inner.first()? {
        b'"' => {
            let end = inner
                .iter()
                .skip(1)
                .position(|&b| matches!(b, b'"' | b'\\' | b'$' | b'%' | b'\n'))?
                + 1;
            if inner.get(end) != Some(&b'"') {
                return None;
            }
            (text.get(at + parens + 1..at + parens + end)?, end + 1)
        }
        b if parens == 0 && (b.is_ascii_alphabetic() || *b == b'_') => {
            let end = inner
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')))
                .unwrap_or(inner.len());
            (text.get(at..at + end)?, 0)
        }
        _ => return None,
    };
    let (key_len, spelt) = if name_len == 0 {
        (name.len(), format!("\"{name}\""))
    } else {
        let closing = inner
            .get(name_len..)?
            .iter()
            .take_while(|&&b| b == b')')
            .count();
        if closing != parens {
            return None;
        }
        (
            2 * parens + name_len,
            format!(
                "{}\"{name}\"{}",
                "(".repeat(parens + 1),
                ")".repeat(parens + 1)
            ),
        )
    };
    let extra = spelt.len().checked_sub(key_len)?;
    // The blanks before and after `=` (or `:`), on the key's line.
    let after_key = at + key_len;
    let blank = |b: &u8| matches!(b, b' ' | b'\t');
    let before = bytes
        .get(after_key..)?
        .iter()
        .take_while(|b| blank(b))
        .count();
    let sep = after_key + before;
    if !matches!(bytes.get(sep), Some(b'=' | b':')) || bytes.get(sep + 1) == Some(&b'=') {
        return None;
    }
    let after = bytes
        .get(sep + 1..)?
        .iter()
        .take_while(|b| blank(b))
        .count();
    if before + after < extra {
        return None;
    }
    let from_before = extra.min(before);
    let from_after = extra - from_before;
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..at)?);
    out.push_str(&spelt);
    out.push_str(text.get(after_key + from_before..sep + 1)?);
    out.push_str(text.get(sep + 1 + from_after..)?);
    debug_assert_eq!(out.len(), text.len());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::respell;

    #[test]
    fn a_name_is_quoted_then_parenthesised_in_the_blanks_around_its_equals() {
        let text = "x = {\n  a    = 1\n  a    = 2\n}\n";
        let at = text.rfind("a ").unwrap();
        let once = respell(text, at).unwrap();
        assert_eq!(once, "x = {\n  a    = 1\n  \"a\"  = 2\n}\n");
        let twice = respell(&once, at).unwrap();
        assert_eq!(twice, "x = {\n  a    = 1\n  (\"a\")= 2\n}\n");
        assert_eq!(respell(&twice, at), None, "one blank left, two needed");
    }

    #[test]
    fn a_quoted_key_goes_into_parentheses_and_takes_blanks_after_the_equals() {
        let text = "x = { \"a\" = 1, \"a\" = 2 }";
        let at = text.rfind("\"a\"").unwrap();
        assert_eq!(respell(text, at).unwrap(), "x = { \"a\" = 1, (\"a\")=2 }");
    }

    #[test]
    fn other_keys_and_tight_spacing_are_left_alone() {
        assert_eq!(respell("x = { a=1, a=2 }", 11), None);
        assert_eq!(respell("x = { (k) = 1 }", 6), None);
        assert_eq!(respell("x = { \"a${b}\" = 1 }", 6), None);
        assert_eq!(respell("x = { a == 1 }", 6), None);
        assert_eq!(respell("x", 5), None);
    }

    #[test]
    fn every_respelling_parses_as_hcl_edit_reads_it() {
        let text = "locals {\n  tags = {\n    Service    = \"a\"\n    Team       = \"t\"\n    Service    = \"b\"\n    Service    = \"c\"\n  }\n}\n";
        let mut text = text.to_owned();
        for _ in 0..super::MAX_RESPELLINGS {
            match hcl_edit::parser::parse_body(&text) {
                Ok(_) => return,
                Err(e) => {
                    text = respell(&text, e.location().offset()).expect("respelt");
                }
            }
        }
        panic!("did not parse: {text}");
    }
}
