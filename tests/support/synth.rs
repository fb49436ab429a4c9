//! A deterministic synthetic organisation, shared by tests and benchmarks (benches include
//! this file with `#[path]`). It writes a monorepo-like tree: accounts in every format
//! iamlint reads (raw policy files in the directory convention, account authorization
//! dumps, Terraform plans, CloudFormation templates), AWS CLI `config` files, and the
//! unrelated JSON a real monorepo holds (package manifests, TypeScript configs, i18n
//! bundles, lock files); and, apart, a tree of hand-written Terraform (`.tf`, see
//! `synth_hcl.rs`). Problems are planted in known numbers, so a scan of the tree must
//! report exactly those; everything else is consistent (every trust has its grant and
//! every grant its trust), so any other finding is a false positive.
//!
//! The same seed and spec always give byte-identical trees.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The formats an account of the organisation is described in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `accounts/<id>/roles/<Role>/trust.json` (or `trust-policy.json`,
    /// `assume-role-policy.json`) + identity policies, `users/<User>/*.json`.
    Raw,
    /// `aws iam get-account-authorization-details` output (some documents URL-encoded).
    Dump,
    /// `terraform show -json` of a plan.
    TerraformPlan,
    /// A CloudFormation template (`${AWS::AccountId}` through `Fn::Sub`).
    CloudFormation,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Raw,
        Format::Dump,
        Format::TerraformPlan,
        Format::CloudFormation,
    ];

    /// Whether ARNs of this format spell the account number (CloudFormation spells
    /// `${AWS::AccountId}`, so other accounts cannot name its roles).
    fn literal_account(self) -> bool {
        self != Format::CloudFormation
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct OrgSpec {
    pub seed: u64,
    pub accounts: usize,
    /// Roles of the four ordinary kinds (team, service, deploy, app) per account.
    pub roles_per_account: usize,
    /// Developer users per account (at least one).
    pub users_per_account: usize,
    /// Formats, given to accounts in turn.
    pub formats: Vec<Format>,
    /// Unrelated files (package.json, tsconfig, i18n bundles, lock files, non-AWS `config`).
    pub noise_files: usize,
    /// IAM101 plants: a role whose identity policy allows `sts:AssumeRole` on `*`.
    pub wildcard_grants: usize,
    /// IAM102 plants: a role whose trust says `"AWS": "*"` with no condition.
    pub open_trusts: usize,
    /// IAM201 plants: user -> role -> role chains with no direct grant.
    pub console_chains: usize,
    /// Write AWS CLI `config` files with one role profile per team role.
    pub profiles: bool,
    /// Account 0 is a hub, written as an account dump: its humans, and one deployer role
    /// per other account, are granted roles in every account with literal ARNs, whose
    /// trusts name the hub as a whole account (`arn:aws:iam::<hub>:root` or the bare id),
    /// which pairs each such trust with every principal of the hub.
    pub hub: bool,
    /// Hub users whose policies reach every account's `-from-hub` role (with `hub`).
    pub hub_humans: usize,
    /// IAM104 plants (with `hub`): a role trusting the hub account that no hub principal
    /// is granted.
    pub hub_orphans: usize,
    /// AWS managed policies, three versions each, in every account dump (a real dump's
    /// bulk: AWS's own text, which no rule reports on).
    pub aws_managed: usize,
    /// Work policies get up to this many times their statements (1: a few hundred bytes;
    /// 8: files of 1–10 KB).
    pub statement_scale: usize,
    /// Role profiles in each CLI `config` beyond one per team role: the team roles again in
    /// other regions, and IAM Identity Center profiles.
    pub extra_profiles: usize,
}

/// The organisation shapes the benchmark measures (issue #16), each a monorepo of about N
/// files, half IAM configuration and half unrelated files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Every format in turn (half the CloudFormation stacks YAML).
    Mixed,
    /// CloudFormation and raw policy files, half the stacks YAML: template-heavy.
    Yaml,
    /// A hub account whose humans and deployers pair with roles in every other account,
    /// through trusts that name the hub as a whole account.
    Hub,
    /// Every format, the account dumps carrying 650 AWS managed policies of three versions.
    Dumps,
    /// Raw policy files only, of 1–10 KB: tens of thousands of small files.
    Small,
    /// Every format, CLI configs of hundreds of profiles.
    Profiles,
}

impl Shape {
    pub const ALL: [Shape; 6] = [
        Shape::Mixed,
        Shape::Yaml,
        Shape::Hub,
        Shape::Dumps,
        Shape::Small,
        Shape::Profiles,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Mixed => "mixed",
            Shape::Yaml => "yaml",
            Shape::Hub => "hub",
            Shape::Dumps => "dumps",
            Shape::Small => "small",
            Shape::Profiles => "profiles",
        }
    }

    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name.trim())
    }
}

impl OrgSpec {
    /// A small organisation with a few of every plant, every format and some noise. The
    /// other constructors take the shape fields they do not set from it.
    pub fn small() -> Self {
        OrgSpec {
            seed: 7,
            accounts: 8,
            roles_per_account: 12,
            users_per_account: 3,
            formats: Format::ALL.to_vec(),
            noise_files: 60,
            wildcard_grants: 3,
            open_trusts: 5,
            console_chains: 4,
            profiles: true,
            hub: false,
            hub_humans: 0,
            hub_orphans: 0,
            aws_managed: 0,
            statement_scale: 1,
            extra_profiles: 0,
        }
    }

    /// A small organisation of one shape, with a few of every plant.
    pub fn small_shaped(shape: Shape) -> Self {
        let mut spec = OrgSpec::small();
        spec.apply(shape);
        if shape == Shape::Dumps {
            // Enough to exercise the versions and attachments, small enough for a test.
            spec.aws_managed = 40;
        }
        spec
    }

    /// Sets the fields that make `shape` (not the sizes).
    fn apply(&mut self, shape: Shape) {
        match shape {
            Shape::Mixed => {}
            Shape::Yaml => self.formats = vec![Format::CloudFormation, Format::Raw],
            Shape::Hub => {
                self.hub = true;
                self.hub_humans = 12;
                self.hub_orphans = 3;
            }
            Shape::Dumps => self.aws_managed = 650,
            Shape::Small => {
                self.formats = vec![Format::Raw];
                self.statement_scale = 8;
            }
            Shape::Profiles => self.extra_profiles = 300,
        }
    }

