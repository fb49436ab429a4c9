# Trust policies that admit every AWS account.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

# jsonencode, no condition.
resource "aws_iam_role" "open" {
  name = "tf-open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

# A policy document: the only condition (MFA) does not narrow who.
data "aws_iam_policy_document" "mfa_only" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "mfa_only" {
  name               = "tf-mfa-only"
  assume_role_policy = data.aws_iam_policy_document.mfa_only.json
}
