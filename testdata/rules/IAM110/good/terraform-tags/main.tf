# Session tags and a source identity the target's trust allows; tags a variable gives (it
# may be empty: not judged); tags on the first block (its caller, the provider's own
# credentials, is not known: not judged).

variable "session_tags" {
  type = map(string)
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/jump"
    tags     = { team = "platform" }
  }

  assume_role {
    role_arn        = "arn:aws:iam::222222222222:role/release"
    source_identity = "alice"
    tags = {
      team = "platform"
    }
  }
}

provider "aws" {
  alias               = "vars"
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/jump"
  }

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/audit"
    tags     = var.session_tags
  }
}

resource "aws_iam_role" "release" {
  name = "release"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:role/jump" }
      Action    = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
    }]
  })
}

resource "aws_iam_role" "audit" {
  name = "audit"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:role/jump" }
      Action    = "sts:AssumeRole"
    }]
  })
}
