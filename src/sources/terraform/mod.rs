//! Terraform JSON: `terraform show -json` plans and state, and `.tf.json` files. Reads the
//! AWS IAM resource types (roles, users, groups, managed policies, their inline policies,
//! attachments, memberships and login profiles) and the `assume_role` blocks of AWS
//! providers into the model. Policies are JSON strings in Terraform, so each document keeps
//! the path of its string and findings inside it point at the exact escaped characters.
//! What Terraform does not know yet (`(known after apply)`, `${…}` templates) stays unknown:
//! it is never guessed and never a finding. One kind of reference is followed: an owner
//! (`role`, `user`, `group`, `users`, `roles`, `groups`) or `policy_arn` not known yet
//! whose expression names exactly one IAM resource of that type in the same module
//! (`role = aws_iam_role.deploy.id`), so the grants of infrastructure a plan creates join
//! the entities it creates (see [`references`]).

mod attrs;
mod backend;
mod duration;
mod hcl;
mod json;
mod providers;
mod references;

pub use duration::parse_go_duration;
pub use hcl::{
    hcl_kind, load_modules, read as read_hcl, roomy_pool, HclKind, HclRead, Modules, ScanFiles,
};
pub use json::{load_plan, load_state, load_tf_json};

#[cfg(test)]
mod tests;
