# Account 222222222222: tf-vendor-audit requires an ExternalId; tf-readonly does not.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]
}

variable "external_id" {
  type    = string
  default = "c0ffee"
}

resource "aws_iam_role" "vendor_audit" {
  name               = "tf-vendor-audit"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {
            "AWS": ["arn:aws:iam::111111111111:user/tf-alice", "arn:aws:iam::111111111111:role/tf-ci"]
          },
          "Action": "sts:AssumeRole",
          "Condition": { "StringEquals": { "sts:ExternalId": "${var.external_id}" } }
        }
      ]
    }
  EOT
}

resource "aws_iam_role" "readonly" {
  name = "tf-readonly"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:user/tf-alice" }
      Action    = "sts:AssumeRole"
    }]
  })
}
