# Credentials written into Terraform: every one is reported, and masked in any snippet.
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIA2E0A8F3B244C9986"
  secret_key = "Jq7Vb2Xr9Lm4Np8Ts3Wd6Yf1Hk5Zc0Gu2Ea7Qo9R"
}

terraform {
  backend "s3" {
    bucket     = "state"
    key        = "iam.tfstate"
    region     = "eu-west-1"
    secret_key = "Pw3Rt8Yu2Io7As1Df6Gh0Jk5Lz9Xc4Vb8Nm3Qw7E"
  }
}

variable "aws_secret_access_key" {
  default = "Mn5Bv1Cx6Za2Sd7Fg3Hj8Kl4Qw9Er0Ty5Ui1Op6A"
}