    /// A monorepo of about `files` files in `shape`: half IAM configuration, half unrelated.
    pub fn shaped(shape: Shape, files: usize) -> Self {
        if shape == Shape::Mixed {
            return OrgSpec::with_files(files);
        }
        let mut spec = OrgSpec::with_files(files);
        spec.seed = 3 + shape as u64 * 1000;
        spec.apply(shape);
        // Files per account in this shape, from a sample of eight accounts (plants and
        // the hub aside, the accounts are alike).
        let mut sample = spec.clone();
        sample.accounts = 8;
        sample.hub = false;
        // Plants are spread over every account: eight accounts must not take them all.
        sample.wildcard_grants = 0;
        sample.open_trusts = 0;
        sample.console_chains = 0;
        let per = sample.iam_file_count() as f64 / 8.0;
        spec.accounts = ((files / 2) as f64 / per).round().max(4.0) as usize;
        spec.open_trusts = spec.accounts / 10 + 1;
        spec.console_chains = spec.accounts / 10 + 1;
        if spec.hub {
            spec.hub_humans = 100 + spec.accounts / 2;
            spec.hub_orphans = spec.accounts / 4 + 1;
        }
        spec.noise_files = files.saturating_sub(spec.iam_file_count());
        spec
    }

    /// An organisation of about `roles` roles (in every format), no noise.
    pub fn with_roles(roles: usize) -> Self {
        let per = 40;
        OrgSpec {
            seed: 11,
            accounts: roles.div_ceil(per).max(1),
            roles_per_account: per,
            users_per_account: 8,
            noise_files: 0,
            wildcard_grants: 2,
            open_trusts: 10,
            console_chains: 10,
            profiles: false,
            // The rest (every format, no hub, no AWS managed policies, no extra profiles) as
            // the small one.
            ..OrgSpec::small()
        }
    }

    /// A monorepo of about `files` candidate files: roughly half IAM configuration in every
    /// format, half unrelated JSON.
    pub fn with_files(files: usize) -> Self {
        // Four accounts (one of each format) take about 106 files with 40 roles each.
        let accounts = (files / 2 * 4 / 106).max(4);
        let mut spec = OrgSpec {
            seed: 3,
            accounts,
            roles_per_account: 40,
            users_per_account: 8,
            noise_files: 0,
            wildcard_grants: 2,
            open_trusts: accounts / 10 + 1,
            console_chains: accounts / 10 + 1,
            profiles: true,
            ..OrgSpec::small()
        };
        let iam = spec.iam_file_count();
        spec.noise_files = files.saturating_sub(iam);
        spec
    }

    fn format_of(&self, account: usize) -> Format {
        if self.hub && account == 0 {
            return Format::Dump;
        }
        self.formats
            .get(account % self.formats.len().max(1))
            .copied()
            .unwrap_or(Format::Raw)
    }

    /// Files the IAM part of the tree takes (everything but noise).
    pub fn iam_file_count(&self) -> usize {
        let mut n = 0;
        for a in 0..self.accounts {
            let plan = AccountPlan::new(self, a);
            n += match plan.format {
                Format::Raw => plan.raw_files(),
                Format::Dump | Format::CloudFormation => 1,
                Format::TerraformPlan => 1,
            };
            if self.profiles && plan.format.literal_account() {
                n += 1;
            }
        }
        n
    }
}

/// What was generated for one account, for the expected counts.
#[derive(Clone, Debug)]
pub struct AccountSummary {
    pub format: Format,
    pub id: String,
    /// All roles (ordinary, ci, sso and planted).
    pub roles: usize,
    /// All users (developers and chain plants).
    pub users: usize,
    /// Team roles: one user -> role edge each.
    pub team_edges: usize,
    /// Deploy roles: one ci -> role edge each, if `deploy_source` is loaded too.
    pub deploy_roles: usize,
    /// The account whose `ci` role assumes this account's deploy roles.
    pub deploy_source: usize,
    pub wildcard_grants: usize,
    pub open_trusts: usize,
    pub console_chains: usize,
    pub hub_orphans: usize,
}

/// The tree that was written and what a scan of it must find.
#[derive(Clone, Debug)]
pub struct Generated {
    pub root: PathBuf,
    /// Files written, by kind (`raw`, `dump`, `terraform`, `cloudformation`, `profiles`,
    /// `noise`).
    pub files_by_kind: BTreeMap<&'static str, usize>,
    pub files: usize,
    pub bytes: u64,
    pub accounts: Vec<AccountSummary>,
}

impl Generated {
    fn loaded<'a>(&'a self, loaded: &'a [Format]) -> impl Iterator<Item = &'a AccountSummary> {
        self.accounts
            .iter()
            .filter(move |a| loaded.contains(&a.format))
    }

    /// Roles a scan must find when the loaders of `loaded` formats are present.
    pub fn roles(&self, loaded: &[Format]) -> usize {
        self.loaded(loaded).map(|a| a.roles).sum()
    }

    pub fn users(&self, loaded: &[Format]) -> usize {
        self.loaded(loaded).map(|a| a.users).sum()
    }

    /// Graph nodes: every user and role.
    pub fn nodes(&self, loaded: &[Format]) -> usize {
        self.roles(loaded) + self.users(loaded)
    }

    /// Graph edges: team and deploy edges, two per chain, and one from each wildcard
    /// grant to every role (the graph keeps every pair either side mentions).
    pub fn edges(&self, loaded: &[Format]) -> usize {
        let roles = self.roles(loaded);
        self.loaded(loaded)
            .map(|a| {
                let source_loaded = self
                    .accounts
                    .get(a.deploy_source)
                    .is_some_and(|s| loaded.contains(&s.format));
                a.team_edges
                    + if source_loaded { a.deploy_roles } else { 0 }
                    + 2 * a.console_chains
                    + a.wildcard_grants * roles
            })
            .sum()
    }

    /// Findings per rule a scan must report (rules with none are absent).
    pub fn expected_findings(&self, loaded: &[Format]) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for a in self.loaded(loaded) {
            for (rule, n) in [
                ("IAM101", a.wildcard_grants),
                ("IAM102", a.open_trusts),
                ("IAM104", a.hub_orphans),
                ("IAM201", a.console_chains),
            ] {
                if n > 0 {
                    *out.entry(rule.to_owned()).or_insert(0) += n;
                }
            }
        }
        out
    }
}

#[path = "rng.rs"]
mod rng;
use rng::Rng;

#[path = "synth_hcl.rs"]
mod hcl;
#[allow(unused_imports)] // Not every includer generates the HCL tree.
pub use hcl::{audit_account_id, generate_hcl, HclGenerated, HclSpec};

/// Findings per rule id, to compare with what a tree plants.
pub fn counts_by_rule(results: &[iamlint::report::Resolved]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in results {
        *out.entry(r.finding.rule.to_owned()).or_insert(0) += 1;
    }
    out
}

/// One line per finding (rule, place, message), for an assertion's message.
pub fn listing(results: &[iamlint::report::Resolved]) -> String {
    results
        .iter()
        .map(|r| {
            format!(
                "{} {}:{} {}\n",
                r.finding.rule, r.primary.path, r.primary.start.0, r.finding.message
            )
        })
        .collect()
}

