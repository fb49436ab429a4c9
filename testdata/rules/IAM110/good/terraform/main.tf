# A provider that refreshes the deploy role from itself, with the role's trust naming
# itself (the pattern AWS's 2022 announcement asks for), and Pod Identity trusts written
# the ways public modules write them.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/deploy"
  }

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/deploy"
  }
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111111111111:role/ci" }
        Action    = "sts:AssumeRole"
      },
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::222222222222:role/deploy" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

# terraform-aws-modules/eks-pod-identity writes the trust this way.
data "aws_iam_policy_document" "pod" {
  statement {
    sid     = "AllowEksAuthToAssumeRoleForPodIdentity"
    actions = ["sts:AssumeRole", "sts:TagSession"]
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

variable "pod_actions" {
  type = list(string)
}

# Actions a module caller passes in: not known, not judged.
resource "aws_iam_role" "pod_from_input" {
  name = "app-pod-input"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = var.pod_actions
    }]
  })
}
