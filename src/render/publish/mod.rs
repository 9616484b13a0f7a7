//! What the published site needs beyond its pages: the meetings page and calendars, the feed,
//! the sitemap, and fingerprinted assets.

pub mod feed;
pub mod ics;
pub mod meetings;
pub mod schema;
pub mod sitemap;
pub mod vtimezone;

/// The scheme and host of an absolute base URL (`https://x.org/sub/` → `https://x.org`), or
/// nothing for a relative one, whose links then stay relative to the host.
pub fn origin(base_url: &str) -> &str {
    let Some((scheme, rest)) = base_url.split_once("://") else {
        return "";
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    &base_url[..scheme.len() + 3 + host_end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_and_host() {
        assert_eq!(origin("https://x.org/sub/"), "https://x.org");
        assert_eq!(origin("https://x.org"), "https://x.org");
        assert_eq!(origin("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(origin("/"), "");
    }
}
