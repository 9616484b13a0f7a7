//! The one checker of decoded values, for every file with keys: a group file and the data file.
//! Each value is checked by one rule for its type (a date, a text, a web address), and each
//! problem is reported at the value's place in the file.

use chrono::NaiveDate;
use toml::value::Datetime;

use super::decode::Spans;
use crate::diagnostic::{Diagnostic, Source};

/// Everything a conversion needs to point at the right place in the file.
pub struct Fields<'a> {
    pub source: &'a Source,
    pub spans: &'a Spans,
    /// The dates that record something that happened, by key: `validate` checks them against
    /// today, so that parsing does not depend on the day.
    pub recorded: Vec<(String, NaiveDate)>,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    /// What to do about a bad text or address, when the file says it once for all its values
    /// (the data file, which a program writes); else each rule says it.
    pub fix: Option<&'static str>,
}

impl<'a> Fields<'a> {
    pub fn new(
        source: &'a Source,
        spans: &'a Spans,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Fields<'a> {
        Fields {
            source,
            spans,
            recorded: Vec::new(),
            diagnostics,
            fix: None,
        }
    }

    /// The same checker, with one hint for every bad text or address.
    pub fn with_fix(self, fix: &'static str) -> Fields<'a> {
        Fields {
            fix: Some(fix),
            ..self
        }
    }

    pub fn error(&mut self, path: &str, message: impl Into<String>, hint: impl Into<String>) {
        let d = self
            .source
            .error(&self.spans.of(path), message)
            .with_hint(hint);
        self.diagnostics.push(d);
    }

    /// A required value: reports it missing unless it was present and already reported.
    pub fn require<T>(&mut self, value: Option<T>, key: &str, hint: &str) -> Option<T> {
        self.require_by(
            value,
            key,
            key,
            format!("missing required key `{key}`"),
            hint,
        )
    }

    /// A value required by the kind or status: reported at the key that requires it, `by`, since
    /// the missing key has no place in the file.
    pub fn require_by<T>(
        &mut self,
        value: Option<T>,
        key: &str,
        by: &str,
        message: String,
        hint: &str,
    ) -> Option<T> {
        // A key that is written but gave no value was reported when its value was rejected.
        let written = self.spans.has(key) || self.spans.is_broken(key);
        if value.is_none() && !written {
            self.error(by, message, hint.to_string());
        }
        value
    }

    pub fn date(&mut self, value: Option<Datetime>, key: &str) -> Option<NaiveDate> {
        let value = value?;
        let date = super::day(&value);
        if date.is_none() {
            self.error(
                key,
                format!("`{key}` must be a date without a time"),
                "write only the day, such as 2026-11-02",
            );
        }
        date
    }

    /// A date that records something that happened, kept for the check that it is not after
    /// today.
    pub fn past_date(&mut self, value: Option<Datetime>, key: &str) -> Option<NaiveDate> {
        let date = self.date(value, key)?;
        self.recorded.push((key.to_string(), date));
        Some(date)
    }

    /// A text with letters a reader can see, without the spaces around it. Characters no output
    /// may carry are reported for the whole file at once ([`super::forbidden_characters`]).
    pub fn text(&mut self, value: Option<String>, key: &str) -> Option<String> {
        let value = value?;
        if value.trim().is_empty() {
            let hint = self
                .fix
                .unwrap_or("write the text, or remove the key if it is optional");
            self.error(key, format!("`{key}` is empty"), hint);
            return None;
        }
        if !crate::text::has_visible_text(&value) {
            let hint = self
                .fix
                .unwrap_or("write the text with letters a reader can see");
            self.error(
                key,
                format!("`{key}` has no visible text, only invisible characters"),
                hint,
            );
            return None;
        }
        Some(value.trim().to_string())
    }

    pub fn url(&mut self, value: Option<String>, key: &str) -> Option<String> {
        let value = value?.trim().to_string();
        if self.spans.is_broken(key) {
            return None;
        }
        if !super::is_web_address(&value) {
            let hint = self
                .fix
                .unwrap_or("write a full address starting with https://");
            self.error(
                key,
                format!("`{key}` is not a web address: `{}`", value.escape_debug()),
                hint,
            );
            return None;
        }
        Some(value)
    }
}
