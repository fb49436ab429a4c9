provider "aws" {
  allowed_account_ids = ["111111111111"]
}
variable "role_name" {}
variable "user_name" {}
variable "groups" {}
variable "res" {}
variable "policy_arn" {}
locals {
  assume   = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::222222222222:role/deploy" }] })
  ec2trust = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
resource "aws_iam_policy" "assume" {
  name   = "assume"
  policy = local.assume
}
# u1: member of groups not known statically
resource "aws_iam_user" "u1" { name = "u1" }
resource "aws_iam_group" "g" { name = "g" }
resource "aws_iam_group_policy_attachment" "g" {
  group      = aws_iam_group.g.name
  policy_arn = aws_iam_policy.assume.arn
}
resource "aws_iam_user_group_membership" "u1" {
  user   = aws_iam_user.u1.name
  groups = var.groups
}
# u2: its policy's Resource is not known
resource "aws_iam_user" "u2" { name = "u2" }
resource "aws_iam_user_policy" "u2" {
  user   = aws_iam_user.u2.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = var.res }] })
}
# u3: dynamic statement over an unknown collection
resource "aws_iam_user" "u3" { name = "u3" }
data "aws_iam_policy_document" "u3" {
  dynamic "statement" {
    for_each = var.groups
    content {
      actions   = ["sts:AssumeRole"]
      resources = [statement.value]
    }
  }
}
resource "aws_iam_user_policy" "u3" {
  user   = aws_iam_user.u3.name
  policy = data.aws_iam_policy_document.u3.json
}
# u4: a policy attached to a user whose name is not known (could be u4)
resource "aws_iam_user" "u4" { name = "u4" }
resource "aws_iam_user_policy" "any_user" {
  user   = var.user_name
  policy = local.assume
}
# u5: managed policy attached whose ARN is not known
resource "aws_iam_user" "u5" { name = "u5" }
resource "aws_iam_user_policy_attachment" "u5" {
  user       = aws_iam_user.u5.name
  policy_arn = var.policy_arn
}
# u6: handed to a registry module (not fetched: unknown what it attaches)
resource "aws_iam_user" "u6" { name = "u6" }
module "extra" {
  source = "cloudposse/iam-policy/aws"
  user   = aws_iam_user.u6.name
}
# r1: a policy attached to a role whose name is not known (could be r1)
resource "aws_iam_role" "r1" {
  name               = "r1"
  assume_role_policy = local.ec2trust
}
resource "aws_iam_role_policy_attachment" "any_role" {
  role       = var.role_name
  policy_arn = aws_iam_policy.assume.arn
}
