# A Pod Identity role without sts:TagSession, and a provider that assumes the deploy role
# from a session of the deploy role, whose trust names only the CI account.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/deploy"
  }

  assume_role {
    role_arn     = "arn:aws:iam::222222222222:role/deploy"
    session_name = "again"
  }
}

data "aws_iam_policy_document" "pod" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "pod" {
  name               = "app-pod"
  assume_role_policy = data.aws_iam_policy_document.pod.json
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:role/ci" }
      Action    = "sts:AssumeRole"
    }]
  })
}
