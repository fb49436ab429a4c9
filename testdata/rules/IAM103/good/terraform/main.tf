# The same roles, with the trust naming the grantee by reference.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

locals {
  account = "111111111111"
}

resource "aws_iam_role" "ops" {
  name = "tf-ops"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

data "aws_iam_policy_document" "audit_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.ops.arn]
    }
  }
}

resource "aws_iam_role" "audit" {
  name               = "tf-audit"
  assume_role_policy = data.aws_iam_policy_document.audit_trust.json
}

resource "aws_iam_policy" "assume_audit" {
  name = "tf-assume-audit"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::${local.account}:role/tf-audit"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "ops_assume_audit" {
  role       = aws_iam_role.ops.name
  policy_arn = aws_iam_policy.assume_audit.arn
}
