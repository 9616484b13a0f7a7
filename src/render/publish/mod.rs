//! What the published site needs beyond its pages: the meetings page and calendars, the feed,
//! the sitemap, and fingerprinted assets.

pub mod feed;
pub mod ics;
pub mod meetings;
pub mod schema;
pub mod sitemap;
pub mod vtimezone;
