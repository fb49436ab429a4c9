# Grants whose target role does not trust the grantee (same account, 111111111111).

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

data "aws_caller_identity" "current" {}

locals {
  account = "111111111111"
}

# tf-audit trusts only tf-auditor; tf-ops is granted it anyway.
resource "aws_iam_role" "auditor" {
  name = "tf-auditor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "audit" {
  name = "tf-audit"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.auditor.arn }
      Action    = "sts:AssumeRole"
    }]
  })
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

resource "aws_iam_role_policy" "ops_assume_audit" {
  name = "assume-audit"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::${local.account}:role/tf-audit"
    }]
  })
}
