# Account A (111111111111): IAM user A signs in to the console and may switch to role B.
# The switch permission is written as a data "aws_iam_policy_document".

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

data "aws_caller_identity" "current" {}

resource "aws_iam_user" "a" {
  name = "iam-user-a"
}

# Console access: a login profile.
resource "aws_iam_user_login_profile" "a" {
  user                    = aws_iam_user.a.name
  password_reset_required = true
}

data "aws_iam_policy_document" "switch" {
  statement {
    effect    = "Allow"
    actions   = ["sts:AssumeRole"]
    resources = [
      "arn:aws:iam::222222222222:role/iam-role-b",
      "arn:aws:iam::333333333333:role/iam-role-c",
    ]
  }
}

resource "aws_iam_user_policy" "switch" {
  name   = "switch-roles"
  user   = aws_iam_user.a.name
  policy = data.aws_iam_policy_document.switch.json
}
