# A vendor's account trusted without an ExternalId.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

data "aws_iam_policy_document" "vendor" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::464622532012:root"]
    }
  }
}

resource "aws_iam_role" "vendor" {
  name               = "monitoring-vendor"
  assume_role_policy = data.aws_iam_policy_document.vendor.json
}
