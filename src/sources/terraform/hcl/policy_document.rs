//! Placeholder until the policy-document conversion lands.
use super::value::Node;

pub fn policy_document(_body: &Node) -> Node {
    Node::unknown("not yet")
}
