# Well-formed ARNs: templates of known values, references, the partition data source, and
# a variable without a value (unknown: not judged).

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

variable "account_id" {
  type    = string
  default = "123456789012"
}

variable "bucket" {
  description = "No default: unknown."
  type        = string
}

resource "aws_iam_role" "deploy" {
  name = "tf-deploy"
  path = "/ci/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_policy" "arns" {
  name = "tf-arns"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = [aws_iam_role.deploy.arn, "arn:aws:iam::${var.account_id}:role/ci/*"]
      },
      {
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = ["arn:aws:s3:::${var.bucket}/*"]
      },
    ]
  })
}
