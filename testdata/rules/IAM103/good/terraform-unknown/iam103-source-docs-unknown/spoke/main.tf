provider "aws" {
  allowed_account_ids = ["222222222222"]
}
variable "extra_trust_json" {
  type = list(string)
}
data "aws_iam_policy_document" "t5" {
  source_policy_documents = var.extra_trust_json
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "t5" {
  name               = "t5"
  assume_role_policy = data.aws_iam_policy_document.t5.json
}
