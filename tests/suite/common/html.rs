//! What a browser would run in the pages a build writes: a check that parsed HTML holds nothing
//! that can run script or load another document, and the elements of a page.

use std::fs;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html};

/// Every `.html` file under `dir`, with its text.
pub fn html_files(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let text = fs::read_to_string(e.path()).expect("read html");
            (e.path().to_path_buf(), text)
        })
        .collect()
}

/// Parses `html` as a browser would and lists every element or attribute that could run script
/// or load another document; empty when the HTML is safe. Template contents are checked too.
pub fn live_script(html: &str) -> Vec<String> {
    problems(html, false)
}

/// [`live_script`] for a whole page of the theme, whose own search form is allowed: a form
/// without an address of its own, outside the rendered content (`.prose`).
pub fn live_script_in_page(html: &str) -> Vec<String> {
    problems(html, true)
}

fn problems(html: &str, theme_forms: bool) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut problems = Vec::new();
    for node in document.tree.nodes() {
        if let Some(element) = ElementRef::wrap(node) {
            let allowed_form = theme_forms && is_theme_form(element);
            if !allowed_form {
                check_element(element, &mut problems);
            }
        }
    }
    problems
}

fn is_theme_form(element: ElementRef<'_>) -> bool {
    let in_content = element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().classes().any(|c| c == "prose"));
    element.value().name() == "form" && element.value().attr("action").is_none() && !in_content
}

const FORBIDDEN_ELEMENTS: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base", "style",
    "noscript", "portal", "isindex",
];

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "cite",
    "codebase",
    "dynsrc",
    "lowsrc",
    "ping",
    "srcset",
    "manifest",
    "icon",
    "to",
    "from",
    "values",
];

fn check_element(node: ElementRef<'_>, problems: &mut Vec<String>) {
    let element = node.value().name().to_ascii_lowercase();
    let attr = |wanted: &str| {
        node.value()
            .attrs()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.to_string())
    };
    match element.as_str() {
        "script" => check_script(node, attr("src"), attr("type"), problems),
        "meta" if attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) => {
            problems.push("<meta http-equiv=refresh>".into());
        }
        "link" if attr("rel").is_some_and(|v| v.to_ascii_lowercase().contains("import")) => {
            problems.push("<link rel=import>".into());
        }
        e if FORBIDDEN_ELEMENTS.contains(&e) => problems.push(format!("<{e}> element")),
        _ => {}
    }
    for (name, value) in node.value().attrs() {
        let attribute = name.to_ascii_lowercase();
        if attribute.starts_with("on") || attribute == "srcdoc" || attribute == "style" {
            problems.push(format!("<{element} {attribute}=…> attribute"));
        }
        if URL_ATTRIBUTES.contains(&attribute.as_str()) && dangerous_url(&attribute, value) {
            problems.push(format!("<{element} {attribute}={value:?}>"));
        }
    }
}

/// Only the site's own scripts, loaded by address, may appear; JSON data blocks may too, as long
/// as no `<` in them could end the block early.
fn check_script(
    node: ElementRef<'_>,
    src: Option<String>,
    kind: Option<String>,
    problems: &mut Vec<String>,
) {
    let text: String = node.text().collect();
    match (src, kind.map(|k| k.to_ascii_lowercase())) {
        (Some(src), _) if is_own_address(&src) && text.trim().is_empty() => {}
        (None, Some(kind)) if kind.ends_with("json") && !text.contains('<') => {}
        (src, _) => problems.push(format!("<script src={src:?}> with {} bytes", text.len())),
    }
}

/// A site-relative address: no scheme, not scheme-relative.
fn is_own_address(url: &str) -> bool {
    let url = normalise_url(url);
    !url.starts_with("//") && !url.contains(':')
}

/// The address as a browser reads its scheme: entities are already decoded by the parser;
/// leading and trailing spaces and control characters go, and so do tabs and newlines anywhere.
fn normalise_url(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Whether the attribute's value could run script: a `javascript:`, `data:` or `vbscript:`
/// address, or one such in the lists that `srcset` (commas) and SVG `values` (semicolons) hold.
fn dangerous_url(attribute: &str, value: &str) -> bool {
    let candidates: Vec<&str> = match attribute {
        "srcset" => value.split(',').collect(),
        "values" => value.split(';').collect(),
        _ => vec![value],
    };
    candidates.iter().any(|candidate| {
        let url = normalise_url(candidate);
        ["javascript:", "data:", "vbscript:"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
    })
}

/// Every element named `name` in `html`, as (attributes, text content), in document order.
pub fn elements(html: &str, name: &str) -> Vec<(Vec<(String, String)>, String)> {
    let document = Html::parse_document(html);
    document
        .tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == name)
        .map(|e| {
            let attrs = e
                .value()
                .attrs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (attrs, e.text().collect())
        })
        .collect()
}
