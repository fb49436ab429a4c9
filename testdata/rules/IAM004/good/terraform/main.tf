# Well-formed shapes, and values not known statically (unknown, never malformed).

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]

  assume_role {
    role_arn     = "arn:aws:iam::111122223333:role/terraform"
    duration     = "1h"
    session_name = "terraform"
  }
}

variable "extra_trust" {
  description = "No default: unknown to a static reader."
  type        = string
}

resource "aws_iam_role" "thumbnailer" {
  name               = "tf-thumbnailer"
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "lambda.amazonaws.com"},
      "Action": "sts:AssumeRole"
    }
  ]
}
EOF
}

resource "aws_iam_role" "unknown_trust" {
  name               = "tf-unknown-trust"
  assume_role_policy = var.extra_trust
}

resource "aws_iam_role" "templated" {
  name = "tf-templated"
  assume_role_policy = templatefile("${path.module}/trust.json.tpl", {
    service = "lambda.amazonaws.com"
  })
}

resource "aws_iam_role_policy" "thumbnailer_logs" {
  name   = "logs"
  role   = aws_iam_role.thumbnailer.id
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"logs:PutLogEvents\", \"Resource\": \"*\"}]}"
}
