//! The pages a search engine should index: every HTML page but the 404 page.

use crate::render::Output;

/// Absolute URLs of the HTML pages among `outputs`, in path order; `index.html` is left off
/// so each URL is the folder address the site links to.
pub fn urls(outputs: &[Output], origin: &str, base_path: &str) -> Vec<String> {
    let mut paths: Vec<&str> = outputs
        .iter()
        .map(|o| o.path.as_str())
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
