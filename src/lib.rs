//! groupdir: a static site generator for a community's directory of interest and working groups.
//!
//! The engine is a pipeline, one module per stage, each importing only the stages before it:
//! [`load`] reads the files, [`parse`] reads each one, [`validate`] checks them across files and
//! against today, [`compute`] adds staleness and relations to make a [`site::Site`], [`view`] is
//! what templates see, [`render`] makes the output files (with [`theme`]) and [`write`] puts them
//! on disk. [`pipeline::run`] runs them all, for `build` and for [`serve`], the preview server,
//! which keeps the files in memory. The commands in [`cmd`] are thin layers over it. The day is
//! resolved once ([`today`]) and handed down; [`paths`] is the one home of slug ↔ path ↔ URL,
//! and [`text`] of the rules for text from content (no control characters in any output, values
//! escaped on terminals, titles compared as they read).
//! The GitHub activity sync ([`sync`], imported by `cmd` alone) sits beside the stages, not in
//! them: it writes a data file ([`activity`]) that the build reads as just another input.

pub mod activity;
pub mod charter;
pub mod clock;
pub mod cmd;
pub mod compute;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod evidence;
pub mod horizon;
pub mod load;
pub mod model;
pub mod parse;
pub mod paths;
pub mod people;
pub mod pipeline;
pub mod records;
pub mod render;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod sync;
pub mod text;
pub mod theme;
pub mod timings;
pub mod today;
pub mod validate;
pub mod view;
pub mod write;

pub use error::Error;
