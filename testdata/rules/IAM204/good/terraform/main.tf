# A role console user tf-alice can switch to; in the bad fixture its path plus name is
# over the console's 64 characters.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

locals {
  division = "division_abc"
}

resource "aws_iam_user" "alice" {
  name = "tf-alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_role" "reporting" {
  name = "quarterly_reporting_readonly_tf"
  path = "/${local.division}/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_user.alice.arn }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_user_policy" "alice_switch" {
  name = "switch"
  user = aws_iam_user.alice.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = aws_iam_role.reporting.arn
    }]
  })
}
