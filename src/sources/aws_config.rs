//! AWS CLI config and credentials files.

use super::{FileInput, LoadContext};
use crate::model::inventory::{Contribution, SourceFormat};

pub fn load(_ctx: &LoadContext, _input: &FileInput) -> (SourceFormat, Contribution) {
    (SourceFormat::AwsConfig, Contribution::default())
}
