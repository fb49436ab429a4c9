# Account 111111111111: user tf-dave is granted the team roles through a managed policy
# attached by reference.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_iam_user" "dave" {
  name = "tf-dave"
}

resource "aws_iam_policy" "switch_teams" {
  name = "tf-switch-teams"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::222222222222:role/tf-team-*"
    }]
  })
}

resource "aws_iam_user_policy_attachment" "dave_switch" {
  user       = aws_iam_user.dave.name
  policy_arn = aws_iam_policy.switch_teams.arn
}
