# This file parses, and is read although main.tf beside it does not: IAM102 fires here.

provider "aws" {
  allowed_account_ids = ["111111111111"]
}

resource "aws_iam_role" "open" {
  name = "open-to-everyone"
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
