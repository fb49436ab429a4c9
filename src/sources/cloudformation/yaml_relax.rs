//! Templates that break only YAML 1.2's indentation rule for the lines that continue a
//! quoted scalar or a flow collection, read as CloudFormation, cfn-lint and SAM read
//! them (PyYAML does not enforce the rule):
//!
//! ```yaml
//!       PolicyDocument: !Sub '{
//!           "Statement": [ ... ]
//!       }'
//! ```
//!
//! saphyr stops at the closing `}'`, indented no further than its key. Each line that
//! breaks the rule is joined to the line before it (its line break becomes a space), so
//! every byte keeps its offset and findings point at the file as written. Inside a quoted
//! scalar a line break folds to a space anyway: the value only gains the blanks that
//! started the joined line, which no JSON document in it minds. A flow collection's line
//! is joined only when the line before it holds no `#` (a comment would swallow it).

use super::yaml::{read, YamlError, YamlTemplate};

/// Re-reads at most this many times: each round joins the lines of one quoted scalar, or
/// one line of a flow collection, and re-reads the whole file.
const MAX_ROUNDS: usize = 32;

/// Reads `text`, whose strict read failed with `first` (an error YAML 1.2 has and PyYAML
/// does not), joining lines as the module says. On any other failure the first error is
/// the answer: the joins must not produce errors of their own.
pub(super) fn read_relaxed(text: &str, first: YamlError) -> Result<YamlTemplate, YamlError> {
    if !first.strict_only {
        return Err(first);
    }
    let mut joined = text.as_bytes().to_vec();
    let mut err_at = first.at;
    let mut in_quotes = first.message.ends_with("in quoted scalar");
    for _ in 0..MAX_ROUNDS {
        let changed = if in_quotes {
            join_quoted_scalar(&mut joined, err_at)
        } else {
            join_line_at(&mut joined, err_at)
        };
        if !changed {
            break;
        }
        // Only ASCII line breaks became spaces: still UTF-8.
        let Ok(relaxed) = std::str::from_utf8(&joined) else {
            break;
        };
        match read(relaxed) {
            Ok(template) => return Ok(template),
            Err(e) if e.strict_only => {
                err_at = e.at;
                in_quotes = e.message.ends_with("in quoted scalar");
            }
            Err(_) => break,
        }
    }
    Err(first)
}

/// The start of the line holding byte `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(..at)
        .and_then(|b| memchr::memrchr(b'\n', b))
        .map_or(0, |i| i + 1)
}

/// Spaces at the start of the line that begins at `start`.
fn indent_at(bytes: &[u8], start: usize) -> usize {
    bytes
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b' ')
        .count()
}

/// Replaces the line break that ends before `next_line` (`\n` or `\r\n`) with spaces.
fn join_before(bytes: &mut [u8], next_line: usize) {
    for i in [next_line.wrapping_sub(1), next_line.wrapping_sub(2)] {
        match bytes.get_mut(i) {
            Some(b @ b'\n') => *b = b' ',
            Some(b @ b'\r') if i + 2 == next_line => *b = b' ',
            _ => {}
        }
    }
}

/// Joins every line of the quoted scalar that starts at `at` (its opening quote) that is
/// indented no further than the mapping key it is the value of. False when `at` is not a
/// quote or nothing needed joining.
fn join_quoted_scalar(bytes: &mut [u8], at: usize) -> bool {
    let Some(&quote) = bytes.get(at).filter(|&&q| q == b'\'' || q == b'"') else {
        return false;
    };
    // The key's indentation: the line's, past the `- ` of a sequence entry.
    let start = line_start(bytes, at);
    let mut key = start + indent_at(bytes, start);
    while bytes.get(key) == Some(&b'-') && bytes.get(key + 1) == Some(&b' ') {
        key += 1;
        key += indent_at(bytes, key);
    }
    let key_indent = key - start;
    let mut breaks = Vec::new();
    let mut i = at + 1;
    loop {
        match bytes.get(i) {
            None => return false,
            Some(b'\'') if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            Some(b'\\') if quote == b'"' => i += 1,
            Some(&q) if q == quote => break,
            Some(b'\n') => {
                let next = i + 1;
                let indent = indent_at(bytes, next);
                let blank = matches!(bytes.get(next + indent), Some(b'\n' | b'\r') | None);
                if !blank && indent <= key_indent {
                    breaks.push(next);
                }
            }
            Some(_) => {}
        }
        i += 1;
    }
    for &next in &breaks {
        join_before(bytes, next);
    }
    !breaks.is_empty()
}

