# A vendor role with the ExternalId the vendor gave, from a variable without a value.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

variable "vendor_external_id" {
  type = string
}

variable "vendor_account" {
  type = string
}

data "aws_iam_policy_document" "vendor" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::464622532012:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.vendor_external_id]
    }
  }
}

resource "aws_iam_role" "vendor" {
  name               = "monitoring-vendor"
  assume_role_policy = data.aws_iam_policy_document.vendor.json
}

resource "aws_iam_role" "unknown_account" {
  name = "unknown-account"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::${var.vendor_account}:root" }, Action = "sts:AssumeRole" }]
  })
}
