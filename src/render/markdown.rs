//! Markdown bodies to HTML: GitHub-flavoured extensions, automatic heading ids, and links that
//! respect the site's base path. Bodies come from pull requests, so the HTML is sanitized: raw
//! HTML in Markdown is limited to a safe subset that cannot run script or load other documents.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use pulldown_cmark::{Alignment, CowStr, Event, Parser, Tag, TagEnd, TextMergeStream, html};

use crate::parse::body::{OPTIONS, deepest};

/// Renders `markdown` to HTML. Root-relative links (`/faq/`) are prefixed with `base_path`,
/// so content works when the site is published under a sub-path. Headings get ids, none of
/// them among `reserved` (the ids the theme's pages use themselves, such as `main`).
/// A body nested deeper than [`crate::parse::body::MAX_NESTING`] is shown as plain text: validation reports it
/// (see [`crate::parse::body::too_deep`]), and this keeps any other caller safe.
///
/// The events stream from the parser to the HTML writer, none kept but a heading's own: a body
/// of ten million `<` is ten million events, and holding them took 2.5 GB.
pub fn render(markdown: &str, base_path: &str, reserved: &HashSet<String>) -> String {
    // A first pass decides, before any HTML is written, whether the body renders as text and
    // whether it needs the sanitizer. What Markdown makes by itself is escaped by pulldown-cmark;
    // only raw HTML, unusual link schemes and attributes written by hand need the sanitizer,
    // which costs more than the rest of the rendering together.
    let mut needs_sanitizer = false;
    let events = Parser::new_ext(markdown, OPTIONS)
        .into_offset_iter()
        .inspect(|(event, _)| needs_sanitizer |= self::needs_sanitizer(event))
        .map(|(event, range)| (event, range.start));
    if deepest(events).is_some() {
        return format!("<pre>{}</pre>", escape(markdown));
    }
    let events = TextMergeStream::new(Parser::new_ext(markdown, OPTIONS));
    let events = AlignmentClasses::new(HeadingIds::new(events, reserved))
        .map(|event| rewrite_link(event, base_path))
        .map(|event| {
            if needs_sanitizer {
                event
            } else {
                with_rel(event)
            }
        });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    if needs_sanitizer {
        sanitize(&out, reserved)
    } else {
        out
    }
}

/// Whether `event` makes HTML that the sanitizer must look at.
fn needs_sanitizer(event: &Event<'_>) -> bool {
    match event {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            !is_plain_url(dest_url)
        }
        Event::Start(Tag::Heading { classes, attrs, .. }) => {
            !classes.is_empty() || !attrs.is_empty()
        }
        _ => false,
    }
}

/// A URL that is relative, or http, https or mailto, with nothing a browser would strip first.
fn is_plain_url(url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url.as_bytes()[i] == b':' => {
            matches!(
                url[..i].to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto"
            )
        }
        _ => true,
    }
}

/// A link that leaves the site, written with `rel="noopener noreferrer"` as the sanitizer would.
fn with_rel(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) if is_external(&dest_url) => {
            let mut html = String::from("<a href=\"");
            pulldown_cmark_escape::escape_href(&mut html, &dest_url).expect("writing to a String");
            if !title.is_empty() {
                html.push_str("\" title=\"");
                pulldown_cmark_escape::escape_html(&mut html, &title).expect("writing to a String");
            }
            html.push_str("\" rel=\"noopener noreferrer\">");
            Event::InlineHtml(CowStr::from(html))
        }
        other => other,
    }
}

/// `text` with the characters that mean something in HTML escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}

