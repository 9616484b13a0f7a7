//! groupdir: a static site generator for a community's directory of interest and working groups.
//!
//! The pipeline, one module per stage: [`load`] reads the files, [`parse`] and [`validate`] turn
//! them into a valid [`site::Site`], [`compute`] adds staleness and relations, [`render`] makes
//! the output files and [`write`] puts them on disk; [`serve`]
//! keeps them in memory for a live-reloading preview.

pub mod cmd;
pub mod compute;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod load;
pub mod model;
pub mod parse;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod site;
pub mod theme;
pub mod timings;
pub mod today;
pub mod validate;
pub mod view;
pub mod write;

pub use error::Error;
