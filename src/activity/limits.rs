//! The data file's own limits, beyond the rules of every file with keys: lengths, http(s)
//! addresses, and what a sync may write. One set, which the build's reader applies to what the
//! file says and the sync to what it would write, so a sync never writes a file the build refuses.

use chrono::NaiveDate;

use super::{ActivityFile, Event, MAX_TITLE_CHARS, MAX_URL_BYTES, entry_toml};
use crate::model::Slug;
use crate::parse::is_web_address;

/// A title past [`MAX_TITLE_CHARS`], if it is.
pub(super) fn title_limit(value: &str) -> Option<String> {
    let chars = value.chars().count();
    (chars > MAX_TITLE_CHARS)
        .then(|| format!("is {chars} characters long, more than {MAX_TITLE_CHARS}"))
}

// The rules of the file's values: one set, which the build's reader applies to what the file
// says and the sync to what it would write, so a sync never writes a file the build refuses.

/// What is wrong with a text of an event (its source), if anything.
fn text_problem(value: &str) -> Option<String> {
    (value.trim().is_empty() || value.contains(char::is_control))
        .then(|| "is empty or has control characters".to_string())
}

/// What is wrong with an event's title, if anything.
fn title_problem(value: &str) -> Option<String> {
    text_problem(value).or_else(|| title_limit(value))
}

/// What is wrong with an event's address, if anything: it must be an absolute http(s) address
/// with a host, without spaces, credentials or a length past [`MAX_URL_BYTES`]. (`javascript:`,
/// `data:`, `//host` and an empty address are not.)
pub(super) fn url_problem(value: &str) -> Option<String> {
    let shown = crate::text::printable(value);
    let parsed = url::Url::parse(value).ok();
    let ok = is_web_address(value)
        && parsed.as_ref().is_some_and(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
                && url.username().is_empty()
                && url.password().is_none()
        });
    if !ok {
        return Some(format!("is not an http(s) web address: `{shown}`"));
    }
    (value.len() > MAX_URL_BYTES).then(|| {
        format!(
            "is {} bytes long, more than {MAX_URL_BYTES}: `{}…`",
            value.len(),
            shown.chars().take(80).collect::<String>()
        )
    })
}

/// `title` on at most [`MAX_TITLE_CHARS`] characters: a longer one is cut, ending in `…`.
pub fn capped_title(title: String) -> String {
    if title.chars().count() <= MAX_TITLE_CHARS {
        return title;
    }
    let mut cut: String = title.chars().take(MAX_TITLE_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// Why `event` may not be in the file, if it may not: the same rules the build's reader applies,
/// and one more that only a sync can apply, since it reads at a known moment: no event is dated
/// after `horizon`, the day the sync reads (a commit's date is whatever its author's clock said,
/// and one dated 9999-12-31 would hide every real event after it).
pub fn refusal(event: &Event, horizon: NaiveDate) -> Option<String> {
    if event.date > horizon {
        return Some(format!(
            "it is dated {}, after the day it was read ({horizon})",
            event.date
        ));
    }
    let problem = |what: &str, why: Option<String>| why.map(|why| format!("its {what} {why}"));
    problem("address", url_problem(&event.url))
        .or_else(|| problem("title", title_problem(&event.title)))
        .or_else(|| problem("source", text_problem(&event.source)))
}

/// An event the sync left out of the file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub group: Slug,
    pub source: String,
    pub url: String,
    pub why: String,
}

impl ActivityFile {
    /// Takes out every event that [`refusal`] refuses, and says which and why.
    pub fn admit(&mut self, horizon: NaiveDate) -> Vec<Skipped> {
        let mut skipped = Vec::new();
        for (slug, events) in &mut self.groups {
            events.retain(|event| match refusal(event, horizon) {
                None => true,
                Some(why) => {
                    skipped.push(Skipped {
                        group: slug.clone(),
                        source: event.source.clone(),
                        url: event.url.clone(),
                        why,
                    });
                    false
                }
            });
        }
        self.groups.retain(|_, events| !events.is_empty());
        skipped
    }

    /// Takes out the oldest events, of any group, until the file's text is at most `limit` bytes
    /// (the build's limit on the file), and says which. With the caps on titles, addresses and
    /// events per group, only a directory of dozens of groups at their caps comes near it.
    pub fn fit(&mut self, limit: usize) -> Vec<Skipped> {
        let mut size = self.to_toml().len();
        let mut skipped = Vec::new();
        while size > limit {
            // Each group is newest first: the oldest event of all is the last of some group.
            let Some(slug) = (self.groups.iter())
                .filter_map(|(slug, events)| Some((events.last()?.date, slug)))
                .min()
                .map(|(_, slug)| slug.clone())
            else {
                break;
            };
            let events = self.groups.get_mut(&slug).expect("a group just found");
            let event = events.pop().expect("a group with events");
            size -= entry_toml(&slug, &event).len();
            if events.is_empty() {
                self.groups.remove(&slug);
            }
            skipped.push(Skipped {
                group: slug,
                source: event.source,
                url: event.url,
                why: format!(
                    "the file would be larger than the build's limit of {limit} bytes; \
                     the oldest events go first"
                ),
            });
        }
        skipped
    }
}
