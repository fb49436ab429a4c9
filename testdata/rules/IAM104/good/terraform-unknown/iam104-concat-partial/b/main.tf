provider "aws" {
  allowed_account_ids = ["222222222222"]
}
resource "aws_iam_role" "B" {
  name = "B"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111111111111:user/alice" } }] })
}
resource "aws_iam_role_policy" "B" {
  role   = aws_iam_role.B.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::333333333333:role/C" }] })
}
