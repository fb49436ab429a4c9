//! A file's bytes and its text: one open that never blocks, the size limit, and the
//! decoding every loader and the report share (UTF-8, or UTF-16 with a byte-order mark;
//! UTF-16 without one is reported, not guessed).

use std::borrow::Cow;
use std::path::Path;

use super::{aws_ini, has_credential_marker, has_json_marker, UNREADABLE_FILE};
use crate::finding::{Finding, Severity};
use crate::model::location::{FileId, Location};

/// Bytes of a file in UTF-16 without a byte-order mark: in its first 4 KiB one byte of
/// nearly every pair is NUL (the high byte of an ASCII character) and the other is not.
/// Some(true) for little endian. Such a file cannot be told from binary data by its bytes
/// alone, so it is only ever decoded to see whether it is worth a finding.
pub(super) fn utf16_order_without_bom(bytes: &[u8]) -> Option<bool> {
    if is_utf16(bytes) {
        // It has one: why it did not decode is told as it is.
        return None;
    }
    let head = bytes.get(..bytes.len().min(4096) & !1).unwrap_or_default();
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let (mut low_nul, mut high_nul) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        low_nul += usize::from(pair.first() == Some(&0));
        high_nul += usize::from(pair.get(1) == Some(&0));
    }
    let most = |n: usize| n * 10 >= pairs * 9;
    let few = |n: usize| n * 10 <= pairs;
    if most(high_nul) && few(low_nul) {
        Some(true)
    } else if most(low_nul) && few(high_nul) {
        Some(false)
    } else {
        None
    }
}

/// An IAM001 finding for a file in UTF-16 without a byte-order mark, when it is one iamlint
/// would read (`expected`: its name or place says so, or it was named on the command line)
/// or its decoded text holds IAM configuration (a JSON marker, a credential, an AWS CLI
/// config). Without the mark nothing says how to decode it for sure, so it is not read;
/// the user is told instead of the file being dropped as binary.
pub(super) fn utf16_without_bom(
    id: FileId,
    path: &Path,
    bytes: &[u8],
    expected: bool,
) -> Option<Finding> {
    let little = utf16_order_without_bom(bytes)?;
    let mut marked = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    marked.extend_from_slice(bytes.get(..bytes.len() & !1).unwrap_or_default());
    let text = decode_utf16(&marked).ok()?;
    let iam = expected
        || has_json_marker(text.as_bytes())
        || has_credential_marker(text.as_bytes())
        || aws_ini::kind_by_content(text.trim_start_matches('\u{feff}')).is_some();
    if !iam {
        return None;
    }
    Some(
        Finding::new(
            UNREADABLE_FILE,
            Severity::Error,
            Location::file(id),
            format!(
                "file is UTF-16 ({}) without a byte-order mark: not read",
                if little {
                    "little endian"
                } else {
                    "big endian"
                }
            ),
        )
        .with_help("re-save the file as UTF-8, or as UTF-16 with a byte-order mark")
        .with_identity(format!("{UNREADABLE_FILE}:{}", path.display())),
    )
}

/// Why a file's bytes could not be had.
pub(crate) enum ReadProblem {
    /// Over the size limit: its size.
    TooLarge(u64),
    /// Why it cannot be read, for the message.
    Unreadable(String),
}

/// Reads a regular file of at most `max` bytes. The file is opened once and its size and
/// type are asked of the open file (one path look-up, not two).
pub(crate) fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, ReadProblem> {
    let unreadable = |e: std::io::Error| ReadProblem::Unreadable(format!("cannot read file: {e}"));
    let mut file = open_for_reading(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.len() > max {
        return Err(ReadProblem::TooLarge(meta.len()));
    }
    if !meta.is_file() {
        return Err(ReadProblem::Unreadable("not a regular file".into()));
    }
    // Not the `File`'s own `read_to_end`: it asks the file's size and position again (a
    // statx and an lseek per file, a tenth of a scan's system calls) when `meta` has just
    // told them. Through `take` the reads go into the room made here: two for a file of
    // up to 8 KiB (most of a repository's), a few more for a larger one (8, 16, 32 KiB…),
    // with nothing zeroed first; and the limit also holds for a file grown since `meta`.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    let mut limited = std::io::Read::take(&mut file, max.saturating_add(1));
    std::io::Read::read_to_end(&mut limited, &mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > max {
        let now = file.metadata().map_or(bytes.len() as u64, |m| m.len());
        return Err(ReadProblem::TooLarge(now));
    }
    Ok(bytes)
}

/// Opens a file for reading. On Unix without blocking: the walk never hands over a FIFO,
/// but one put in a file's place after the walk must not hang the scan (the type check
/// after opening then reports it).
pub(super) fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// Whether a file's bytes start with a UTF-16 byte-order mark (little or big endian):
/// [`decode_file`] decodes it, and byte offsets into its text are not offsets in the file.
pub(crate) fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// A file's text, or why its bytes are not text we read: UTF-8 as it is (a byte-order mark
/// kept, as U+FEFF), or UTF-16 with a byte-order mark decoded (Windows PowerShell 5's `>`
/// writes UTF-16LE), its mark kept as U+FEFF too. Loaders and reporters read files through
/// this one function, so a byte offset into the text means the same to both; the text's
/// lines and columns (in characters) are the file's.
pub(crate) fn decode_file(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    let binary = |text: &[u8]| memchr::memchr(0, text.get(..8192).unwrap_or(text)).is_some();
    let binary_error = || "file is binary (it holds NUL bytes), not JSON or INI text".to_owned();
    if is_utf16(bytes) {
        let text = decode_utf16(bytes)?;
        if binary(text.as_bytes()) {
            return Err(binary_error());
        }
        return Ok(Cow::Owned(text));
    }
    // Before the UTF-8 check: NUL bytes say binary more plainly than a first bad byte.
    if binary(bytes) {
        return Err(binary_error());
    }
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        format!(
            "file is not valid UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        )
    })
}

/// Decodes UTF-16 whose first two bytes are its byte-order mark (decoded with the rest,
/// as U+FEFF). Odd lengths and unpaired surrogates are not text: nothing is guessed.
pub(super) fn decode_utf16(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() % 2 != 0 {
        return Err("file is not valid UTF-16 (an odd number of bytes)".into());
    }
    let little = bytes.starts_with(&[0xFF, 0xFE]);
    let units = bytes.chunks_exact(2).map(|pair| {
        // `chunks_exact(2)` gives pairs only.
        let pair: [u8; 2] = pair.try_into().unwrap_or([0, 0]);
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| {
            format!(
                "file is not valid UTF-16 (unpaired surrogate {:#06x})",
                e.unpaired_surrogate()
            )
        })
}

/// A decoded file's text without its byte-order mark, and how many bytes of the decoded
/// file come before it: the `offset` of a [`super::FileInput`]. Offsets are into the
/// decoded file, mark included: the reporters read the file through [`decode_file`] too,
/// and map offsets in a UTF-16 file back to its bytes.
pub(crate) fn without_bom(decoded: &str) -> (&str, usize) {
    let text = decoded.strip_prefix('\u{feff}').unwrap_or(decoded);
    (text, decoded.len() - text.len())
}
