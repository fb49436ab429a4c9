# Provider chains: the second assume_role block chains from the first, so its session is
# capped at one hour.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn = "arn:aws:iam::111111111111:role/jump"
  }

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/ProductionAccessRole"
    duration = "12h"
  }
}

variable "audit_duration" {
  type    = string
  default = "1h30m"
}

provider "aws" {
  alias               = "audit"
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn     = "arn:aws:iam::111111111111:role/jump"
    session_name = "terraform"
  }

  assume_role {
    role_arn    = "arn:aws:iam::222222222222:role/Audit"
    duration    = var.audit_duration
    external_id = "audit-7781"
  }
}

# CI: the web identity session is assumed first, so the assume_role block chains from it.
provider "aws" {
  alias  = "ci"
  region = "eu-west-1"

  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::111111111111:role/github-actions"
    web_identity_token_file = "/tmp/web-identity-token"
  }

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/Deployer"
    duration = "2h"
  }
}
