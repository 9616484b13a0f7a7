//! What converting a file's decoded values needs: where each value is, to report at it, and
//! the checks of single values that every part of a group file shares.

use chrono::NaiveDate;
use toml::value::Datetime;

use super::decode::Spans;
use crate::diagnostic::{Diagnostic, Source};

/// Everything a conversion needs to point at the right place in the file.
pub struct Context<'a> {
    pub source: &'a Source,
    pub spans: &'a Spans,
    /// The dates that record something that happened, by key: `validate` checks them against
    /// today, so that parsing does not depend on the day.
    pub recorded: Vec<(String, NaiveDate)>,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Context<'_> {
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

    pub fn text(&mut self, value: Option<String>, key: &str) -> Option<String> {
        let value = value?;
        if value.trim().is_empty() {
            self.error(
                key,
                format!("`{key}` is empty"),
                "write the text, or remove the key if it is optional",
            );
            return None;
        }
        if !crate::text::has_visible_text(&value) {
            self.error(
                key,
                format!("`{key}` has no visible text, only invisible characters"),
                "write the text with letters a reader can see",
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
            self.error(
                key,
                format!("`{key}` is not a web address: `{}`", value.escape_debug()),
                "write a full address starting with https://",
            );
            return None;
        }
        Some(value)
    }
}
