# The reporting account's roles, managed with Terraform. iamlint reads this module with
# the JSON policies under iam/: the trust below names bob, whose policies are there.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["444455556666"]
}

variable "tools_account_id" {
  description = "The account people sign in to"
  type        = string
  default     = "111122223333"
}

data "aws_iam_policy_document" "reports_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.tools_account_id}:user/bob"]
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "reports" {
  name               = "Reports"
  assume_role_policy = data.aws_iam_policy_document.reports_trust.json
}

resource "aws_iam_role_policy" "reports_read" {
  name = "read-reports"
  role = aws_iam_role.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "arn:aws:s3:::example-reports-archive/*"
    }]
  })
}
