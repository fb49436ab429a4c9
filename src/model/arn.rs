//! Amazon Resource Names: parsing, validation and the few IAM shapes rules care about
//! (roles with paths, users, account roots). Parsing never fails silently: [`Arn::parse`]
//! says what is wrong in plain words so the malformed-ARN rule can report it.

use std::fmt;

/// Partitions AWS documents. A partition outside this list is a typo or a placeholder.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// A parsed ARN: `arn:partition:service:region:account:resource`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

/// Why a string is not a well-formed ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnError {
    NotAnArn,
    TooFewParts(usize),
    UnknownPartition(String),
    EmptyService,
    BadAccount(String),
    EmptyResource,
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArnError::NotAnArn => write!(f, "does not start with `arn:`"),
            ArnError::TooFewParts(n) => write!(
                f,
                "has {n} of the 6 colon-separated parts (arn:partition:service:region:account:resource)"
            ),
            ArnError::UnknownPartition(p) => write!(f, "has unknown partition `{p}`"),
            ArnError::EmptyService => write!(f, "has an empty service"),
            ArnError::BadAccount(a) => {
                write!(f, "has account `{a}`, which is not a 12-digit account id")
            }
            ArnError::EmptyResource => write!(f, "has an empty resource part"),
        }
    }
}

/// Whether the text holds a variable or template placeholder iamlint cannot evaluate:
/// IAM policy variables (`${aws:username}`), CloudFormation `${AWS::AccountId}`, Terraform
/// interpolations, shell and envsubst variables (`$AWS_ACCOUNT_ID`, `$(aws sts …)`), or
/// `<ACCOUNT_ID>`-style documentation placeholders. No IAM name or account holds `$`.
/// An account written as an upper-case word (`arn:aws:iam::ACCOUNT_ID:role/x`, or
/// `AWS_ACCOUNT_ID` alone) is one too: code or a person replaces it before use, and no
/// account id has a letter.
pub fn has_placeholder(text: &str) -> bool {
    placeholder_in(text, true) || account_word(text)
}

/// [`has_placeholder`] without `${…}`: in a bare policy file, `${aws:username}` is an IAM
/// policy variable, the policy's own, while `<action>` or `$ACCOUNT` is a template's.
/// Of the upper-case words only an ARN's account counts here: a whole value in capitals
/// is a policy's own (`"aws:MultiFactorAuthPresent": "TRUE"`, `"AES256"`).
pub fn has_template_placeholder(text: &str) -> bool {
    placeholder_in(text, false) || (text.starts_with("arn:") && account_word(text))
}

/// Whether the account of an ARN, or the whole text, is an upper-case word
/// (`ACCOUNT_ID`, `AWS_ACCOUNT_ID`, `ACCOUNT02`).
fn account_word(text: &str) -> bool {
    let account = match text.strip_prefix("arn:") {
        // The fourth field, which may also be the last: found in one pass, and given up
        // at its first byte when that is no capital (an account id, `*`, or empty: asked
        // of every ARN a policy holds).
        Some(rest) => {
            let bytes = rest.as_bytes();
            let mut colons = bytes.iter().enumerate().filter(|(_, b)| **b == b':');
            let Some((third, _)) = colons.nth(2) else {
                return false;
            };
            if !bytes.get(third + 1).is_some_and(u8::is_ascii_uppercase) {
                return false;
            }
            let end = colons.next().map_or(bytes.len(), |(i, _)| i);
            &rest[third + 1..end]
        }
        None => text,
    };
    account.len() >= 3
        && account.starts_with(|c: char| c.is_ascii_uppercase())
        && account
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

fn placeholder_in(text: &str, dollar_brace: bool) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'<', b'{', b'$', bytes).any(|i| {
        let next = bytes.get(i + 1).copied().unwrap_or_default();
        match bytes.get(i) {
            Some(b'<') => true,
            Some(b'{') => next == b'{',
            Some(b'$') => {
                next.is_ascii_alphabetic()
                    || matches!(next, b'_' | b'(')
                    || (dollar_brace && next == b'{')
            }
            _ => false,
        }
    })
}

