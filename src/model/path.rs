//! A path into a JSON document (a parsed JSON Pointer), used to find a value's exact
//! position again when a finding is reported. Paths are cheap to keep; byte ranges are
//! only computed for values that end up in a finding.

use std::fmt;

/// One step of a [`JsonPath`]: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// A path from a document's root to one of its values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPath(pub Vec<PathSeg>);

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// This path with one more object key.
    pub fn key(&self, key: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(PathSeg::Key(key.to_owned()));
        JsonPath(segs)
    }

    /// This path with one more array index.
    pub fn index(&self, index: usize) -> Self {
        let mut segs = self.0.clone();
        segs.push(PathSeg::Index(index));
        JsonPath(segs)
    }

    /// This path followed by `other`.
    pub fn join(&self, other: &JsonPath) -> Self {
        let mut segs = self.0.clone();
        segs.extend(other.0.iter().cloned());
        JsonPath(segs)
    }

    pub fn segments(&self) -> &[PathSeg] {
        &self.0
    }

    /// Parses an RFC 6901 JSON Pointer (`/Statement/0/Action`). Segments made only of
    /// digits become indices; `~1` and `~0` are unescaped.
    pub fn from_pointer(pointer: &str) -> Self {
        if pointer.is_empty() {
            return JsonPath::root();
        }
        let segs = pointer
            .trim_start_matches('/')
            .split('/')
            .map(|raw| {
                let seg = raw.replace("~1", "/").replace("~0", "~");
                match seg.parse::<usize>() {
                    Ok(i) if !seg.is_empty() && (seg == "0" || !seg.starts_with('0')) => {
                        PathSeg::Index(i)
                    }
                    _ => PathSeg::Key(seg),
                }
            })
            .collect();
        JsonPath(segs)
    }
}

impl fmt::Display for JsonPath {
    /// Writes the path as an RFC 6901 JSON Pointer.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for seg in &self.0 {
            match seg {
                PathSeg::Key(k) => write!(f, "/{}", k.replace('~', "~0").replace('/', "~1"))?,
                PathSeg::Index(i) => write!(f, "/{i}")?,
            }
        }
        Ok(())
    }
}
