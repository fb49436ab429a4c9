# Trust policies IAM rejects, written with a heredoc, jsonencode and a policy document.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_iam_group" "admins" {
  name = "tf-admins"
}

resource "aws_iam_role" "star" {
  name               = "tf-star"
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole" }
  ]
}
EOF
}

resource "aws_iam_role" "group_principal" {
  name = "tf-group-principal"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_group.admins.arn }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

data "aws_iam_policy_document" "github_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:example-org/example-repo:*"]
    }
  }
}

resource "aws_iam_role" "github" {
  name               = "tf-github-deploy"
  assume_role_policy = data.aws_iam_policy_document.github_trust.json
}
