# The same teams trusted through their account and a condition on the principal ARN.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

data "aws_iam_policy_document" "narrow" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::444455556666:role/team-role-*"]
    }
  }
}

resource "aws_iam_role" "narrow" {
  name               = "tf-narrow"
  assume_role_policy = data.aws_iam_policy_document.narrow.json
}
