# Wide trusts narrowed by a condition on who, and a trust of named accounts.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

variable "org_id" {
  type    = string
  default = "o-a1b2c3d4e5"
}

variable "trusted_accounts" {
  type    = list(string)
  default = ["444455556666", "777788889999"]
}

data "aws_iam_policy_document" "org_only" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.org_id]
    }
  }
}

resource "aws_iam_role" "org_only" {
  name               = "tf-org-only"
  assume_role_policy = data.aws_iam_policy_document.org_only.json
}

resource "aws_iam_role" "partners" {
  name = "tf-partners"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = [for a in var.trusted_accounts : "arn:aws:iam::${a}:root"] }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "sts:ExternalId" = "tf-partners-7781" } }
      },
    ]
  })
}
