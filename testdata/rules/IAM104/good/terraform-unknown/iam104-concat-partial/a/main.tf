provider "aws" {
  allowed_account_ids = ["111111111111"]
}
variable "more" {
  type = list(string)
}
resource "aws_iam_user" "alice" { name = "alice" }
resource "aws_iam_user_login_profile" "alice" { user = aws_iam_user.alice.name }
resource "aws_iam_user_policy" "alice" {
  user   = aws_iam_user.alice.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = concat(["arn:aws:iam::222222222222:role/B"], var.more) }] })
}
