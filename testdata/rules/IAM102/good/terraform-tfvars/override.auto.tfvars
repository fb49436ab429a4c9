trusted = "arn:aws:iam::222222222222:root"
