//! Markdown bodies to HTML: GitHub-flavoured extensions, automatic heading ids, and links that
//! respect the site's base path.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Renders `markdown` to HTML. Root-relative links (`/faq/`) are prefixed with `base_path`,
/// so content works when the site is published under a sub-path.
pub fn render(markdown: &str, base_path: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options).collect();
    let events = with_heading_ids(events);
    let events = events
        .into_iter()
        .map(|event| rewrite_link(event, base_path));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Gives every heading an id made from its text, unique within the page, unless it has one.
fn with_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let text = heading_text(&events[i + 1..]);
            let base = slugify(&text);
            let base = if base.is_empty() {
                "section".to_string()
            } else {
                base
            };
            let mut id = base.clone();
            let mut n = 1;
            while !used.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        } else if let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i] {
            used.insert(id.to_string());
        }
        i += 1;
    }
    events
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// Lowercase ASCII words joined by hyphens, for ids: "Why groups?" → "why-groups".
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

fn rewrite_link<'a>(event: Event<'a>, base_path: &str) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: with_base(dest_url, base_path),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: with_base(dest_url, base_path),
            title,
            id,
        }),
        other => other,
    }
}

fn with_base<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if base_path != "/" && url.starts_with('/') && !url.starts_with("//") {
        CowStr::from(format!("{}{}", base_path.trim_end_matches('/'), url))
    } else {
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids() {
        let html = render(
            "## How do I join?\n\n## How do I join?\n\n### `code` & more {#custom}\n",
            "/",
        );
        assert!(html.contains(r#"<h2 id="how-do-i-join">"#), "{html}");
        assert!(html.contains(r#"<h2 id="how-do-i-join-1">"#), "{html}");
        assert!(html.contains(r#"<h3 id="custom">"#), "{html}");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let html = render(
            "[FAQ](/faq/) [x](https://x.org/) [y](#top) [z](//cdn)",
            "/sub/",
        );
        assert!(html.contains(r#"href="/sub/faq/""#), "{html}");
        assert!(html.contains(r#"href="https://x.org/""#));
        assert!(html.contains(r##"href="#top""##));
        assert!(html.contains(r#"href="//cdn""#));
        assert!(render("[FAQ](/faq/)", "/").contains(r#"href="/faq/""#));
    }

    #[test]
    fn extensions_are_on() {
        let html = render(
            "| a |\n|---|\n| b |\n\n~~x~~\n\n- [x] done\n\nA[^1]\n\n[^1]: note\n",
            "/",
        );
        for needle in ["<table>", "<del>", "type=\"checkbox\"", "footnote"] {
            assert!(html.contains(needle), "{needle} in {html}");
        }
    }
}
