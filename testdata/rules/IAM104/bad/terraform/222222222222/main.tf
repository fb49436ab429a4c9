# Account 222222222222: role tf-reports trusts user tf-bob of 111111111111 (cross-account:
# tf-bob also needs an identity-side grant, which account 111111111111 never gives).

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]
}

variable "people_account" {
  type    = string
  default = "111111111111"
}

data "aws_iam_policy_document" "reports_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.people_account}:user/tf-bob"]
    }
  }
}

resource "aws_iam_role" "reports" {
  name               = "tf-reports"
  assume_role_policy = data.aws_iam_policy_document.reports_trust.json
}
