provider "aws" {
  allowed_account_ids = ["222222222222"]
}
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = [
      "arn:aws:iam::111111111111:user/u1",
      "arn:aws:iam::111111111111:user/u2",
      "arn:aws:iam::111111111111:user/u3",
      "arn:aws:iam::111111111111:user/u4",
      "arn:aws:iam::111111111111:user/u5",
      "arn:aws:iam::111111111111:user/u6",
      "arn:aws:iam::111111111111:role/r1",
    ] } }]
  })
}
