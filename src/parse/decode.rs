//! TOML to typed values, reporting every problem in a file rather than the first.
//!
//! serde stops at the first error. To report them all, decoding removes the entry an error points
//! at and tries again, so one run lists every unknown key and every wrong type in the file.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Source, did_you_mean};

/// More errors than this in one file are not worth reporting one by one.
const MAX_ERRORS_PER_FILE: usize = 25;

/// Where each value sits in the file, by its path: `title`, `related[0]`, `meetings.day`.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    values: BTreeMap<String, Range<usize>>,
    /// Paths whose value was wrong and left out, so no "missing" error is piled on top.
    broken: Vec<String>,
    /// The span of the whole TOML block, for errors about what is not there.
    pub block: Range<usize>,
}

impl Spans {
    /// The span of the value at `path`, or of the whole block when it is absent.
    pub fn of(&self, path: &str) -> Range<usize> {
        self.values
            .get(path)
            .cloned()
            .unwrap_or(self.block.start..self.block.start)
    }

    pub fn has(&self, path: &str) -> bool {
        self.values.contains_key(path)
    }

    /// Whether `path` was present but rejected already.
    pub fn is_broken(&self, path: &str) -> bool {
        self.broken.iter().any(|b| {
            b == path || b.starts_with(&format!("{path}.")) || b.starts_with(&format!("{path}["))
        })
    }

    /// Notes that the value at `path` was reported already, so later rules leave it alone.
    pub fn mark_broken(&mut self, path: &str) {
        self.broken.push(path.to_string());
    }

