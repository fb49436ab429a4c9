//! What iamlint can tell of a `.tf` or `.tfvars` file without parsing it.
//!
//! Most Terraform in a repository has nothing to do with IAM (buckets, networks,
//! instances), and parsing it with hcl-edit costs as much as everything else iamlint does
//! with the IAM in it. So a file is parsed only when its folder is evaluated: its text
//! may matter to IAM ([`Interest`]), or its folder holds such a file, or is called as a
//! module by one that does (its variables, locals and outputs feed the IAM). Only files
//! that may call a local module are parsed while the scan reads, so that which folders
//! call which is known first. A file never parsed is still checked for broken syntax by
//! [`structure`], a scan of its brackets, strings, heredocs and body layout: a problem
//! found there sends the file to hcl-edit, whose error (with its position) is the finding.

use aho_corasick::AhoCorasick;
use memchr::memmem;

/// What a file's text says about its place in the module phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Interest {
    /// It may hold something the HCL front end reads for IAM: an IAM resource or the
    /// policy-document data source (`aws_iam_`), a provider's `assume_role`, a local
    /// module call (`"./…"`, `"../…"`), or an attribute named like a credential (what
    /// [`super::parse::is_credential_name`] looks for, in any case). Its folder is then
    /// evaluated; over-inclusion only costs a parse.
    pub matters: bool,
    /// It may call a local module (`"./…"`, `"../…"`): parsed while the scan reads, so
    /// that which folders call which is known before any module is evaluated.
    pub calls: bool,
}

/// Whether the text may matter to IAM, and whether it may call a local module, in one
/// pass.
pub fn interest(text: &str) -> Interest {
    static MARKERS: std::sync::LazyLock<Option<AhoCorasick>> = std::sync::LazyLock::new(|| {
        // Leftmost-first, not overlapping: the searcher can then skip ahead with its
        // prefilter, and no decision changes. The markers that hold others (`aws_iam_`
        // holds `iam`, `session_token` holds `token`) start earlier and settle the
        // question on their own. Case-sensitive over a lowercased copy of the text: a
        // case-insensitive automaton cannot use the SIMD prefilter and ran at a tenth of
        // the speed over the files it reads to the end (most of a repository's `.tf`).
        AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(MARKERS_TEXT)
            .ok()
    });
    let Some(markers) = MARKERS.as_ref() else {
        // Cannot happen with these patterns; parsing everything is always right.
        return Interest {
            matters: true,
            calls: true,
        };
    };
    thread_local! {
        static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LOWER.with_borrow_mut(|lower| {
        lower.clear();
        lower.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        // A large file's copy is not kept for the next one.
        let interest = interest_in(markers, lower);
        if lower.capacity() > 1 << 20 {
            *lower = Vec::new();
        }
        interest
    })
}

/// [`interest`] of a lowercased text.
fn interest_in(markers: &AhoCorasick, bytes: &[u8]) -> Interest {
    let (mut module, mut iam) = (false, false);
    let matters = markers.find_iter(bytes).any(|m| {
        match MARKERS_TEXT[m.pattern().as_usize()] {
            // `token` only as a whole name: `http_tokens` is an instance option, not a secret.
            "token" => m.start() == 0 || !is_name_byte(bytes[m.start() - 1]),
            // A module call and `iam` somewhere: perhaps a registry IAM module, which is not
            // fetched but which `iamlint inventory` should name as unknown.
            "module" => {
                module = true;
                iam
            }
            "iam" => {
                iam = true;
                module
            }
            _ => true,
        }
    });
    // A local module source is one of the markers, so only a file that matters may call
    // one; the search for it stops at the first marker that matters, this one does not.
    let calls = matters
        && (memmem::find(bytes, b"\"./").is_some() || memmem::find(bytes, b"\"../").is_some());
    Interest { matters, calls }
}

/// What [`interest`] looks for, in any case (one pass over the text for all of them).
const MARKERS_TEXT: &[&str] = &[
    "aws_iam_",
    "assume_role",
    "\"./",
    "\"../",
    "access_key",
    "secret_key",
    "session_token",
    "token",
    "module",
    "iam",
];

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

/// The byte offset of the first thing that cannot be HCL syntax, or None when the file's
/// structure is sound: every bracket closed by its own kind, every string, heredoc,
/// interpolation and comment ended, and the body a sequence of `name = value` attributes
/// and `name "label" … { … }` blocks, one to a line. Expressions are not parsed beyond
/// that, so some errors pass (`a = 1 +`): such a file, in a folder without IAM, is not
/// reported. A problem reported here is only a reason to parse: hcl-edit has the last word.
pub fn structure(text: &str) -> Option<usize> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    s.body(false, None).err()
}