/// The text before each of the first `N` colons, and the rest after the last of them;
/// None when there are fewer. A plain byte loop: `str::split` sets up a searcher for
/// every field, about 130 instructions each, and ARNs are parsed by the hundred thousand
/// (a twentieth of a 10,000-file scan went there).
fn split_colons<const N: usize>(text: &str) -> Option<([&str; N], &str)> {
    let mut fields = [""; N];
    let mut rest = text;
    for field in &mut fields {
        let (before, after) = split_once_byte(rest, b':')?;
        *field = before;
        rest = after;
    }
    Some((fields, rest))
}

/// [`split_colons`] for the fields of an ARN, where a `${…}` placeholder is one piece
/// though it holds colons: CloudFormation builds ARNs with `Fn::Sub` as
/// `arn:${AWS::Partition}:iam::${AWS::AccountId}:root`, and a policy names the caller's
/// account as `${aws:PrincipalAccount}`. A `${` with no `}` after it is plain text.
fn split_arn_fields<const N: usize>(text: &str) -> Option<([&str; N], &str)> {
    if memchr::memchr(b'$', text.as_bytes()).is_none() {
        return split_colons::<N>(text);
    }
    let mut fields = [""; N];
    let mut rest = text;
    for field in &mut fields {
        let end = field_end(rest)?;
        *field = &rest[..end];
        rest = &rest[end + 1..];
    }
    Some((fields, rest))
}

/// The offset of the colon that ends the first field of `text`, skipping the colons of
/// a `${…}` placeholder; None when there is none.
fn field_end(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        i += match c {
            b':' => return Some(i),
            b'$' if b.get(i + 1) == Some(&b'{') => b
                .get(i + 2..)
                .and_then(|rest| memchr::memchr(b'}', rest))
                .map_or(1, |close| close + 3),
            _ => 1,
        };
    }
    None
}

/// `text.split_once(byte)` on one ASCII byte, by a plain loop (see [`split_colons`]).
pub fn split_once_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let at = text.bytes().position(|b| b == byte)?;
    // An ASCII byte is a whole character: both sides are on char boundaries.
    Some((&text[..at], &text[at + 1..]))
}

/// Whether the text is a 12-digit AWS account id.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Resource types of IAM ARNs (`arn:aws:iam::ACCOUNT:TYPE/…`), from the Service
/// Authorization Reference's IAM resource types, plus `u2f` (FIDO security keys) and the
/// account principal `root`.
const IAM_TYPES: &[&str] = &[
    "access-report",
    "assumed-role",
    "delegation-request",
    "federated-user",
    "group",
    "instance-profile",
    "mfa",
    "oidc-provider",
    "policy",
    "role",
    "root",
    "saml-provider",
    "server-certificate",
    "sms-mfa",
    "u2f",
    "user",
];

/// Resource types of STS ARNs (`arn:aws:sts::ACCOUNT:TYPE/…`): role sessions, federated
/// user sessions, and the reference's "self-session", whose ARN is
/// `arn:aws:sts::ACCOUNT:self` (`sts:SetContext`), with nothing after the type.
const STS_TYPES: &[&str] = &["assumed-role", "federated-user", "self"];

/// What IAM makes of an IAM or STS ARN beyond its shape: a well-formed ARN that names
/// nothing IAM has, so it never matches and IAM rejects it as a principal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IamArnProblem {
    /// A region where IAM and STS ARNs have none.
    Region(String),
    /// A resource type the service does not have (`roles/`, `usr/`).
    UnknownType(String),
    /// Nothing after the resource type (`role/`).
    EmptyName(String),
}

impl fmt::Display for IamArnProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IamArnProblem::Region(r) => write!(
                f,
                "has region `{r}`: IAM and STS ARNs have an empty region, so it names nothing"
            ),
            IamArnProblem::UnknownType(t) => write!(
                f,
                "has resource type `{t}`, which IAM does not have (role, user, group, policy, instance-profile, mfa, …)"
            ),
            IamArnProblem::EmptyName(t) => write!(f, "has no name after `{t}/`"),
        }
    }
}

/// A part iamlint cannot judge: a wildcard, or a placeholder filled in later.
pub fn is_wild_or_placeholder(s: &str) -> bool {
    s.contains('*') || s.contains('?') || has_placeholder(s)
}

