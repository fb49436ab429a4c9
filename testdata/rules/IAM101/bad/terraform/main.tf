# Grants to assume any role anywhere, in the three forms Terraform users write.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

# 1. A policy document data source with `resources = ["*"]`.
data "aws_iam_policy_document" "switch_anywhere" {
  statement {
    sid       = "SwitchAnywhere"
    actions   = ["sts:AssumeRole"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "switch_anywhere" {
  name   = "tf-switch-anywhere"
  policy = data.aws_iam_policy_document.switch_anywhere.json
}

# 2. jsonencode with a wildcard role ARN in any account.
resource "aws_iam_group" "operators" {
  name = "tf-operators"
}

resource "aws_iam_group_policy" "operators_switch" {
  name  = "switch"
  group = aws_iam_group.operators.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sts:Assume*"]
        Resource = "arn:aws:iam::*:role/*"
      },
    ]
  })
}

# 3. A heredoc with Allow + NotAction, built from a local.
locals {
  everything_but_iam = "arn:*:iam::*:*"
}

resource "aws_iam_user" "ci" {
  name = "tf-ci"
}

resource "aws_iam_user_policy" "ci_all_but_iam" {
  name   = "all-but-iam"
  user   = aws_iam_user.ci.name
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotAction": "iam:*",
      "Resource": "${local.everything_but_iam}"
    }
  ]
}
EOF
}
