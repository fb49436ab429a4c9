//! The HCL shape of the synthetic organisation (issue #12): hand-written Terraform, one
//! root module per account (`accounts/<id>/iam/*.tf`) plus a shared local module
//! (`modules/team-role/`), next to as many unrelated `.tf` files (S3, EC2, security
//! groups, registry modules, outputs) in `services/<name>/`.
//!
//! Every account folder has a `providers.tf` (`provider "aws"` with
//! `allowed_account_ids`, and in every third account an aliased provider whose
//! `assume_role` reaches a shared audit account), `variables.tf` (with defaults),
//! `locals.tf`, `terraform.tfvars`, and `.tf` files of a few IAM resources each, written
//! the ways people write them: trust and identity policies as `jsonencode({...})`, as
//! `<<EOF` heredoc JSON and as `data "aws_iam_policy_document"`; `aws_iam_role_policy`,
//! `aws_iam_policy` + `aws_iam_role_policy_attachment`, users, groups and memberships;
//! references (`aws_iam_role.ci.arn`, `"arn:aws:iam::${var.account_id}:role/…"`),
//! `for_each` over local maps, and a `for_each` call of the local module.
//!
//! As in the JSON shapes, every trust has its grant and every grant its trust (team roles
//! trust the account's developers, whose group may assume `<a>-team-*`; deploy roles trust
//! the previous account's `ci` role, which may assume `<a>-deploy-*` of the next; audit
//! readers in the audit account trust their account's `ci` role by reference, which is
//! granted them by reference), and problems are planted in known numbers: IAM101
//! (`sts:AssumeRole` on `*`) and IAM102 (`"AWS" = "*"` with no condition). A scan that
//! reads the `.tf` files must report exactly those.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::rng::Rng;
use super::{account_id, Writer, SERVICES, WORK_ACTIONS};

/// `.tf` files of the shared local module (`modules/team-role/`).
const MODULE_FILES: usize = 3;
/// `.tf` files every account folder has besides its role files: providers, variables,
/// locals, users, team roles, ci, sso.
const FIXED_FILES: usize = 7;
/// `.tf` files of an account folder, so role files are this less [`FIXED_FILES`].
const FILES_PER_ACCOUNT: usize = 25;
/// `.tf` files of an unrelated service folder.
const NOISE_PER_FOLDER: usize = 10;

/// What to generate.
#[derive(Clone, Debug)]
pub struct HclSpec {
    pub seed: u64,
    /// `.tf` files of the IAM root modules and the shared module, together (exactly this
    /// many from 10 + 7 per account up).
    pub iam_files: usize,
    /// Unrelated `.tf` files (exactly this many).
    pub noise_files: usize,
    /// Developer users per account (at least one).
    pub users_per_account: usize,
    /// Team roles per account (made by the local module, `for_each` over a local map).
    pub team_roles: usize,
    /// IAM101 plants: a role whose identity policy allows `sts:AssumeRole` on `*`.
    pub wildcard_grants: usize,
    /// IAM102 plants: a role whose trust says `"AWS" = "*"` with no condition.
    pub open_trusts: usize,
    /// Every unrelated service folder also defines its ECS task role (`iam.tf`), so every
    /// folder is evaluated and parsed: a repository whose services each carry their own
    /// IAM beside their buckets and instances.
    pub service_roles: bool,
}

impl HclSpec {
    /// `iam_files` IAM `.tf` files and as many unrelated ones.
    pub fn with_files(iam_files: usize) -> Self {
        let mut spec = HclSpec {
            seed: 13,
            iam_files,
            noise_files: iam_files,
            users_per_account: 4,
            team_roles: 4,
            wildcard_grants: 2,
            open_trusts: 0,
            service_roles: false,
        };
        spec.open_trusts = spec.accounts() / 10 + 1;
        spec
    }

    /// [`HclSpec::with_files`] whose service folders each hold a role as well.
    pub fn with_service_roles(iam_files: usize) -> Self {
        HclSpec {
            service_roles: true,
            ..HclSpec::with_files(iam_files)
        }
    }

    /// Findings per rule a scan must report (rules with none are absent); the same as
    /// [`HclGenerated::expected_findings`], without generating.
    pub fn planted(&self) -> BTreeMap<String, usize> {
        [
            ("IAM101", self.wildcard_grants),
            ("IAM102", self.open_trusts),
        ]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(rule, n)| (rule.to_owned(), n))
        .collect()
    }

    /// Account folders (root modules).
    pub fn accounts(&self) -> usize {
        (self.iam_files.saturating_sub(MODULE_FILES) / FILES_PER_ACCOUNT).max(1)
    }

    /// Role files of account `index` (one service or deploy role each).
    fn role_files(&self, index: usize) -> usize {
        let accounts = self.accounts();
        let total = self
            .iam_files
            .saturating_sub(MODULE_FILES + FIXED_FILES * accounts);
        total / accounts + usize::from(index < total % accounts)
    }
}

/// The tree that was written and what a scan that reads `.tf` files must find.
#[derive(Clone, Debug)]
pub struct HclGenerated {
    pub root: PathBuf,
    /// Files written, by kind: `hcl-iam` (`.tf` of the account folders and the shared
    /// module), `hcl-tfvars`, `hcl-noise` (unrelated `.tf`).
    pub files_by_kind: BTreeMap<&'static str, usize>,
    pub files: usize,
    pub bytes: u64,
    pub accounts: usize,
    /// Roles, the audit readers (which live in the audit account) included.
    pub roles: usize,
    pub users: usize,
    pub wildcard_grants: usize,
    pub open_trusts: usize,
}

impl HclGenerated {
    /// Findings per rule a scan must report (rules with none are absent).
    pub fn expected_findings(&self) -> BTreeMap<String, usize> {
        [
            ("IAM101", self.wildcard_grants),
            ("IAM102", self.open_trusts),
        ]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(rule, n)| (rule.to_owned(), n))
        .collect()
    }
}

