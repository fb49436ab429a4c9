# A role block that was never closed: the file does not parse (the error is at the end
# of the file, where the parser runs out of input looking for `}`).

resource "aws_iam_role" "deploy" {
  name = "tf-deploy"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = []
  })
