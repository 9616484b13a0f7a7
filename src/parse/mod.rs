//! Parse & validate one file: front matter split, TOML decoding, and the rules of a single file.

pub mod body;
pub mod cache;
pub mod decode;
pub mod fields;
mod group;
mod meetings;
mod sources;
pub mod split;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Position, Source};
use crate::load::ContentFile;
use crate::model::{Body, Group, Page, Slug};
use crate::paths::FileKind;
use decode::decode;
use split::{SplitError, split};

pub use group::GroupFrontMatter;

/// A TOML date without a time, as a day; `None` for a date with a time or an offset. (TOML
/// already rejects impossible days such as 2026-02-30.)
pub fn day(value: &toml::value::Datetime) -> Option<NaiveDate> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => {
            NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        }
        _ => None,
    }
}

/// Whether a link may reach a page: only web addresses, since anything else (`javascript:`,
/// `data:`) could run in it. Browsers drop control characters and inner whitespace from URLs,
/// so none may hide there.
pub fn is_web_address(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !value.contains(|c: char| c.is_whitespace() || c.is_control())
}

/// The text `groupdir new` writes where a contributor must fill something in.
pub const PLACEHOLDER: &str = "FILL IN";

/// The result of parsing one file: the value when it is valid, and everything worth saying.
pub struct Parsed<T> {
    pub value: Option<T>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where each front-matter value sits, for rules that look across files.
    pub spans: decode::Spans,
    /// Every string value in the front matter by its path (`title`, `related[0]`), so rules
    /// across files can run even when this file has errors of its own.
    pub strings: Vec<(String, String)>,
    /// The dates of things that happened, by key (`created`, `activity[0].date`).
    pub recorded: Vec<(String, NaiveDate)>,
}

/// What one content file parses into.
// Always behind an `Arc` (shared with the serve cache), so the size of the larger variant is
// one allocation, not a copy.
#[allow(clippy::large_enum_variant)]
pub enum ParsedFile {
    Group(Parsed<Group>),
    Page(Parsed<Page>),
}

/// Parses a content file as what its place makes it: a group or a page.
pub fn file(file: &ContentFile) -> ParsedFile {
    match file.kind {
        FileKind::Group => ParsedFile::Group(group(&file.source, &file.stem)),
        FileKind::Page => ParsedFile::Page(page(&file.source, &file.stem)),
    }
}

/// Parses a group file whose slug is its file stem.
pub fn group(source: &Source, stem: &str) -> Parsed<Group> {
    let rename = match Slug::from_title(stem) {
        Some(s) => format!("rename the file to `{s}.md`"),
        None => "rename the file using lowercase letters a-z, digits and hyphens".to_string(),
    };
    let (slug, decoded, body, mut diagnostics) =
        match read::<GroupFrontMatter>(source, stem, &rename) {
            Ok(read) => read,
            Err(diagnostics) => return Parsed::failed(diagnostics),
        };
    let mut recorded = Vec::new();
    let value = match (decoded.value, slug) {
        (Some(fm), Some(slug)) => {
            let mut cx = fields::Fields::new(source, &decoded.spans, &mut diagnostics);
            let group = group::into_group(fm, slug, Body::new(&source.text, body), &mut cx);
            recorded = cx.recorded;
            group
        }
        _ => None,
    };
    let value = value.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    Parsed {
        value,
        diagnostics,
        spans: decoded.spans,
        strings: decoded.strings,
        recorded,
    }
}

impl<T> Parsed<T> {
    fn failed(diagnostics: Vec<Diagnostic>) -> Parsed<T> {
        Parsed {
            value: None,
            diagnostics,
            spans: decode::Spans::default(),
            strings: Vec::new(),
            recorded: Vec::new(),
        }
    }
}

/// What every content file goes through: the slug from its name, the front matter split off and
/// decoded, and the checks on placeholders and nesting. Fails when there is no front matter.
#[allow(clippy::type_complexity)]
fn read<T: serde::de::DeserializeOwned>(
    source: &Source,
    stem: &str,
    rename_hint: &str,
) -> Result<
    (
        Option<Slug>,
        decode::Decoded<T>,
        std::ops::Range<usize>,
        Vec<Diagnostic>,
    ),
    Vec<Diagnostic>,