const SERVICES: &[&str] = &[
    "lambda.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "codebuild.amazonaws.com",
];

const WORK_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "kms:Decrypt",
    "ssm:GetParameter",
];

/// The account number of account `i`.
pub fn account_id(i: usize) -> String {
    format!("{}", 100_000_000_000u64 + i as u64 * 7)
}

/// The roles and users of one account, independent of the format they are written in.
struct AccountPlan {
    index: usize,
    id: String,
    format: Format,
    /// The `${AWS::AccountId}` or the number, as ARNs in this account spell it.
    arn_account: String,
    roles: Vec<RolePlan>,
    users: Vec<UserPlan>,
    deploy_source: usize,
    wildcard_grants: usize,
    open_trusts: usize,
    console_chains: usize,
    hub_orphans: usize,
}

struct RolePlan {
    name: String,
    trust: Value,
    /// Inline identity policies: (name, document).
    policies: Vec<(String, Value)>,
    /// An extra customer managed policy with work permissions (dumps and Terraform
    /// attach it; raw and CloudFormation inline it).
    managed: Option<(String, Value)>,
}

struct UserPlan {
    name: String,
    policies: Vec<(String, Value)>,
    /// Signs in to the console (a login profile where the format can say so).
    console: bool,
}

fn policy(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn trust_of(principal: Value, action: &str) -> Value {
    policy(vec![json!({
        "Effect": "Allow",
        "Principal": principal,
        "Action": action,
    })])
}

impl AccountPlan {
    fn new(spec: &OrgSpec, index: usize) -> Self {
        let format = spec.format_of(index);
        let id = account_id(index);
        let arn_account = if format.literal_account() {
            id.clone()
        } else {
            "${AWS::AccountId}".to_owned()
        };
        let mut rng = Rng(spec.seed ^ (index as u64).wrapping_mul(0x1000_0000_01B3));
        // Deploy roles are assumed by the ci role of the previous account with literal
        // account numbers (cyclically); CloudFormation accounts use their own ci role.
        let deploy_source = if format.literal_account() {
            (1..=spec.accounts)
                .map(|d| (index + spec.accounts - d) % spec.accounts)
                .find(|&a| spec.format_of(a).literal_account())
                .unwrap_or(index)
        } else {
            index
        };
        let deploy_target = if format.literal_account() {
            (1..=spec.accounts)
                .map(|d| (index + d) % spec.accounts)
                .find(|&a| spec.format_of(a).literal_account())
                .unwrap_or(index)
        } else {
            index
        };
        let a = format!("a{index}");
        let arn = |kind: &str, name: &str, acct: &str| format!("arn:aws:iam::{acct}:{kind}/{name}");
        let role_arn = |name: &str| arn("role", name, &arn_account);
        let user_arn = |name: &str| arn("user", name, &arn_account);
        let aws = |arn: String| {
            if format == Format::CloudFormation {
                json!({"AWS": {"Fn::Sub": arn}})
            } else {
                json!({"AWS": arn})
            }
        };
        let res = |arn: String| {
            if format == Format::CloudFormation && arn.contains("${") {
                json!({"Fn::Sub": arn})
            } else {
                Value::String(arn)
            }
        };
        let users_n = spec.users_per_account.max(1);
        let mut roles = Vec::new();
        let mut team_of_user: Vec<Vec<String>> = vec![Vec::new(); users_n];
        for k in 0..spec.roles_per_account {
            let (name, trust) = match k % 4 {
                0 => {
                    let name = format!("{a}-team-{k}");
                    let u = (k / 4) % users_n;
                    team_of_user[u].push(role_arn(&name));
                    let user = format!("{a}-dev-{u}");
                    (name, trust_of(aws(user_arn(&user)), "sts:AssumeRole"))
                }
                1 => (
                    format!("{a}-svc-{k}"),
                    trust_of(json!({"Service": rng.pick(SERVICES)}), "sts:AssumeRole"),
                ),
                2 => {
                    let name = format!("{a}-deploy-{k}");
                    let source = if format.literal_account() {
                        arn(
                            "role",
                            &format!("a{deploy_source}-ci"),
                            &account_id(deploy_source),
                        )
                    } else {
                        role_arn(&format!("{a}-ci"))
                    };
                    (name, trust_of(aws(source), "sts:AssumeRole"))
                }
                _ => (
                    format!("{a}-app-{k}"),
                    trust_of(json!({"Service": "ec2.amazonaws.com"}), "sts:AssumeRole"),
                ),
            };
            let work = work_policy(&mut rng, &a, &id, spec.statement_scale, 1 + k % 3);
            let managed = (k % 4 == 1).then(|| {
                (
                    format!("{a}-data-{k}"),
                    work_policy(&mut rng, &a, &id, spec.statement_scale, 4),
                )
            });
            roles.push(RolePlan {
                name,
                trust,
                policies: vec![("work".to_owned(), work)],
                managed,
            });
        }
        // The ci role assumes the deploy roles of the next account.
        let target_acct = if format.literal_account() {
            account_id(deploy_target)
        } else {
            arn_account.clone()
        };
        roles.push(RolePlan {
            name: format!("{a}-ci"),
            trust: trust_of(json!({"Service": "codebuild.amazonaws.com"}), "sts:AssumeRole"),
            policies: vec![(
                "deploy".to_owned(),
                policy(vec![json!({
                    "Sid": "AssumeDeployRoles",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": res(arn("role", &format!("a{deploy_target}-deploy-*"), &target_acct)),
                })]),
            )],
            managed: None,
        });
        // A SAML console role: a console identity that reaches nothing further.
        roles.push(RolePlan {
            name: format!("{a}-sso-admin"),
            trust: policy(vec![json!({
                "Effect": "Allow",
                "Principal": {"Federated": format!("arn:aws:iam::{id}:saml-provider/corp-idp")},
                "Action": "sts:AssumeRoleWithSAML",
                "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
            })]),
            policies: vec![(
                "read".to_owned(),
                work_policy(&mut rng, &a, &id, spec.statement_scale, 2),
            )],
            managed: None,
        });
        // Planted problems, spread over the accounts in turn.
        let share =
            |total: usize| total / spec.accounts + usize::from(index < total % spec.accounts);
        // A wildcard grant in the hub would be granted every role that trusts the hub,
        // and so hide the hub's IAM104 plants.
        let wildcard_grants = if spec.hub && index == 0 {
            0
        } else {
            share(spec.wildcard_grants)
        };
        let open_trusts = share(spec.open_trusts);
        let console_chains = share(spec.console_chains);
        for j in 0..wildcard_grants {
            roles.push(RolePlan {
                name: format!("{a}-wild-{j}"),
                trust: trust_of(json!({"Service": "lambda.amazonaws.com"}), "sts:AssumeRole"),
                policies: vec![(
                    "assume-anything".to_owned(),
                    policy(vec![json!({
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": "*",
                    })]),
                )],
                managed: None,
            });
        }
        for j in 0..open_trusts {
            roles.push(RolePlan {
                name: format!("{a}-open-{j}"),
                trust: trust_of(json!({"AWS": "*"}), "sts:AssumeRole"),
                policies: vec![(
                    "work".to_owned(),
                    work_policy(&mut rng, &a, &id, spec.statement_scale, 1),
                )],
                managed: None,
            });
        }
        let mut users: Vec<UserPlan> = (0..users_n)
            .map(|u| {
                let name = format!("{a}-dev-{u}");
                let mut policies = vec![(
                    "self-service".to_owned(),
                    policy(vec![json!({
                        "Sid": "OwnCredentials",
                        "Effect": "Allow",
                        "Action": ["iam:ChangePassword", "iam:GetUser", "iam:ListMFADevices"],
                        "Resource": res(user_arn(&name)),
                    })]),
                )];
                if let Some(targets) = team_of_user.get(u).filter(|t| !t.is_empty()) {
                    let list: Vec<Value> = targets.iter().map(|t| res(t.clone())).collect();
                    policies.push((
                        "switch-roles".to_owned(),
                        policy(vec![json!({
                            "Sid": "SwitchToTeamRoles",
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Resource": list,
                        })]),
                    ));
                }
                UserPlan {
                    name,
                    policies,
                    console: false,
                }
            })
            .collect();
        for j in 0..console_chains {
            let user = format!("{a}-hop-user-{j}");
            let first = format!("{a}-hop-{j}-1");
            let second = format!("{a}-hop-{j}-2");
            users.push(UserPlan {
                console: true,
                name: user.clone(),
                policies: vec![(
                    "switch".to_owned(),
                    policy(vec![json!({
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": res(role_arn(&first)),
                    })]),
                )],
            });
            roles.push(RolePlan {
                name: first.clone(),
                trust: trust_of(aws(user_arn(&user)), "sts:AssumeRole"),
                policies: vec![(
                    "next-hop".to_owned(),
                    policy(vec![json!({
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": res(role_arn(&second)),
                    })]),
                )],
                managed: None,
            });
            roles.push(RolePlan {
                name: second,
                trust: trust_of(aws(role_arn(&first)), "sts:AssumeRole"),
                policies: vec![(
                    "work".to_owned(),
                    work_policy(&mut rng, &a, &id, spec.statement_scale, 2),
                )],
                managed: None,
            });
        }
        let mut hub_orphans = 0;
        if spec.hub && index == 0 {
            hub_principals(spec, &a, &mut rng, &mut roles, &mut users);
        } else if spec.hub && format.literal_account() {
            // Trusts that name the hub as a whole account, in both spellings.
            let hub = account_id(0);
            let root = json!({"AWS": format!("arn:aws:iam::{hub}:root")});
            let bare = json!({"AWS": hub});
            let (first, second) = if index % 2 == 0 {
                (root, bare)
            } else {
                (bare, root)
            };
            for (name, principal) in [
                (format!("{a}-from-hub"), &first),
                (format!("{a}-deploy-from-hub"), &second),
            ] {
                roles.push(RolePlan {
                    name,
                    trust: trust_of(principal.clone(), "sts:AssumeRole"),
                    policies: vec![(
                        "work".to_owned(),
                        work_policy(&mut rng, &a, &id, spec.statement_scale, 2),
                    )],
                    managed: None,
                });
            }
            hub_orphans = share(spec.hub_orphans);
            for j in 0..hub_orphans {
                roles.push(RolePlan {
                    name: format!("{a}-orphan-{j}"),
                    trust: trust_of(
                        if j % 2 == 0 { &first } else { &second }.clone(),
                        "sts:AssumeRole",
                    ),
                    policies: vec![(
                        "work".to_owned(),
                        work_policy(&mut rng, &a, &id, spec.statement_scale, 1),
                    )],
                    managed: None,
                });
            }
        }
        AccountPlan {
            index,
            id,
            format,
            arn_account,
            roles,
            users,
            deploy_source,
            wildcard_grants,
            open_trusts,
            console_chains,
            hub_orphans,
        }
    }

    fn summary(&self, spec: &OrgSpec) -> AccountSummary {
        let users_n = spec.users_per_account.max(1);
        let count = |m: usize| (0..spec.roles_per_account).filter(|k| k % 4 == m).count();
        let _ = users_n;
        AccountSummary {
            format: self.format,
            id: self.id.clone(),
            roles: self.roles.len(),
            users: self.users.len(),
            team_edges: count(0),
            deploy_roles: count(2),
            deploy_source: self.deploy_source,
            wildcard_grants: self.wildcard_grants,
            open_trusts: self.open_trusts,
            console_chains: self.console_chains,
            hub_orphans: self.hub_orphans,
        }
    }

    /// Files of the directory convention: a trust and each policy per role, each policy
    /// per user.
    fn raw_files(&self) -> usize {
        self.roles
            .iter()
            .map(|r| 1 + r.policies.len() + usize::from(r.managed.is_some()))
            .sum::<usize>()
            + self.users.iter().map(|u| u.policies.len()).sum::<usize>()
    }
}

/// The hub's own principals: a deployer role per other account with literal ARNs, granted
/// that account's `-deploy-from-hub` role, and humans granted every account's `-from-hub`
/// role (a quarter by a list of ARNs, the rest by one pattern across accounts; a third of
/// them only with MFA, which makes each of their switches uncertain).
fn hub_principals(
    spec: &OrgSpec,
    a: &str,
    rng: &mut Rng,
    roles: &mut Vec<RolePlan>,
    users: &mut Vec<UserPlan>,
) {
    let spokes: Vec<usize> = (1..spec.accounts)
        .filter(|&k| spec.format_of(k).literal_account())
        .collect();
    for &k in &spokes {
        roles.push(RolePlan {
            name: format!("{a}-deployer-a{k}"),
            trust: trust_of(
                json!({"Service": "codebuild.amazonaws.com"}),
                "sts:AssumeRole",
            ),
            policies: vec![(
                "deploy".to_owned(),
                policy(vec![json!({
                    "Sid": "DeployIntoAccount",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": format!("arn:aws:iam::{}:role/a{k}-deploy-from-hub", account_id(k)),
                })]),
            )],
            managed: None,
        });
    }
    for j in 0..spec.hub_humans {
        let name = format!("{a}-human-{j}");
        let into = if j % 4 == 0 {
            json!(spokes
                .iter()
                .map(|&k| format!("arn:aws:iam::{}:role/a{k}-from-hub", account_id(k)))
                .collect::<Vec<_>>())
        } else {
            json!("arn:aws:iam::*:role/*-from-hub")
        };
        let mut switch = json!({
            "Sid": "SwitchIntoAccounts",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": into,
        });
        if j % 3 == 1 {
            switch["Condition"] = json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}});
        }
        users.push(UserPlan {
            policies: vec![
                (
                    "self-service".to_owned(),
                    policy(vec![json!({
                        "Sid": "OwnCredentials",
                        "Effect": "Allow",
                        "Action": ["iam:ChangePassword", "iam:GetUser"],
                        "Resource": format!("arn:aws:iam::{}:user/{name}", account_id(0)),
                    })]),
                ),
                ("into-accounts".to_owned(), policy(vec![switch])),
            ],
            name,
            console: rng.chance(50),
        });
    }
}

