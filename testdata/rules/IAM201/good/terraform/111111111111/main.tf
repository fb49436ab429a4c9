# Account 111111111111: console user tf-user-a (login profile), granted through a group.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_iam_user" "a" {
  name = "tf-user-a"
}

resource "aws_iam_user_login_profile" "a" {
  user = aws_iam_user.a.name
}

resource "aws_iam_group" "switchers" {
  name = "tf-switchers"
}

resource "aws_iam_user_group_membership" "a" {
  user   = aws_iam_user.a.name
  groups = [aws_iam_group.switchers.name]
}

resource "aws_iam_group_policy" "switch" {
  name  = "switch"
  group = aws_iam_group.switchers.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Resource = [
        "arn:aws:iam::222222222222:role/tf-role-b",
        "arn:aws:iam::333333333333:role/tf-role-c",
      ]
    }]
  })
}
