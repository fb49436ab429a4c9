//! Which web identity provider a trust's `Federated` principal names, and how its tokens
//! show up in the request: condition keys are the provider's URL without `https://`
//! followed by `:claim` (`token.actions.githubusercontent.com:sub`,
//! `oidc.eks.us-east-1.amazonaws.com/id/ABC:sub`), and Amazon Cognito identity pools are
//! named by `cognito-identity.amazonaws.com` itself (IAM user guide, "Available keys for
//! AWS OIDC federation"; Amazon Cognito developer guide, "Role trust and permissions").
//! This module only recognises providers and subject formats; rules decide what is wrong.

use super::arn::has_placeholder;
use super::matching::has_wildcard;

/// The providers whose subject format iamlint knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// GitHub Actions (`token.actions.githubusercontent.com`, or its enterprise form
    /// `token.actions.githubusercontent.com/<enterprise-slug>`).
    GitHub,
    /// An EKS cluster's issuer (`oidc.eks.<region>.amazonaws.com/id/<id>`): IRSA.
    Eks,
    /// Amazon Cognito identity pools.
    Cognito,
    /// HCP Terraform / Terraform Cloud (`app.terraform.io`).
    TerraformCloud,
    /// GitLab.com CI (`gitlab.com`).
    GitLab,
    /// Any other OIDC provider.
    Other,
}

/// A web identity provider a trust names, with the prefix of its condition keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebIdentity<'a> {
    pub provider: Provider,
    /// The condition key prefix, without the `:` (`token.actions.githubusercontent.com`).
    pub prefix: &'a str,
}

impl<'a> WebIdentity<'a> {
    /// The provider a `Federated` principal value names, if it is an OIDC provider ARN or
    /// Cognito's principal, and is known (no placeholder, no wildcard). SAML providers
    /// and the social providers (`accounts.google.com`, `graph.facebook.com`,
    /// `www.amazon.com`) give `None`.
    pub fn of_principal(value: &'a str) -> Option<Self> {
        if value == "cognito-identity.amazonaws.com" {
            return Some(WebIdentity {
                provider: Provider::Cognito,
                prefix: value,
            });
        }
        // Split at the resource type rather than parse the whole ARN: a CloudFormation
        // template's account is `${AWS::AccountId}`, whose `::` an ARN parser splits.
        let (head, host) = value.split_once(":oidc-provider/")?;
        let iam = head.starts_with("arn:") && head.split(':').nth(2) == Some("iam");
        if !iam || host.is_empty() || has_placeholder(host) || has_wildcard(host) {
            return None;
        }
        let provider = if host == "token.actions.githubusercontent.com"
            || host.starts_with("token.actions.githubusercontent.com/")
        {
            Provider::GitHub
        } else if host.starts_with("oidc.eks.") && host.contains(".amazonaws.com/id/") {
            Provider::Eks
        } else if host == "app.terraform.io" {
            Provider::TerraformCloud
        } else if host == "gitlab.com" {
            Provider::GitLab
        } else {
            Provider::Other
        };
        Some(WebIdentity {
            provider,
            prefix: host,
        })
    }

    /// The claim a condition key names for this provider (`sub` for
    /// `token.actions.githubusercontent.com:sub`), lower-cased as IAM compares keys
    /// case-insensitively.
    pub fn claim_of(&self, key: &str) -> Option<String> {
        let head = key.get(..self.prefix.len())?;
        let rest = key.get(self.prefix.len()..)?;
        let claim = rest.strip_prefix(':')?;
        (head.eq_ignore_ascii_case(self.prefix) && !claim.is_empty())
            .then(|| claim.to_ascii_lowercase())
    }

