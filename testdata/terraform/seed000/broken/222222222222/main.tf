# Account B (222222222222): role B trusts user A (jsonencode) and may assume role C.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]
}

data "aws_caller_identity" "current" {}

variable "account_a" {
  type    = string
  default = "111111111111"
}

variable "account_c" {
  type    = string
  default = "333333333333"
}

locals {
  user_a = "arn:aws:iam::${var.account_a}:user/iam-user-a"
}

resource "aws_iam_role" "b" {
  name = "iam-role-b"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = local.user_a }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "assume_c" {
  name = "assume-c"
  role = aws_iam_role.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = "arn:aws:iam::${var.account_c}:role/iam-role-c"
      },
    ]
  })
}
