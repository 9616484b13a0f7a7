//! The site as one value: loaded, parsed, validated and computed, ready to render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::iter::{Either, IndexedParallelIterator, IntoParallelRefIterator, ParallelIterator};

use crate::compute::{Freshness, Relations};
use crate::config::{self, Settings};
use crate::diagnostic::{self, Diagnostic};
use crate::load::{self, ContentFile, FileKind};
use crate::model::{Group, Page, Slug};
use crate::parse::Parsed;
use crate::render::{Card, Record};
use crate::validate::lints;
use crate::{Error, parse, validate};

/// A valid site: settings, groups in slug order, pages in navigation order, and what was computed.
pub struct Site {
    pub root: PathBuf,
    pub settings: Settings,
    pub today: NaiveDate,
    /// The path part of the base URL, starting and ending with `/`.
    pub base_path: String,
    /// The scheme and host the site is published at (`https://groups.example.org`), when known:
    /// without it, what needs absolute URLs (sitemap, feed, canonical links) is left out.
    pub origin: Option<String>,
    pub groups: Vec<Group>,
    pub pages: Vec<Page>,
    pub relations: Relations,
    freshness: Vec<Freshness>,
    by_slug: HashMap<Slug, usize>,
}

/// Where the site is reached, when the command knows better than `base_url` in `site.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address<'a> {
    /// As `site.toml` says.
    Settings,
    /// `--base-url`: the whole address, such as a deploy preview's.
    BaseUrl(&'a str),
    /// The preview server's scheme, host and port; the path stays the one `site.toml` gives.
    Preview(&'a str),
}

/// A loaded site and the warnings worth showing.
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
}

/// What one content file parses into, shared with the cache that may keep it.
type ParsedFile = Arc<Either<Parsed<Group>, Parsed<Page>>>;

fn parse_file(file: &ContentFile, today: NaiveDate) -> ParsedFile {
    Arc::new(match file.kind {
        FileKind::Group => Either::Left(parse::group(&file.source, &file.stem, today)),
        FileKind::Page => Either::Right(parse::page(&file.source, &file.stem)),
    })
}

/// Parse results kept between loads, by path, with the text they were parsed from: `serve`
/// loads the whole site after every save, and most files have not changed.
#[derive(Default)]
pub struct ParseCache {
    today: Option<NaiveDate>,
    files: HashMap<PathBuf, (Arc<str>, ParsedFile)>,
}

impl ParseCache {
    /// Parses `files`, taking from the cache each file whose text is what was parsed before,
    /// and keeps the results of exactly these files for the next call.
    fn parse(&mut self, files: &[ContentFile], today: NaiveDate) -> Vec<ParsedFile> {
        if self.today != Some(today) {
            // Some rules depend on the day (a date in the future), so a new day parses afresh.
            self.files.clear();
            self.today = Some(today);
        }
        let mut before = std::mem::take(&mut self.files);
        let kept: Vec<Option<(Arc<str>, ParsedFile)>> = files
            .iter()
            .map(|file| {
                before
                    .remove(&file.source.path)
                    .filter(|(text, _)| *text == file.source.text)
            })
            .collect();
        let parsed: Vec<ParsedFile> = files
            .par_iter()
            .zip(kept.par_iter())
            .map(|(file, kept)| match kept {
                Some((_, parsed)) => Arc::clone(parsed),
                None => parse_file(file, today),
            })
            .collect();
        self.files = files
            .iter()
            .zip(kept)
            .zip(&parsed)
            .map(|((file, kept), parsed)| {
                let entry =
                    kept.unwrap_or_else(|| (Arc::clone(&file.source.text), Arc::clone(parsed)));
                (file.source.path.clone(), entry)
            })
            .collect();
        parsed
    }
}

/// The group a file parsed into, moved out unless the cache shares it.
fn owned_group(parsed: ParsedFile) -> Option<Group> {
    match Arc::try_unwrap(parsed) {
        Ok(Either::Left(group)) => group.value,
        Ok(Either::Right(_)) => None,
        Err(shared) => shared
            .as_ref()
            .as_ref()
            .left()
            .and_then(|g| g.value.clone()),
    }
}

impl Site {
    /// Runs load → parse → validate → compute. Every error of every file is collected; the site
    /// is returned only when there are none.
    pub fn load(root: &Path, today: NaiveDate, address: Address<'_>) -> Result<Loaded, Error> {
        Site::load_with(root, today, address, None)
    }

