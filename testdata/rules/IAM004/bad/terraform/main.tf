# Three shapes iamlint (and Terraform/AWS) cannot use.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]

  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/terraform"
    duration = "one hour"
  }
}

# A heredoc trust policy with a trailing comma: not JSON.
resource "aws_iam_role" "thumbnailer" {
  name               = "tf-thumbnailer"
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "lambda.amazonaws.com"},
      "Action": "sts:AssumeRole",
    }
  ]
}
EOF
}

# A plain string policy that is not JSON either (single quotes).
resource "aws_iam_role_policy" "thumbnailer_logs" {
  name   = "logs"
  role   = aws_iam_role.thumbnailer.id
  policy = "{'Version': '2012-10-17', 'Statement': []}"
}
