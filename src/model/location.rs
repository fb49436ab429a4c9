//! Where a model value came from. A [`Location`] names a file and an [`Anchor`] inside it;
//! anchors are cheap paths, turned into byte ranges (`crate::span`) only when a finding
//! that uses them is reported, so a clean scan never pays for positions.

use super::path::JsonPath;

/// Index of a scanned file in the inventory's file table (files are numbered in sorted
/// path order, so ids are the same whatever the thread count).
pub type FileId = u32;

/// A place inside one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Anchor {
    /// The file as a whole (unreadable, oversized, binary).
    File,
    /// A byte range known at load time (INI lines, JSON syntax errors).
    Bytes { start: usize, end: usize },
    /// A value (or, with `key`, the member's key) in the file's JSON.
    Json { path: JsonPath, key: bool },
    /// A value inside a JSON document that the file holds as a JSON string at `string_at`
    /// (Terraform's `"policy": "{\"Statement\":…}"`), percent-encoded too when
    /// `url_encoded` (account dumps).
    Embedded {
        string_at: JsonPath,
        url_encoded: bool,
        inner: JsonPath,
        key: bool,
    },
    /// A value (or key) inside a JSON text that occupies bytes `start..end` of the file
    /// character for character: a Terraform heredoc, or a policy file `file()` reads.
    JsonIn {
        start: usize,
        end: usize,
        path: JsonPath,
        key: bool,
    },
}

/// A file and a place inside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: FileId,
    pub anchor: Anchor,
}

impl Location {
    pub fn file(file: FileId) -> Self {
        Location {
            file,
            anchor: Anchor::File,
        }
    }

    pub fn bytes(file: FileId, start: usize, end: usize) -> Self {
        Location {
            file,
            anchor: Anchor::Bytes { start, end },
        }
    }

    pub fn json(file: FileId, path: JsonPath) -> Self {
        Location {
            file,
            anchor: Anchor::Json { path, key: false },
        }
    }
}

/// Where the parts of a document built from another syntax (Terraform HCL) were written,
/// worked out only when a finding needs one.
pub trait Places: std::fmt::Debug + Send + Sync {
    /// The place of the value (or the key) at `rel`, or of its nearest placed ancestor.
    fn place(&self, rel: &JsonPath, key: bool) -> Option<Location>;
}

/// Every part of a document placed at one place: a policy held as a string that iamlint
/// unescaped, whose parts cannot be found in the file's text one by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WholePlace(pub Location);

impl Places for WholePlace {
    fn place(&self, _rel: &JsonPath, _key: bool) -> Option<Location> {
        Some(self.0.clone())
    }
}

/// Where a policy document sits, so that paths relative to the document's root become
/// [`Location`]s.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DocOrigin {
    /// The document is a JSON object at `base` in the file.
    Json { file: FileId, base: JsonPath },
    /// The document is a JSON string at `string_at` (percent-encoded when `url_encoded`).
    Embedded {
        file: FileId,
        string_at: JsonPath,
        url_encoded: bool,
    },
    /// The document is a JSON text at bytes `start..end` of the file (see
    /// [`Anchor::JsonIn`]).
    JsonIn {
        file: FileId,
        start: usize,
        end: usize,
    },
    /// The document was built from another syntax; its parts are placed by its [`Places`].
    Mapped { file: FileId, spans: MappedSpans },
}

/// A shared [`Places`], compared and hashed by identity (one per document).
#[derive(Clone, Debug)]
pub struct MappedSpans(pub std::sync::Arc<dyn Places>);

impl PartialEq for MappedSpans {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::addr_eq(
            std::sync::Arc::as_ptr(&self.0),
            std::sync::Arc::as_ptr(&other.0),
        )
    }
}

impl Eq for MappedSpans {}

impl std::hash::Hash for MappedSpans {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(std::sync::Arc::as_ptr(&self.0).cast::<()>(), state);
    }
}

impl DocOrigin {
    pub fn file(&self) -> FileId {
        match self {
            DocOrigin::Json { file, .. }
            | DocOrigin::Embedded { file, .. }
            | DocOrigin::JsonIn { file, .. }
            | DocOrigin::Mapped { file, .. } => *file,
        }
    }

    /// The location of the value at `rel` (a path from the document's root).
    pub fn at(&self, rel: &JsonPath) -> Location {
        self.anchor(rel, false)
    }

    /// The location of the key of the member at `rel`.
    pub fn key_at(&self, rel: &JsonPath) -> Location {
        self.anchor(rel, true)
    }

    /// The location of the whole document.
    pub fn whole(&self) -> Location {
        self.anchor(&JsonPath::root(), false)
    }

    fn anchor(&self, rel: &JsonPath, key: bool) -> Location {
        match self {
            DocOrigin::Json { file, base } => Location {
                file: *file,
                anchor: Anchor::Json {
                    path: base.join(rel),
                    key,
                },
            },
            DocOrigin::Embedded {
                file,
                string_at,
                url_encoded,
            } => Location {
                file: *file,
                anchor: Anchor::Embedded {
                    string_at: string_at.clone(),
                    url_encoded: *url_encoded,
                    inner: rel.clone(),
                    key,
                },
            },
            DocOrigin::JsonIn { file, start, end } => Location {
                file: *file,
                anchor: Anchor::JsonIn {
                    start: *start,
                    end: *end,
                    path: rel.clone(),
                    key,
                },
            },
            DocOrigin::Mapped { file, spans } => spans
                .0
                .place(rel, key)
                .unwrap_or_else(|| Location::file(*file)),
        }
    }
}

/// A byte range of a file, kept in 8 bytes for values the model holds many of (a text
/// past 4 GiB has its later places at its 4 GiB mark). A [`Location`] is 64.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TextSpan {
    start: u32,
    end: u32,
}

impl TextSpan {
    pub fn new(start: usize, end: usize) -> Self {
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        TextSpan {
            start: offset(start),
            end: offset(end),
        }
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    /// These bytes of `file`.
    pub fn loc(self, file: FileId) -> Location {
        Location::bytes(file, self.start(), self.end())
    }
}

/// A value with the place it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub loc: Location,
}

impl<T> Spanned<T> {
    pub fn new(value: T, loc: Location) -> Self {
        Spanned { value, loc }
    }
}
