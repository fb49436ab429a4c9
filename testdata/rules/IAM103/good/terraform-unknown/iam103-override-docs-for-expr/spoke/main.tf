provider "aws" {
  allowed_account_ids = ["222222222222"]
}
variable "principals" {
  type = map(list(string))
}
variable "ovr" {
  type = list(string)
}
data "aws_iam_policy_document" "t3" {
  override_policy_documents = var.ovr
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "t3" {
  name               = "t3"
  assume_role_policy = data.aws_iam_policy_document.t3.json
}
resource "aws_iam_role" "t4" {
  name               = "t4"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = concat(
    [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }],
    [for a in keys(var.principals) : { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = a } }]
  ) })
}
