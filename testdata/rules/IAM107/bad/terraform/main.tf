# A SAML role without the audience check, and web identity granted to an account.

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
    actions = ["sts:AssumeRoleWithSAML"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_saml_provider.okta.arn]
    }
  }
}

resource "aws_iam_role" "admins" {
  name               = "okta-admins"
  assume_role_policy = data.aws_iam_policy_document.admins.json
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}