/// A top-level block of a file: where it is, from its name to its closing `}`, and the
/// byte ranges of its name and of its labels' text (inside the quotes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopBlock {
    pub range: std::ops::Range<usize>,
    pub ident: std::ops::Range<usize>,
    pub labels: Vec<std::ops::Range<usize>>,
}

/// The top-level blocks of a file whose structure is sound ([`structure`]), or None.
pub fn top_blocks(text: &str) -> Option<Vec<TopBlock>> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let mut blocks = Vec::new();
    s.body(false, Some(&mut blocks)).ok()?;
    Some(blocks)
}

type Scan = Result<(), usize>;

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    /// Blocks and templates open around the position: past [`MAX_DEPTH`] the file goes
    /// to hcl-edit (the scan's recursion stays shallow whatever the file).
    depth: usize,
}

const MAX_DEPTH: usize = 32;

impl Scanner<'_> {
    fn nested(&mut self, scan: impl FnOnce(&mut Self) -> Scan) -> Scan {
        if self.depth == MAX_DEPTH {
            return self.fail();
        }
        self.depth += 1;
        let result = scan(self);
        self.depth -= 1;
        result
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.b.get(self.i + ahead).copied()
    }

    fn fail<T>(&self) -> Result<T, usize> {
        Err(self.i.min(self.b.len()))
    }

    /// Attributes and blocks up to the end of the file (top level) or the `}` closing
    /// the block (`nested`), which is consumed. The blocks found are added to `blocks`.
    fn body(&mut self, nested: bool, mut blocks: Option<&mut Vec<TopBlock>>) -> Scan {
        loop {
            self.blank(true)?;
            match self.peek(0) {
                None if nested => return self.fail(),
                None => return Ok(()),
                Some(b'}') if nested => {
                    self.i += 1;
                    return Ok(());
                }
                Some(_) => {}
            }
            let start = self.i;
            self.name()?;
            let ident = start..self.i;
            self.blank(false)?;
            if self.peek(0) == Some(b'=') && self.peek(1) != Some(b'=') {
                self.i += 1;
                self.expression(Until::Line)?;
            } else {
                // A block: labels (names or strings), then its body.
                let mut labels = Vec::new();
                loop {
                    self.blank(false)?;
                    let at = self.i;
                    match self.peek(0) {
                        Some(b'{') => break,
                        Some(b'"') => {
                            self.quoted()?;
                            labels.push(at + 1..self.i - 1);
                        }
                        Some(b) if starts_name(b) => {
                            self.name()?;
                            labels.push(at..self.i);
                        }
                        _ => return self.fail(),
                    }
                }
                self.i += 1;
                self.nested(|s| s.body(true, None))?;
                if let Some(blocks) = blocks.as_deref_mut() {
                    blocks.push(TopBlock {
                        range: start..self.i,
                        ident,
                        labels,
                    });
                }
            }
            // One item to a line; a one-line block's item ends at its `}`.
            self.blank(false)?;
            match self.peek(0) {
                None | Some(b'\n') | Some(b'\r') => {}
                Some(b'}') if nested => {}
                _ => return self.fail(),
            }
        }
    }

    /// Spaces, tabs and comments; newlines too when `lines`. A `#` or `//` comment stops
    /// before its newline.
    fn blank(&mut self, lines: bool) -> Scan {
        while let Some(b) = self.peek(0) {
            match b {
                // Indentation and empty lines are most of a file's blanks: taken as a run.
                b' ' | b'\t' | b'\n' | b'\r' if lines => {
                    self.skip_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                }
                b' ' | b'\t' => self.skip_while(|b| matches!(b, b' ' | b'\t')),
                b'#' => self.line_comment(),
                b'/' if self.peek(1) == Some(b'/') => self.line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.block_comment()?,
                _ => break,
            }
        }
        Ok(())
    }

    /// Moves past the bytes from here that `keep` takes.
    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        let rest = self.b.get(self.i..).unwrap_or_default();
        self.i += rest.iter().take_while(|&&b| keep(b)).count();
    }

    fn line_comment(&mut self) {
        self.i = memchr::memchr(b'\n', &self.b[self.i..]).map_or(self.b.len(), |n| self.i + n);
    }

    fn block_comment(&mut self) -> Scan {
        match memmem::find(&self.b[self.i + 2..], b"*/") {
            Some(n) => {
                self.i += 2 + n + 2;
                Ok(())
            }
            None => self.fail(),
        }
    }

    fn name(&mut self) -> Scan {
        if !self.peek(0).is_some_and(starts_name) {
            return self.fail();
        }
        self.skip_while(is_name_byte);
        Ok(())
    }

    /// An expression, up to (not including) the newline that ends its attribute
    /// ([`Until::Line`]; a `}` closing a one-line block ends it too) or through the `}`
    /// that ends an interpolation or directive ([`Until::Brace`]). Newlines inside
    /// brackets are allowed, as in HCL.
    fn expression(&mut self, until: Until) -> Scan {
        let mut open: Vec<u8> = Vec::new();
        let mut any = false;
        loop {
            let Some(b) = self.peek(0) else {
                // The last attribute of a file may end without a newline.
                return if open.is_empty() && until == Until::Line && any {
                    Ok(())
                } else {
                    self.fail()
                };
            };
            match b {
                b'\n' | b'\r' if open.is_empty() && until == Until::Line => {
                    return if any { Ok(()) } else { self.fail() };
                }
                b' ' | b'\t' | b'\n' | b'\r' => self.i += 1,
                b'#' => self.line_comment(),
                b'/' if self.peek(1) == Some(b'/') => self.line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.block_comment()?,
                b'"' => {
                    self.quoted()?;
                    any = true;
                }
                b'<' if self.peek(1) == Some(b'<') => {
                    self.heredoc()?;
                    any = true;
                }
                b'(' | b'[' | b'{' => {
                    open.push(closer(b));
                    self.i += 1;
                    any = true;
                }
                b'~' if until == Until::Brace && open.is_empty() && self.peek(1) == Some(b'}') => {
                    self.i += 1;
                }
                b')' | b']' | b'}' => match open.pop() {
                    Some(c) if c == b => self.i += 1,
                    Some(_) => return self.fail(),
                    None if b == b'}' => {
                        return match until {
                            Until::Brace => {
                                self.i += 1;
                                Ok(())
                            }
                            // A one-line block's `}`: the block's body takes it.
                            Until::Line if any => Ok(()),
                            Until::Line => self.fail(),
                        };
                    }
                    None => return self.fail(),
                },
                b'=' if matches!(self.peek(1), Some(b'=' | b'>')) => {
                    self.i += 2;
                }
                // `!=`, `<=`, `>=`; a bare `=` only separates an object's key and value.
                b'=' if self.i > 0 && matches!(self.b[self.i - 1], b'!' | b'<' | b'>')
                    || open.last() == Some(&b'}') =>
                {
                    self.i += 1;
                }
                b'=' => return self.fail(),
                // Nothing in HCL's expression syntax starts with these.
                b';' | b'@' | b'`' | b'\\' | b'^' | b'$' | b'\'' | b'~' => return self.fail(),
                _ => {
                    // Names, numbers and operators: none of them changes what follows.
                    self.i += 1;
                    self.skip_while(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
                    });
                    any = true;
                }
            }
        }
    }

    /// A quoted template: escapes, `${…}` interpolations and `%{…}` directives (`$${` and
    /// `%%{` are literal), no raw newline.
    fn quoted(&mut self) -> Scan {
        self.i += 1;
        loop {
            let Some(b) = self.peek(0) else {
                return self.fail();
            };
            match b {
                b'"' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\n' | b'\r' => return self.fail(),
                b'\\' => self.i += 2,
                b'$' | b'%' if self.peek(1) == Some(b) && self.peek(2) == Some(b'{') => {
                    self.i += 3;
                }
                b'$' | b'%' if self.peek(1) == Some(b'{') => {
                    self.i += 2;
                    if self.peek(0) == Some(b'~') {
                        self.i += 1;
                    }
                    self.nested(|s| s.expression(Until::Brace))?;
                }
                // Literal text up to the next byte that may end or open something.
                _ => {
                    self.i += 1;
                    self.skip_while(|b| !matches!(b, b'"' | b'\n' | b'\r' | b'\\' | b'$' | b'%'));
                }
            }
        }
    }

    /// `<<ID` or `<<-ID`, a newline, then lines up to one that is `ID` alone (indented or
    /// not). Its interpolations are not checked.
    fn heredoc(&mut self) -> Scan {
        self.i += 2;
        if self.peek(0) == Some(b'-') {
            self.i += 1;
        }
        let start = self.i;
        self.name()?;
        let id = &self.b[start..self.i];
        if self.peek(0) == Some(b'\r') {
            self.i += 1;
        }
        if self.peek(0) != Some(b'\n') {
            return self.fail();
        }
        self.i += 1;
        while self.i < self.b.len() {
            let end = memchr::memchr(b'\n', &self.b[self.i..]).map_or(self.b.len(), |n| self.i + n);
            let line = self.b[self.i..end].trim_ascii();
            if line == id {
                // The marker ends the heredoc; the newline after it ends the item.
                let indent =
                    self.b[self.i..end].len() - self.b[self.i..end].trim_ascii_start().len();
                self.i += indent + id.len();
                return Ok(());
            }
            self.i = end + 1;
        }
        self.fail()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    Line,
    Brace,
}