    /// Every string value with its path, for checks that apply to all text.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

/// A decoded value with the spans of its parts, or nothing when it could not be decoded.
pub struct Decoded<T> {
    pub value: Option<T>,
    pub spans: Spans,
    pub diagnostics: Vec<Diagnostic>,
    /// Every string in the TOML with its path, for checks such as unfilled placeholders.
    pub strings: Vec<(String, String)>,
}

/// Decodes the TOML at `range` of `source` into `T`.
pub fn decode<T: DeserializeOwned>(source: &Source, range: Range<usize>) -> Decoded<T> {
    let offset = range.start;
    let toml_text = &source.text[range.clone()];
    let mut spans = Spans {
        block: range.clone(),
        ..Spans::default()
    };
    let mut diagnostics = Vec::new();
    let shift = |span: Range<usize>| span.start + offset..span.end + offset;

    let (table, errors) = DeTable::parse_recoverable(toml_text);
    if !errors.is_empty() {
        for error in errors.iter().take(MAX_ERRORS_PER_FILE) {
            let span = error.span().map_or(range.start..range.start, shift);
            diagnostics.push(syntax_error(source, &span, error.message()));
        }
        return Decoded {
            value: None,
            spans,
            diagnostics,
            strings: Vec::new(),
        };
    }

    let mut table = table;
    let mut value = None;
    // A misspelt key also makes its table miss the key it meant: report only the misspelling.
    let mut unknown_keys: Vec<Range<usize>> = Vec::new();
    let mut removed = RemovedItems::default();
    for _ in 0..MAX_ERRORS_PER_FILE {
        let deserializer = toml::de::Deserializer::from(table.clone());
        match T::deserialize(deserializer) {
            Ok(decoded) => {
                value = Some(decoded);
                break;
            }
            Err(error) => {
                let at = error.span().unwrap_or(table.span());
                // An error with no place (a key missing from the top level) has nothing to
                // remove: removing the first key instead would blame an innocent one.
                let path = if at.is_empty() {
                    None
                } else {
                    remove_deepest(table.get_mut(), at.start, "")
                };
                let span = shift(at.clone());
                let message = error.message();
                // A key that is missing because it was misspelt or rejected is reported already.
                let follows_typo = message.strip_prefix("missing field ").is_some_and(|name| {
                    let missing = join(path.as_deref().unwrap_or(""), name.trim_matches('`'));
                    spans.broken.contains(&missing)
                        || unknown_keys
                            .iter()
                            .any(|k| at.start <= k.start && k.end <= at.end)
                });
                if message.starts_with("unknown field") {
                    unknown_keys.push(at);
                    // Later rules should not also call the key it meant missing.
                    spans
                        .broken
                        .extend(path.as_deref().and_then(|p| meant_key(p, message)));
                }
                if !follows_typo {
                    let named = path.as_deref().map(|p| removed.in_file(p));
                    diagnostics.push(explain(source, &span, message, named.as_deref()));
                }
                if let Some(path) = &path {
                    removed.note(path);
                }
                match path {
                    Some(path) => spans.broken.push(path),
                    None => break,
                }
            }
        }
    }

    diagnostics.sort_by_key(|d| (d.line, d.column));
    let mut strings = Vec::new();
    record(table.get_ref(), "", &mut |path, value| {
        if let DeValue::String(s) = value.get_ref() {
            strings.push((path.to_string(), s.to_string()));
        }
        spans.values.insert(path.to_string(), shift(value.span()));
    });
    Decoded {
        value,
        spans,
        diagnostics,
        strings,
    }
}

/// The array items removed so far, by the path of their array and their index, both as the file
/// numbers them: once `activity[0]` is removed, what is left calls the file's `activity[1]`
/// `activity[0]`, and errors should name it as the contributor sees it.
#[derive(Default)]
struct RemovedItems(Vec<(String, usize)>);

impl RemovedItems {
    /// `path`, a path into what is left, with each array index as the file numbers it.
    fn in_file(&self, path: &str) -> String {
        let mut out = String::with_capacity(path.len());
        let mut rest = path;
        while let Some((open, close)) = rest
            .find('[')
            .and_then(|open| Some((open, open + rest[open..].find(']')?)))
        {
            out.push_str(&rest[..open]);
            match rest[open + 1..close].parse::<usize>() {
                Ok(left) => {
                    let mut gone: Vec<usize> = self
                        .0
                        .iter()
                        .filter(|(array, _)| *array == out)
                        .map(|(_, index)| *index)
                        .collect();
                    gone.sort_unstable();
                    let index = gone
                        .into_iter()
                        .fold(left, |index, g| if g <= index { index + 1 } else { index });
                    out.push_str(&format!("[{index}]"));
                }
                Err(_) => out.push_str(&rest[open..=close]),
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Records that the value at `path` (into what is left) was removed, if it is an array item.
    fn note(&mut self, path: &str) {
        let in_file = self.in_file(path);
        let item = in_file
            .strip_suffix(']')
            .and_then(|p| p.rsplit_once('['))
            .and_then(|(array, index)| Some((array.to_string(), index.parse().ok()?)));
        self.0.extend(item);
    }
}

/// For an unknown key that looks like a typo, the path of the key it most likely meant.
fn meant_key(path: &str, message: &str) -> Option<String> {
    let rest = first_line(message).strip_prefix("unknown field ")?;
    let (name, expected) = split_expected(rest);
    let suggestion = did_you_mean(&name, expected.iter().map(String::as_str))?;
    Some(match path.rsplit_once('.') {
        Some((parent, _)) => format!("{parent}.{suggestion}"),
        None => suggestion.to_string(),
    })
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

fn syntax_error(source: &Source, span: &Range<usize>, message: &str) -> Diagnostic {
    let message = first_line(message);
    let at = source.text.get(span.clone()).unwrap_or_default().trim();
    if message.contains("duplicate key") && !at.is_empty() {
        return source
            .error(
                span,
                format!("invalid TOML: the key `{at}` is written twice"),
            )
            .with_hint("keep one of the two lines");
    }
    source
        .error(span, format!("invalid TOML: {message}"))
        .with_hint(syntax_hint(message))
}

fn syntax_hint(message: &str) -> &'static str {
    if message.contains("date") || message.contains("time") {
        "write a real calendar date as YYYY-MM-DD without quotes, such as 2026-11-02"
    } else if message.contains("string") || message.contains("quote") {
        "text values go in double quotes: key = \"value\""
    } else {
        "each line of the front matter is `key = value`; see the group file example in the README"
    }
}

/// Turns a serde error into a diagnostic a contributor can act on.
fn explain(source: &Source, span: &Range<usize>, message: &str, path: Option<&str>) -> Diagnostic {
    let message = first_line(message);
    let key = path
        .map(|p| format!("`{p}`"))
        .unwrap_or_else(|| "a value".to_string());
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, expected) = split_expected(rest);
        let mut d = source.error(span, format!("unknown key `{name}`"));
        d = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(suggestion) => d.with_hint(format!("did you mean `{suggestion}`?")),
            None => d.with_hint(format!(
                "the keys allowed here are: {}",
                expected.join(", ")
            )),
        };
        return d;
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, expected) = split_expected(rest);
        let d = source.error(span, format!("{key} cannot be `{name}`"));
        return match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(suggestion) => d.with_hint(format!("did you mean `{suggestion}`?")),
            None => d.with_hint(format!("use one of: {}", expected.join(", "))),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = rest.trim_matches('`');
        return match path {
            Some(path) => source
                .error(span, format!("`{path}` is missing the key `{name}`"))
                .with_hint(format!("add `{name} = …` to this table")),
            None => source
                .error(span, format!("missing required key `{name}`"))
                .with_hint(format!("add `{name} = …`")),
        };
    }
    if message.contains("datetime") || message.contains("Datetime") {
        return source
            .error(span, format!("{key} must be a date"))
            .with_hint("write a TOML date without quotes, such as 2026-11-02");
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another value"));
        return source
            .error(
                span,
                format!(
                    "{key} is out of range: expected {}, found {found}",
                    plain_type(expected)
                ),
            )
            .with_hint(format!("write {}", plain_type(expected)));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        return source
            .error(
                span,
                format!(
                    "{key} has the wrong type: expected {}, found {found}",
                    plain_type(expected)
                ),
            )
            .with_hint(type_hint(expected));
    }
    source.error(span, format!("{key}: {message}"))
}