    /// The claim that names who the token is for, judged for wildcards: `aud` (the pool)
    /// for Cognito, `sub` for the others.
    pub fn subject_claim(&self) -> &'static str {
        match self.provider {
            Provider::Cognito => "aud",
            _ => "sub",
        }
    }

    /// Claims that never narrow *whose* token it is: every token of the provider carries
    /// the same issuer, and any token can carry any of their values (the audience of the official GitHub action is
    /// `sts.amazonaws.com` for everyone; any repository can have an environment `prod` or
    /// a branch `main`).
    pub fn is_non_pinning_claim(&self, claim: &str) -> bool {
        // The issuer is the provider itself: the same in every token it issues.
        if claim == "iss" {
            return true;
        }
        match self.provider {
            Provider::GitHub => matches!(claim, "aud" | "environment" | "ref" | "workflow"),
            Provider::Eks | Provider::TerraformCloud | Provider::GitLab => {
                matches!(claim, "aud" | "amr")
            }
            Provider::Cognito | Provider::Other => claim == "amr",
        }
    }

    /// What a wide `pattern` on `claim` leaves open, and whose tokens that lets in, for
    /// messages. A GitHub owner or GitLab group written out in full before the wildcard
    /// (`repo:octo-org/*`) is fixed: only its other repositories (projects) get in.
    pub fn wide_scope(&self, claim: &str, pattern: &str) -> (&'static str, &'static str) {
        let literal = pattern
            .find(['*', '?'])
            .and_then(|w| pattern.get(..w))
            .unwrap_or(pattern);
        let path = match (self.provider, claim) {
            (Provider::GitHub, "sub") => literal.strip_prefix("repo:"),
            (Provider::GitHub, "repository") => Some(literal),
            (Provider::GitLab, "sub") => literal.strip_prefix("project_path:"),
            _ => None,
        };
        let owner_fixed = path.is_some_and(|p| p.contains('/'))
            // `system:serviceaccount:NS:…`: the namespace is written out.
            || (self.provider == Provider::Eks
                && literal
                    .strip_prefix("system:serviceaccount:")
                    .is_some_and(|rest| rest.contains(':')));
        match (self.provider, owner_fixed) {
            (Provider::GitHub, true) => {
                ("repository", "workflows of the owner's other repositories")
            }
            (Provider::GitHub, false) => {
                ("owner and repository", "workflows of other repositories")
            }
            (Provider::GitLab, true) => ("project", "jobs of the group's other projects"),
            (Provider::GitLab, false) => ("group and project", "jobs of other projects"),
            (Provider::Eks, true) => ("service account", "the namespace's other service accounts"),
            (Provider::Eks, false) => ("namespace and service account", "other service accounts"),
            (Provider::Cognito, _) => ("identity pool", "identities of other pools"),
            (Provider::TerraformCloud, _) => ("organization", "runs of other organizations"),
            (Provider::Other, _) => ("subject", "other subjects"),
        }
    }

    /// Who gets in when nothing pins the subject, for messages.
    pub fn everyone(&self) -> &'static str {
        match self.provider {
            Provider::GitHub => "any GitHub Actions workflow of any repository",
            Provider::Eks => "any service account of the cluster",
            Provider::Cognito => "identities of any Cognito identity pool",
            Provider::TerraformCloud => "any HCP Terraform workspace of any organization",
            Provider::GitLab => "any GitLab CI job of any project",
            Provider::Other => "anyone the provider issues a token to",
        }
    }

    /// How a `StringLike` pattern on [`Self::subject_claim`] (already known to hold a
    /// wildcard) narrows the subject.
    pub fn judge_pattern(&self, claim: &str, pattern: &str) -> Pattern {
        if pattern.bytes().all(|b| b == b'*' || b == b'?') {
            return Pattern::Open;
        }
        let literal = pattern
            .find(['*', '?'])
            .and_then(|w| pattern.get(..w))
            .unwrap_or(pattern);
        match (self.provider, claim) {
            // `repo:OWNER/REPO:…`: the literal text before the first wildcard must hold
            // the owner, the repository and the `:` that ends it.
            (Provider::GitHub, "sub") => prefixed_path(literal, "repo:"),
            // `OWNER/REPO`: any wildcard leaves the repository open.
            (Provider::GitHub, "repository") => Pattern::Wide,
            // `system:serviceaccount:NS:SA`: both names are DNS labels, no pattern needed.
            (Provider::Eks, "sub") => {
                if "system:serviceaccount:".starts_with(literal)
                    || literal.starts_with("system:serviceaccount:")
                {
                    Pattern::Wide
                } else {
                    Pattern::Unknown
                }
            }
            // `organization:ORG:project:…`: the organization must be fixed.
            (Provider::TerraformCloud, "sub") => match literal.strip_prefix("organization:") {
                Some(rest) if rest.contains(':') => Pattern::Narrow,
                Some(_) => Pattern::Wide,
                None if "organization:".starts_with(literal) => Pattern::Wide,
                None => Pattern::Unknown,
            },
            // `project_path:GROUP/PROJECT:ref_type:…`
            (Provider::GitLab, "sub") => prefixed_path(literal, "project_path:"),
            // An identity pool id (`us-east-1:uuid`) is never a pattern.
            (Provider::Cognito, "aud") => Pattern::Wide,
            _ => Pattern::Unknown,
        }
    }
}

/// `PREFIX` then a `/`-separated path ended by `:`: narrow when the literal text holds
/// all of it, wide when a wildcard falls inside it, unknown for another format.
fn prefixed_path(literal: &str, prefix: &str) -> Pattern {
    match literal.strip_prefix(prefix) {
        Some(rest) => match rest.find('/') {
            Some(slash) if rest.get(slash + 1..).is_some_and(|r| r.contains(':')) => {
                Pattern::Narrow
            }
            _ => Pattern::Wide,
        },
        None if prefix.starts_with(literal) => Pattern::Wide,
        None => Pattern::Unknown,
    }
}

