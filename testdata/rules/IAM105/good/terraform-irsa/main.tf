# The shape terraform-aws-modules' iam-role-for-service-accounts-eks renders: one
# statement per provider from a dynamic block, the condition keys cut from the
# provider ARN with replace(), `system:serviceaccount:NS:SA` subjects.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

locals {
  oidc_providers = {
    main = {
      provider_arn               = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
      namespace_service_accounts = ["kube-system:aws-node", "karpenter:karpenter"]
    }
  }
}

data "aws_iam_policy_document" "this" {
  dynamic "statement" {
    for_each = local.oidc_providers

    content {
      effect  = "Allow"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [statement.value.provider_arn]
      }

      condition {
        test     = "StringEquals"
        variable = "${replace(statement.value.provider_arn, "/^(.*provider/)/", "")}:sub"
        values   = [for sa in statement.value.namespace_service_accounts : "system:serviceaccount:${sa}"]
      }

      condition {
        test     = "StringEquals"
        variable = "${replace(statement.value.provider_arn, "/^(.*provider/)/", "")}:aud"
        values   = ["sts.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "irsa"
  assume_role_policy = data.aws_iam_policy_document.this.json
}