/// An identity policy with `n` statements of everyday permissions (about `n` times
/// `scale`, varied, when `scale` is above 1).
fn work_policy(rng: &mut Rng, a: &str, id: &str, scale: usize, n: usize) -> Value {
    let n = if scale > 1 {
        n * scale / 2 + rng.below(n * scale)
    } else {
        n
    };
    let statements = (0..n)
        .map(|s| {
            let actions: Vec<&str> = (0..1 + rng.below(4))
                .map(|_| *rng.pick(WORK_ACTIONS))
                .collect();
            let resource = match rng.below(3) {
                0 => json!([
                    format!("arn:aws:s3:::{a}-bucket-{s}"),
                    format!("arn:aws:s3:::{a}-bucket-{s}/*")
                ]),
                1 => json!(format!(
                    "arn:aws:dynamodb:us-east-1:{id}:table/{a}-table-{}",
                    rng.below(50)
                )),
                _ => json!(format!(
                    "arn:aws:sqs:eu-west-1:{id}:{a}-queue-{}",
                    rng.below(50)
                )),
            };
            let mut st = json!({
                "Sid": format!("Work{s}"),
                "Effect": "Allow",
                "Action": actions,
                "Resource": resource,
            });
            if rng.below(4) == 0 {
                st["Condition"] = json!({"Bool": {"aws:SecureTransport": "true"}});
            }
            st
        })
        .collect();
    policy(statements)
}

