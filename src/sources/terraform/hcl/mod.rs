//! The HCL front end: `.tf` modules (and their `.tfvars`) parsed with hcl-edit, evaluated
//! as far as they can be known statically, and handed to the back end as resources.

pub mod policy_document;
#[allow(dead_code)] // used by the HCL loader, still to come
pub mod value;