> {
    let mut diagnostics = Vec::new();
    let slug = match Slug::parse(stem) {
        Ok(slug) => Some(slug),
        Err(message) => {
            diagnostics.push(
                Diagnostic::error(
                    &source.path,
                    Position::START,
                    format!("file name: {message}"),
                )
                .with_hint(rename_hint),
            );
            None
        }
    };
    let Some((front_matter, body)) = front_matter(source, &mut diagnostics) else {
        return Err(diagnostics);
    };
    let mut decoded = decode::<T>(source, front_matter);
    diagnostics.append(&mut decoded.diagnostics);
    placeholders(
        source,
        &decoded.strings,
        &mut decoded.spans,
        body.clone(),
        &mut diagnostics,
    );
    nesting(source, body.clone(), &mut diagnostics);
    diagnostics.extend(forbidden_characters(
        source,
        &decoded.strings,
        &decoded.spans,
    ));
    if let Some((at, c)) = crate::text::first_forbidden(&source.text[body.clone()]) {
        let at = body.start + at;
        diagnostics.push(forbidden(source, &(at..at), "the body", c));
    }
    Ok((slug, decoded, body, diagnostics))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFrontMatter {
    title: String,
    description: Option<String>,
    #[serde(default)]
    weight: i64,
}

/// Parses a page such as `content/faq.md`.
pub fn page(source: &Source, stem: &str) -> Parsed<Page> {
    let rename =
        "the file name becomes the page's address; use lowercase letters a-z, digits and hyphens";
    let (slug, decoded, body, mut diagnostics) = match read::<PageFrontMatter>(source, stem, rename)
    {
        Ok(read) => read,
        Err(diagnostics) => return Parsed::failed(diagnostics),
    };
    if decoded
        .value
        .as_ref()
        .is_some_and(|fm| !crate::text::has_visible_text(&fm.title))
    {
        let message = if decoded
            .value
            .as_ref()
            .is_some_and(|fm| fm.title.trim().is_empty())
        {
            "`title` is empty"
        } else {
            "`title` has no visible text, only invisible characters"
        };
        diagnostics.push(
            source
                .error(&decoded.spans.of("title"), message)
                .with_hint("give the page a title"),
        );
    }
    let value = match (decoded.value, slug) {
        (Some(fm), Some(slug)) if !diagnostics.iter().any(Diagnostic::is_error) => Some(Page {
            slug,
            title: fm.title.trim().to_string(),
            description: fm
                .description
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            weight: fm.weight,
            body: Body::new(&source.text, body),
            path: source.path.clone(),
        }),
        _ => None,
    };
    Parsed {
        value,
        diagnostics,
        spans: decoded.spans,
        strings: decoded.strings,
        recorded: Vec::new(),
    }
}

/// The byte ranges of the front matter and body, or a diagnostic saying what is wrong.
fn front_matter(
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    match split(&source.text) {
        Ok(parts) => Some((parts.front_matter, parts.body)),
        Err(SplitError::NoOpening) => {
            let message = if source.text.trim().is_empty() {
                "the file is empty"
            } else {
                "the file does not start with `+++` front matter"
            };
            diagnostics.push(
                Diagnostic::error(&source.path, Position::START, message)
                    .with_hint("start the file with a line `+++`, the TOML front matter, and another line `+++`"),
            );
            None
        }
        Err(SplitError::NoClosing(at)) => {
            diagnostics.push(
                source
                    .error(&(at..at), "the front matter is not closed")
                    .with_hint("add a line `+++` after the last key, before the Markdown body"),
            );
            None
        }
    }
}

/// Reports a body nested too deep to render safely; see [`body::too_deep`].
fn nesting(source: &Source, body: std::ops::Range<usize>, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(at) = body::too_deep(&source.text[body.clone()]) {
        let at = body.start + at;
        diagnostics.push(
            source
                .error(
                    &(at..at),
                    format!(
                        "the body nests block quotes, lists or HTML elements more than {} deep",
                        body::MAX_NESTING
                    ),
                )
                .with_hint("flatten the structure; no page needs this depth"),
        );
    }
}

/// Reports each string value with a character no output may carry (see
/// [`crate::text::is_forbidden`]), at the value.
pub fn forbidden_characters(
    source: &Source,
    strings: &[(String, String)],
    spans: &decode::Spans,
) -> Vec<Diagnostic> {
    strings
        .iter()
        .filter_map(|(path, value)| {
            let (_, c) = crate::text::first_forbidden(value)?;
            Some(forbidden(source, &spans.of(path), &format!("`{path}`"), c))
        })
        .collect()
}

fn forbidden(source: &Source, at: &std::ops::Range<usize>, what: &str, c: char) -> Diagnostic {
    source
        .error(
            at,
            format!(
                "{what} has the control character U+{:04X}, which no page, feed or calendar may carry",
                u32::from(c)
            ),
        )
        .with_hint("remove it; such characters often come with text pasted from elsewhere")
}

/// Reports every placeholder left from `groupdir new`, and marks its value as reported: a
/// placeholder is one problem, so the value's own rules (a GitHub name, a web address) stay quiet.
fn placeholders(
    source: &Source,
    strings: &[(String, String)],
    spans: &mut decode::Spans,
    body: std::ops::Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (path, value) in strings {
        if value.contains(PLACEHOLDER) {
            spans.mark_broken(path);
            diagnostics.push(
                source
                    .error(
                        &spans.of(path),
                        format!("`{path}` still has the placeholder from `groupdir new`"),
                    )
                    .with_hint(format!("replace `{}` with the real value", value.trim())),
            );
        }
    }
    if let Some(at) = source.text[body.clone()].find(PLACEHOLDER) {
        let at = body.start + at;
        diagnostics.push(
            source
                .error(
                    &(at..at),
                    "the body still has a placeholder from `groupdir new`",
                )
                .with_hint("replace it with the group's scope, goals and how to take part"),
        );
    }
}
