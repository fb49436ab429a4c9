# A line break after a conditional's `:` inside braces (the cloudposse label module's
# style): Terraform takes it, hcl-edit does not; iamlint joins the line and reads on.
locals {
  names = ["a", "b"]
  labels = { for k in local.names : k => k == "a" ? "first" :
    k == "b" ? "second" : "other"
  }
}

resource "aws_iam_role" "open" {
  name = "open-${local.labels["a"]}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
    }]
  })
}
