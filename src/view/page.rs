//! What every page's template sees besides its own content: the page's title and address, the
//! navigation, and the directory's sections and counts.

use serde::Serialize;

use crate::compute::Freshness;
use crate::model::{Group, Kind, Person, Slug, Status};
use crate::paths;
use crate::site::Site;
use crate::view::meetings::{self, MeetingRow};
use crate::view::{Card, Record};

/// A section of the directory: the groups of one kind, or of one status.
#[derive(Serialize)]
pub struct Section<'a> {
    pub id: &'static str,
    pub title: &'static str,
    pub groups: Vec<DirectoryCard<'a>>,
}

/// A card of the directory: the group, and when it next meets (as on the meetings page).
#[derive(Serialize)]
pub struct DirectoryCard<'a> {
    #[serde(flatten)]
    pub card: Card<'a>,
    pub meeting: Option<MeetingRow<'a>>,
}

/// A link of the site's navigation.
#[derive(Serialize)]
pub struct Nav {
    pub title: String,
    pub url: String,
}

/// The page being rendered, as its `<head>` and header need it.
#[derive(Serialize)]
pub struct PageMeta<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The page's path under the site, such as `/groups/auth/`.
    pub url: String,
}

/// The directory's numbers, shown above its sections.
#[derive(Serialize)]
pub struct Counts {
    pub total: usize,
    pub interest_groups: usize,
    pub working_groups: usize,
    pub stale: usize,
    pub at_risk: usize,
    /// Quiet groups with sources not read within the grace period.
    pub unknown: usize,
}

/// The directory's sections by kind and status: what a group does comes first, its health is a
/// badge on its card (and a filter), not a heading.
pub fn sections(site: &Site) -> Vec<Section<'_>> {
    [
        (
            "interest-groups",
            "Interest groups",
            Some(Kind::InterestGroup),
            Status::Active,
        ),
        (
            "working-groups",
            "Working groups",
            Some(Kind::WorkingGroup),
            Status::Active,
        ),
        ("proposed", "Proposed", None, Status::Proposed),
        ("retired", "Retired", None, Status::Retired),
    ]
    .into_iter()
    .map(|(id, title, kind, status)| Section {
        id,
        title,
        groups: site
            .groups
            .iter()
            .filter(|g| g.status == status && kind.is_none_or(|k| g.kind == k))
            .map(|g| DirectoryCard {
                card: Card::of(site, g),
                meeting: (!g.meetings.is_empty() && g.status != Status::Retired)
                    .then(|| meetings::entry(site, g)),
            })
            .collect(),
    })
    .collect()
}

/// The navigation: the directory, the meetings page, then the site's own pages.
pub fn nav(site: &Site) -> Vec<Nav> {
    let mut nav = vec![
        Nav {
            title: "Directory".to_string(),
            url: site.base_path.clone(),
        },
        Nav {
            title: "Meetings".to_string(),
            url: format!("{}meetings/", site.base_path),
        },
    ];
    // A page's menu label is its `menu` name in site.toml, else its title.
    nav.extend(site.pages.iter().map(|p| {
        Nav {
            title: (site.settings.menu.get(p.slug.as_str()))
                .unwrap_or(&p.title)
                .clone(),
            url: paths::page_url(&site.base_path, &p.slug),
        }
    }));
    nav
}

impl Counts {
    pub fn of(site: &Site) -> Counts {
        let freshness: Vec<Freshness> = site.groups.iter().map(|g| site.freshness(g)).collect();
        let kinds = |kind: Kind| site.groups.iter().filter(|g| g.kind == kind).count();
        Counts {
            total: site.groups.len(),
            interest_groups: kinds(Kind::InterestGroup),
            working_groups: kinds(Kind::WorkingGroup),
            stale: freshness.iter().filter(|f| f.stale).count(),
            at_risk: freshness.iter().filter(|f| f.at_risk).count(),
            unknown: freshness.iter().filter(|f| f.unknown).count(),
        }
    }
}

/// What a group's page shows besides its body: its record, its next meeting, and the groups it
/// is related to, spawned, or came from.
pub struct GroupPage<'a> {
    pub group: Record<'a>,
    pub kind_label: &'static str,
    /// The next meeting, as on the meetings page: where people decide to join, they see when.
    pub meeting: Option<MeetingRow<'a>>,
    pub related: Vec<Card<'a>>,
    pub spawned: Vec<Card<'a>>,
    pub origin: Option<Card<'a>>,
    /// Its last few meetings, each with its notes when any are on record.
    pub past_meetings: Vec<crate::compute::notes::Kept<'a>>,
    /// Whether its synced sources carry notes, so that a meeting without them is "missing".
    pub notes_synced: bool,
    pub facilitators: Vec<Lead<'a>>,
    pub maintainers: Vec<Lead<'a>>,
}

/// A facilitator or maintainer as the page lists them: with the day their term ended, when the
/// charter's term says one and it is past, so a visitor is not told of a mandate that has lapsed.
#[derive(Serialize)]
pub struct Lead<'a> {
    #[serde(flatten)]
    pub person: &'a Person,
    pub term_ended: Option<chrono::NaiveDate>,
}

impl<'a> Lead<'a> {
    fn all(people: &'a [Person], today: chrono::NaiveDate) -> Vec<Lead<'a>> {
        let ended = |p: &Person| {
            let end = crate::charter::term_end(p.term.as_deref()?)?;
            (end < today).then_some(end)
        };
        people
            .iter()
            .map(|person| Lead {
                person,
                term_ended: ended(person),
            })
            .collect()
    }
}

/// How many past meetings a group page lists with their notes.
const PAST_MEETINGS: usize = 4;

impl<'a> GroupPage<'a> {
    pub fn of(site: &'a Site, group: &'a Group) -> GroupPage<'a> {
        let cards = |slugs: &[Slug]| {
            slugs
                .iter()
                .filter_map(|s| site.group(s))
                .map(|g| Card::of(site, g))
                .collect::<Vec<_>>()
        };
        let meets = !group.meetings.is_empty() && group.status != Status::Retired;
        // Its last few meetings with their notes: what a newcomer reads to catch up.
        let mut past_meetings = crate::compute::notes::past(group, site.events(group), site.today);
        past_meetings.truncate(PAST_MEETINGS);
        GroupPage {
            group: Record::of(site, group),
            kind_label: group.kind.abbreviation(),
            meeting: meets.then(|| meetings::entry(site, group)),
            related: cards(site.relations.related(&group.slug)),
            spawned: cards(site.relations.spawned(&group.slug)),
            origin: group
                .origin_group()
                .and_then(|s| site.group(s))
                .map(|g| Card::of(site, g)),
            past_meetings,
            notes_synced: crate::compute::notes::has_notes_sources(site.events(group)),
            facilitators: Lead::all(&group.facilitators, site.today),
            maintainers: Lead::all(&group.maintainers, site.today),
        }
    }
}
