//! The pages a search engine should index: every HTML page but the 404 page.

/// Absolute URLs of the HTML pages among the output `paths`, in path order; `index.html` is
/// left off so each URL is the folder address the site links to.
pub fn urls<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    origin: &str,
    base_path: &str,
) -> Vec<String> {
    let mut paths: Vec<&str> = paths
        .into_iter()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    paths.sort_unstable();
    paths
        .into_iter()
        .map(|p| {
            format!(
                "{origin}{base_path}{}",
                p.strip_suffix("index.html").unwrap_or(p)
            )
        })
        .collect()
}
