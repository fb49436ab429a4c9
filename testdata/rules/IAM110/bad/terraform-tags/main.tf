# The provider goes through the jump role onto the release role, passing session tags and a
# source identity; release's trust lets jump assume it but allows neither.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/jump"
  }

  assume_role {
    role_arn        = "arn:aws:iam::222222222222:role/release"
    source_identity = "alice"
    tags = {
      team = "platform"
    }
    transitive_tag_keys = ["team"]
  }
}

resource "aws_iam_role" "release" {
  name = "release"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:role/jump" }
      Action    = "sts:AssumeRole"
    }]
  })
}
