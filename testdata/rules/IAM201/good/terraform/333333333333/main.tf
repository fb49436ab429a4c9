# Account 333333333333: role tf-role-c, made by a local module from its trusted principals.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["333333333333"]
}

module "role_c" {
  source = "./modules/trusting_role"
  name   = "tf-role-c"
  trusted = [
    "arn:aws:iam::222222222222:role/tf-role-b",
    "arn:aws:iam::111111111111:user/tf-user-a",
  ]
}
