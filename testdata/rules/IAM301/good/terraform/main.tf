# Well-formed policies in every form: jsonencode, heredoc, policy document with
# not_actions and conditions, and a document merged from another.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid         = "DenyOutsideRegion"
    effect      = "Deny"
    not_actions = ["iam:*", "sts:*"]
    resources   = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
  }
}

resource "aws_iam_policy" "merged" {
  name   = "tf-merged"
  policy = data.aws_iam_policy_document.merged.json
}

resource "aws_iam_policy" "encoded" {
  name = "tf-encoded"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }]
  })
}

resource "aws_iam_policy" "heredoc" {
  name   = "tf-heredoc"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        { "Effect": "Deny", "NotAction": "s3:GetObject", "NotResource": "arn:aws:s3:::reports/*" }
      ]
    }
  EOT
}
