//! How IAM reads a condition operator: an optional set qualifier (`ForAllValues:`,
//! `ForAnyValue:`), a base operator (`StringEquals`, `StringLike`, …) and an optional
//! `IfExists` suffix. Operators are matched as AWS spells them; anything else is
//! [`Operator::is_known`] false, and rules stay silent on it rather than guess. This module
//! only reads operator names; it does not evaluate conditions.

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// A condition operator taken apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator<'a> {
    pub set: Option<SetQualifier>,
    /// The operator without qualifier and `IfExists` (`StringLike`).
    pub base: &'a str,
    pub if_exists: bool,
}

/// Base operators of the IAM condition operator reference.
const KNOWN: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

impl<'a> Operator<'a> {
    pub fn parse(text: &'a str) -> Self {
        let (set, rest) = if let Some(r) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, text)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        Operator {
            set,
            base,
            if_exists,
        }
    }

    /// Whether the base operator is one IAM documents (`Null` takes no `IfExists`).
    pub fn is_known(&self) -> bool {
        KNOWN.contains(&self.base)
            && !(self.base == "Null" && (self.if_exists || self.set.is_some()))
    }

    /// `StringEquals`, `StringEqualsIgnoreCase` or `StringLike`: true only for a request
    /// value that matches one of the listed values.
    pub fn is_positive_string(&self) -> bool {
        matches!(
            self.base,
            "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
        )
    }

    /// `StringEquals` or `StringEqualsIgnoreCase`: `*` and `?` are plain characters there.
    pub fn is_exact_string(&self) -> bool {
        matches!(self.base, "StringEquals" | "StringEqualsIgnoreCase")
    }

    /// Whether `*` and `?` are wildcards in the values: `StringLike`/`StringNotLike`, and
    /// all four ARN operators ("each can include a multi-character match wildcard").
    pub fn has_wildcards(&self) -> bool {
        matches!(
            self.base,
            "StringLike"
                | "StringNotLike"
                | "ArnEquals"
                | "ArnLike"
                | "ArnNotEquals"
                | "ArnNotLike"
        )
    }

    /// A negated operator (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …): true when
    /// the key is absent, so it never requires anything of the caller.
    pub fn is_negated(&self) -> bool {
        self.base.contains("Not")
    }

    /// Whether the condition is true for a request that lacks the key: `…IfExists`,
    /// `ForAllValues:` (true for an empty set) and negated operators.
    pub fn holds_without_key(&self) -> bool {
        self.if_exists || self.set == Some(SetQualifier::ForAllValues) || self.is_negated()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_qualifiers_and_if_exists() {
        let op = Operator::parse("ForAllValues:StringLikeIfExists");
        assert_eq!(op.set, Some(SetQualifier::ForAllValues));
        assert_eq!(op.base, "StringLike");
        assert!(op.if_exists && op.is_known() && op.has_wildcards());
        assert!(op.holds_without_key());
        let op = Operator::parse("StringEquals");
        assert!(op.is_exact_string() && !op.holds_without_key());
        assert!(Operator::parse("ArnEquals").has_wildcards());
        assert!(!Operator::parse("stringequals").is_known());
        assert!(!Operator::parse("NullIfExists").is_known());
        assert!(Operator::parse("StringNotLike").holds_without_key());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(text in ".{0,60}") {
            let op = Operator::parse(&text);
            let _ = (op.is_known(), op.has_wildcards(), op.holds_without_key());
        }
    }
}
