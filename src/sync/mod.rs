//! Activity from where groups work: `groupdir sync` reads each group's `[sources]` on GitHub
//! and records what it saw in one data file, which every build then reads offline.
//!
//! The data file itself (model, reader, writer) is [`crate::activity`], an input of every build.
//! Only the command `groupdir sync` uses this module. The client and the sync itself need an HTTP
//! client with TLS, a heavy compile that the deploy does not pay for: they come with the `sync`
//! feature, on by default.

#[cfg(feature = "sync")]
pub mod charters;
#[cfg(feature = "sync")]
pub mod client;
#[cfg(feature = "sync")]
mod files;
#[cfg(feature = "sync")]
mod github;
#[cfg(feature = "sync")]
pub mod human;
#[cfg(feature = "sync")]
mod merge;
#[cfg(feature = "sync")]
mod run;

#[cfg(feature = "sync")]
pub use run::{Report, SourceFailure, sync};
