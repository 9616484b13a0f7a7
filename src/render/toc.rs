//! A long page's table of contents: its `<h2>` headings, read back from the rendered body.

use serde::Serialize;

/// A page gets a table of contents from this many sections on.
pub const MIN_SECTIONS: usize = 4;

/// One entry: the heading's id and its inner HTML (already sanitised by the Markdown renderer).
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: String,
    pub html: String,
}

/// The `<h2 id="…">` headings of `html`, in order, when there are at least [`MIN_SECTIONS`].
pub fn of(html: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<h2 id=\"") {
        let after = &rest[start + "<h2 id=\"".len()..];
        let Some((id, after)) = after.split_once('"') else {
            break;
        };
        let Some((_, after)) = after.split_once('>') else {
            break;
        };
        let Some((inner, after)) = after.split_once("</h2>") else {
            break;
        };
        entries.push(Entry {
            id: id.to_string(),
            html: inner.trim().to_string(),
        });
        rest = after;
    }
    if entries.len() < MIN_SECTIONS {
        entries.clear();
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_entries_from_four_on() {
        let html = "<h2 id=\"a\">A</h2><p>x</p><h2 id=\"b\">The <code>b</code></h2>\
                    <h3 id=\"c\">C</h3><h2 id=\"d\">D</h2>";
        assert!(of(html).is_empty(), "three sections are not a long page");
        let long = format!("{html}<h2 id=\"e\">E</h2>");
        let entries = of(&long);
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "d", "e"]);
        assert_eq!(entries[1].html, "The <code>b</code>");
    }
}
