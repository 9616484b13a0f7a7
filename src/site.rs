//! The site as one value: loaded, parsed, validated and computed, ready to render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::iter::{Either, IntoParallelRefIterator, ParallelIterator};

use crate::compute::{Freshness, Relations};
use crate::config::Settings;
use crate::diagnostic::{self, Diagnostic};
use crate::load::{self, FileKind};
use crate::model::{Group, Page, Slug};
use crate::render::{Card, Record};
use crate::{Error, lints, parse, validate};

/// A valid site: settings, groups in slug order, pages in navigation order, and what was computed.
pub struct Site {
    pub root: PathBuf,
    pub settings: Settings,
    pub today: NaiveDate,
    /// The path part of the base URL, starting and ending with `/`.
    pub base_path: String,
    pub groups: Vec<Group>,
    pub pages: Vec<Page>,
    pub relations: Relations,
    freshness: Vec<Freshness>,
    by_slug: HashMap<Slug, usize>,
}

/// A loaded site and the warnings worth showing.
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// Runs load → parse → validate → compute. Every error of every file is collected; the site
    /// is returned only when there are none.
    pub fn load(root: &Path, today: NaiveDate, base_url: Option<&str>) -> Result<Loaded, Error> {
        let (mut settings, mut diagnostics) = Settings::load(root)?;
        if let Some(base_url) = base_url {
            crate::config::base_path(base_url)
                .map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
            settings.base_url = base_url.to_string();
        }
        let mut timings = crate::build::Timings::start();
        let content = load::content(root)?;
        diagnostics.extend(content.diagnostics);
        timings.lap("load: read content");

        let mut groups = Vec::new();
        let mut pages = Vec::new();
        let mut parsed_groups = Vec::new();
        // Files parse independently, so they parse in parallel; results keep the file order.
        let parsed: Vec<_> = content
            .files
            .par_iter()
            .map(|file| match file.kind {
                FileKind::Group => Either::Left(parse::group(&file.source, &file.stem, today)),
                FileKind::Page => Either::Right(parse::page(&file.source, &file.stem)),
            })
            .collect();
        for (file, parsed) in content.files.iter().zip(parsed) {
            match parsed {
                Either::Left(parsed) => {
                    diagnostics.extend(parsed.diagnostics);
                    parsed_groups.push((file, parsed.value, parsed.spans, parsed.strings));
                }
                Either::Right(parsed) => {
                    diagnostics.extend(parsed.diagnostics);
                    pages.extend(parsed.value);
                }
            }
        }
        timings.lap("load: parse");
        let entries: Vec<validate::Entry<'_>> = parsed_groups
            .iter()
            .map(|(file, group, spans, strings)| validate::Entry {
                stem: &file.stem,
                source: &file.source,
                spans,
                strings,
                group: group.as_ref(),
            })
            .collect();
        diagnostics.extend(validate::groups(&entries));
        diagnostics.extend(lints::groups(&entries, today));
        diagnostics.extend(validate::pages(&pages));
        drop(entries);
        groups.extend(
            parsed_groups
                .into_iter()
                .filter_map(|(_, group, _, _)| group),
        );

        diagnostic::sort(&mut diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Content(diagnostics));
        }
        timings.lap("load: validate");
        groups.sort_by(|a, b| a.slug.cmp(&b.slug));
        pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
        let site = Site::compute(root, settings, today, groups, pages);
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