/// "`x`, expected one of `a`, `b`" → ("x", ["a", "b"]).
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let (name, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let names = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (name.trim_matches('`').to_string(), names)
}

fn plain_type(expected: &str) -> &str {
    match expected {
        "a string" => "text in double quotes",
        "u8" => "a whole number from 0 to 255",
        "u32" => "a whole number, 0 or more",
        "u16" | "u64" | "i64" | "usize" => "a whole number",
        "a sequence" => "a list in square brackets",
        "a boolean" => "true or false",
        other if other.starts_with("struct") => "a table",
        other => other,
    }
}

fn type_hint(expected: &str) -> &'static str {
    match expected {
        "a string" => "put the text in double quotes: key = \"…\"",
        "a sequence" => "write a list: key = [\"a\", \"b\"]",
        e if e.starts_with('u') || e.starts_with('i') => "write a number without quotes: key = 2",
        e if e.starts_with("struct") => "write a table: key = { name = \"…\" }",
        _ => "see the group file example in the README",
    }
}

/// Removes the innermost entry whose key or value contains byte `at`, returning its path.
fn remove_deepest(table: &mut DeTable<'_>, at: usize, prefix: &str) -> Option<String> {
    // A header table (`[meetings]`, `[[activity]]`) spans only its header line, not its keys:
    // look inside every table rather than only the one whose span contains `at`.
    let keys: Vec<String> = table.iter().map(|(k, _)| k.get_ref().to_string()).collect();
    for key in &keys {
        let value = table.get_mut(key.as_str()).expect("key was just listed");
        if let Some(inner) = remove_inside(value.get_mut(), at, &join(prefix, key)) {
            return Some(inner);
        }
    }
    let key = table
        .iter()
        .find(|(k, v)| contains(&k.span(), at) || contains(&v.span(), at))
        .map(|(k, _)| k.get_ref().to_string())?;
    table.remove(key.as_str());
    Some(join(prefix, &key))
}

fn remove_inside(value: &mut DeValue<'_>, at: usize, path: &str) -> Option<String> {
    match value {
        DeValue::Table(inner) => remove_deepest(inner, at, path),
        DeValue::Array(items) => {
            for index in 0..items.len() {
                let item_path = format!("{path}[{index}]");
                let item = items.get_mut(index)?.get_mut();
                if let Some(inner) = remove_inside(item, at, &item_path) {
                    return Some(inner);
                }
            }
            let index = items.iter().position(|item| contains(&item.span(), at))?;
            let mut kept = DeArray::new();
            for (i, item) in items.iter().enumerate() {
                if i != index {
                    kept.push(item.clone());
                }
            }
            *items = kept;
            Some(format!("{path}[{index}]"))
        }
        _ => None,
    }
}

fn contains(span: &Range<usize>, at: usize) -> bool {
    span.start <= at && at < span.end.max(span.start + 1)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Calls `visit` for every value in `table`, depth first, with its path.
fn record(table: &DeTable<'_>, prefix: &str, visit: &mut impl FnMut(&str, &Spanned<DeValue<'_>>)) {
    for (key, value) in table.iter() {
        let path = join(prefix, key.get_ref());
        record_value(value, &path, visit);
    }
}

