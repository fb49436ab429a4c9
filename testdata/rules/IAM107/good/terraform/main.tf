# A SAML role whose audience is checked; the provider's ARN comes from its resource.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_saml_provider" "okta" {
  name                   = "Okta"
  saml_metadata_document = "<EntityDescriptor/>"
}

data "aws_iam_policy_document" "admins" {
  statement {
    actions = ["sts:AssumeRoleWithSAML", "sts:TagSession"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_saml_provider.okta.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "SAML:aud"
      values   = ["https://signin.aws.amazon.com/saml"]
    }
  }
}

resource "aws_iam_role" "admins" {
  name               = "okta-admins"
  assume_role_policy = data.aws_iam_policy_document.admins.json
}
