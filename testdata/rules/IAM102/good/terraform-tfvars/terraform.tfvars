trusted = "*"
