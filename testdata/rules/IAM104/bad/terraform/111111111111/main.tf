# Account 111111111111: user tf-bob can read reports, but nothing lets him assume a role.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_iam_user" "bob" {
  name = "tf-bob"
}

resource "aws_iam_user_policy" "bob_readonly" {
  name = "readonly"
  user = aws_iam_user.bob.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::reports/*"
    }]
  })
}
