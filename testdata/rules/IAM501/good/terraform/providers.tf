# Credentials come from the environment or a profile, never from the files; a variable
# without a default and obvious placeholders are not credentials.
provider "aws" {
  region  = "eu-west-1"
  profile = "deploy"
}

provider "aws" {
  alias      = "ci"
  region     = "eu-west-1"
  access_key = var.ci_access_key
  secret_key = var.ci_secret_key
}

variable "ci_access_key" {}
variable "ci_secret_key" {
  sensitive = true
}

variable "aws_secret_access_key" {
  default = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
}
