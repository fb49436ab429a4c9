# Provider chains within the one-hour cap; a single hop may ask for more.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn = "arn:aws:iam::111111111111:role/jump"
    duration = "12h"
  }

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/ProductionAccessRole"
    duration = "1h"
  }
}

provider "aws" {
  alias  = "single"
  region = "eu-west-1"

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/ProductionAccessRole"
    duration = "4h"
  }
}

variable "deploy_role_arn" {
  type = string
}

variable "deploy_duration" {
  description = "No default: unknown, so not judged."
  type        = string
}

provider "aws" {
  alias  = "unknown"
  region = "eu-west-1"

  assume_role {
    role_arn = var.deploy_role_arn
  }

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/ProductionAccessRole"
    duration = var.deploy_duration
  }
}

# A web identity session alone may last up to the role's maximum.
provider "aws" {
  alias  = "ci"
  region = "eu-west-1"

  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::111111111111:role/github-actions"
    web_identity_token_file = "/tmp/web-identity-token"
    duration                = "4h"
  }
}
