//! Render: turn the view of the computed site ([`crate::view`]) into output files, each a path
//! and its bytes: HTML through the theme's templates, the calendars ([`ics`], [`vtimezone`]), the
//! sitemap ([`sitemap`]) and the JSON Schemas ([`schema`]).

pub mod ics;
pub mod markdown;
pub mod schema;
pub mod sitemap;
mod toc;
pub mod vtimezone;

use std::collections::BTreeMap;

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::model::{Group, Page};
use crate::paths;
use crate::site::Site;
use crate::theme::Theme;
use crate::view::page::{self, Counts, GroupPage, PageMeta};
use crate::view::{Directory, calendar, feed::Feed, meetings};

/// One file of the built site: a `/`-separated path inside the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Output {
    fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Output {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where rendered files go: the staging folder of a build, or memory for the preview server.
/// Files arrive from several threads, in no particular order.
pub trait Sink: Sync {
    fn put(&self, output: Output) -> Result<(), crate::Error>;
}

impl Sink for std::sync::Mutex<Vec<Output>> {
    fn put(&self, output: Output) -> Result<(), crate::Error> {
        self.lock().unwrap_or_else(|e| e.into_inner()).push(output);
        Ok(())
    }
}

/// Renders every page of the site, and of the group pages only those `wanted` picks (the preview
/// server re-renders just the groups a change touches), into memory.
pub fn site_with(
    site: &Site,
    theme: &Theme,
    wanted: impl Fn(&Group) -> bool,
) -> Result<Vec<Output>, crate::Error> {
    let outputs = std::sync::Mutex::new(Vec::new());
    site_into(site, theme, wanted, &outputs)?;
    Ok(outputs.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Renders the site into `sink` as it goes, so a large site is never held in memory whole.
pub fn site_into(
    site: &Site,
    theme: &Theme,
    wanted: impl Fn(&Group) -> bool,
    sink: &dyn Sink,
) -> Result<(), crate::Error> {
    let collisions = collisions(site, theme);
    if !collisions.is_empty() {
        return Err(crate::Error::Content(collisions));
    }
    let renderer = Renderer::new(site, theme);
    let (rendered, kept): (Vec<&Group>, Vec<&Group>) = site.groups.iter().partition(|g| wanted(g));
    let mut errors = Vec::new();
    let mut paths = Vec::new();
    // Each page goes to the sink as soon as it is rendered; only its path is kept, for the sitemap.
    let put =
        |result: Result<Output, Diagnostic>| -> Result<Result<String, Diagnostic>, crate::Error> {
            match result {
                Ok(output) => {
                    let path = output.path.clone();
                    sink.put(output)?;
                    Ok(Ok(path))
                }
                Err(e) => Ok(Err(e)),
            }
        };
    // What grows with the site renders in parallel: the group pages, the directory and the JSON.
    let ((directory, json), groups) = rayon::join(
        || rayon::join(|| put(renderer.directory()), || sink.put(groups_json(site))),
        || {
            rendered
                .par_iter()
                .map(|group| put(renderer.group(group)))
                .collect::<Result<Vec<_>, crate::Error>>()
        },
    );
    json?;
    let mut results = vec![directory?];
    results.extend(groups?);
    for page in &site.pages {
        results.push(put(renderer.page(page))?);
    }
    results.push(put(renderer.meetings())?);
    results.push(put(renderer.not_found())?);
    for result in results {
        match result {
            Ok(path) => paths.push(path),
            Err(e) => errors.push(e),
        }
    }
    let mut last = vec![renderer.robots()];
    // The sitemap and the feed are made of absolute URLs: without the site's address they are
    // left out (`groupdir build` says so) rather than written invalid.
    if let Some(origin) = &site.origin {
        // The sitemap lists every page, also those of groups not rendered again.
        let kept: Vec<String> = kept.iter().map(|g| paths::group_page(&g.slug)).collect();
        let all = paths.iter().chain(&kept).map(String::as_str);
        let urls = sitemap::urls(all, origin, &site.base_path);
        last.extend([renderer.feed(origin), renderer.sitemap(&urls)]);
    }
    for result in last {
        if let Err(e) = put(result)? {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        // One broken template fails every page at the same place: say it once.
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert((e.path.clone(), e.line, e.column)));
        return Err(crate::Error::Content(errors));
    }
    let site_url = site
        .origin
        .as_ref()
        .map(|o| format!("{o}{}", site.base_path));
    let schemas = schema::files(site_url.as_deref()).into_iter();
    for output in schemas
        .map(|(path, bytes)| Output::new(path, bytes))
        .chain(calendars(site, &rendered))
    {
        sink.put(output)?;
    }
    for output in static_files(theme) {
        sink.put(output)?;
    }
    Ok(())
}

/// Every path the build writes itself, with what it is, for the static files that would collide.
fn generated(site: &Site, theme: &Theme) -> BTreeMap<String, String> {
    let mut generated: BTreeMap<String, String> = [
        ("index.html", "the directory"),
        ("groups.json", "the directory as JSON"),
        ("meetings/index.html", "the meetings page"),
        ("meetings.ics", "the meetings calendar"),
        ("feed.xml", "the feed"),
        ("sitemap.xml", "the sitemap"),
        ("robots.txt", "the robots.txt"),
        ("404.html", "the page for addresses not found"),
        (schema::GROUP_PATH, "the group file schema"),
        (schema::GROUPS_PATH, "the groups.json schema"),
    ]
    .into_iter()
    .map(|(path, what)| (path.to_string(), what.to_string()))
    .collect();
    for group in &site.groups {
        let file = group.path.display();
        generated.insert(
            paths::group_page(&group.slug),
            format!("the page of {file}"),
        );
        let calendar = paths::group_calendar(&group.slug);
        generated.insert(calendar, format!("the calendar of {file}"));
    }
    for page in &site.pages {
        let what = format!("the page of {}", page.path.display());
        generated.insert(paths::page_output(&page.slug), what);
    }
    for (path, file) in &theme.static_files {
        if let Some(fingerprinted) = theme.assets.get(path) {
            let what = format!("the fingerprinted copy of {}", file.shown.display());
            generated.insert(fingerprinted.clone(), what);
        }
    }
    generated
}

/// A static file where the build writes a file of its own, or where one needs a folder (or the
/// other way round), is an error naming both: which would win must not depend on the order the
/// files were written in, and a pull request must not replace `groups.json` or a group's page.
fn collisions(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let generated = generated(site, theme);
    let mut found = Vec::new();
    for (path, file) in &theme.static_files {
        let folder = format!("{path}/");
        let clash = generated
            .get_key_value(path)
            .or_else(|| {
                // A generated file inside a folder of this file's name.
                let (inside, what) = generated.range(folder.clone()..).next()?;
                inside.starts_with(&folder).then_some((inside, what))
            })
            .or_else(|| {
                // A generated file where this file needs a folder.
                let mut above = std::path::Path::new(path).ancestors().skip(1);
                above.find_map(|a| generated.get_key_value(a.to_str()?))
            });
        if let Some((generated_path, what)) = clash {
            found.push(
                Diagnostic::error(
                    &file.shown,
                    crate::diagnostic::Position::START,
                    format!(
                        "this static file would take the place of `{generated_path}`, {what}, which the build writes"
                    ),
                )
                .with_hint(format!(
                    "rename or remove {}: the build's own files cannot be replaced",
                    file.shown.display()
                )),
            );
        }
    }
    found
}

/// `meetings.ics` for all groups, and one per group (of `groups`) whose meetings repeat on known
/// days.
fn calendars(site: &Site, groups: &[&Group]) -> Vec<Output> {
    let mut outputs = vec![Output::new(
        "meetings.ics",
        ics::bytes(&calendar::all(site)),
    )];
    for g in groups {
        let Some(whole) = calendar::group(site, g) else {
            continue;
        };
        outputs.push(Output::new(
            paths::group_calendar(&g.slug),
            ics::bytes(&whole),
        ));
        for (i, id) in crate::model::meeting_ids(&g.meetings).iter().enumerate() {
            if let Some(one) = calendar::meeting(site, g, i) {
                outputs.push(Output::new(
                    paths::meeting_calendar(&g.slug, id),
                    ics::bytes(&one),
                ));
            }
        }
    }
    outputs
}

/// `groups.json`: the directory for machines.
pub fn groups_json(site: &Site) -> Output {
    let directory = Directory::of(site);
    let mut bytes = crate::text::to_json_pretty(&directory);
    bytes.push(b'\n');
    Output::new("groups.json", bytes)
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    base: Context,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let mut base = Context::new();
        base.insert("site", &site.settings);
        base.insert("base_path", &site.base_path);
        base.insert("today", &site.today.to_string());
        base.insert("nav", &page::nav(site));
        // Templates write canonical links and the feed's link only when the origin is known.
        base.insert("site_origin", site.origin.as_deref().unwrap_or(""));
        Renderer { site, theme, base }
    }

    fn render(
        &self,
        template: &str,
        path: String,
        context: &Context,
    ) -> Result<Output, Diagnostic> {
        match self.theme.tera.render(template, context) {
            Ok(html) => {
                // HTML and XML: whatever a template was given, no control character is written.
                let html = crate::text::without_forbidden(html);
                // The renderer's buffer grows by doubling: at 10,000 pages the slack is tens of MB.
                let mut bytes = html.into_bytes();
                bytes.shrink_to_fit();
                Ok(Output::new(path, bytes))
            }
            Err(e) => Err(self.theme.error(&e)),
        }
    }

    fn context(&self, title: &str, description: &str, url: String) -> Context {
        let mut context = self.base.clone();
        context.insert(
            "page",
            &PageMeta {
                title,
                description,
                url,
            },
        );
        context
    }

    fn directory(&self) -> Result<Output, Diagnostic> {
        let site = self.site;
        let mut context = self.context(
            &site.settings.title,
            &site.settings.description,
            site.base_path.clone(),
        );
        context.insert("sections", &page::sections(site));
        context.insert("counts", &Counts::of(site));
        context.insert("reading", &crate::evidence::Reading::of(site));
        self.render("index.html", "index.html".to_string(), &context)
    }

    fn group(&self, group: &Group) -> Result<Output, Diagnostic> {
        let site = self.site;
        let view = GroupPage::of(site, group);
        let mut context = self.context(&group.title, &group.summary, site.group_url(&group.slug));
        context.insert("group", &view.group);
        context.insert("kind_label", view.kind_label);
        context.insert("meeting", &view.meeting);
        context.insert("facilitators", &view.facilitators);
        context.insert("maintainers", &view.maintainers);
        context.insert("member_levels", &crate::people::by_level(&group.members));
        context.insert("past_meetings", &view.past_meetings);
        context.insert("notes_synced", &view.notes_synced);
        context.insert("recent", &crate::evidence::recent(site, group));
        let body = markdown::render(&group.body, &site.base_path, &self.theme.ids);
        context.insert("body", &body);
        context.insert("related", &view.related);
        context.insert("spawned", &view.spawned);
        context.insert("origin", &view.origin);
        self.render("group.html", paths::group_page(&group.slug), &context)
    }

    fn page(&self, page: &Page) -> Result<Output, Diagnostic> {
        let description = page
            .description
            .as_deref()
            .unwrap_or(&self.site.settings.description);
        let mut context = self.context(
            &page.title,
            description,
            paths::page_url(&self.site.base_path, &page.slug),
        );
        let body = markdown::render(&page.body, &self.site.base_path, &self.theme.ids);
        context.insert("toc", &toc::of(&body));
        context.insert("body", &body);
        self.render("page.html", paths::page_output(&page.slug), &context)
    }

    fn meetings(&self) -> Result<Output, Diagnostic> {
        let mut context = self.context(
            "Meetings",
            "When every group meets, in its own time zone and yours, with calendars to subscribe to.",
            format!("{}meetings/", self.site.base_path),
        );
        context.insert("meetings", &meetings::MeetingsPage::of(self.site));
        self.render("meetings.html", "meetings/index.html".to_string(), &context)
    }

    fn feed(&self, origin: &str) -> Result<Output, Diagnostic> {
        let mut context = self.base.clone();
        context.insert("feed", &Feed::of(self.site, origin));
        self.render("feed.xml", "feed.xml".to_string(), &context)
    }

    fn sitemap(&self, urls: &[String]) -> Result<Output, Diagnostic> {
        let mut context = self.base.clone();
        context.insert("urls", urls);
        self.render("sitemap.xml", "sitemap.xml".to_string(), &context)
    }

    fn robots(&self) -> Result<Output, Diagnostic> {
        self.render("robots.txt", "robots.txt".to_string(), &self.base)
    }

    fn not_found(&self) -> Result<Output, Diagnostic> {
        let context = self.context(
            "Page not found",
            "This page does not exist.",
            format!("{}404.html", self.site.base_path),
        );
        self.render("404.html", "404.html".to_string(), &context)
    }
}

/// The theme's static files, copied as they are, and the fingerprinted copies of its styles and
/// scripts.
pub fn static_files(theme: &Theme) -> Vec<Output> {
    let mut outputs = Vec::with_capacity(theme.static_files.len() + 4);
    for (path, file) in &theme.static_files {
        if let Some(fingerprinted) = theme.assets.get(path) {
            let bytes = crate::theme::assets::published(path, &file.bytes);
            outputs.push(Output::new(fingerprinted.clone(), bytes));
        }
        outputs.push(Output::new(path.clone(), file.bytes.clone()));
    }
    outputs
}
