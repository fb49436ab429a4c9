# Account 222222222222: role tf-role-b trusts tf-user-a and may assume tf-role-c.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]
}

resource "aws_iam_role" "b" {
  name = "tf-role-b"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:user/tf-user-a" }
      Action    = "sts:AssumeRole"
    }]
  })

  inline_policy {
    name = "assume-c"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = "arn:aws:iam::333333333333:role/tf-role-c"
      }]
    })
  }
}
