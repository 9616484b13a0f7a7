//! The Markdown body as every stage parses it: the extensions it is read with, and the bound on
//! its nesting, which `parse` reports and `render` enforces.

use pulldown_cmark::{Event, Options, Parser};

/// The Markdown extensions bodies are written with (GitHub's).
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_GFM);

/// Block quotes and lists deeper than this are not parsed as such: far beyond any real page, and
/// low enough that no stage of rendering can run out of stack on a hostile file.
pub const MAX_NESTING: usize = 100;

/// The byte offset where `markdown` first nests elements deeper than [`MAX_NESTING`], counting
/// Markdown's own blocks and inlines and the elements of raw HTML in it. The HTML parser behind the
/// sanitizer takes time growing with the square of the depth, so depth is bounded up front.
pub fn too_deep(markdown: &str) -> Option<usize> {
    let events = Parser::new_ext(markdown, OPTIONS).into_offset_iter();
    deepest(events.map(|(event, range)| (event, range.start)))
}

/// The offset of the first event nested deeper than [`MAX_NESTING`], if any.
pub fn deepest<'a, E: std::borrow::Borrow<Event<'a>>>(
    events: impl Iterator<Item = (E, usize)>,
) -> Option<usize> {
    let mut markdown_depth = 0usize;
    let mut html_depth = 0usize;
    for (event, start) in events {
        match event.borrow() {
            Event::Start(_) => markdown_depth += 1,
            Event::End(_) => markdown_depth = markdown_depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                html_depth = html_nesting(html, html_depth);
                if html_depth > MAX_NESTING {
                    return Some(start);
                }
            }
            _ => {}
        }
        if markdown_depth + html_depth > MAX_NESTING {
            return Some(start);
        }
    }
    None
}

/// The element depth after `html`, starting from `depth`: an upper bound on how deep a browser
/// would nest it, since elements that never take children or close themselves are not counted.
fn html_nesting(html: &str, mut depth: usize) -> usize {
    const LEAVES: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
    ];
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name: String = rest[name_start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !LEAVES.contains(&name.as_str()) {
            depth += 1;
        }
    }
    depth
}
