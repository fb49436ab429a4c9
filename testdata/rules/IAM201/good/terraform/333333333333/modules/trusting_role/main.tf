# A role that trusts the given principals (policy document built from the inputs).

variable "name" {
  type = string
}

variable "trusted" {
  type = list(string)
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = var.trusted
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

output "arn" {
  value = aws_iam_role.this.arn
}
