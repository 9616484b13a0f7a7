//! Splitting a content file into its `+++` TOML front matter and its Markdown body.

use std::ops::Range;

/// Byte ranges of the two parts of a content file, in the file's own text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub front_matter: Range<usize>,
    pub body: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `+++` line.
    NoOpening,
    /// The opening `+++` has no closing `+++` line; the offset is where the front matter starts.
    NoClosing(usize),
}

const FENCE: &str = "+++";

/// Finds the front matter between a first line `+++` and the next line `+++`.
/// A byte-order mark before it and CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Parts, SplitError> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut lines = lines_with_offsets(text, start);
    match lines.next() {
        Some((_, line)) if is_fence(line) => {}
        _ => return Err(SplitError::NoOpening),
    }
    let front_start = lines.next().map_or(text.len(), |(offset, _)| offset);
    for (offset, line) in lines_with_offsets(text, front_start) {
        if is_fence(line) {
            let body_start = text[offset..]
                .find('\n')
                .map_or(text.len(), |i| offset + i + 1);
            return Ok(Parts {
                front_matter: front_start..offset,
                body: body_start..text.len(),
            });
        }
    }
    Err(SplitError::NoClosing(front_start))
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == FENCE
}

/// Lines of `text` from `start`, each with its byte offset, without the line ending.
fn lines_with_offsets(text: &str, start: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = start;
    std::iter::from_fn(move || {
        if offset >= text.len() {
            return None;
        }
        let rest = &text[offset..];
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        let item = (offset, line.trim_end_matches('\n').trim_end_matches('\r'));
        offset += end;
        Some(item)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (&str, &str) {
        let p = split(text).expect("splits");
        (&text[p.front_matter], &text[p.body])
    }

    #[test]
    fn splits_front_matter_from_body() {
        assert_eq!(
            parts("+++\ntitle = \"a\"\n+++\nBody\n"),
            ("title = \"a\"\n", "Body\n")
        );
        assert_eq!(parts("+++\n+++\n"), ("", ""));
        assert_eq!(parts("+++\na = 1\n+++"), ("a = 1\n", ""));
    }

    #[test]
    fn accepts_crlf_and_a_byte_order_mark() {
        assert_eq!(
            parts("\u{feff}+++\r\na = 1\r\n+++\r\nBody"),
            ("a = 1\r\n", "Body")
        );
    }

    #[test]
    fn reports_missing_fences() {
        assert_eq!(split(""), Err(SplitError::NoOpening));
        assert_eq!(split("title = 1\n"), Err(SplitError::NoOpening));
        assert_eq!(split("---\ntitle: a\n---\n"), Err(SplitError::NoOpening));
        assert_eq!(split("+++\ntitle = 1\n"), Err(SplitError::NoClosing(4)));
        assert_eq!(split("+++"), Err(SplitError::NoClosing(3)));
    }
}
