# Read by the HCL front end only (a *.tfvars of the module); iamlint before #12 skips it.
account_id = "123456789012"
