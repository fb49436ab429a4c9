# Account 111111111111: console user tf-alice, and a CI role without console access.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_iam_user" "alice" {
  name = "tf-alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user                    = aws_iam_user.alice.name
  password_reset_required = true
}

data "aws_iam_policy_document" "alice_switch" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::222222222222:role/tf-readonly"]
  }
}

resource "aws_iam_user_policy" "alice_switch" {
  name   = "switch"
  user   = aws_iam_user.alice.name
  policy = data.aws_iam_policy_document.alice_switch.json
}

resource "aws_iam_role" "ci" {
  name = "tf-ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codebuild.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "ci_vendor_audit" {
  name = "vendor-audit"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::222222222222:role/tf-vendor-audit"
    }]
  })
}
