# A trust policy listing 50 roles one by one: over the default 2,048-character quota.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

locals {
  team_roles = [
    "arn:aws:iam::444455556666:role/team-role-00",
    "arn:aws:iam::444455556666:role/team-role-01",
    "arn:aws:iam::444455556666:role/team-role-02",
    "arn:aws:iam::444455556666:role/team-role-03",
    "arn:aws:iam::444455556666:role/team-role-04",
    "arn:aws:iam::444455556666:role/team-role-05",
    "arn:aws:iam::444455556666:role/team-role-06",
    "arn:aws:iam::444455556666:role/team-role-07",
    "arn:aws:iam::444455556666:role/team-role-08",
    "arn:aws:iam::444455556666:role/team-role-09",
    "arn:aws:iam::444455556666:role/team-role-10",
    "arn:aws:iam::444455556666:role/team-role-11",
    "arn:aws:iam::444455556666:role/team-role-12",
    "arn:aws:iam::444455556666:role/team-role-13",
    "arn:aws:iam::444455556666:role/team-role-14",
    "arn:aws:iam::444455556666:role/team-role-15",
    "arn:aws:iam::444455556666:role/team-role-16",
    "arn:aws:iam::444455556666:role/team-role-17",
    "arn:aws:iam::444455556666:role/team-role-18",
    "arn:aws:iam::444455556666:role/team-role-19",
    "arn:aws:iam::444455556666:role/team-role-20",
    "arn:aws:iam::444455556666:role/team-role-21",
    "arn:aws:iam::444455556666:role/team-role-22",
    "arn:aws:iam::444455556666:role/team-role-23",
    "arn:aws:iam::444455556666:role/team-role-24",
    "arn:aws:iam::444455556666:role/team-role-25",
    "arn:aws:iam::444455556666:role/team-role-26",
    "arn:aws:iam::444455556666:role/team-role-27",
    "arn:aws:iam::444455556666:role/team-role-28",
    "arn:aws:iam::444455556666:role/team-role-29",
    "arn:aws:iam::444455556666:role/team-role-30",
    "arn:aws:iam::444455556666:role/team-role-31",
    "arn:aws:iam::444455556666:role/team-role-32",
    "arn:aws:iam::444455556666:role/team-role-33",
    "arn:aws:iam::444455556666:role/team-role-34",
    "arn:aws:iam::444455556666:role/team-role-35",
    "arn:aws:iam::444455556666:role/team-role-36",
    "arn:aws:iam::444455556666:role/team-role-37",
    "arn:aws:iam::444455556666:role/team-role-38",
    "arn:aws:iam::444455556666:role/team-role-39",
    "arn:aws:iam::444455556666:role/team-role-40",
    "arn:aws:iam::444455556666:role/team-role-41",
    "arn:aws:iam::444455556666:role/team-role-42",
    "arn:aws:iam::444455556666:role/team-role-43",
    "arn:aws:iam::444455556666:role/team-role-44",
    "arn:aws:iam::444455556666:role/team-role-45",
    "arn:aws:iam::444455556666:role/team-role-46",
    "arn:aws:iam::444455556666:role/team-role-47",
    "arn:aws:iam::444455556666:role/team-role-48",
    "arn:aws:iam::444455556666:role/team-role-49",
  ]
}

resource "aws_iam_role" "narrow" {
  name = "tf-narrow"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = local.team_roles }
      Action    = "sts:AssumeRole"
    }]
  })
}
