# This file does not parse: the second `=` on the `name` line is a syntax error.
# The human report must show its position only, never this text.

resource "aws_iam_role" "half_written" {
  name = = "DO-NOT-PRINT-half-written-role"
  assume_role_policy = "{}"
}
