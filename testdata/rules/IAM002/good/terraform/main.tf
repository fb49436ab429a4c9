# HCL comments, trailing commas and heredocs are valid HCL (not JSON): nothing to report.

resource "aws_iam_role" "deploy" {
  name = "tf-deploy" # trailing comment
  assume_role_policy = jsonencode({
    Version = "2012-10-17",
    Statement = [
      {
        Effect    = "Allow",
        Principal = { Service = "codebuild.amazonaws.com" },
        Action    = "sts:AssumeRole",
      },
    ],
  })
}

/* A block comment */
resource "aws_iam_policy" "read" {
  name   = "tf-read"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }
      ]
    }
  EOT
}
