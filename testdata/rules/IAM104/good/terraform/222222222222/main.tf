# Account 222222222222: one role per team (for_each over a literal map), each trusting
# tf-dave, who is granted `role/tf-team-*`.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]
}

locals {
  dave  = "arn:aws:iam::111111111111:user/tf-dave"
  teams = { data = "analytics", infra = "platform" }
}

resource "aws_iam_role" "team" {
  for_each = local.teams
  name     = "tf-team-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = local.dave }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = { department = each.value }
}
