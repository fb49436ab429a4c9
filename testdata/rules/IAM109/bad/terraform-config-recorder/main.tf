# The role AWS Config's recorder uses: its documentation shows `aws:SourceAccount` in
# this trust, so it is still judged (unlike an aggregator's role).
data "aws_iam_policy_document" "recorder_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "recorder" {
  name               = "config-recorder"
  assume_role_policy = data.aws_iam_policy_document.recorder_trust.json
}

resource "aws_iam_role_policy_attachment" "recorder" {
  role       = aws_iam_role.recorder.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
}
