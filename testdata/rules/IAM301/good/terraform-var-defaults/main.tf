# The buckets come from a tfvars file kept in another repository: `default = []` stands for
# values given at run time, not for a statement without resources.
variable "snapshot_bucket_arns" {
  type    = list(string)
  default = []
}

data "aws_iam_policy_document" "snapshots" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = var.snapshot_bucket_arns
  }

  statement {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = formatlist("%s/*", var.snapshot_bucket_arns)
  }
}

resource "aws_iam_policy" "snapshots" {
  name   = "snapshots"
  policy = data.aws_iam_policy_document.snapshots.json
}
