# Terraform accepts an object with a repeated key and keeps the last value: this trust
# admits everyone, and the repeated tag above it must not hide that.
locals {
  tags = {
    Service = "billing"
    Team    = "payments"
    Service = "billing"
  }
}

resource "aws_iam_role" "open" {
  name = "open"
  tags = local.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
    }]
  })
}
