//! The one model every rule reads: ARNs, wildcard matching, policies, locations and the
//! inventory of accounts, principals, roles and profiles.

pub mod arn;
pub mod condition;
pub mod federation;
pub mod inventory;
pub mod json_view;
pub mod location;
pub mod matching;
pub mod named_grant;
pub mod path;
pub mod policy;
pub mod profile_set;
pub mod shared_str;
