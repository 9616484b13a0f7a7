//! Fingerprinted stylesheets and scripts: a copy of each under `assets/` whose name carries a
//! hash of its bytes, so it can be cached for good and a change gets a new address.

use std::collections::BTreeMap;

use tera::{Kwargs, State, TeraResult};

use crate::theme::ThemeFile;

/// The folder fingerprinted copies go to; `netlify.toml` caches it for a year.
pub const DIR: &str = "assets";

/// Static file path (`style.css`) → published path (`assets/style.0a1b2c3d4e.css`; other files
/// keep their path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assets(BTreeMap<String, String>);

impl Assets {
    /// Fingerprints every `.css` and `.js` among the theme's static files.
    pub fn of(static_files: &BTreeMap<String, ThemeFile>) -> Assets {
        let mut map = BTreeMap::new();
        for (path, file) in static_files {
            let published = if path.ends_with(".css") || path.ends_with(".js") {
                fingerprinted(path, &published(path, &file.bytes))
            } else {
                path.clone()
            };
            map.insert(path.clone(), published);
        }
        Assets(map)
    }

    /// The fingerprinted path of a static file, if it has one.
    pub fn get(&self, path: &str) -> Option<&String> {
        self.0.get(path).filter(|published| *published != path)
    }

    /// The template function `asset(path="style.css")`: the path to link to, relative to the
    /// site's base path (fingerprinted for styles and scripts); an error for a file that is not
    /// there, so a typo cannot ship a broken link.
    pub fn function(
        &self,
    ) -> impl Fn(Kwargs, &State) -> TeraResult<String> + Send + Sync + 'static {
        let map = self.0.clone();
        move |kwargs: Kwargs, _: &State| {
            let path: &str = kwargs.must_get("path")?;
            map.get(path).cloned().ok_or_else(|| {
                tera::Error::message(format!(
                    "asset(path=\"{path}\"): the theme has no static file `{path}`"
                ))
            })
        }
    }
}

/// What a visitor downloads of a style or a script (its fingerprinted copy): the file without its
/// comments, which are for people reading the theme (a quarter of the default theme's scripts,
/// gzipped, and what keeps the directory within its page budget). Scripts lose their `//` comment
/// lines (never inside a template literal), styles their `/* */` comments (never inside a string);
/// nothing else changes, so the code is the code the theme's author wrote.
pub fn published(path: &str, bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let shrunk = if path.ends_with(".js") {
        without_comment_lines(text)
    } else if path.ends_with(".css") {
        without_block_comments(text)
    } else {
        return bytes.to_vec();
    };
    shrunk.into_bytes()
}

fn without_comment_lines(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let mut in_template = false;
    for line in script.split_inclusive('\n') {
        if !in_template && line.trim_start().starts_with("//") {
            continue;
        }
        in_template ^= line.matches('`').count() % 2 == 1;
        out.push_str(line);
    }
    out
}

fn without_block_comments(style: &str) -> String {
    let mut out = String::with_capacity(style.len());
    let mut rest = style;
    let mut quote: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        if quote.is_none() && rest.starts_with("/*") {
            rest = rest[2..].find("*/").map_or("", |end| &rest[2 + end + 2..]);
            continue;
        }
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    // The lines that held only a comment.
    out.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("{line}\n"))
        .collect()
}

/// `dir/name.css` → `assets/dir/name.<10 hex>.css`.
pub fn fingerprinted(path: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", fnv1a(bytes));
    let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
    format!("{DIR}/{stem}.{}.{ext}", &hash[..10])
}

/// FNV-1a, 64-bit: fixed by its definition, so names are the same on every machine and release.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn published_copies_leave_out_comments_and_nothing_else() {
        let script = "// why\nlet a = 1; // kept: code before it\n  // indented\nlet t = `\n// inside a template\n`;\n";
        assert_eq!(
            String::from_utf8(published("a.js", script.as_bytes())).unwrap(),
            "let a = 1; // kept: code before it\nlet t = `\n// inside a template\n`;\n"
        );
        let style =
            "/* head */\na { content: \"/* not a comment */\"; } /* tail */\n\n/* x\ny */\nb {}\n";
        assert_eq!(
            String::from_utf8(published("a.css", style.as_bytes())).unwrap(),
            "a { content: \"/* not a comment */\"; } \nb {}\n"
        );
        assert_eq!(published("a.svg", b"<!-- x -->"), b"<!-- x -->");
    }

    #[test]
    fn names_carry_the_hash_of_the_bytes() {
        let a = fingerprinted("css/style.css", b"body{}");
        assert!(
            a.starts_with("assets/css/style.") && a.ends_with(".css"),
            "{a}"
        );
        assert_eq!(a.len(), "assets/css/style.".len() + 10 + ".css".len());
        assert_ne!(a, fingerprinted("css/style.css", b"body{ }"));
        assert_eq!(a, fingerprinted("css/style.css", b"body{}"));
    }
}