/// Percent-encodes a document the way the IAM API returns them.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

struct Writer {
    root: PathBuf,
    files_by_kind: BTreeMap<&'static str, usize>,
    bytes: u64,
}

impl Writer {
    fn write(&mut self, kind: &'static str, rel: &str, text: &str) {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create generated folder");
        }
        std::fs::write(&path, text).expect("write generated file");
        *self.files_by_kind.entry(kind).or_insert(0) += 1;
        self.bytes += text.len() as u64;
    }

    fn json(&mut self, kind: &'static str, rel: &str, value: &Value) {
        let mut text = serde_json::to_string_pretty(value).expect("serialise generated JSON");
        text.push('\n');
        self.write(kind, rel, &text);
    }
}

/// Writes the organisation under `root` (which should be empty) and says what it holds.
pub fn generate(root: &Path, spec: &OrgSpec) -> Generated {
    let mut w = Writer {
        root: root.to_path_buf(),
        files_by_kind: BTreeMap::new(),
        bytes: 0,
    };
    let mut accounts = Vec::new();
    let aws = aws_policies(spec.seed, spec.aws_managed);
    for i in 0..spec.accounts {
        let plan = AccountPlan::new(spec, i);
        match plan.format {
            Format::Raw => write_raw(&mut w, &plan),
            Format::Dump => write_dump(&mut w, &plan, &aws),
            Format::TerraformPlan => write_terraform(&mut w, &plan),
            Format::CloudFormation => write_cloudformation(&mut w, &plan),
        }
        if spec.profiles && plan.format.literal_account() {
            write_profiles(&mut w, &plan, spec.extra_profiles);
        }
        accounts.push(plan.summary(spec));
    }
    write_noise(&mut w, spec);
    let files = w.files_by_kind.values().sum();
    Generated {
        root: root.to_path_buf(),
        files_by_kind: w.files_by_kind,
        files,
        bytes: w.bytes,
        accounts,
    }
}

fn write_raw(w: &mut Writer, plan: &AccountPlan) {
    let base = format!("accounts/{}", plan.id);
    for r in &plan.roles {
        let dir = format!("{base}/roles/{}", r.name);
        // The names trust policies go by in real trees, in turn by account (a name the
        // convention does not place would turn every trust into two IAM301 errors).
        let trust = ["trust.json", "trust-policy.json", "assume-role-policy.json"][plan.index % 3];
        w.json("raw", &format!("{dir}/{trust}"), &r.trust);
        for (name, doc) in r.policies.iter().chain(r.managed.iter()) {
            w.json("raw", &format!("{dir}/{name}.json"), doc);
        }
    }
    for u in &plan.users {
        for (name, doc) in &u.policies {
            w.json("raw", &format!("{base}/users/{}/{name}.json", u.name), doc);
        }
    }
}

/// An AWS managed policy as a dump lists it: three versions, the last the default.
struct AwsPolicy {
    name: String,
    arn: String,
    versions: [Value; 3],
    /// Whether roles may attach it: it allows nothing on `sts` (AWS's `NotAction`
    /// policies, such as PowerUserAccess, are listed but never attached).
    attachable: bool,
}

const AWS_SERVICES: &[&str] = &[
    "s3",
    "ec2",
    "lambda",
    "dynamodb",
    "sqs",
    "sns",
    "rds",
    "cloudwatch",
    "logs",
    "kms",
    "ssm",
    "ecr",
    "ecs",
    "eks",
    "elasticloadbalancing",
    "autoscaling",
    "cloudformation",
    "route53",
    "apigateway",
    "glue",
    "athena",
    "kinesis",
    "firehose",
    "sagemaker",
    "redshift",
    "elasticache",
    "es",
    "secretsmanager",
    "codebuild",
    "codepipeline",
    "codecommit",
    "xray",
    "events",
    "states",
    "backup",
    "config",
    "guardduty",
    "securityhub",
];

const AWS_VERBS: &[&str] = &[
    "Describe*",
    "Get*",
    "List*",
    "BatchGet*",
    "Create*",
    "Update*",
    "Delete*",
    "Put*",
    "Tag*",
    "Untag*",
    "Start*",
    "Stop*",
];

const AWS_KINDS: &[&str] = &[
    "ReadOnlyAccess",
    "FullAccess",
    "ServiceRolePolicy",
    "ExecutionRole",
    "ConsoleAccess",
    "Policy",
];

