//! One home for where things live: a slug's source file, its output files and its URL, and the
//! way back from a path to the slug.

use std::path::{Path, PathBuf};

use crate::model::Slug;

/// The folder of the content files, under the site root.
pub const CONTENT: &str = "content";
/// The folder of the group files, under `content/`.
const GROUPS: &str = "groups";

/// What a content file is, from where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `content/groups/<slug>.md`
    Group,
    /// `content/<slug>.md`
    Page,
}

/// What a file of `content/` is, by its path relative to that folder; `None` when nothing reads
/// it there.
pub fn kind_in_content(rel: &Path) -> Option<FileKind> {
    match rel.components().count() {
        1 => Some(FileKind::Page),
        2 if rel.starts_with(GROUPS) => Some(FileKind::Group),
        _ => None,
    }
}

/// A group's file, relative to the site root.
pub fn group_source(slug: &Slug) -> PathBuf {
    Path::new(CONTENT).join(GROUPS).join(format!("{slug}.md"))
}

/// The file stem of a path (relative to the root) directly in `content/groups/`, or `None` for
/// any other path.
pub fn group_stem_of_source(rel: &Path) -> Option<&Path> {
    let file = rel.strip_prefix(Path::new(CONTENT).join(GROUPS)).ok()?;
    (file.components().count() == 1).then_some(file)
}

/// A group's page, as a path inside the output folder.
pub fn group_page(slug: &Slug) -> String {
    format!("{GROUPS}/{slug}/index.html")
}

/// A group's calendar, as a path inside the output folder.
pub fn group_calendar(slug: &Slug) -> String {
    format!("{GROUPS}/{slug}/meetings.ics")
}

/// One meeting's calendar, as a path inside the output folder; `id` is from
/// [`crate::model::meeting_ids`].
pub fn meeting_calendar(slug: &Slug, id: &str) -> String {
    format!("{GROUPS}/{slug}/meetings/{id}.ics")
}

/// The slug whose folder holds an output path (`groups/auth/index.html` → `auth`).
pub fn group_of_output(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(GROUPS)?.strip_prefix('/')?;
    rest.split_once('/').map(|(slug, _)| slug)
}

/// The URL path of a group's page under the site's base path.
pub fn group_url(base_path: &str, slug: &Slug) -> String {
    format!("{base_path}{GROUPS}/{slug}/")
}

/// The URL path of a group's calendar under the site's base path.
pub fn group_calendar_url(base_path: &str, slug: &Slug) -> String {
    format!("{base_path}{}", group_calendar(slug))
}

/// The URL path of one meeting's calendar under the site's base path.
pub fn meeting_calendar_url(base_path: &str, slug: &Slug, id: &str) -> String {
    format!("{base_path}{}", meeting_calendar(slug, id))
}

/// A page such as the FAQ, as a path inside the output folder.
pub fn page_output(slug: &Slug) -> String {
    format!("{slug}/index.html")
}

/// The URL path of a page under the site's base path.
pub fn page_url(base_path: &str, slug: &Slug) -> String {
    format!("{base_path}{slug}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_goes_to_its_paths_and_back() {
        let slug = Slug::parse("auth").unwrap();
        assert_eq!(group_source(&slug), Path::new("content/groups/auth.md"));
        let stem = group_stem_of_source(&group_source(&slug)).map(|s| s.to_path_buf());
        assert_eq!(stem, Some(PathBuf::from("auth.md")));
        assert_eq!(group_of_output(&group_page(&slug)), Some("auth"));
        assert_eq!(group_of_output(&group_calendar(&slug)), Some("auth"));
        assert_eq!(group_url("/sub/", &slug), "/sub/groups/auth/");
        assert_eq!(page_url("/", &slug), "/auth/");
        assert_eq!(group_of_output("groups.json"), None);
        assert_eq!(group_of_output("groupsx/auth/index.html"), None);
        assert_eq!(
            group_stem_of_source(Path::new("content/groups/sub/a.md")),
            None
        );
        assert_eq!(
            kind_in_content(Path::new("groups/a.md")),
            Some(FileKind::Group)
        );
        assert_eq!(kind_in_content(Path::new("faq.md")), Some(FileKind::Page));
        assert_eq!(kind_in_content(Path::new("other/a.md")), None);
    }
}
