# Policies that break the grammar, written with jsonencode and a heredoc.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_policy" "grammar" {
  name = "tf-grammar"
  policy = jsonencode({
    Version = "2012-10-18"
    Statement = [
      { Effect = "allow", Action = "s3:GetObject", Resource = "*" },
      { Effect = "Allow", Action = "s3GetObject", Resources = "*" },
    ]
  })
}

resource "aws_iam_user" "ci" {
  name = "tf-ci"
}

resource "aws_iam_user_policy" "ci" {
  name   = "ci"
  user   = aws_iam_user.ci.name
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "s3:*",
      "NotAction": "s3:DeleteBucket",
      "Resource": "*"
    }
  ]
}
EOF
}