/// The account the aliased `aws.audit` providers assume a role in (no folder of its own).
pub fn audit_account_id() -> String {
    "999999999999".to_owned()
}

/// A value in a policy: a template string (HCL escapes, `${…}` interpolations) or a
/// reference expression (`aws_iam_role.ci.arn`).
#[derive(Clone)]
enum Val {
    Str(String),
    Ref(String),
}

impl Val {
    fn hcl(&self) -> String {
        match self {
            Val::Str(s) => format!("\"{s}\""),
            Val::Ref(r) => r.clone(),
        }
    }

    /// As a JSON string inside a heredoc template.
    fn json(&self) -> String {
        match self {
            Val::Str(s) => format!("\"{s}\""),
            Val::Ref(r) => format!("\"${{{r}}}\""),
        }
    }
}

fn s(text: impl Into<String>) -> Val {
    Val::Str(text.into())
}

struct Stmt {
    sid: Option<String>,
    /// (`AWS`, `Service` or `Federated`, values).
    principal: Option<(&'static str, Vec<Val>)>,
    actions: Vec<&'static str>,
    resources: Vec<Val>,
    /// (test, variable, value).
    condition: Option<(&'static str, &'static str, &'static str)>,
}

fn trust(kind: &'static str, who: Vec<Val>, action: &'static str) -> Vec<Stmt> {
    vec![Stmt {
        sid: None,
        principal: Some((kind, who)),
        actions: vec![action],
        resources: Vec::new(),
        condition: None,
    }]
}

fn grant(sid: &str, resources: Vec<Val>) -> Stmt {
    Stmt {
        sid: Some(sid.to_owned()),
        principal: None,
        actions: vec!["sts:AssumeRole"],
        resources,
        condition: None,
    }
}

/// `n` statements of everyday permissions.
fn work(rng: &mut Rng, a: &str, n: usize) -> Vec<Stmt> {
    (0..n)
        .map(|i| {
            let mut actions: Vec<&'static str> = (0..1 + rng.below(4))
                .map(|_| *rng.pick(WORK_ACTIONS))
                .collect();
            actions.sort_unstable();
            actions.dedup();
            let resources = match rng.below(3) {
                0 => vec![
                    s(format!("arn:aws:s3:::{a}-bucket-{i}")),
                    s(format!("arn:aws:s3:::{a}-bucket-{i}/*")),
                ],
                1 => vec![s(format!(
                    "arn:aws:dynamodb:${{var.region}}:${{var.account_id}}:table/{a}-table-{}",
                    rng.below(50)
                ))],
                _ => vec![s(format!(
                    "arn:aws:sqs:${{var.region}}:${{local.account_id}}:{a}-queue-{}",
                    rng.below(50)
                ))],
            };
            Stmt {
                sid: Some(format!("Work{i}")),
                principal: None,
                actions,
                resources,
                condition: (rng.below(4) == 0).then_some(("Bool", "aws:SecureTransport", "true")),
            }
        })
        .collect()
}

fn list(vals: &[Val], render: impl Fn(&Val) -> String) -> String {
    if vals.len() == 1 {
        render(&vals[0])
    } else {
        let items: Vec<String> = vals.iter().map(render).collect();
        format!("[{}]", items.join(", "))
    }
}

/// `jsonencode({...})` at `indent` spaces (the expression starts where it is written).
fn jsonencode(stmts: &[Stmt], indent: usize) -> String {
    let p = " ".repeat(indent);
    let mut out = String::from("jsonencode({\n");
    let _ = writeln!(out, "{p}  Version = \"2012-10-17\"");
    let _ = writeln!(out, "{p}  Statement = [");
    for st in stmts {
        let _ = writeln!(out, "{p}    {{");
        if let Some(sid) = &st.sid {
            let _ = writeln!(out, "{p}      Sid    = \"{sid}\"");
        }
        let _ = writeln!(out, "{p}      Effect = \"Allow\"");
        if let Some((kind, who)) = &st.principal {
            let _ = writeln!(
                out,
                "{p}      Principal = {{\n{p}        {kind} = {}\n{p}      }}",
                list(who, Val::hcl)
            );
        }
        let actions: Vec<Val> = st.actions.iter().map(|a| s(*a)).collect();
        let _ = writeln!(out, "{p}      Action = {}", list(&actions, Val::hcl));
        if !st.resources.is_empty() {
            let _ = writeln!(out, "{p}      Resource = {}", list(&st.resources, Val::hcl));
        }
        if let Some((test, var, value)) = st.condition {
            let _ = writeln!(
                out,
                "{p}      Condition = {{\n{p}        {test} = {{\n{p}          \"{var}\" = \"{value}\"\n{p}        }}\n{p}      }}"
            );
        }
        let _ = writeln!(out, "{p}    }},");
    }
    let _ = writeln!(out, "{p}  ]");
    let _ = write!(out, "{p}}})");
    out
}

/// A `<<EOF` heredoc holding the document as JSON (references interpolated).
fn heredoc(stmts: &[Stmt]) -> String {
    let mut out = String::from("<<EOF\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for (i, st) in stmts.iter().enumerate() {
        let mut fields = Vec::new();
        if let Some(sid) = &st.sid {
            fields.push(format!("\"Sid\": \"{sid}\""));
        }
        fields.push("\"Effect\": \"Allow\"".to_owned());
        if let Some((kind, who)) = &st.principal {
            fields.push(format!(
                "\"Principal\": {{\"{kind}\": {}}}",
                list(who, Val::json)
            ));
        }
        let actions: Vec<Val> = st.actions.iter().map(|a| s(*a)).collect();
        fields.push(format!("\"Action\": {}", list(&actions, Val::json)));
        if !st.resources.is_empty() {
            fields.push(format!("\"Resource\": {}", list(&st.resources, Val::json)));
        }
        if let Some((test, var, value)) = st.condition {
            fields.push(format!(
                "\"Condition\": {{\"{test}\": {{\"{var}\": \"{value}\"}}}}"
            ));
        }
        let _ = write!(out, "    {{\n      {}\n    }}", fields.join(",\n      "));
        out.push_str(if i + 1 < stmts.len() { ",\n" } else { "\n" });
    }
    out.push_str("  ]\n}\nEOF");
    out
}

/// A `data "aws_iam_policy_document"` block.
fn policy_document(name: &str, stmts: &[Stmt]) -> String {
    let mut out = format!("data \"aws_iam_policy_document\" \"{name}\" {{\n");
    for st in stmts {
        out.push_str("  statement {\n");
        if let Some(sid) = &st.sid {
            let _ = writeln!(out, "    sid     = \"{sid}\"");
        }
        out.push_str("    effect  = \"Allow\"\n");
        let actions: Vec<String> = st.actions.iter().map(|a| format!("\"{a}\"")).collect();
        let _ = writeln!(out, "    actions = [{}]", actions.join(", "));
        if let Some((kind, who)) = &st.principal {
            let ids: Vec<String> = who.iter().map(Val::hcl).collect();
            let _ = writeln!(
                out,
                "\n    principals {{\n      type        = \"{kind}\"\n      identifiers = [{}]\n    }}",
                ids.join(", ")
            );
        }
        if !st.resources.is_empty() {
            let res: Vec<String> = st.resources.iter().map(Val::hcl).collect();
            if res.len() == 1 {
                let _ = writeln!(out, "    resources = [{}]", res[0]);
            } else {
                let _ = writeln!(
                    out,
                    "    resources = [\n      {},\n    ]",
                    res.join(",\n      ")
                );
            }
        }
        if let Some((test, var, value)) = st.condition {
            let _ = writeln!(
                out,
                "\n    condition {{\n      test     = \"{test}\"\n      variable = \"{var}\"\n      values   = [\"{value}\"]\n    }}"
            );
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

/// How a document is written.
#[derive(Clone, Copy)]
enum Style {
    JsonEncode,
    Heredoc,
    Document,
}

/// The attribute value for a document in `style`; a `Document` block is pushed to `data`.
fn doc_value(style: Style, data_name: &str, stmts: &[Stmt], data: &mut String) -> String {
    match style {
        Style::JsonEncode => jsonencode(stmts, 2),
        Style::Heredoc => heredoc(stmts),
        Style::Document => {
            data.push('\n');
            data.push_str(&policy_document(data_name, stmts));
            format!("data.aws_iam_policy_document.{data_name}.json")
        }
    }
}

/// One role with its trust, an inline policy and optional extras, as one `.tf` text.
struct RoleTf<'a> {
    key: &'a str,
    name: String,
    trust: Vec<Stmt>,
    trust_style: Style,
    inline: Option<(&'a str, Vec<Stmt>, Style)>,
    provider: Option<&'a str>,
    description: Option<String>,
}

impl RoleTf<'_> {
    fn render(&self, out: &mut String) {
        let key = self.key;
        let mut data = String::new();
        let trust = doc_value(
            self.trust_style,
            &format!("{key}_trust"),
            &self.trust,
            &mut data,
        );
        let _ = writeln!(out, "resource \"aws_iam_role\" \"{key}\" {{");
        if let Some(p) = self.provider {
            let _ = writeln!(out, "  provider = {p}\n");
        }
        let _ = writeln!(out, "  name = \"{}\"", self.name);
        if let Some(d) = &self.description {
            let _ = writeln!(out, "  description = \"{d}\"");
        }
        let _ = writeln!(out, "  assume_role_policy = {trust}");
        out.push_str(
            "  max_session_duration = var.session_hours * 3600\n\n  tags = local.common_tags\n}\n",
        );
        if let Some((pname, stmts, style)) = &self.inline {
            let policy = doc_value(*style, &format!("{key}_{pname}"), stmts, &mut data);
            let _ = writeln!(
                out,
                "\nresource \"aws_iam_role_policy\" \"{key}_{pname}\" {{"
            );
            if let Some(p) = self.provider {
                let _ = writeln!(out, "  provider = {p}\n");
            }
            let _ = writeln!(
                out,
                "  name   = \"{}\"\n  role   = aws_iam_role.{key}.id\n  policy = {policy}\n}}",
                pname.replace('_', "-")
            );
        }
        out.push_str(&data);
    }
}

fn attachment(out: &mut String, key: &str, role_key: &str, policy_arn: &str) {
    let _ = writeln!(
        out,
        "\nresource \"aws_iam_role_policy_attachment\" \"{key}\" {{\n  role       = aws_iam_role.{role_key}.name\n  policy_arn = {policy_arn}\n}}"
    );
}

const MANAGED: &[&str] = &[
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
    "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess",
];

/// Counts of one account, for the summary.
#[derive(Default)]
struct Counts {
    roles: usize,
    users: usize,
    wildcard_grants: usize,
    open_trusts: usize,
}

fn write_account(w: &mut Writer, spec: &HclSpec, index: usize, c: &mut Counts) {
    let accounts = spec.accounts();
    let id = account_id(index);
    let prev = (index + accounts - 1) % accounts;
    let next = (index + 1) % accounts;
    let a = format!("a{index}");
    let dir = format!("accounts/{id}/iam");
    let audit = index % 3 == 0;
    let mut rng = Rng(spec.seed ^ (index as u64).wrapping_mul(0x1000_0000_01B3));
    let share = |total: usize| total / accounts + usize::from(index < total % accounts);
    let wildcard_grants = share(spec.wildcard_grants);
    let open_trusts = share(spec.open_trusts);
    let users_n = spec.users_per_account.max(1);

    // providers.tf
    let mut t = format!(
        "terraform {{\n  required_version = \">= 1.5\"\n\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.40\"\n    }}\n  }}\n\n  backend \"s3\" {{\n    bucket         = \"corp-terraform-state\"\n    key            = \"accounts/{id}/iam.tfstate\"\n    region         = \"us-east-1\"\n    dynamodb_table = \"terraform-locks\"\n    encrypt        = true\n  }}\n}}\n\nprovider \"aws\" {{\n  region              = var.region\n  allowed_account_ids = [\"{id}\"]\n\n  default_tags {{\n    tags = local.common_tags\n  }}\n}}\n"
    );
    if audit {
        let _ = write!(
            t,
            "\n# Audit readers live in the security account.\nprovider \"aws\" {{\n  alias  = \"audit\"\n  region = var.region\n\n  assume_role {{\n    role_arn     = \"arn:aws:iam::{}:role/OrganizationAccountAccessRole\"\n    session_name = \"terraform-{a}\"\n  }}\n}}\n",
            audit_account_id()
        );
    }
    w.write("hcl-iam", &format!("{dir}/providers.tf"), &t);

    // variables.tf
    let t = format!(
        "variable \"account_id\" {{\n  description = \"The account this root module manages.\"\n  type        = string\n  default     = \"{id}\"\n}}\n\nvariable \"ci_account_id\" {{\n  description = \"The account whose ci role deploys here.\"\n  type        = string\n  default     = \"{prev_id}\"\n}}\n\nvariable \"region\" {{\n  type    = string\n  default = \"eu-west-1\"\n}}\n\nvariable \"environment\" {{\n  type    = string\n  default = \"dev\"\n\n  validation {{\n    condition     = contains([\"dev\", \"staging\", \"prod\"], var.environment)\n    error_message = \"Unknown environment.\"\n  }}\n}}\n\nvariable \"session_hours\" {{\n  description = \"Maximum session length of the roles, in hours.\"\n  type        = number\n  default     = 1\n}}\n\nvariable \"tags\" {{\n  type    = map(string)\n  default = {{}}\n}}\n",
        prev_id = account_id(prev)
    );
    w.write("hcl-iam", &format!("{dir}/variables.tf"), &t);
    w.write(
        "hcl-tfvars",
        &format!("{dir}/terraform.tfvars"),
        &format!(
            "environment = \"{}\"\ntags = {{\n  cost_center = \"cc-{}\"\n  owner       = \"platform\"\n}}\n",
            ["dev", "staging", "prod"][index % 3],
            1000 + index % 97
        ),
    );

    // locals.tf
    let mut t = format!(
        "locals {{\n  account_id      = var.account_id\n  next_account_id = \"{}\"\n  name_prefix     = \"{a}\"\n\n  common_tags = merge(var.tags, {{\n    account     = var.account_id\n    environment = var.environment\n    managed_by  = \"terraform\"\n  }})\n\n  developer_arns = [\n",
        account_id(next)
    );
    for u in 0..users_n {
        let _ = writeln!(
            t,
            "    \"arn:aws:iam::${{var.account_id}}:user/{a}-dev-{u}\","
        );
    }
    t.push_str("  ]\n\n  team_roles = {\n");
    for k in 0..spec.team_roles {
        let _ = writeln!(
            t,
            "    \"{a}-team-{k}\" = {{\n      max_session_duration = {}\n      bucket               = \"{a}-team-{k}-data\"\n    }}",
            3600 * (1 + k % 2)
        );
    }
    t.push_str("  }\n\n  readonly_policies = {\n");
    for (i, arn) in MANAGED.iter().take(2).enumerate() {
        let _ = writeln!(t, "    policy_{i} = \"{arn}\"");
    }
    t.push_str("  }\n}\n");
    w.write("hcl-iam", &format!("{dir}/locals.tf"), &t);

    // users.tf: users, groups, memberships, the group's grant of the team roles.
    let mut t = String::new();
    for u in 0..users_n {
        let _ = writeln!(
            t,
            "resource \"aws_iam_user\" \"dev_{u}\" {{\n  name          = \"{a}-dev-{u}\"\n  path          = \"/\"\n  force_destroy = false\n\n  tags = {{\n    team = \"team-{}\"\n  }}\n}}\n",
            u % 3
        );
    }
    let _ = writeln!(
        t,
        "resource \"aws_iam_group\" \"developers\" {{\n  name = \"{a}-developers\"\n  path = \"/\"\n}}\n\nresource \"aws_iam_group\" \"readers\" {{\n  name = \"{a}-readers\"\n}}\n\nresource \"aws_iam_group_membership\" \"developers\" {{\n  name  = \"{a}-developers-membership\"\n  group = aws_iam_group.developers.name\n\n  users = ["
    );
    for u in 0..users_n {
        let _ = writeln!(t, "    aws_iam_user.dev_{u}.name,");
    }
    let _ = writeln!(
        t,
        "  ]\n}}\n\nresource \"aws_iam_user_group_membership\" \"dev_0\" {{\n  user   = aws_iam_user.dev_0.name\n  groups = [aws_iam_group.readers.name]\n}}\n\nresource \"aws_iam_group_policy_attachment\" \"readers\" {{\n  group      = aws_iam_group.readers.name\n  policy_arn = \"arn:aws:iam::aws:policy/ReadOnlyAccess\"\n}}\n"
    );
    let switch = vec![grant(
        "SwitchToTeamRoles",
        vec![s(
            "arn:aws:iam::${var.account_id}:role/${local.name_prefix}-team-*",
        )],
    )];
    let _ = writeln!(
        t,
        "resource \"aws_iam_group_policy\" \"switch_roles\" {{\n  name  = \"switch-to-team-roles\"\n  group = aws_iam_group.developers.id\n  policy = {}\n}}\n",
        jsonencode(&switch, 2)
    );
    for u in 0..users_n {
        let _ = writeln!(
            t,
            "resource \"aws_iam_user_policy\" \"self_service_{u}\" {{\n  name   = \"self-service\"\n  user   = aws_iam_user.dev_{u}.name\n  policy = data.aws_iam_policy_document.self_service.json\n}}\n"
        );
    }
    t.push_str(&policy_document(
        "self_service",
        &[Stmt {
            sid: Some("OwnCredentials".into()),
            principal: None,
            actions: vec!["iam:ChangePassword", "iam:GetUser", "iam:ListMFADevices"],
            resources: vec![s("arn:aws:iam::${var.account_id}:user/$${aws:username}")],
            condition: None,
        }],
    ));
    w.write("hcl-iam", &format!("{dir}/users.tf"), &t);
    c.users += users_n;

    // team-roles.tf: the local module, `for_each` over a local map.
    let t = "# One role per team, all trusted by the account's developers, whose group may\n# assume them (users.tf).\nmodule \"team_roles\" {\n  source   = \"../../../modules/team-role\"\n  for_each = local.team_roles\n\n  name                 = each.key\n  trusted_arns         = local.developer_arns\n  max_session_duration = each.value.max_session_duration\n  policy_json = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n      {\n        Sid      = \"TeamData\"\n        Effect   = \"Allow\"\n        Action   = [\"s3:GetObject\", \"s3:PutObject\", \"s3:ListBucket\"]\n        Resource = [\"arn:aws:s3:::${each.value.bucket}\", \"arn:aws:s3:::${each.value.bucket}/*\"]\n      },\n    ]\n  })\n}\n\noutput \"team_role_arns\" {\n  value = { for k, m in module.team_roles : k => m.arn }\n}\n";
    w.write("hcl-iam", &format!("{dir}/team-roles.tf"), t);
    c.roles += spec.team_roles;

    // ci.tf: assumes the next account's deploy roles and, by reference, its audit reader.
    let mut t = String::new();
    let mut ci_grants = vec![grant(
        "AssumeDeployRoles",
        vec![s(format!(
            "arn:aws:iam::${{local.next_account_id}}:role/a{next}-deploy-*"
        ))],
    )];
    if audit {
        ci_grants.push(grant(
            "ReadAudit",
            vec![Val::Ref("aws_iam_role.audit_reader.arn".into())],
        ));
    }
    RoleTf {
        key: "ci",
        name: format!("{a}-ci"),
        trust: trust(
            "Service",
            vec![s("codebuild.amazonaws.com")],
            "sts:AssumeRole",
        ),
        trust_style: Style::JsonEncode,
        inline: Some(("deploy", ci_grants, Style::JsonEncode)),
        provider: None,
        description: Some("CodeBuild pipelines of this account".into()),
    }
    .render(&mut t);
    c.roles += 1;
    if audit {
        t.push('\n');
        RoleTf {
            key: "audit_reader",
            name: format!("{a}-audit-reader"),
            trust: trust(
                "AWS",
                vec![Val::Ref("aws_iam_role.ci.arn".into())],
                "sts:AssumeRole",
            ),
            trust_style: Style::JsonEncode,
            inline: None,
            provider: Some("aws.audit"),
            description: None,
        }
        .render(&mut t);
        let _ = writeln!(
            t,
            "\nresource \"aws_iam_role_policy_attachment\" \"audit_reader\" {{\n  provider   = aws.audit\n  role       = aws_iam_role.audit_reader.name\n  policy_arn = \"arn:aws:iam::aws:policy/SecurityAudit\"\n}}"
        );
        c.roles += 1;
    }
    for j in 0..wildcard_grants {
        t.push('\n');
        RoleTf {
            key: &format!("wild_{j}"),
            name: format!("{a}-wild-{j}"),
            trust: trust("Service", vec![s("lambda.amazonaws.com")], "sts:AssumeRole"),
            trust_style: Style::JsonEncode,
            inline: Some((
                "assume_anything",
                vec![grant("AssumeAnything", vec![s("*")])],
                Style::JsonEncode,
            )),
            provider: None,
            description: None,
        }
        .render(&mut t);
        c.roles += 1;
    }
    c.wildcard_grants += wildcard_grants;
    w.write("hcl-iam", &format!("{dir}/ci.tf"), &t);

    // sso.tf: a SAML provider and the console role it signs in to, and the open trusts.
    let mut t = format!(
        "resource \"aws_iam_saml_provider\" \"corp\" {{\n  name                   = \"corp-idp\"\n  saml_metadata_document = <<-XML\n    <EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.corp.example/{a}\">\n      <IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n        <SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://idp.corp.example/sso/{a}\"/>\n      </IDPSSODescriptor>\n    </EntityDescriptor>\n  XML\n}}\n\n"
    );
    let mut saml = trust(
        "Federated",
        vec![Val::Ref("aws_iam_saml_provider.corp.arn".into())],
        "sts:AssumeRoleWithSAML",
    );
    saml[0].condition = Some((
        "StringEquals",
        "SAML:aud",
        "https://signin.aws.amazon.com/saml",
    ));
    RoleTf {
        key: "sso_admin",
        name: format!("{a}-sso-admin"),
        trust: saml,
        trust_style: Style::Heredoc,
        inline: Some(("read", work(&mut rng, &a, 2), Style::Document)),
        provider: None,
        description: Some("Console administrators (SAML)".into()),
    }
    .render(&mut t);
    c.roles += 1;
    for j in 0..open_trusts {
        t.push('\n');
        RoleTf {
            key: &format!("open_{j}"),
            name: format!("{a}-open-{j}"),
            trust: trust("AWS", vec![s("*")], "sts:AssumeRole"),
            trust_style: Style::JsonEncode,
            inline: Some(("work", work(&mut rng, &a, 1), Style::JsonEncode)),
            provider: None,
            description: Some("Shared with partners".into()),
        }
        .render(&mut t);
        c.roles += 1;
    }
    c.open_trusts += open_trusts;
    w.write("hcl-iam", &format!("{dir}/sso.tf"), &t);

    // One service or deploy role per file.
    let styles = [Style::JsonEncode, Style::Heredoc, Style::Document];
    for f in 0..spec.role_files(index) {
        let k = f / 2;
        let style = styles[k % 3];
        let work_style = styles[(k + 1 + f % 2) % 3];
        let mut t = String::new();
        if f % 2 == 0 {
            let key = format!("svc_{k}");
            let service = *rng.pick(SERVICES);
            RoleTf {
                key: &key,
                name: format!("{a}-svc-{k}"),
                trust: trust("Service", vec![s(service)], "sts:AssumeRole"),
                trust_style: style,
                inline: Some(("work", work(&mut rng, &a, 1 + k % 3), work_style)),
                provider: None,
                description: Some(format!("Runs on {service}")),
            }
            .render(&mut t);
            if k % 2 == 1 {
                let n = 3 + rng.below(3);
                let data = work(&mut rng, &a, n);
                let _ = writeln!(
                    t,
                    "\nresource \"aws_iam_policy\" \"{key}_data\" {{\n  name        = \"{a}-data-{k}\"\n  path        = \"/\"\n  description = \"Data access of {a}-svc-{k}\"\n  policy      = {}\n}}",
                    jsonencode(&data, 2)
                );
                attachment(
                    &mut t,
                    &format!("{key}_data"),
                    &key,
                    &format!("aws_iam_policy.{key}_data.arn"),
                );
            }
            if k % 4 == 0 {
                let _ = writeln!(
                    t,
                    "\nresource \"aws_iam_role_policy_attachment\" \"{key}_readonly\" {{\n  for_each = local.readonly_policies\n\n  role       = aws_iam_role.{key}.name\n  policy_arn = each.value\n}}"
                );
            }
            w.write("hcl-iam", &format!("{dir}/svc-{k}.tf"), &t);
        } else {
            let key = format!("deploy_{k}");
            RoleTf {
                key: &key,
                name: format!("{a}-deploy-{k}"),
                trust: trust(
                    "AWS",
                    vec![s(format!(
                        "arn:aws:iam::${{var.ci_account_id}}:role/a{prev}-ci"
                    ))],
                    "sts:AssumeRole",
                ),
                trust_style: style,
                inline: Some(("deploy", work(&mut rng, &a, 2 + k % 3), work_style)),
                provider: None,
                description: Some(format!("Deployments from a{prev}'s pipelines")),
            }
            .render(&mut t);
            attachment(
                &mut t,
                &format!("{key}_managed"),
                &key,
                &format!("\"{}\"", rng.pick(MANAGED)),
            );
            w.write("hcl-iam", &format!("{dir}/deploy-{k}.tf"), &t);
        }
        c.roles += 1;
    }
}

fn write_module(w: &mut Writer) {
    let dir = "modules/team-role";
    w.write(
        "hcl-iam",
        &format!("{dir}/variables.tf"),
        "variable \"name\" {\n  description = \"The role's name.\"\n  type        = string\n}\n\nvariable \"trusted_arns\" {\n  description = \"Principals that may assume the role.\"\n  type        = list(string)\n}\n\nvariable \"max_session_duration\" {\n  type    = number\n  default = 3600\n}\n\nvariable \"policy_json\" {\n  description = \"The role's inline policy.\"\n  type        = string\n}\n",
    );
    let mut t = policy_document(
        "trust",
        &[Stmt {
            sid: Some("TeamMembers".into()),
            principal: Some(("AWS", vec![Val::Ref("var.trusted_arns".into())])),
            actions: vec!["sts:AssumeRole"],
            resources: Vec::new(),
            condition: None,
        }],
    );
    // `identifiers = [var.trusted_arns]` would be a list of a list.
    t = t.replace("[var.trusted_arns]", "var.trusted_arns");
    t.push_str("\nresource \"aws_iam_role\" \"this\" {\n  name                 = var.name\n  assume_role_policy   = data.aws_iam_policy_document.trust.json\n  max_session_duration = var.max_session_duration\n}\n\nresource \"aws_iam_role_policy\" \"work\" {\n  name   = \"work\"\n  role   = aws_iam_role.this.id\n  policy = var.policy_json\n}\n");
    w.write("hcl-iam", &format!("{dir}/main.tf"), &t);
    w.write(
        "hcl-iam",
        &format!("{dir}/outputs.tf"),
        "output \"arn\" {\n  value = aws_iam_role.this.arn\n}\n\noutput \"name\" {\n  value = aws_iam_role.this.name\n}\n",
    );
}

const NOISE_FILES: [&str; NOISE_PER_FOLDER] = [
    "versions.tf",
    "providers.tf",
    "variables.tf",
    "main.tf",
    "s3.tf",
    "ec2.tf",
    "security-groups.tf",
    "rds.tf",
    "cloudwatch.tf",
    "outputs.tf",
];

const INSTANCE_TYPES: &[&str] = &[
    "t3.micro",
    "t3.small",
    "m6i.large",
    "c6i.xlarge",
    "r6g.large",
];

fn write_noise(w: &mut Writer, spec: &HclSpec, c: &mut Counts) {
    let mut rng = Rng(spec.seed ^ 0x5A5A_A5A5);
    for n in 0..spec.noise_files {
        let folder = n / NOISE_PER_FOLDER;
        let svc = format!("svc{folder}");
        let dir = format!("services/{svc}");
        if spec.service_roles && n % NOISE_PER_FOLDER == 0 {
            // Trusted by a service only, granted nothing to assume: no finding.
            w.write(
                "hcl-iam-service",
                &format!("{dir}/iam.tf"),
                &format!(
                    "resource \"aws_iam_role\" \"task\" {{\n  name = \"${{var.name}}-task\"\n  assume_role_policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect    = \"Allow\"\n      Action    = \"sts:AssumeRole\"\n      Principal = {{ Service = \"ecs-tasks.amazonaws.com\" }}\n    }}]\n  }})\n}}\n\nresource \"aws_iam_role_policy\" \"task\" {{\n  role = aws_iam_role.task.id\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect   = \"Allow\"\n      Action   = [\"s3:GetObject\", \"s3:PutObject\"]\n      Resource = \"arn:aws:s3:::{svc}-*/*\"\n    }}]\n  }})\n}}\n"
                ),
            );
            c.roles += 1;
        }
        let file = NOISE_FILES[n % NOISE_PER_FOLDER];
        let mut t = String::new();
        match n % NOISE_PER_FOLDER {
            0 => {
                t.push_str("terraform {\n  required_version = \">= 1.5\"\n\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.40\"\n    }\n    random = {\n      source  = \"hashicorp/random\"\n      version = \"~> 3.6\"\n    }\n    archive = {\n      source  = \"hashicorp/archive\"\n      version = \"~> 2.4\"\n    }\n  }\n\n");
                let _ = writeln!(
                    t,
                    "  backend \"s3\" {{\n    bucket         = \"corp-terraform-state\"\n    key            = \"services/{svc}.tfstate\"\n    region         = \"us-east-1\"\n    dynamodb_table = \"terraform-locks\"\n  }}\n}}"
                );
                w.write(
                    "hcl-tfvars",
                    &format!("{dir}/terraform.tfvars"),
                    &format!(
                        "name          = \"{svc}\"\ninstance_type = \"{}\"\ninstance_count = {}\ncidr_blocks   = [\"10.{}.0.0/16\"]\n",
                        rng.pick(INSTANCE_TYPES),
                        1 + rng.below(4),
                        folder % 250
                    ),
                );
            }
            1 => {
                let _ = writeln!(
                    t,
                    "provider \"aws\" {{\n  region = var.region\n\n  default_tags {{\n    tags = {{\n      service    = \"{svc}\"\n      managed_by = \"terraform\"\n    }}\n  }}\n}}\n\nprovider \"aws\" {{\n  alias  = \"us_east_1\"\n  region = \"us-east-1\"\n}}\n\ndata \"aws_caller_identity\" \"current\" {{}}\n\ndata \"aws_region\" \"current\" {{}}\n\nlocals {{\n  name_prefix = \"${{var.name}}-${{data.aws_region.current.name}}\"\n  is_prod     = can(regex(\"prod\", var.name))\n}}"
                );
            }
            2 => {
                for (name, ty, default) in [
                    ("name", "string", format!("\"{svc}\"")),
                    ("region", "string", "\"eu-west-1\"".to_owned()),
                    ("instance_type", "string", "\"t3.small\"".to_owned()),
                    ("instance_count", "number", "2".to_owned()),
                    (
                        "cidr_blocks",
                        "list(string)",
                        "[\"10.0.0.0/16\"]".to_owned(),
                    ),
                    ("retention_days", "number", "30".to_owned()),
                ] {
                    let _ = writeln!(
                        t,
                        "variable \"{name}\" {{\n  description = \"The {} of the service.\"\n  type        = {ty}\n  default     = {default}\n}}\n",
                        name.replace('_', " ")
                    );
                }
            }
            3 => {
                let _ = writeln!(
                    t,
                    "module \"vpc\" {{\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.5.1\"\n\n  name = var.name\n  cidr = var.cidr_blocks[0]\n\n  azs             = [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]\n  private_subnets = [for i in range(3) : cidrsubnet(var.cidr_blocks[0], 8, i)]\n  public_subnets  = [for i in range(3) : cidrsubnet(var.cidr_blocks[0], 8, i + 100)]\n\n  enable_nat_gateway = true\n  single_nat_gateway = {}\n}}\n",
                    rng.below(2) == 0
                );
                if rng.below(2) == 0 {
                    let _ = writeln!(
                        t,
                        "module \"alb\" {{\n  source  = \"terraform-aws-modules/alb/aws\"\n  version = \"~> 9.0\"\n\n  name    = \"${{var.name}}-alb\"\n  vpc_id  = module.vpc.vpc_id\n  subnets = module.vpc.public_subnets\n\n  listeners = {{\n    http = {{\n      port     = 80\n      protocol = \"HTTP\"\n      redirect = {{\n        port        = \"443\"\n        protocol    = \"HTTPS\"\n        status_code = \"HTTP_301\"\n      }}\n    }}\n  }}\n}}\n"
                    );
                }
                let _ = writeln!(
                    t,
                    "resource \"random_id\" \"suffix\" {{\n  byte_length = 4\n}}"
                );
            }
            4 => {
                for b in 0..1 + rng.below(5) {
                    let _ = writeln!(
                        t,
                        "resource \"aws_s3_bucket\" \"b{b}\" {{\n  bucket = \"${{var.name}}-{b}-${{random_id.suffix.hex}}\"\n}}\n\nresource \"aws_s3_bucket_versioning\" \"b{b}\" {{\n  bucket = aws_s3_bucket.b{b}.id\n\n  versioning_configuration {{\n    status = \"Enabled\"\n  }}\n}}\n\nresource \"aws_s3_bucket_server_side_encryption_configuration\" \"b{b}\" {{\n  bucket = aws_s3_bucket.b{b}.id\n\n  rule {{\n    apply_server_side_encryption_by_default {{\n      sse_algorithm = \"aws:kms\"\n    }}\n  }}\n}}\n\nresource \"aws_s3_bucket_public_access_block\" \"b{b}\" {{\n  bucket                  = aws_s3_bucket.b{b}.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}}\n"
                    );
                }
            }
            5 => {
                let _ = writeln!(
                    t,
                    "data \"aws_ami\" \"al2023\" {{\n  most_recent = true\n  owners      = [\"amazon\"]\n\n  filter {{\n    name   = \"name\"\n    values = [\"al2023-ami-*-x86_64\"]\n  }}\n}}\n"
                );
                for i in 0..1 + rng.below(4) {
                    let _ = writeln!(
                        t,
                        "resource \"aws_instance\" \"worker_{i}\" {{\n  ami                    = data.aws_ami.al2023.id\n  instance_type          = \"{}\"\n  subnet_id              = module.vpc.private_subnets[{}]\n  vpc_security_group_ids = [aws_security_group.app.id]\n  monitoring             = true\n\n  root_block_device {{\n    volume_size = {}\n    volume_type = \"gp3\"\n    encrypted   = true\n  }}\n\n  metadata_options {{\n    http_tokens = \"required\"\n  }}\n\n  user_data = <<-EOT\n    #!/bin/bash\n    dnf install -y amazon-cloudwatch-agent\n    systemctl enable --now amazon-cloudwatch-agent\n  EOT\n\n  tags = {{\n    Name = \"${{var.name}}-worker-{i}\"\n  }}\n}}\n",
                        rng.pick(INSTANCE_TYPES),
                        i % 3,
                        20 + 10 * rng.below(10)
                    );
                }
            }
            6 => {
                for sg in ["app", "db"] {
                    let _ = writeln!(
                        t,
                        "resource \"aws_security_group\" \"{sg}\" {{\n  name        = \"${{var.name}}-{sg}\"\n  description = \"{sg} tier\"\n  vpc_id      = module.vpc.vpc_id\n"
                    );
                    for r in 0..2 + rng.below(8) {
                        let port = [22, 80, 443, 5432, 6379, 8080, 9090][rng.below(7)];
                        let _ = writeln!(
                            t,
                            "  ingress {{\n    description = \"rule {r}\"\n    from_port   = {port}\n    to_port     = {port}\n    protocol    = \"tcp\"\n    cidr_blocks = var.cidr_blocks\n  }}\n"
                        );
                    }
                    t.push_str("  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = \"-1\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n\n");
                }
            }
            7 => {
                let _ = writeln!(
                    t,
                    "resource \"aws_db_subnet_group\" \"main\" {{\n  name       = var.name\n  subnet_ids = module.vpc.private_subnets\n}}\n\nresource \"aws_db_instance\" \"main\" {{\n  identifier              = \"${{var.name}}-db\"\n  engine                  = \"postgres\"\n  engine_version          = \"16.{}\"\n  instance_class          = \"db.t4g.medium\"\n  allocated_storage       = {}\n  db_subnet_group_name    = aws_db_subnet_group.main.name\n  vpc_security_group_ids  = [aws_security_group.db.id]\n  backup_retention_period = 7\n  storage_encrypted       = true\n  skip_final_snapshot     = false\n  username                = \"app\"\n  manage_master_user_password = true\n}}",
                    rng.below(4),
                    20 * (1 + rng.below(10))
                );
            }
            8 => {
                for i in 0..1 + rng.below(6) {
                    let _ = writeln!(
                        t,
                        "resource \"aws_cloudwatch_log_group\" \"g{i}\" {{\n  name              = \"/${{var.name}}/component-{i}\"\n  retention_in_days = var.retention_days\n}}\n\nresource \"aws_cloudwatch_metric_alarm\" \"errors_{i}\" {{\n  alarm_name          = \"${{var.name}}-errors-{i}\"\n  comparison_operator = \"GreaterThanThreshold\"\n  evaluation_periods  = {}\n  metric_name         = \"Errors\"\n  namespace           = \"Corp/{svc}\"\n  period              = 300\n  statistic           = \"Sum\"\n  threshold           = {}\n  alarm_actions       = []\n}}\n",
                        1 + rng.below(5),
                        rng.below(100)
                    );
                }
            }
            _ => {
                for (name, value) in [
                    ("vpc_id", "module.vpc.vpc_id"),
                    ("private_subnets", "module.vpc.private_subnets"),
                    ("app_security_group", "aws_security_group.app.id"),
                    ("db_endpoint", "aws_db_instance.main.endpoint"),
                    ("worker_ids", "aws_instance.worker_0[*].id"),
                ] {
                    let _ = writeln!(
                        t,
                        "output \"{name}\" {{\n  description = \"The service's {}.\"\n  value       = {value}\n}}\n",
                        name.replace('_', " ")
                    );
                }
            }
        }
        w.write("hcl-noise", &format!("{dir}/{file}"), &t);
    }
}

/// Writes the HCL tree under `root` (which should be empty) and says what it holds.
pub fn generate_hcl(root: &Path, spec: &HclSpec) -> HclGenerated {
    let mut w = Writer {
        root: root.to_path_buf(),
        files_by_kind: BTreeMap::new(),
        bytes: 0,
    };
    let mut c = Counts::default();
    write_module(&mut w);
    for i in 0..spec.accounts() {
        write_account(&mut w, spec, i, &mut c);
    }
    write_noise(&mut w, spec, &mut c);
    let files = w.files_by_kind.values().sum();
    HclGenerated {
        root: root.to_path_buf(),
        files_by_kind: w.files_by_kind,
        files,
        bytes: w.bytes,
        accounts: spec.accounts(),
        roles: c.roles,
        users: c.users,
        wildcard_grants: c.wildcard_grants,
        open_trusts: c.open_trusts,
    }
}
