# A subject pattern written under StringEquals, in a policy document.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:octo-org/*"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "gha-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy.json
}
