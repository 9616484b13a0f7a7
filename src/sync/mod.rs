//! Activity from where groups work: `groupdir sync` reads each group's `[sources]` on GitHub
//! and records what it saw in one data file, which every build then reads offline.
//!
//! [`data`] (the file: model, reader, writer, merge) is always compiled, since the build reads
//! the file. The client and the sync itself need an HTTP client with TLS, a heavy
//! compile that the deploy does not pay for: they come with the `sync` feature, on by default.

pub mod charters;
pub mod data;

#[cfg(feature = "sync")]
pub mod client;
#[cfg(feature = "sync")]
mod files;
#[cfg(feature = "sync")]
mod github;
#[cfg(feature = "sync")]
pub mod records;
#[cfg(feature = "sync")]
mod run;

#[cfg(feature = "sync")]
pub use run::{Report, SourceFailure, sync};