/// Joins the line whose first token is at `at` (a line of a flow collection) to the line
/// before it. False when `at` is not the line's first token, there is no line before, or
/// that line holds a `#`.
fn join_line_at(bytes: &mut [u8], at: usize) -> bool {
    let start = line_start(bytes, at);
    if start == 0 || start + indent_at(bytes, start) != at {
        return false;
    }
    let before = line_start(bytes, start - 1);
    if bytes.get(before..start).is_none_or(|l| l.contains(&b'#')) {
        return false;
    }
    join_before(bytes, start);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relaxed(text: &str) -> Result<YamlTemplate, YamlError> {
        match read(text) {
            Ok(t) => Ok(t),
            Err(e) => read_relaxed(text, e),
        }
    }

    #[test]
    fn a_quoted_scalar_closed_at_its_keys_indent_is_read() {
        let text = "Resources:\n  P:\n    Properties:\n      PolicyDocument: !Sub '{\n          \"Version\": \"2012-10-17\"\n      }'\n      Other: x\n";
        assert!(read(text).is_err_and(|e| e.strict_only));
        let t = relaxed(text).expect("read");
        let doc = &t.value["Resources"]["P"]["Properties"]["PolicyDocument"]["Fn::Sub"];
        let json: serde_json::Value =
            serde_json::from_str(doc.as_str().expect("text")).expect("JSON");
        assert_eq!(json["Version"], "2012-10-17");
        assert_eq!(t.value["Resources"]["P"]["Properties"]["Other"], "x");
    }

    #[test]
    fn a_quoted_scalar_in_a_sequence_entry_and_with_crlf() {
        let text = "Resources:\r\n  R:\r\n    Properties:\r\n      Policies:\r\n        - PolicyName: a\r\n          PolicyDocument: '{\r\n              \"It''s\": 1\r\n          }'\r\n";
        let t = relaxed(text).expect("read");
        let doc = &t.value["Resources"]["R"]["Properties"]["Policies"][0]["PolicyDocument"];
        let json: serde_json::Value =
            serde_json::from_str(doc.as_str().expect("text")).expect("JSON");
        assert_eq!(json["It's"], 1);
    }

    #[test]
    fn flow_collections_closed_at_their_keys_indent_are_read() {
        let text = "Resources:\n  R:\n    Properties:\n      Action: [\n        \"a:B\",\n      ]\n      Statements: [{\n        \"Effect\": \"Allow\"\n      }]\n";
        assert!(read(text).is_err_and(|e| e.strict_only));
        let t = relaxed(text).expect("read");
        let props = &t.value["Resources"]["R"]["Properties"];
        assert_eq!(props["Action"][0], "a:B");
        assert_eq!(props["Statements"][0]["Effect"], "Allow");
    }

    #[test]
    fn offsets_are_those_of_the_file() {
        let text =
            "Resources:\n  R:\n    Properties:\n      Action: [\n        \"a:B\",\n      ]\n";
        let t = relaxed(text).expect("read");
        let at = text.find("\"a:B\"").expect("there");
        let path = crate::model::path::JsonPath::root()
            .key("Resources")
            .key("R")
            .key("Properties")
            .key("Action")
            .index(0);
        assert_eq!(t.spans.find(path.segments(), false), (at, at + 5));
    }

    #[test]
    fn a_comment_on_the_line_before_is_not_joined() {
        let text = "Resources:\n  R:\n    Properties:\n      Action: [\n        \"a:B\", # the one action\n      ]\n";
        let Err(e) = relaxed(text) else {
            panic!("read")
        };
        assert!(e.strict_only);
    }

    #[test]
    fn other_errors_are_not_relaxed() {
        let text = "Resources:\n  R: [\n";
        let Err(e) = relaxed(text) else {
            panic!("read")
        };
        assert!(!e.strict_only);
    }
}