/// A parsed ARN that borrows its text: what hot paths (the graph, per-document rules) use
/// to look at an ARN without allocating. [`Arn`] is its owned form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArnRef<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> ArnRef<'a> {
    /// Parses and validates an ARN. Wildcards are accepted anywhere (resource patterns are
    /// ARNs with wildcards); placeholders are accepted in the account part.
    pub fn parse(text: &'a str) -> Result<ArnRef<'a>, ArnError> {
        let rest = text.strip_prefix("arn:").ok_or(ArnError::NotAnArn)?;
        let Some(([partition, service, region, account], resource)) = split_arn_fields::<4>(rest)
        else {
            return Err(ArnError::TooFewParts(text.split(':').count()));
        };
        let wild_or_var = |s: &str| s.contains('*') || s.contains('?') || has_placeholder(s);
        if !PARTITIONS.contains(&partition) && !wild_or_var(partition) {
            return Err(ArnError::UnknownPartition(partition.to_owned()));
        }
        if service.is_empty() {
            return Err(ArnError::EmptyService);
        }
        // Only IAM and STS ARNs must carry an account; S3 bucket ARNs and AWS managed
        // policies (`arn:aws:iam::aws:policy/...`) are well-formed without one.
        if matches!(service, "iam" | "sts")
            && !(is_account_id(account) || account == "aws" || wild_or_var(account))
        {
            return Err(ArnError::BadAccount(account.to_owned()));
        }
        if resource.is_empty() {
            return Err(ArnError::EmptyResource);
        }
        Ok(ArnRef {
            partition,
            service,
            region,
            account,
            resource,
        })
    }

    /// The resource type: the resource up to its first `/` (`role`), or the whole resource
    /// when it has none (`root`).
    pub fn resource_type(&self) -> &'a str {
        self.resource.split('/').next().unwrap_or_default()
    }

    /// What is wrong with this IAM or STS ARN for IAM, though it is well-formed (IAM user
    /// guide, "IAM identifiers"; Service Authorization Reference, IAM and STS resource
    /// types): a region, a resource type the service does not have, or no name after the
    /// type. Other services' ARNs, and parts holding a wildcard or a placeholder, are never
    /// judged: `arn:aws:iam::*:role/*` and `arn:aws:iam::123456789012:rol*` are fine.
    pub fn iam_problem(&self) -> Option<IamArnProblem> {
        let types = match self.service {
            "iam" => IAM_TYPES,
            "sts" => STS_TYPES,
            _ => return None,
        };
        if !self.region.is_empty() && !is_wild_or_placeholder(self.region) {
            return Some(IamArnProblem::Region(self.region.to_owned()));
        }
        let kind = self.resource_type();
        if is_wild_or_placeholder(kind) {
            return None;
        }
        if !types.contains(&kind) {
            return Some(IamArnProblem::UnknownType(kind.to_owned()));
        }
        // `root` is the whole resource of an account principal, and `self` of STS's
        // self-session; every other type names something after its slash.
        let name = self.resource.get(kind.len() + 1..).unwrap_or_default();
        let whole = matches!((self.service, kind), ("iam", "root") | ("sts", "self"));
        (!whole && name.is_empty()).then(|| IamArnProblem::EmptyName(kind.to_owned()))
    }

    /// Whether a trust policy can name this ARN as an `AWS` principal: an account root,
    /// a user or a role (IAM), a role session or a federated user session (STS). Groups,
    /// policies, instance profiles and the rest are not principals: IAM rejects the policy
    /// ("Invalid principal in policy").
    pub fn is_principal_type(&self) -> bool {
        matches!(
            (self.service, self.resource_type()),
            ("iam", "root" | "user" | "role") | ("sts", "assumed-role" | "federated-user")
        )
    }

    pub fn to_arn(&self) -> Arn {
        Arn {
            partition: self.partition.to_owned(),
            service: self.service.to_owned(),
            region: self.region.to_owned(),
            account: self.account.to_owned(),
            resource: self.resource.to_owned(),
        }
    }

    /// For `arn:…:iam::ACCT:role/path/Name`: the path (`/path/`) and name.
    pub fn role_path_and_name(&self) -> Option<(&'a str, &'a str)> {
        self.iam_entity("role/")
    }

    /// For `arn:…:iam::ACCT:user/path/Name`: the path and name.
    pub fn user_path_and_name(&self) -> Option<(&'a str, &'a str)> {
        self.iam_entity("user/")
    }

    /// The path is returned with its slashes (`/` or `/a/b/`): it is the resource text
    /// between the prefix's slash and the name.
    fn iam_entity(&self, prefix: &str) -> Option<(&'a str, &'a str)> {
        if self.service != "iam" {
            return None;
        }
        let with_slash = self.resource.get(prefix.len() - 1..)?;
        if !self.resource.starts_with(prefix) {
            return None;
        }
        let i = with_slash.rfind('/')?;
        Some((&with_slash[..=i], &with_slash[i + 1..]))
    }

    /// Whether this is an account principal `arn:aws:iam::ACCT:root`.
    pub fn is_account_root(&self) -> bool {
        self.service == "iam" && self.resource == "root"
    }

    pub fn is_role(&self) -> bool {
        self.service == "iam" && self.resource.starts_with("role/")
    }

    pub fn is_user(&self) -> bool {
        self.service == "iam" && self.resource.starts_with("user/")
    }
}

