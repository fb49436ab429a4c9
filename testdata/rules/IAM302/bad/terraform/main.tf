# Malformed ARNs, including ones built from variables with defaults.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "account_id" {
  type    = string
  default = "123456789012"
}

resource "aws_iam_policy" "arns" {
  name = "tf-arns"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Resource = [
        "arn:aws:iam:${var.region}:${var.account_id}:role/deploy",
        "arn:aws:iam::${var.account_id}:roles/deploy",
      ]
    }]
  })
}

resource "aws_iam_role" "partner" {
  name               = "tf-partner"
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": ["something", "arn:aws:iam::redacted:role/ops"]},
      "Action": "sts:AssumeRole"
    }
  ]
}
EOF
}