    /// [`Site::load`], reusing what `cache` kept of files whose text has not changed since the
    /// last load, and keeping this load's results in it for the next.
    pub fn load_with(
        root: &Path,
        today: NaiveDate,
        address: Address<'_>,
        cache: Option<&mut ParseCache>,
    ) -> Result<Loaded, Error> {
        let (mut settings, mut diagnostics) = Settings::load(root)?;
        if let Address::BaseUrl(base_url) = address {
            config::base_path(base_url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
            settings.base_url = base_url.to_string();
        }
        let mut timings = crate::cmd::build::Timings::start();
        let content = load::content(root)?;
        diagnostics.extend(content.diagnostics);
        timings.lap("load: read content");

        // Files parse independently, so they parse in parallel; results keep the file order.
        let parsed: Vec<ParsedFile> = match cache {
            Some(cache) => cache.parse(&content.files, today),
            None => content
                .files
                .par_iter()
                .map(|file| parse_file(file, today))
                .collect(),
        };
        let mut entries = Vec::new();
        let mut pages = Vec::new();
        for (file, parsed) in content.files.iter().zip(&parsed) {
            match &**parsed {
                Either::Left(group) => {
                    diagnostics.extend(group.diagnostics.iter().cloned());
                    entries.push(validate::Entry {
                        stem: &file.stem,
                        source: &file.source,
                        spans: &group.spans,
                        strings: &group.strings,
                        group: group.value.as_ref(),
                    });
                }
                Either::Right(page) => {
                    diagnostics.extend(page.diagnostics.iter().cloned());
                    pages.extend(page.value.clone());
                }
            }
        }
        timings.lap("load: parse");
        diagnostics.extend(validate::groups(&entries));
        diagnostics.extend(lints::groups(&entries, today));
        diagnostics.extend(validate::pages(&pages));
        drop(entries);
        let mut groups: Vec<Group> = parsed.into_iter().filter_map(owned_group).collect();

        diagnostic::sort(&mut diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Content(diagnostics));
        }
        timings.lap("load: validate");
        groups.sort_by(|a, b| a.slug.cmp(&b.slug));
        pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
        let mut site = Site::compute(root, settings, today, groups, pages);
        if let Address::Preview(local) = address {
            site.origin = Some(local.to_string());
        }
        Ok(Loaded {
            site,
            warnings: diagnostics,
        })
    }

    fn compute(
        root: &Path,
        settings: Settings,
        today: NaiveDate,
        groups: Vec<Group>,
        pages: Vec<Page>,
    ) -> Site {
        let freshness = groups
            .iter()
            .map(|g| Freshness::of(g, today, &settings.stale))
            .collect();
        let by_slug = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.slug.clone(), i))
            .collect();
        Site {
            root: root.to_path_buf(),
            base_path: settings.base_path(),
            origin: config::origin(&settings.base_url).map(str::to_string),
            relations: Relations::of(&groups),
            settings,
            today,
            groups,
            pages,
            freshness,
            by_slug,
        }
    }

    pub fn group(&self, slug: &Slug) -> Option<&Group> {
        self.by_slug.get(slug).map(|&i| &self.groups[i])
    }

    pub fn freshness(&self, group: &Group) -> Freshness {
        self.by_slug.get(&group.slug).map_or_else(
            || Freshness::of(group, self.today, &self.settings.stale),
            |&i| self.freshness[i],
        )
    }

    pub fn group_url(&self, slug: &Slug) -> String {
        format!("{}groups/{slug}/", self.base_path)
    }

    pub fn card<'a>(&self, group: &'a Group) -> Card<'a> {
        let freshness = self.freshness(group);
        Card {
            slug: &group.slug,
            title: &group.title,
            url: self.group_url(&group.slug),
            kind: group.kind,
            kind_label: group.kind.abbreviation(),
            status: group.status,
            standing: freshness.standing(group.status),
            summary: &group.summary,
            facilitators: &group.facilitators,
            discord: group.discord.as_deref(),
            freshness,
        }
    }

    pub fn record<'a>(&self, group: &'a Group) -> Record<'a> {
        let freshness = self.freshness(group);
        Record {
            group,
            url: self.group_url(&group.slug),
            standing: freshness.standing(group.status),
            freshness,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(stem: &str, text: &str) -> ContentFile {
        ContentFile {
            kind: FileKind::Group,
            stem: stem.to_string(),
            source: crate::diagnostic::Source {
                path: PathBuf::from(format!("content/groups/{stem}.md")),
                text: text.into(),
            },
        }
    }

    fn group_text(title: &str) -> String {
        include_str!("../content/groups/auth.md")
            .replace("title = \"Authorization\"", &format!("title = \"{title}\""))
    }

    fn title(parsed: &ParsedFile) -> &str {
        let group = parsed.as_ref().as_ref().left().unwrap();
        &group.value.as_ref().expect("a valid group").title
    }

    #[test]
    fn the_cache_parses_only_what_changed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let mut cache = ParseCache::default();
        let a = file("a", &group_text("A"));
        let first = cache.parse(&[a.clone(), file("b", &group_text("B"))], today);
        assert_eq!((title(&first[0]), title(&first[1])), ("A", "B"));

        let second = cache.parse(&[a.clone(), file("b", &group_text("B2"))], today);
        assert!(Arc::ptr_eq(&first[0], &second[0]), "a is unchanged");
        assert_eq!(title(&second[1]), "B2");

        let removed = cache.parse(std::slice::from_ref(&a), today);
        assert!(Arc::ptr_eq(&first[0], &removed[0]));
        assert_eq!(cache.files.len(), 1, "b is forgotten once it is gone");

        let tomorrow = today.succ_opt().unwrap();
        let next_day = cache.parse(std::slice::from_ref(&a), tomorrow);
        assert!(
            !Arc::ptr_eq(&first[0], &next_day[0]),
            "a new day parses afresh"
        );
    }
}