fn record_value(
    value: &Spanned<DeValue<'_>>,
    path: &str,
    visit: &mut impl FnMut(&str, &Spanned<DeValue<'_>>),
) {
    visit(path, value);
    match value.get_ref() {
        DeValue::Table(inner) => record(inner, path, visit),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                record_value(item, &format!("{path}[{i}]"), visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::PathBuf;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Example {
        #[allow(dead_code)]
        title: Option<String>,
        count: Option<u8>,
        #[serde(default)]
        #[allow(dead_code)]
        people: Vec<Person>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Person {
        #[allow(dead_code)]
        name: String,
    }

    fn run(text: &str) -> Decoded<Example> {
        let source = Source {
            path: PathBuf::from("x.toml"),
            text: text.into(),
        };
        decode(&source, 0..text.len())
    }

    #[test]
    fn errors_after_a_removed_item_name_it_as_the_file_numbers_it() {
        let decoded =
            run("people = [{ name = 1 }, { name = 2 }, { name = \"ok\" }, { name = 4 }]\n");
        let messages: Vec<String> = decoded.diagnostics.iter().map(|d| d.to_string()).collect();
        let named: Vec<&str> = messages
            .iter()
            .map(|m| m.split('`').nth(1).unwrap_or_default())
            .collect();
        assert_eq!(
            named,
            ["people[0].name", "people[1].name", "people[3].name"],
            "{messages:#?}"
        );
        assert!(messages[2].starts_with("x.toml:1:65:"), "{messages:#?}");
    }

    #[test]
    fn reports_every_error_in_a_file() {
        let decoded = run("titel = \"a\"\ncount = \"two\"\npeople = [{ nam = \"x\" }]\n");
        let messages: Vec<String> = decoded.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            messages[0].starts_with("x.toml:1:1: error: unknown key `titel`"),
            "{messages:#?}"
        );
        assert!(messages[0].contains("did you mean `title`?"));
        assert!(
            messages[1].starts_with("x.toml:2:9: error: `count` has the wrong type"),
            "{messages:#?}"
        );
        assert!(
            messages[2].starts_with("x.toml:3:13: error: unknown key `nam`"),
            "{messages:#?}"
        );
        let value = decoded.value.expect("decodes once the bad entries are out");
        assert_eq!(value.count, None);
        assert!(decoded.spans.is_broken("count"));
    }

    #[test]
    fn errors_inside_header_tables_do_not_stop_the_report() {
        let decoded = run("count = 300\n\n[[people]]\nnam = \"x\"\n\n[[people]]\nname = 3\n");
        let messages: Vec<String> = decoded.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            messages[0].starts_with("x.toml:1:9: error: `count` is out of range"),
            "{messages:#?}"
        );
        assert!(
            messages[1].starts_with("x.toml:4:1: error: unknown key `nam`"),
            "{messages:#?}"
        );
        // The position is exact; the index in the name counts the entries still decodable.
        assert!(
            messages[2].starts_with("x.toml:7:8: error: `people[")
                && messages[2].contains("].name` has the wrong type"),
            "{messages:#?}"
        );
    }

    #[test]
    fn records_value_spans_by_path() {
        let decoded = run("title = \"a\"\npeople = [{ name = \"x\" }, { name = \"y\" }]\n");
        assert!(decoded.diagnostics.is_empty());
        assert_eq!(decoded.spans.of("title"), 8..11);
        assert!(decoded.spans.has("people[1].name"));
        assert!(
            decoded
                .strings
                .contains(&("people[1].name".to_string(), "y".to_string()))
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Required {
        #[allow(dead_code)]
        title: String,
        #[allow(dead_code)]
        weight: Option<u8>,
    }

    fn run_required(text: &str) -> Vec<String> {
        let source = Source {
            path: PathBuf::from("x.toml"),
            text: text.into(),
        };
        let decoded = decode::<Required>(&source, 0..text.len());
        decoded.diagnostics.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_missing_top_level_key_blames_no_other_key() {
        let messages = run_required("weight = 3\n");
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(
            messages[0].starts_with("x.toml:1:1: error: missing required key `title`"),
            "{messages:#?}"
        );
    }

    #[test]
    fn a_misspelt_key_is_not_also_missing() {
        let messages = run_required("weight = 3\ntitel = \"a\"\n");
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(messages[0].contains("unknown key `titel`"), "{messages:#?}");
    }

    #[test]
    fn syntax_errors_stop_decoding_with_a_position() {
        let decoded = run("title = \"a\"\ncount = \n");
        assert!(decoded.value.is_none());
        assert_eq!(decoded.diagnostics[0].line, 2, "{:?}", decoded.diagnostics);
    }
}