/// `n` AWS managed policies, the same in every dump (as AWS's are in every account).
fn aws_policies(seed: u64, n: usize) -> Vec<AwsPolicy> {
    let mut rng = Rng(seed ^ 0xA3A3_0650);
    (0..n)
        .map(|i| {
            let svc = AWS_SERVICES[i % AWS_SERVICES.len()];
            let kind = AWS_KINDS[(i / AWS_SERVICES.len()) % AWS_KINDS.len()];
            let round = i / (AWS_SERVICES.len() * AWS_KINDS.len());
            let title: String = svc[..1].to_ascii_uppercase() + &svc[1..];
            let name = if round == 0 {
                format!("Amazon{title}{kind}")
            } else {
                format!("Amazon{title}{kind}V{round}")
            };
            let path = if kind == "ServiceRolePolicy" || kind == "ExecutionRole" {
                "service-role/"
            } else {
                ""
            };
            let attachable = i % 29 != 0;
            let mut statements: Vec<Value> = (0..1 + rng.below(8))
                .map(|s| {
                    let actions: Vec<String> = (0..3 + rng.below(30))
                        .map(|_| {
                            let on = if rng.chance(80) {
                                svc
                            } else {
                                rng.pick(AWS_SERVICES)
                            };
                            format!("{on}:{}", rng.pick(AWS_VERBS))
                        })
                        .collect();
                    let mut st = json!({"Sid": format!("{title}Access{s}"), "Effect": "Allow", "Action": actions, "Resource": "*"});
                    if rng.chance(20) {
                        st["Condition"] = json!({"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}});
                    }
                    st
                })
                .collect();
            if !attachable {
                statements.insert(
                    0,
                    json!({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}),
                );
            }
            let half = statements.len().div_ceil(2);
            let versions = [
                policy(statements.iter().take(1).cloned().collect()),
                policy(statements.iter().take(half).cloned().collect()),
                policy(statements),
            ];
            AwsPolicy {
                arn: format!("arn:aws:iam::aws:policy/{path}{name}"),
                name,
                versions,
                attachable,
            }
        })
        .collect()
}

fn write_dump(w: &mut Writer, plan: &AccountPlan, aws: &[AwsPolicy]) {
    let id = &plan.id;
    // The CLI prints documents as objects; the raw API returns them URL-encoded. Dumps
    // in the wild have both, so every third document is encoded.
    let mut n = 0usize;
    let mut doc = |v: &Value| {
        n += 1;
        if n % 3 == 0 {
            Value::String(url_encode(&serde_json::to_string(v).expect("serialise")))
        } else {
            v.clone()
        }
    };
    let date = "2024-03-01T12:00:00Z";
    let users: Vec<Value> = plan
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let mut user = json!({
                "Path": "/",
                "UserName": u.name,
                "UserId": format!("AIDA{:017}", plan.index * 1000 + i),
                "Arn": format!("arn:aws:iam::{id}:user/{}", u.name),
                "CreateDate": date,
                "UserPolicyList": u.policies.iter().map(|(name, d)| json!({"PolicyName": name, "PolicyDocument": doc(d)})).collect::<Vec<_>>(),
                "GroupList": [],
                "AttachedManagedPolicies": [],
                "Tags": [],
            });
            if u.console {
                // As in a dump enriched with `get-user` output.
                user["PasswordLastUsed"] = json!(date);
            }
            user
        })
        .collect();
    let mut managed = Vec::new();
    let roles: Vec<Value> = plan
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut attached: Vec<Value> = r
                .managed
                .iter()
                .map(|(name, d)| {
                    let arn = format!("arn:aws:iam::{id}:policy/{name}");
                    managed.push(json!({
                        "PolicyName": name,
                        "PolicyId": format!("ANPA{:017}", plan.index * 1000 + i),
                        "Arn": arn,
                        "Path": "/",
                        "DefaultVersionId": "v2",
                        "AttachmentCount": 1,
                        "IsAttachable": true,
                        "CreateDate": date,
                        "UpdateDate": date,
                        "PolicyVersionList": [
                            {"Document": doc(d), "VersionId": "v2", "IsDefaultVersion": true, "CreateDate": date},
                            {"Document": doc(&policy(vec![json!({"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"})])), "VersionId": "v1", "IsDefaultVersion": false, "CreateDate": date},
                        ],
                    }));
                    json!({"PolicyName": name, "PolicyArn": arn})
                })
                .collect();
            // App roles attach AWS managed policies, as real roles attach ReadOnlyAccess.
            let attachable: Vec<&AwsPolicy> = aws.iter().filter(|p| p.attachable).collect();
            if i % 4 == 3 && !attachable.is_empty() {
                for k in 0..2 {
                    let p = attachable[(i * 7 + k * 13) % attachable.len()];
                    attached.push(json!({"PolicyName": p.name, "PolicyArn": p.arn}));
                }
            }
            json!({
                "Path": "/",
                "RoleName": r.name,
                "RoleId": format!("AROA{:017}", plan.index * 1000 + i),
                "Arn": format!("arn:aws:iam::{id}:role/{}", r.name),
                "CreateDate": date,
                "AssumeRolePolicyDocument": doc(&r.trust),
                "InstanceProfileList": [],
                "RolePolicyList": r.policies.iter().map(|(name, d)| json!({"PolicyName": name, "PolicyDocument": doc(d)})).collect::<Vec<_>>(),
                "AttachedManagedPolicies": attached,
                "Tags": [],
                "RoleLastUsed": {},
            })
        })
        .collect();
    for (i, p) in aws.iter().enumerate() {
        let versions: Vec<Value> = p
            .versions
            .iter()
            .enumerate()
            .rev()
            .map(|(v, d)| {
                json!({"Document": doc(d), "VersionId": format!("v{}", v + 1), "IsDefaultVersion": v == 2, "CreateDate": date})
            })
            .collect();
        managed.push(json!({
            "PolicyName": p.name,
            "PolicyId": format!("ANPAAWS{i:013}"),
            "Arn": p.arn,
            "Path": "/",
            "DefaultVersionId": "v3",
            "AttachmentCount": 0,
            "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": true,
            "CreateDate": date,
            "UpdateDate": date,
            "PolicyVersionList": versions,
        }));
    }
    let dump = json!({
        "UserDetailList": users,
        "GroupDetailList": [],
        "RoleDetailList": roles,
        "Policies": managed,
    });
    w.json(
        "dump",
        &format!("inventory/{id}/authorization-details.json"),
        &dump,
    );
}

fn tf_resource(module: &str, kind: &str, name: &str, values: Value) -> Value {
    let address = if module.is_empty() {
        format!("{kind}.{name}")
    } else {
        format!("{module}.{kind}.{name}")
    };
    json!({
        "address": address,
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    })
}

