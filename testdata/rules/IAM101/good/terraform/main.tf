# Grants that name the roles: references, for_each instances, a template and a path
# wildcard in one account.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

variable "account_id" {
  type    = string
  default = "111122223333"
}

locals {
  teams = {
    data  = "/teams/"
    infra = "/teams/"
  }
}

resource "aws_iam_role" "team" {
  for_each = local.teams
  name     = "tf-team-${each.key}"
  path     = each.value
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "ec2.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

data "aws_iam_policy_document" "switch_named" {
  statement {
    actions = ["sts:AssumeRole"]
    resources = [
      aws_iam_role.team["data"].arn,
      aws_iam_role.team["infra"].arn,
      "arn:aws:iam::${var.account_id}:role/deploy/*",
    ]
  }
  # sts:* on `*` is denied, never granted.
  statement {
    effect    = "Deny"
    actions   = ["sts:AssumeRole"]
    resources = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_group" "operators" {
  name = "tf-operators"
}

resource "aws_iam_group_policy" "operators_switch" {
  name   = "switch"
  group  = aws_iam_group.operators.name
  policy = data.aws_iam_policy_document.switch_named.json
}

# Not an assume-role grant at all.
resource "aws_iam_policy" "read_reports" {
  name = "tf-read-reports"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}
