//! Strings of policy documents, shared: the same action, principal or condition key held
//! by thousands of statements is one allocation. An organisation's policies repeat a small
//! vocabulary (`sts:AssumeRole`, `s3:GetObject`, its CI role's ARN, `aws:SecureTransport`),
//! and as one `String` each these strings were the largest part of the model of a large
//! Terraform tree (see BENCHMARKS.md).
//!
//! Each thread keeps the strings it made lately in a small table and hands out the same
//! one for the same text. The table is bounded and emptied when full: it only finds
//! repeats, and a string made twice is still correct, only not shared.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use foldhash::HashSet;

/// An immutable string that clones without copying; equal texts made on one thread are
/// usually one allocation ([`SharedStr::new`]).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(Arc<str>);

/// Strings a thread's table holds before it starts again.
const TABLE_LIMIT: usize = 8192;

/// Texts longer than this are not looked up: long values (a whole ARN list in one
/// string, a policy quoted in a condition) rarely repeat, and hashing them costs more.
const LONGEST_SHARED: usize = 160;

thread_local! {
    static TABLE: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::default());
}

impl SharedStr {
    /// The string `text`, shared with an equal one this thread made lately.
    pub fn new(text: &str) -> SharedStr {
        if text.len() > LONGEST_SHARED {
            return SharedStr(Arc::from(text));
        }
        TABLE.with(|table| {
            let Ok(mut table) = table.try_borrow_mut() else {
                return SharedStr(Arc::from(text));
            };
            if let Some(found) = table.get(text) {
                return SharedStr(Arc::clone(found));
            }
            if table.len() >= TABLE_LIMIT {
                table.clear();
            }
            let made: Arc<str> = Arc::from(text);
            table.insert(Arc::clone(&made));
            SharedStr(made)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The string as an `Arc<str>`, for values that hold one.
    pub fn into_arc(self) -> Arc<str> {
        self.0
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr::new(text)
    }
}

impl From<&String> for SharedStr {
    fn from(text: &String) -> Self {
        SharedStr::new(text)
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr::new(&text)
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == &*other.0
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == &*other.0
    }
}

impl serde::Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_made_on_one_thread_share_one_allocation() {
        let a = SharedStr::new("sts:AssumeRole");
        let b = SharedStr::new(&String::from("sts:AssumeRole"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "sts:AssumeRole");
        assert_eq!(a.to_string(), "sts:AssumeRole");
    }

    #[test]
    fn long_texts_and_a_full_table_still_give_the_right_string() {
        let long = "x".repeat(LONGEST_SHARED + 1);
        assert_eq!(SharedStr::new(&long).as_str(), long);
        let made: Vec<SharedStr> = (0..TABLE_LIMIT + 10)
            .map(|i| SharedStr::new(&format!("s3:Action{i}")))
            .collect();
        for (i, s) in made.iter().enumerate() {
            assert_eq!(s.as_str(), format!("s3:Action{i}"));
        }
    }
}