fn tf_name(name: &str) -> String {
    name.replace('-', "_")
}

fn write_terraform(w: &mut Writer, plan: &AccountPlan) {
    let id = &plan.id;
    let text = |v: &Value| serde_json::to_string(v).expect("serialise");
    let mut root = Vec::new();
    let mut modules: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for u in &plan.users {
        let r = &mut root;
        r.push(tf_resource(
            "",
            "aws_iam_user",
            &tf_name(&u.name),
            json!({"name": u.name, "path": "/", "force_destroy": false, "tags": null}),
        ));
        for (pname, d) in &u.policies {
            r.push(tf_resource(
                "",
                "aws_iam_user_policy",
                &tf_name(&format!("{}-{pname}", u.name)),
                json!({"name": pname, "user": u.name, "policy": text(d)}),
            ));
        }
        if u.console {
            r.push(tf_resource(
                "",
                "aws_iam_user_login_profile",
                &tf_name(&u.name),
                json!({"user": u.name, "password_reset_required": true, "pgp_key": null}),
            ));
        }
    }
    for r in &plan.roles {
        let module = if r.name.contains("-team-") {
            "module.teams"
        } else if r.name.contains("-svc-") || r.name.contains("-app-") {
            "module.services"
        } else {
            ""
        };
        let list = if module.is_empty() {
            &mut root
        } else {
            modules.entry(module).or_default()
        };
        let key = tf_name(&r.name);
        list.push(tf_resource(
            module,
            "aws_iam_role",
            &key,
            json!({
                "name": r.name,
                "path": "/",
                "assume_role_policy": text(&r.trust),
                "max_session_duration": 3600,
                "description": null,
                "permissions_boundary": null,
                "tags": {"team": "platform"},
            }),
        ));
        for (pname, d) in &r.policies {
            list.push(tf_resource(
                module,
                "aws_iam_role_policy",
                &format!("{key}_{}", tf_name(pname)),
                json!({"name": pname, "role": r.name, "policy": text(d)}),
            ));
        }
        if let Some((pname, d)) = &r.managed {
            let parn = format!("arn:aws:iam::{id}:policy/{pname}");
            list.push(tf_resource(
                module,
                "aws_iam_policy",
                &tf_name(pname),
                json!({"name": pname, "path": "/", "arn": parn, "policy": text(d), "description": null}),
            ));
            list.push(tf_resource(
                module,
                "aws_iam_role_policy_attachment",
                &format!("{key}_data"),
                json!({"role": r.name, "policy_arn": parn}),
            ));
        }
    }
    let child_modules: Vec<Value> = modules
        .into_iter()
        .map(|(m, resources)| json!({"address": m, "resources": resources}))
        .collect();
    let plan_json = json!({
        "format_version": "1.2",
        "terraform_version": "1.7.5",
        "planned_values": {
            "root_module": {"resources": root, "child_modules": child_modules},
        },
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": "1.7.5",
            "values": {"root_module": {"resources": [{
                "address": "data.aws_caller_identity.current",
                "mode": "data",
                "type": "aws_caller_identity",
                "name": "current",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0,
                "values": {
                    "account_id": id,
                    "arn": format!("arn:aws:sts::{id}:assumed-role/terraform/ci"),
                    "id": id,
                    "user_id": "AROAEXAMPLE:ci",
                },
                "sensitive_values": {},
            }]}},
        },
        "resource_changes": [],
        "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}}},
    });
    w.json("terraform", &format!("infra/{id}/tfplan.json"), &plan_json);
}

fn cfn_id(name: &str) -> String {
    name.split('-')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn write_cloudformation(w: &mut Writer, plan: &AccountPlan) {
    let mut resources = serde_json::Map::new();
    let inline = |ps: &[(String, Value)]| -> Vec<Value> {
        ps.iter()
            .map(|(n, d)| json!({"PolicyName": n, "PolicyDocument": d}))
            .collect()
    };
    for u in &plan.users {
        let mut props = json!({"UserName": u.name, "Policies": inline(&u.policies)});
        if u.console {
            props["LoginProfile"] =
                json!({"Password": {"Ref": "InitialPassword"}, "PasswordResetRequired": true});
        }
        resources.insert(
            cfn_id(&u.name),
            json!({"Type": "AWS::IAM::User", "Properties": props}),
        );
    }
    for r in &plan.roles {
        let mut policies = r.policies.clone();
        policies.extend(r.managed.clone());
        resources.insert(
            cfn_id(&r.name),
            json!({
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": r.name,
                    "Path": "/",
                    "AssumeRolePolicyDocument": r.trust,
                    "Policies": inline(&policies),
                    "MaxSessionDuration": 3600,
                },
            }),
        );
    }
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("IAM for account a{}", plan.index),
        "Parameters": {"InitialPassword": {"Type": "String", "NoEcho": true}},
        "Resources": resources,
        "Outputs": {"CiRoleArn": {"Value": {"Fn::Sub": format!("arn:aws:iam::${{AWS::AccountId}}:role/a{}-ci", plan.index)}}},
    });
    // About half the stacks are YAML with short-form tags, as most hand-written templates
    // are (with the four formats taking turns, every other CloudFormation account).
    if plan.index % 8 >= 4 {
        let mut text = String::new();
        yaml_block(&template, 0, &mut text);
        w.write(
            "cloudformation",
            &format!("stacks/a{}/iam.template.yaml", plan.index),
            &text,
        );
    } else {
        w.json(
            "cloudformation",
            &format!("stacks/a{}/iam.template.json", plan.index),
            &template,
        );
    }
}

/// `{"Ref": x}` and `{"Fn::Sub": x}` as their YAML short-form tags.
fn short_form(v: &Value) -> Option<(String, &Value)> {
    let map = v.as_object().filter(|m| m.len() == 1)?;
    let (k, arg) = map.iter().next()?;
    match k.as_str() {
        "Ref" => Some(("!Ref".into(), arg)),
        k => k.strip_prefix("Fn::").map(|f| (format!("!{f}"), arg)),
    }
}

