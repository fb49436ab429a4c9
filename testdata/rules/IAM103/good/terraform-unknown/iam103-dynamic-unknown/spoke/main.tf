provider "aws" {
  allowed_account_ids = ["222222222222"]
}
variable "trusted_arns" {
  type = list(string)
}
data "aws_iam_policy_document" "t2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
  dynamic "statement" {
    for_each = var.trusted_arns
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}
resource "aws_iam_role" "t2" {
  name               = "t2"
  assume_role_policy = data.aws_iam_policy_document.t2.json
}