/// What a subject pattern admits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pattern {
    /// Only wildcards: every subject.
    Open,
    /// A wildcard over the owner/repository (namespace/service account, …).
    Wide,
    /// A format iamlint does not know.
    Unknown,
    /// The scope is fixed; the wildcard only covers branches, environments, run phases.
    Narrow,
}

/// The assume action a federated principal needs, if iamlint can tell.
pub fn federated_action(value: &str) -> Option<&'static str> {
    if value.contains(":saml-provider/") {
        Some("sts:AssumeRoleWithSAML")
    } else if value.contains(":oidc-provider/")
        || matches!(
            value,
            "cognito-identity.amazonaws.com"
                | "accounts.google.com"
                | "graph.facebook.com"
                | "www.amazon.com"
        )
    {
        Some("sts:AssumeRoleWithWebIdentity")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github() -> WebIdentity<'static> {
        WebIdentity::of_principal(
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
        )
        .unwrap()
    }

    #[test]
    fn recognises_providers() {
        assert_eq!(github().provider, Provider::GitHub);
        let cfn = WebIdentity::of_principal(
            "arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com",
        )
        .unwrap();
        assert_eq!(cfn.prefix, "token.actions.githubusercontent.com");
        let eks = WebIdentity::of_principal(
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        )
        .unwrap();
        assert_eq!(eks.provider, Provider::Eks);
        assert_eq!(
            eks.claim_of("OIDC.eks.eu-west-1.amazonaws.com/id/ABC:Sub")
                .as_deref(),
            Some("sub")
        );
        assert!(WebIdentity::of_principal("arn:aws:iam::111122223333:saml-provider/x").is_none());
        assert!(WebIdentity::of_principal(
            "arn:aws:iam::${AWS::AccountId}:oidc-provider/${Issuer}"
        )
        .is_none());
        assert_eq!(
            WebIdentity::of_principal("cognito-identity.amazonaws.com")
                .unwrap()
                .provider,
            Provider::Cognito
        );
    }

    #[test]
    fn judges_github_subjects() {
        let g = github();
        assert_eq!(g.judge_pattern("sub", "repo:org/repo:*"), Pattern::Narrow);
        assert_eq!(g.judge_pattern("sub", "repo:org/*"), Pattern::Wide);
        assert_eq!(g.judge_pattern("sub", "repo:*"), Pattern::Wide);
        assert_eq!(
            g.judge_pattern("sub", "repo:org/app-*:ref:x"),
            Pattern::Wide
        );
        assert_eq!(g.judge_pattern("sub", "*"), Pattern::Open);
        assert_eq!(g.judge_pattern("sub", "re*"), Pattern::Wide);
        assert_eq!(
            g.judge_pattern("sub", "repository_owner_id:1:*"),
            Pattern::Unknown
        );
    }

    proptest::proptest! {
        /// Nothing a file can hold makes the provider or subject readers panic.
        #[test]
        fn never_panics(value in ".{0,80}", key in ".{0,80}", pattern in "[a-z:/*?]{0,40}") {
            if let Some(idp) = WebIdentity::of_principal(&value) {
                let _ = idp.claim_of(&key);
            }
            for idp in [github(), WebIdentity::of_principal("cognito-identity.amazonaws.com").unwrap()] {
                let _ = idp.claim_of(&key);
                for claim in ["sub", "aud", "repository", "other"] {
                    let _ = idp.judge_pattern(claim, &pattern);
                    let _ = idp.judge_pattern(claim, &key);
                }
            }
        }
    }

    #[test]
    fn wide_scope_says_whether_the_owner_is_fixed() {
        let gh = github();
        assert_eq!(gh.wide_scope("sub", "repo:*").0, "owner and repository");
        assert_eq!(gh.wide_scope("sub", "repo:octo*").0, "owner and repository");
        assert_eq!(gh.wide_scope("sub", "repo:octo-org/*:*").0, "repository");
        assert_eq!(
            gh.wide_scope("repository", "octo-org/app-*").0,
            "repository"
        );
        assert_eq!(
            gh.wide_scope("repository", "octo-*").0,
            "owner and repository"
        );
        let gitlab =
            WebIdentity::of_principal("arn:aws:iam::111122223333:oidc-provider/gitlab.com")
                .unwrap();
        assert_eq!(
            gitlab.wide_scope("sub", "project_path:*").0,
            "group and project"
        );
        assert_eq!(gitlab.wide_scope("sub", "project_path:grp/*").0, "project");
    }
}