/// A value on one line: scalars (strings double-quoted, which JSON's escapes also are in
/// YAML), short forms, and flow collections.
fn yaml_inline(v: &Value) -> String {
    if let Some((tag, arg)) = short_form(v) {
        return format!("{tag} {}", yaml_inline(arg));
    }
    match v {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(yaml_inline).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let members: Vec<String> = map
                .iter()
                .map(|(k, x)| format!("{}: {}", Value::String(k.clone()), yaml_inline(x)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        other => other.to_string(),
    }
}

/// A value in YAML's block style, `indent` spaces in.
fn yaml_block(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let is_block = |x: &Value| match x {
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty() && short_form(x).is_none(),
        _ => false,
    };
    match v {
        Value::Object(map) if short_form(v).is_none() => {
            for (k, x) in map {
                if is_block(x) {
                    out.push_str(&format!("{pad}{k}:\n"));
                    yaml_block(x, indent + 2, out);
                } else {
                    out.push_str(&format!("{pad}{k}: {}\n", yaml_inline(x)));
                }
            }
        }
        Value::Array(items) => {
            for x in items {
                if is_block(x) {
                    let mut inner = String::new();
                    yaml_block(x, indent + 2, &mut inner);
                    out.push_str(&format!("{pad}- {}", inner.get(indent + 2..).unwrap_or("")));
                } else {
                    out.push_str(&format!("{pad}- {}\n", yaml_inline(x)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", yaml_inline(other))),
    }
}

fn write_profiles(w: &mut Writer, plan: &AccountPlan, extra: usize) {
    let mut text = String::from(
        "# Profiles for this account's team roles\n[default]\nregion = us-east-1\ncredential_process = /usr/local/bin/corp-credentials\n",
    );
    for r in plan.roles.iter().filter(|r| r.name.contains("-team-")) {
        let _ = write!(
            text,
            "\n[profile {name}]\nrole_arn = arn:aws:iam::{id}:role/{name}\nsource_profile = default\nregion = eu-west-1\n",
            name = r.name,
            id = plan.id
        );
    }
    // More profiles, as a platform team's shared config has: the team roles again in
    // other regions, and IAM Identity Center profiles.
    let team: Vec<&RolePlan> = plan
        .roles
        .iter()
        .filter(|r| r.name.contains("-team-"))
        .collect();
    const REGIONS: &[&str] = &["us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2"];
    for n in 0..extra {
        let region = REGIONS[n % REGIONS.len()];
        match team.get(n % team.len().max(1)) {
            Some(r) if n % 3 != 2 => {
                let _ = write!(
                    text,
                    "\n[profile {name}-{n}]\nrole_arn = arn:aws:iam::{id}:role/{name}\nsource_profile = default\nregion = {region}\noutput = json\n",
                    name = r.name,
                    id = plan.id
                );
            }
            _ => {
                let _ = write!(
                    text,
                    "\n[profile a{index}-sso-{n}]\nsso_session = corp\nsso_account_id = {id}\nsso_role_name = ReadOnly{k}\nregion = {region}\n",
                    index = plan.index,
                    id = plan.id,
                    k = n % 7
                );
            }
        }
    }
    if extra > 0 {
        text.push_str("\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n");
    }
    w.write(
        "profiles",
        &format!("tools/aws/a{}/config", plan.index),
        &text,
    );
}

const WORDS: &[&str] = &[
    "account", "balance", "transfer", "settings", "profile", "welcome", "logout", "error", "retry",
    "confirm", "cancel", "payment", "history", "search", "filter", "export",
];

const LANGS: &[&str] = &["en", "de", "fr", "es", "ja", "pt-BR"];

fn write_noise(w: &mut Writer, spec: &OrgSpec) {
    let mut rng = Rng(spec.seed ^ 0xA5A5_5A5A);
    for n in 0..spec.noise_files {
        let pkg = n / 10;
        match n % 10 {
            0 => {
                let deps: serde_json::Map<String, Value> = (0..5 + rng.below(20))
                    .map(|d| {
                        (
                            format!("@corp/lib-{}", (pkg + d * 7) % 500),
                            json!(format!("^{}.{}.0", rng.below(5), rng.below(20))),
                        )
                    })
                    .collect();
                w.json(
                    "noise",
                    &format!("packages/pkg-{pkg}/package.json"),
                    &json!({"name": format!("@corp/pkg-{pkg}"), "version": "1.0.0", "private": true,
                        "scripts": {"build": "tsc -b", "test": "vitest run"}, "dependencies": deps}),
                );
            }
            1 => {
                // tsconfig with comments: JSONC, invalid JSON, and none of iamlint's business.
                w.write(
                    "noise",
                    &format!("packages/pkg-{pkg}/tsconfig.json"),
                    "{\n  // shared settings\n  \"extends\": \"../../tsconfig.base.json\",\n  \"compilerOptions\": {\"outDir\": \"dist\", \"strict\": true,},\n}\n",
                );
            }
            2 => {
                // A lock file: big, flat, and ours by no name or marker.
                let packages: serde_json::Map<String, Value> = (0..40 + rng.below(80))
                    .map(|d| {
                        (format!("node_modules/dep-{d}"), json!({"version": format!("{}.{}.{}", rng.below(9), rng.below(30), rng.below(9)),
                          "resolved": format!("https://registry.npmjs.org/dep-{d}/-/dep-{d}.tgz"),
                          "integrity": format!("sha512-{:016x}{:016x}", rng.next(), rng.next())}))
                    })
                    .collect();
                w.json(
                    "noise",
                    &format!("packages/pkg-{pkg}/package-lock.json"),
                    &json!({"name": format!("@corp/pkg-{pkg}"), "lockfileVersion": 3, "packages": packages}),
                );
            }
            4 => {
                // Kubernetes YAML: no template, never parsed.
                w.write(
                    "noise",
                    &format!("packages/pkg-{pkg}/deploy/k8s.yaml"),
                    &format!(
                        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pkg-{pkg}\nspec:\n  replicas: {}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: corp/pkg-{pkg}:1.0\n          resources: {{limits: {{cpu: \"1\"}}}}\n",
                        1 + rng.below(5)
                    ),
                );
            }
            3 => {
                // Not an AWS config: iamlint must sniff it away.
                w.write(
                    "noise",
                    &format!("packages/pkg-{pkg}/config"),
                    "[core]\n\trepositoryformatversion = 0\n[remote \"origin\"]\n\turl = git@example.com:corp/app.git\n",
                );
            }
            _ => {
                let lang = LANGS[n % LANGS.len()];
                let mut bundle = serde_json::Map::new();
                for s in 0..3 + rng.below(6) {
                    let section: serde_json::Map<String, Value> = (0..10 + rng.below(40))
                        .map(|k| {
                            let words: Vec<&str> =
                                (0..2 + rng.below(8)).map(|_| *rng.pick(WORDS)).collect();
                            (format!("{}_{k}", rng.pick(WORDS)), json!(words.join(" ")))
                        })
                        .collect();
                    bundle.insert(format!("{}{s}", rng.pick(WORDS)), Value::Object(section));
                }
                // Some bundles happen to use a key iamlint sniffs for.
                if n % 7 == 0 {
                    bundle.insert("resource".into(), json!({"notFound": "not found"}));
                }
                w.json(
                    "noise",
                    &format!("packages/pkg-{pkg}/locales/{lang}-{n}.json"),
                    &Value::Object(bundle),
                );
            }
        }
    }
}
