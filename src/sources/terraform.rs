//! Terraform JSON: `terraform show -json` plans and state, and `.tf.json` files.

use serde_json::Value;

use super::{FileInput, LoadContext};
use crate::model::inventory::Contribution;

pub fn load_plan(_ctx: &LoadContext, _input: &FileInput, _value: &Value) -> Contribution {
    Contribution::default()
}

pub fn load_state(_ctx: &LoadContext, _input: &FileInput, _value: &Value) -> Contribution {
    Contribution::default()
}

pub fn load_tf_json(_ctx: &LoadContext, _input: &FileInput, _value: &Value) -> Contribution {
    Contribution::default()
}
