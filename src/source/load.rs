//! Reading inputs into memory as UTF-8 text, within a size budget.

use std::fs::File;
use std::io::Read;

use super::discover::{Input, describe_io_error};

/// Why an input could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// The operating system refused.
    #[error("cannot read: {0}")]
    Io(String),
    /// The input is not a regular file (a FIFO, a device, a socket).
    #[error("not a regular file; named pipes and devices are not read")]
    NotRegular,
    /// The input is larger than `--max-file-size`.
    #[error("{}", too_large(*size, *limit))]
    TooLarge {
        /// Bytes in the input, when known: standard input is read only up
        /// to the limit, so its full size never is.
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// The input is not UTF-8.
    #[error("not UTF-8 text: invalid byte at offset {offset}{hint}")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
        /// A guess at the real encoding.
        hint: &'static str,
    },
}

fn too_large(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) => {
            format!(
                "the file is {size} bytes, more than the limit of {limit} bytes (--max-file-size)"
            )
        }
        None => format!("larger than the limit of {limit} bytes (--max-file-size)"),
    }
}

impl LoadError {
    /// Whether this is a limit, reported by `input-limit-exceeded` rather
    /// than `unreadable-file`.
    pub fn is_limit(&self) -> bool {
        matches!(self, LoadError::TooLarge { .. })
    }
}

/// Reads an input whole. Standard input is read from the process's stdin;
/// text already in memory is moved out of `input` rather than copied.
pub fn take(input: &mut Input, max_size: u64) -> Result<String, LoadError> {
    let bytes = match input {
        Input::Stdin { .. } => read_limited(std::io::stdin().lock(), max_size, 0)?,
        Input::Memory { text, .. } => {
            if text.len() as u64 > max_size {
                return Err(LoadError::TooLarge {
                    size: None,
                    limit: max_size,
                });
            }
            return Ok(std::mem::take(text));
        }
        Input::File { path, .. } => {
            // Look before opening: opening a FIFO blocks until a writer comes.
            let meta =
                std::fs::metadata(&*path).map_err(|e| LoadError::Io(describe_io_error(&e)))?;
            if !meta.is_file() {
                return Err(LoadError::NotRegular);
            }
            if meta.len() > max_size {
                return Err(LoadError::TooLarge {
                    size: Some(meta.len()),
                    limit: max_size,
                });
            }
            let file = File::open(&*path).map_err(|e| LoadError::Io(describe_io_error(&e)))?;
            // Sized from the metadata: growing the buffer while reading
            // copied large files several times.
            read_limited(file, max_size, meta.len() as usize)?
        }
    };
    decode(bytes)
}

fn read_limited(reader: impl Read, max_size: u64, expected: usize) -> Result<Vec<u8>, LoadError> {
    // One byte more than expected lets the end of the file be seen without
    // growing the buffer.
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
    reader
        .take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LoadError::Io(describe_io_error(&e)))?;
    if bytes.len() as u64 > max_size {
        // Reading stopped one byte past the limit, so the real size is unknown.
        return Err(LoadError::TooLarge {
            size: None,
            limit: max_size,
        });
    }
    Ok(bytes)
}

fn decode(bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let hint = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            " (the file looks like UTF-16; save it as UTF-8)"
        } else {
            ""
        };
        LoadError::InvalidUtf8 {
            offset: error.utf8_error().valid_up_to(),
            hint,
        }
    })
}
