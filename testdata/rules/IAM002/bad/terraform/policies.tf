# This file of the same module parses and is read.

resource "aws_iam_policy" "read" {
  name = "tf-read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