fn starts_name(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(text: &str) -> bool {
        hcl_edit::parser::parse_body(text).is_ok()
    }

    const SOUND: &[&str] = &[
        "",
        "# only a comment\n",
        "a = 1\n",
        "a = 1",
        "a = \"x\"\r\nb = [1, 2,\r\n 3]\r\n",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x-${var.y}\"\n  tags = {\n    Name = \"n\" # c\n  }\n}\n",
        "locals { a = 1 }\n",
        "locals {}\n",
        "variable x {\n  type = map(object({ a = string }))\n  default = {}\n}\n",
        "a = <<EOF\n{ \"x\": \"${b}\" }\nEOF\nc = 1\n",
        "a = <<-EOT\n    #!/bin/bash\n    echo \"}\"\n    EOT\n",
        "a = { for k, v in var.m : k => v if v != \"\" }\n",
        "a = [for s in var.l : upper(s)]\n",
        "a = var.x ? \"y\" : \"z\"\n",
        "a = \"%{ if var.x }yes%{ else }no%{ endif }\"\n",
        "a = \"$${literal} and %%{literal}\"\n",
        "a = \"${~ var.x ~}\"\n",
        "a = \"${ {a = \"}\"}.a }\"\n",
        "/* block\n comment */ a = 1\n",
        "a = 1 // trailing\n",
        "a = !var.b && (var.c ||\n var.d)\n",
        "a = var.x == 1 || var.y != 2 || var.z <= 3 || var.w >= 4\n",
        "a = { for k, v in var.m : k => v }\nb = { x = 1, \"y\" = 2 }\n",
        "a = -1.5e3\n",
        "dynamic \"x\" {\n for_each = var.l\n content {\n  y = x.value\n }\n}\n",
        "a = data.aws_vpc.x.cidr_block\nb = module.m.out[0].id\nc = aws_instance.x[*].id\n",
    ];

    #[test]
    fn sound_files_pass_and_parse() {
        for text in SOUND {
            assert!(parses(text), "hcl-edit rejects {text:?}");
            assert_eq!(structure(text), None, "{text:?}");
        }
    }

    const BROKEN: &[&str] = &[
        "resource \"a\" \"b\" {\n  x = 1\n",
        "a = \"unterminated\n",
        "a = [1, 2\n",
        "a = (1]\n",
        "a = \n",
        "= 1\n",
        "a = 1 }\n",
        "}\n",
        "a = <<EOF\nnever ends\n",
        "a = <<EOF extra\nx\nEOF\n",
        "a = 'single'\n",
        "a = 1;\n",
        "/* open comment\n",
        "a = \"${var.x\"\n",
        "resource \"a\" \"b\" { x = 1 } y = 2\n",
        "resource \"a\" \"b\" = 1\n",
        "\"label\" {}\n",
        "a = = 1\n",
        "a = [b = 1]\n",
    ];

    #[test]
    fn broken_files_are_found_and_hcl_edit_agrees() {
        for text in BROKEN {
            assert!(structure(text).is_some(), "{text:?}");
            assert!(!parses(text), "hcl-edit accepts {text:?}");
        }
    }

    fn may_matter(text: &str) -> bool {
        interest(text).matters
    }

    #[test]
    fn markers() {
        assert!(may_matter("resource \"aws_iam_role\" \"r\" {}"));
        assert!(may_matter("provider \"aws\" {\n assume_role {}\n}"));
        assert!(may_matter("module \"m\" {\n source = \"../m\"\n}"));
        assert!(may_matter("provider \"aws\" {\n Secret_Key = \"x\"\n}"));
        assert!(may_matter("variable \"token\" {}"));
        assert!(may_matter("TOKEN = \"x\""));
        assert!(!may_matter(
            "metadata_options {\n http_tokens = \"required\"\n}"
        ));
        assert!(!may_matter(
            "module \"vpc\" {\n source = \"terraform-aws-modules/vpc/aws\"\n}"
        ));
        assert!(may_matter(
            "module \"r\" {\n source = \"terraform-aws-modules/iam/aws//modules/iam-role\"\n}"
        ));
        assert!(!may_matter(
            "resource \"aws_instance\" \"i\" {\n iam_instance_profile = \"p\"\n}"
        ));
        // Markers inside others, and the order they come in, decide nothing.
        assert!(may_matter("http_tokens = 1\nsession_token = var.t"));
        assert!(may_matter("iam = 1\nmodule \"m\" {}"));
        assert!(may_matter("module \"m\" {}\nx = aws_iam_role.r.arn"));
        assert!(!may_matter("y = \"my_token\"\nhttp_tokens = 1"));
    }

    #[test]
    fn local_calls() {
        let calls = |t: &str| interest(t).calls;
        assert!(calls("module \"m\" {\n source = \"./m\"\n}"));
        assert!(calls(
            "resource \"aws_iam_role\" \"r\" {}\nmodule \"m\" { source = \"../m\" }"
        ));
        assert!(!calls("resource \"aws_iam_role\" \"r\" {}"));
        assert!(!calls(
            "module \"m\" { source = \"terraform-aws-modules/iam/aws\" }"
        ));
    }

    #[test]
    fn deep_nesting_goes_to_the_parser() {
        let blocks = format!("{}{}", "a {\n".repeat(100_000), "}\n".repeat(100_000));
        assert!(structure(&blocks).is_some());
        let templates = format!("a = {}{}\n", "\"${".repeat(100_000), "}\"".repeat(100_000));
        assert!(structure(&templates).is_some());
        let shallow = format!("{}{}", "a {\n".repeat(20), "}\n".repeat(20));
        assert_eq!(structure(&shallow), None);
    }

    #[test]
    fn never_panics_on_truncations() {
        let text = SOUND.concat();
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                let _ = structure(&text[..end]);
            }
        }
    }
}

#[cfg(test)]
mod corpus {
    /// `SKIM_CORPUS=/some/dir cargo test --lib skim_corpus -- --ignored --nocapture`:
    /// how the structure check and hcl-edit disagree over real files.
    #[test]
    #[ignore]
    fn skim_corpus() {
        let dir = std::env::var("SKIM_CORPUS").expect("SKIM_CORPUS");
        let (mut files, mut misses, mut alarms) = (0, 0, 0);
        for e in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            let p = e.path();
            if !p.extension().is_some_and(|x| x == "tf" || x == "tfvars") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            files += 1;
            let ok = hcl_edit::parser::parse_body(text).is_ok();
            match (ok, super::structure(text)) {
                (false, None) => {
                    misses += 1;
                    println!("miss: {}", p.display());
                }
                (true, Some(at)) => {
                    alarms += 1;
                    println!("alarm: {} at {at}", p.display());
                }
                _ => {}
            }
        }
        println!("{files} files, {misses} misses, {alarms} false alarms");
    }
}