impl Arn {
    /// Parses and validates an ARN (see [`ArnRef::parse`]).
    pub fn parse(text: &str) -> Result<Arn, ArnError> {
        ArnRef::parse(text).map(|a| a.to_arn())
    }

    pub fn as_ref(&self) -> ArnRef<'_> {
        ArnRef {
            partition: &self.partition,
            service: &self.service,
            region: &self.region,
            account: &self.account,
            resource: &self.resource,
        }
    }

    /// For `arn:…:iam::ACCT:role/path/Name`: the path (`/path/`) and name.
    pub fn role_path_and_name(&self) -> Option<(String, String)> {
        self.as_ref()
            .role_path_and_name()
            .map(|(p, n)| (p.to_owned(), n.to_owned()))
    }

    /// For `arn:…:iam::ACCT:user/path/Name`: the path and name.
    pub fn user_path_and_name(&self) -> Option<(String, String)> {
        self.as_ref()
            .user_path_and_name()
            .map(|(p, n)| (p.to_owned(), n.to_owned()))
    }

    /// Whether this is an account principal `arn:aws:iam::ACCT:root`.
    pub fn is_account_root(&self) -> bool {
        self.as_ref().is_account_root()
    }

    pub fn is_role(&self) -> bool {
        self.as_ref().is_role()
    }

    pub fn is_user(&self) -> bool {
        self.as_ref().is_user()
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// The ARN of a role from its account, path (`/` or `/a/b/`) and name.
pub fn role_arn(partition: &str, account: &str, path: &str, name: &str) -> String {
    format!("arn:{partition}:iam::{account}:role{path}{name}")
}

/// The ARN of a user from its account, path and name.
pub fn user_arn(partition: &str, account: &str, path: &str, name: &str) -> String {
    format!("arn:{partition}:iam::{account}:user{path}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`account_word`] as it was written first: with the splitting helpers.
    fn account_word_by_splitting(text: &str) -> bool {
        let account = match text.strip_prefix("arn:") {
            Some(rest) => split_colons::<3>(rest).map_or("", |(_, account)| {
                split_once_byte(account, b':').map_or(account, |(a, _)| a)
            }),
            None => text,
        };
        account.len() >= 3
            && account.starts_with(|c: char| c.is_ascii_uppercase())
            && account
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    }

    proptest::proptest! {
        #[test]
        fn the_account_word_is_found_as_by_splitting(
            arn in proptest::bool::weighted(0.8),
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "arn", ":", ":", ":", "aws", "iam", "ACCOUNT_ID", "AB", "A", "1",
                "123456789012", "*", "role/x", "_", "é", "ACCOUNT",
            ]), 0..10)
        ) {
            let text = if arn { "arn:" } else { "" }.to_owned() + &parts.concat();
            proptest::prop_assert_eq!(account_word(&text), account_word_by_splitting(&text), "{}", text);
        }
    }
    use proptest::prelude::*;

    #[test]
    fn placeholders_of_every_template_kind() {
        for yes in [
            "arn:aws:iam::${AWS::AccountId}:role/x",
            "arn:aws:iam::$AWS_ACCOUNT_ID:role/x",
            "arn:aws:iam::$account:role/x",
            "arn:aws:iam::$(aws sts get-caller-identity):role/x",
            "arn:aws:iam::<ACCOUNT_ID>:role/x",
            "arn:aws:iam::{{ account }}:role/x",
        ] {
            assert!(has_placeholder(yes), "{yes}");
        }
        for yes in [
            "arn:aws:iam::AWS_ACCOUNT_ID:role/x",
            "arn:aws:iam::ACCOUNT02:root",
            "IAM_ACCOUNTID",
        ] {
            assert!(has_placeholder(yes), "{yes}");
        }
        // In a bare policy file a whole value in capitals is the policy's own.
        assert!(has_template_placeholder("arn:aws:iam::ACCOUNT_ID:role/x"));
        assert!(has_template_placeholder("<action>"));
        assert!(!has_template_placeholder("TRUE"));
        assert!(!has_template_placeholder("AES256"));
        assert!(!has_template_placeholder(
            "arn:aws:s3:::b/${aws:username}/*"
        ));
        for no in [
            "arn:aws:iam::123456789012:role/x",
            "arn:aws:iam::12345678901O:role/x",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:s3:::price-in-$5",
            "arn:aws:s3:::bucket/$",
            "AB",
        ] {
            assert!(!has_placeholder(no), "{no}");
        }
    }

    #[test]
    fn parses_role_with_path() {
        let arn = Arn::parse("arn:aws:iam::123456789012:role/division_abc/sub/role_XYZ").unwrap();
        assert_eq!(arn.account, "123456789012");
        assert_eq!(
            arn.role_path_and_name(),
            Some(("/division_abc/sub/".into(), "role_XYZ".into()))
        );
        assert!(arn.is_role());
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(Arn::parse("something"), Err(ArnError::NotAnArn));
        assert_eq!(
            Arn::parse("arn:aws:iam::role/x"),
            Err(ArnError::TooFewParts(5))
        );
        assert!(matches!(
            Arn::parse("arn:aws:iam::redacted:role/x"),
            Err(ArnError::BadAccount(_))
        ));
        assert!(matches!(
            Arn::parse("arn:amazon:iam::123456789012:role/x"),
            Err(ArnError::UnknownPartition(_))
        ));
        assert_eq!(Arn::parse("arn:aws:s3:::"), Err(ArnError::EmptyResource));
    }

    #[test]
    fn accepts_wildcards_placeholders_and_accountless_services() {
        assert!(Arn::parse("arn:aws:iam::*:role/*").is_ok());
        assert!(Arn::parse("arn:*:iam::*:role/*").is_ok());
        assert!(Arn::parse("arn:aws:iam::${AWS::AccountId}:role/x").is_ok());
        assert!(Arn::parse("arn:aws:iam::<ACCOUNT_ID>:role/x").is_ok());
        assert!(Arn::parse("arn:aws:s3:::bucket/*").is_ok());
        assert!(Arn::parse("arn:aws:iam::aws:policy/ReadOnlyAccess").is_ok());
        assert!(Arn::parse("arn:aws:iam::123456789012:root")
            .unwrap()
            .is_account_root());
    }

    #[test]
    fn iam_semantics() {
        let problem = |v: &str| ArnRef::parse(v).unwrap().iam_problem();
        for fine in [
            "arn:aws:iam::123456789012:role/aws-service-role/x.amazonaws.com/AWSServiceRole",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:sts::123456789012:assumed-role/r/session",
            "arn:aws:iam::123456789012:mfa/*",
            "arn:aws-cn:iam::123456789012:root",
            "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:*",
            "arn:aws:iam::123456789012:rol*",
            "arn:aws:iam:*:123456789012:role/x",
            "arn:aws:iam::123456789012:${var.kind}/x",
            "arn:aws:s3:us-east-1::bucket",
            "arn:aws:ec2:us-east-1:123456789012:roles/x",
            "arn:aws:sts::*:self",
            "arn:aws:sts::123456789012:self",
        ] {
            assert_eq!(problem(fine), None, "{fine}");
        }
        assert_eq!(
            problem("arn:aws:iam:us-east-1:123456789012:role/x"),
            Some(IamArnProblem::Region("us-east-1".into()))
        );
        assert_eq!(
            problem("arn:aws:sts:eu-west-1:123456789012:assumed-role/r/s"),
            Some(IamArnProblem::Region("eu-west-1".into()))
        );
        assert_eq!(
            problem("arn:aws:iam::123456789012:roles/x"),
            Some(IamArnProblem::UnknownType("roles".into()))
        );
        assert_eq!(
            problem("arn:aws:sts::123456789012:role/x"),
            Some(IamArnProblem::UnknownType("role".into()))
        );
        assert_eq!(
            problem("arn:aws:iam::123456789012:role/"),
            Some(IamArnProblem::EmptyName("role".into()))
        );
        assert_eq!(
            problem("arn:aws:iam::123456789012:user"),
            Some(IamArnProblem::EmptyName("user".into()))
        );
        let principal = |v: &str| ArnRef::parse(v).unwrap().is_principal_type();
        assert!(principal("arn:aws:iam::123456789012:root"));
        assert!(principal("arn:aws:iam::123456789012:role/p/x"));
        assert!(principal("arn:aws:sts::123456789012:federated-user/bob"));
        assert!(!principal("arn:aws:iam::123456789012:group/admins"));
        assert!(!principal("arn:aws:iam::123456789012:instance-profile/x"));
        assert!(!principal("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    }

    #[test]
    fn the_account_word_is_the_fourth_field_even_when_last() {
        assert!(account_word("arn:aws:iam::ACCOUNT_ID:role/x"));
        assert!(account_word("arn:aws:iam::ACCOUNT_ID"));
        assert!(account_word("AWS_ACCOUNT_ID"));
        assert!(!account_word("arn:aws:iam::123456789012:ROLE_X"));
        assert!(!account_word("arn:aws:iam:ACCOUNT_ID"));
        assert!(!account_word("arn:aws:iam::account_id:role/x"));
    }

    #[test]
    fn a_placeholder_is_one_field_of_an_arn() {
        let arn = ArnRef::parse("arn:${AWS::Partition}:iam::${AWS::AccountId}:root").unwrap();
        assert_eq!(
            (arn.partition, arn.account, arn.resource),
            ("${AWS::Partition}", "${AWS::AccountId}", "root")
        );
        let arn = ArnRef::parse("arn:aws:iam::${aws:PrincipalAccount}:role/${x:y}").unwrap();
        assert_eq!(
            (arn.account, arn.resource),
            ("${aws:PrincipalAccount}", "role/${x:y}")
        );
        // Without a closing brace, `${` is text and the colons split as usual.
        let arn = ArnRef::parse("arn:aws:s3::${a:b").unwrap();
        assert_eq!((arn.account, arn.resource), ("${a", "b"));
        assert_eq!(
            split_arn_fields::<4>("aws:iam::123456789012:role/a:b"),
            split_colons::<4>("aws:iam::123456789012:role/a:b")
        );
    }

    proptest! {
        /// The byte loops split as `str::split` does, multi-byte text included.
        #[test]
        fn colon_fields_are_the_standard_split(text in "[a:\u{e9}\u{1F600}b]{0,12}") {
            let std: Vec<&str> = text.splitn(5, ':').collect();
            match split_colons::<4>(&text) {
                Some((fields, rest)) => {
                    prop_assert_eq!(std.len(), 5);
                    prop_assert_eq!(&std[..4], &fields[..]);
                    prop_assert_eq!(std[4], rest);
                }
                None => prop_assert!(std.len() < 5),
            }
            prop_assert_eq!(split_once_byte(&text, b':'), text.split_once(':'));
            // Text without a placeholder splits the same way as an ARN's fields.
            prop_assert_eq!(split_arn_fields::<4>(&text), split_colons::<4>(&text));
        }

        #[test]
        fn display_round_trips(
            partition in prop::sample::select(PARTITIONS),
            service in "[a-z0-9-]{1,12}",
            region in "[a-z0-9-]{0,12}",
            account in "[0-9]{12}",
            resource in "[a-zA-Z0-9/_+=,.@:-]{1,40}",
        ) {
            let text = format!("arn:{partition}:{service}:{region}:{account}:{resource}");
            let arn = Arn::parse(&text).unwrap();
            prop_assert_eq!(arn.to_string(), text);
        }

        #[test]
        fn never_panics(s in ".*") {
            let _ = Arn::parse(&s);
        }
    }
}
