# The role an organization aggregator assumes: AWS Config documents the source keys for
# the recorder's role only, so this trust is not judged.
data "aws_iam_policy_document" "aggregator_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "aggregator" {
  name               = "config-org-aggregator"
  assume_role_policy = data.aws_iam_policy_document.aggregator_trust.json
}

resource "aws_iam_role_policy_attachment" "aggregator" {
  role       = aws_iam_role.aggregator.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
}
