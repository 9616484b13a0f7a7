//! The end-to-end tests: one binary, one module per behaviour, the one harness in `common`.

mod common;
#[cfg(feature = "sync")]
mod github;

mod activity;
mod architecture;
mod build;
mod bundled_content;
mod calendars;
mod charters;
#[cfg(feature = "sync")]
mod evidence;
mod faults;
mod fuzz;
mod hostile;
mod hostile3;
mod injection;
mod links;
#[cfg(feature = "serve")]
mod load;
mod meetings;
mod output;
mod publish;
#[cfg(feature = "serve")]
mod serve;
#[cfg(feature = "sync")]
mod sync;
mod text;
mod theme;
mod validation;
mod workflow;
