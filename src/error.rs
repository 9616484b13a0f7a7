//! Why a command failed, in three kinds that map to the documented exit statuses.

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, count};
use crate::text::printable;

/// Why a command failed; `exit_code` maps each to the documented exit status.
#[derive(Debug)]
pub enum Error {
    /// The content has errors: the contributor's to fix.
    Content(Vec<Diagnostic>),
    /// The command line or environment is wrong.
    Usage(String),
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// An I/O failure on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) => 1,
            Error::Usage(_) | Error::Io { .. } => 2,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Content(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                write!(f, "{} in the content", count(errors, "error"))
            }
            // Messages and paths may quote content: shown escaped, they cannot act on a terminal.
            Error::Usage(message) => f.write_str(&printable(message)),
            Error::Io { path, source } => write!(
                f,
                "{}: {}",
                printable(&path.display().to_string()),
                printable(&source.to_string())
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Content(_) | Error::Usage(_) => None,
        }
    }
}