/// Keeps only HTML that cannot run script, load other documents or carry inline style (the
/// Content-Security-Policy forbids it): what Markdown makes, plus `<details>` and the like.
/// Links to other sites get `rel="noopener noreferrer"`; links inside the site are left alone.
/// Ids written in raw HTML get what headings' ids get: none is one of `reserved` (the theme's)
/// or the preview's, and none is used twice (`main` becomes `main-1`).
pub fn sanitize(html: &str, reserved: &HashSet<String>) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked"])
        .set_tag_attribute_value("input", "disabled", "")
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("div", ["id", "class"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("blockquote", ["class"])
        .add_allowed_classes("th", ALIGNMENT_CLASSES)
        .add_allowed_classes("td", ALIGNMENT_CLASSES)
        .link_rel(Some("noopener noreferrer"));
    // ammonia adds `rel` to every link, after the link's own attributes; the filter sees them in
    // that order, so it remembers whether the `href` leads off-site and keeps `rel` only then.
    let external = AtomicBool::new(false);
    let ids = Mutex::new(Ids {
        used: HashSet::new(),
        reserved: reserved.clone(),
    });
    builder.attribute_filter(
        move |element, attribute, value| match (element, attribute) {
            (_, "id") => Some(
                ids.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .unique(value)
                    .into(),
            ),
            ("a", "href") => {
                external.store(is_external(value), Ordering::Relaxed);
                Some(value.into())
            }
            ("a", "rel") => external
                .swap(false, Ordering::Relaxed)
                .then(|| value.into()),
            // Task-list checkboxes are the only inputs Markdown makes.
            ("input", "type") => value.eq_ignore_ascii_case("checkbox").then(|| value.into()),
            _ => Some(value.into()),
        },
    );
    builder.clean(html).to_string()
}

/// A link that leaves the site: an absolute or scheme-relative address.
fn is_external(href: &str) -> bool {
    let href = href.trim_start().to_ascii_lowercase();
    href.starts_with("http:") || href.starts_with("https:") || href.starts_with("//")
}

/// The classes that align a table column; the theme's stylesheet gives them their meaning.
const ALIGNMENT_CLASSES: [&str; 3] = ["align-left", "align-center", "align-right"];

/// Aligns table columns with classes: pulldown-cmark writes alignment as an inline `style`,
/// which the Content-Security-Policy forbids. Each aligned cell's start tag is written here, and
/// the table itself is passed on without alignments, so the writer adds no `style` of its own.
struct AlignmentClasses<I> {
    events: I,
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

impl<I> AlignmentClasses<I> {
    fn new(events: I) -> Self {
        AlignmentClasses {
            events,
            alignments: Vec::new(),
            in_head: false,
            column: 0,
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for AlignmentClasses<I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.events.next()?;
        Some(match event {
            Event::Start(Tag::Table(columns)) => {
                self.alignments = columns;
                Event::Start(Tag::Table(vec![Alignment::None; self.alignments.len()]))
            }
            Event::Start(Tag::TableHead) => {
                (self.in_head, self.column) = (true, 0);
                event
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                event
            }
            Event::Start(Tag::TableRow) => {
                self.column = 0;
                event
            }
            Event::End(TagEnd::TableCell) => {
                self.column += 1;
                event
            }
            Event::Start(Tag::TableCell) => {
                let class = match self.alignments.get(self.column) {
                    Some(Alignment::Left) => ALIGNMENT_CLASSES[0],
                    Some(Alignment::Center) => ALIGNMENT_CLASSES[1],
                    Some(Alignment::Right) => ALIGNMENT_CLASSES[2],
                    _ => return Some(event),
                };
                let tag = if self.in_head { "th" } else { "td" };
                Event::InlineHtml(CowStr::from(format!("<{tag} class=\"{class}\">")))
            }
            other => other,
        })
    }
}

/// Gives every heading an id made from its text, unique within the page and not one of the
/// theme's, unless it has one. A heading's events wait until its end, when its text is known.
struct HeadingIds<'a, 'r, I> {
    events: I,
    used: HashSet<String>,
    reserved: &'r HashSet<String>,
    heading: VecDeque<Event<'a>>,
}

impl<'a, 'r, I> HeadingIds<'a, 'r, I> {
    fn new(events: I, reserved: &'r HashSet<String>) -> Self {
        HeadingIds {
            events,
            used: HashSet::new(),
            reserved,
            heading: VecDeque::new(),
        }
    }

    /// `base`, or `base-1`, `base-2`…: the first that is neither taken nor reserved.
    fn unique(&mut self, base: &str) -> String {
        unique_id(base, &mut self.used, self.reserved)
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for HeadingIds<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.heading.pop_front() {
            return Some(event);
        }
        let mut event = self.events.next()?;
        let Event::Start(Tag::Heading { id, .. }) = &mut event else {
            return Some(event);
        };
        if let Some(written) = id.take() {
            *id = Some(CowStr::from(self.unique(&written)));
            return Some(event);
        }
        let mut text = String::new();
        let mut rest = VecDeque::new();
        for inner in self.events.by_ref() {
            if let Event::Text(t) | Event::Code(t) = &inner {
                text.push_str(t);
            }
            let end = matches!(inner, Event::End(TagEnd::Heading(_)));
            rest.push_back(inner);
            if end {
                break;
            }
        }
        let base = match slugify(&text) {
            slug if slug.is_empty() => "section".to_string(),
            slug => slug,
        };
        let unique = self.unique(&base);
        if let Event::Start(Tag::Heading { id, .. }) = &mut event {
            *id = Some(CowStr::from(unique));
        }
        self.heading = rest;
        Some(event)
    }
}

/// The ids given so far in one body, and those it may not take: for ids written in raw HTML.
struct Ids {
    used: HashSet<String>,
    reserved: HashSet<String>,
}

impl Ids {
    fn unique(&mut self, base: &str) -> String {
        unique_id(base, &mut self.used, &self.reserved)
    }
}

/// The preview's own ids start so (`groupdir-overlay`, the error overlay its script replaces by
/// id): a body's element with such an id would be taken for it.
const PREVIEW_ID_PREFIX: &str = "groupdir-";

/// `base`, or `base-1`, `base-2`…: the first not in `used` nor one of `reserved`; it is added to
/// `used`. A `base` in the preview's namespace becomes `content-groupdir-…` first.
fn unique_id(base: &str, used: &mut HashSet<String>, reserved: &HashSet<String>) -> String {
    let base = if base.starts_with(PREVIEW_ID_PREFIX) {
        format!("content-{base}")
    } else {
        base.to_string()
    };
    let mut id = base.clone();
    let mut n = 1;
    while reserved.contains(&id) || !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
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
    use crate::parse::body::{MAX_NESTING, too_deep};

    #[test]
    fn headings_get_unique_ids() {
        let html = render(
            "## How do I join?\n\n## How do I join?\n\n### `code` & more {#custom}\n",
            "/",
            &HashSet::new(),
        );
        assert!(html.contains(r#"<h2 id="how-do-i-join">"#), "{html}");
        assert!(html.contains(r#"<h2 id="how-do-i-join-1">"#), "{html}");
        assert!(html.contains(r#"<h3 id="custom">"#), "{html}");
    }

    #[test]
    fn headings_never_take_the_themes_ids() {
        let reserved = HashSet::from(["main".to_string(), "related".to_string()]);
        let html = render(
            "# Main\n\n## main\n\n### Related {#related}\n",
            "/",
            &reserved,
        );
        assert!(html.contains(r#"<h1 id="main-1">"#), "{html}");
        assert!(html.contains(r#"<h2 id="main-2">"#), "{html}");
        assert!(html.contains(r#"<h3 id="related-1">"#), "{html}");
        assert!(!html.contains(r#"id="main""#), "{html}");
    }

    #[test]
    fn table_columns_are_aligned_by_class_not_style() {
        let table = "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n";
        let expected = [
            r#"<th class="align-left">a</th><th class="align-center">b</th><th class="align-right">c</th><th>d</th>"#,
            r#"<td class="align-left">1</td><td class="align-center">2</td><td class="align-right">3</td><td>4</td>"#,
        ];
        // Alone, and beside raw HTML, which sends the whole body through the sanitizer.
        for markdown in [table.to_string(), format!("<b>bold</b>\n\n{table}")] {
            let html = render(&markdown, "/", &HashSet::new()).replace('\n', "");
            for row in expected {
                assert!(html.contains(row), "{html}");
            }
            assert!(!html.contains("style"), "{html}");
        }
        let forged = render(
            "<table><tr><td class=\"evil align-left\">x</td></tr></table>",
            "/",
            &HashSet::new(),
        );
        assert!(!forged.contains("evil"), "{forged}");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let html = render(
            "[FAQ](/faq/) [x](https://x.org/) [y](#top) [z](//cdn)",
            "/sub/",
            &HashSet::new(),
        );
        assert!(html.contains(r#"href="/sub/faq/""#), "{html}");
        assert!(html.contains(r#"href="https://x.org/""#));
        assert!(html.contains(r##"href="#top""##));
        assert!(html.contains(r#"href="//cdn""#));
        assert!(render("[FAQ](/faq/)", "/", &HashSet::new()).contains(r#"href="/faq/""#));
    }

    #[test]
    fn raw_html_is_limited_to_a_safe_subset() {
        let html = render(
            "<details><summary>More</summary>\n\n<script>alert(1)</script>\n\
             <img src=x onerror=alert(1)> <a href=\"JaVaScRiPt:alert(1)\">a</a>\n\
             <iframe src=https://x.org></iframe><form action=/x><input type=text></form>\n\
             <p style=\"color:red\">red</p><style>p{}</style>\n\n</details>\n",
            "/",
            &HashSet::new(),
        );
        for gone in [
            "script",
            "onerror",
            "javascript",
            "iframe",
            "form",
            "style",
            "alert",
        ] {
            assert!(!html.to_lowercase().contains(gone), "{gone} in {html}");
        }
        assert!(html.contains("<details><summary>More</summary>"), "{html}");
        assert!(html.contains("<input disabled=\"\">"), "{html}");
    }

    #[test]
    fn only_links_that_leave_the_site_get_rel() {
        let html = render(
            "[a](https://x.org/) [b](/faq/) [c](#top) <a href=\"//cdn.x\">d</a> [e](HTTP://Y)",
            "/",
            &HashSet::new(),
        );
        assert!(
            html.contains(r#"<a href="https://x.org/" rel="noopener noreferrer">a</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<a href="/faq/">b</a>"#), "{html}");
        assert!(html.contains(r##"<a href="#top">c</a>"##), "{html}");
        assert!(html.contains(r#"<a href="//cdn.x" rel="noopener noreferrer">d</a>"#));
        assert!(
            html.contains(r#"rel="noopener noreferrer">e</a>"#),
            "{html}"
        );
    }

    #[test]
    fn deep_nesting_is_found_and_rendered_as_text() {
        let quotes = format!("ok\n\n{} deep\n", ">".repeat(10_000));
        assert_eq!(too_deep(&quotes), Some(4 + MAX_NESTING));
        assert!(render(&quotes, "/", &HashSet::new()).starts_with("<pre>ok"));
        assert!(too_deep(&"<div>".repeat(MAX_NESTING + 1)).is_some());
        assert!(too_deep(&"<div>x</div>".repeat(10_000)).is_none());
        assert!(too_deep(&"<p>x<br>".repeat(10_000)).is_none());
        assert!(too_deep(&"- a\n".repeat(10_000)).is_none());
        assert_eq!(
            too_deep(&format!("{}x", "- ".repeat(MAX_NESTING / 2))),
            None
        );
    }

    #[test]
    fn extensions_are_on() {
        let html = render(
            "| a |\n|---|\n| b |\n\n~~x~~\n\n- [x] done\n\nA[^1]\n\n[^1]: note\n",
            "/",
            &HashSet::new(),
        );
        for needle in ["<table>", "<del>", "type=\"checkbox\"", "footnote"] {
            assert!(html.contains(needle), "{needle} in {html}");
        }
    }

    /// Elements with their attributes sorted, and text: what a browser sees, not how it was spelt.
    fn canonical(html: &str) -> Vec<String> {
        let fragment = scraper::Html::parse_fragment(html);
        fragment
            .root_element()
            .descendants()
            .map(|node| match node.value() {
                scraper::Node::Element(e) => {
                    let mut attrs: Vec<String> =
                        e.attrs().map(|(k, v)| format!("{k}={v}")).collect();
                    attrs.sort();
                    format!("<{} {}>", e.name(), attrs.join(" "))
                }
                scraper::Node::Text(t) => t.to_string(),
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn markdown_without_raw_html_skips_the_sanitizer_and_needs_it_not() {
        let samples = [
            "# Title\n\nText with [a link](https://x.org/ \"t\"), [inside](/faq/) and ![img](a.png).",
            "- [x] done\n- [ ] todo\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nA[^1]\n\n[^1]: note",
            "> quote\n\n```rust\nfn main() {}\n```\n\n~~old~~ <https://auto.link> mail@x.org",
        ];
        for markdown in samples {
            let events: Vec<Event<'_>> = Parser::new_ext(markdown, OPTIONS).collect();
            assert!(!events.iter().any(needs_sanitizer), "{markdown}");
            let html = render(markdown, "/", &HashSet::new());
            assert_eq!(
                canonical(&sanitize(&html, &HashSet::new())),
                canonical(&html),
                "the sanitizer would change {markdown:?}"
            );
        }
    }

    #[test]
    fn unusual_urls_and_hand_written_attributes_go_through_the_sanitizer() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!is_plain_url(url), "{url}");
        }
        for url in [
            "https://x.org",
            "/faq/",
            "#top",
            "mailto:a@b.org",
            "a.png",
            "?q=1",
            "x/y:z",
        ] {
            assert!(is_plain_url(url), "{url}");
        }
        let html = render(
            "# Hi {onclick=alert(1)}\n\n[x](javascript:alert(1))\n\n| a |\n|:-:|\n| b |",
            "/",
            &HashSet::new(),
        );
        for bad in ["onclick", "javascript:", "style="] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }
}
