//! Bare IAM policy documents (what `aws iam create-role --assume-role-policy-document
//! file://…` reads). The owner comes from the manifest or the directory convention; the
//! kind (trust, identity, resource) from that placement or, failing it, from the content.

use std::sync::Arc;

use serde_json::Value;

use super::manifest::{place, placement_by_convention};
use super::{FileInput, LoadContext};
use crate::model::inventory::Contribution;
use crate::model::location::{DocOrigin, Location};
use crate::model::path::JsonPath;
use crate::model::policy::{classify_by_content, PolicyDocument, PolicyKind};

/// Loads one policy file.
pub fn load(ctx: &LoadContext, input: &FileInput, value: Value) -> Contribution {
    let mut out = Contribution::default();
    let mut placements = ctx.manifest.placements(input.path);
    if placements.is_empty() {
        placements.extend(placement_by_convention(input.path, ctx.config));
    }
    let kind = match placements.first() {
        Some(p) if p.is_trust() => PolicyKind::Trust,
        Some(_) => PolicyKind::Identity,
        None => classify_by_content(&value),
    };
    let origin = DocOrigin::Json {
        file: input.id,
        base: JsonPath::root(),
    };
    let doc = Arc::new(PolicyDocument::from_value(
        &value,
        origin,
        kind,
        input.path.display().to_string(),
    ));
    if placements.is_empty() {
        out.documents.push(doc);
    } else {
        for p in &placements {
            place(&mut out, p, doc.clone(), Location::file(input.id));
        }
    }
    out
}
