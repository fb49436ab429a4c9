# Account C (333333333333): role C's trust policy is a heredoc.

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
  allowed_account_ids = ["333333333333"]
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "c" {
  name               = "iam-role-c"
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::222222222222:role/iam-role-b"
      },
      "Action": "sts:AssumeRole"
    }
  ]
}
EOF
}

resource "aws_iam_role_policy_attachment" "c_readonly" {
  role       = aws_iam_role.c.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
