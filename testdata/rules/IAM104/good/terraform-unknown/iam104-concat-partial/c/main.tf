provider "aws" {
  allowed_account_ids = ["333333333333"]
}
resource "aws_iam_role" "C" {
  name = "C"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = ["arn:aws:iam::222222222222:role/B", "arn:aws:iam::111111111111:user/alice"] } }] })
}
