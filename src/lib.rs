//! groupdir: a static site generator for a community's directory of interest and working groups.
//!
//! The pipeline, one module per stage: [`load`] reads the files, [`parse`] and [`validate`] turn
//! them into a valid [`site::Site`], [`compute`] adds staleness and relations, [`render`] makes
//! the output files and [`write`] puts them on disk; [`serve`]
//! keeps them in memory for a live-reloading preview.

pub mod clock;
pub mod cmd;
pub mod compute;
pub mod config;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod parse;
pub mod render;
pub mod serve;
pub mod site;
pub mod theme;
pub mod validate;
pub mod write;

use std::path::PathBuf;

use diagnostic::Diagnostic;

/// Why a command failed; `exit_code` maps each to the documented exit status.
#[derive(Debug)]
pub enum Error {
    /// The content has errors: the contributor's to fix.
    Content(Vec<Diagnostic>),
    /// The command line or environment is wrong.
    Usage(String),
    /// A file could not be read or written.
    Io { path: PathBuf, message: String },
}

impl Error {
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
                write!(
                    f,
                    "{errors} error{} in the content",
                    if errors == 1 { "" } else { "s" }
                )
            }
            Error::Usage(message) => f.write_str(message),
            Error::Io { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}
