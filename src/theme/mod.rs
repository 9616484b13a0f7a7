//! Themes: Tera templates and static files from `themes/<name>/`, each overridable by a file of the
//! same path under the site's own `templates/` or `static/`.

pub mod assets;
mod errors;

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use tera::Tera;

use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::load::display_path;
use crate::theme::assets::Assets;
use errors::template_diagnostics;

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "group.html",
    "meetings.html",
    "page.html",
    "404.html",
];

/// The default theme, built into the binary, so a site needs no `themes/` folder to build.
/// `embedded_default_theme_matches_the_folder` keeps this list in step with `themes/default/`.
const DEFAULT_THEME: &[(&str, &[u8])] = &[
    (
        "templates/404.html",
        include_bytes!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/badge.html",
        include_bytes!("../../themes/default/templates/badge.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/feed.xml",
        include_bytes!("../../themes/default/templates/feed.xml"),
    ),
    (
        "templates/group.html",
        include_bytes!("../../themes/default/templates/group.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../../themes/default/templates/index.html"),
    ),
    (
        "templates/meetings.html",
        include_bytes!("../../themes/default/templates/meetings.html"),
    ),
    (
        "templates/meeting-data.html",
        include_bytes!("../../themes/default/templates/meeting-data.html"),
    ),
    (
        "templates/next-meeting.html",
        include_bytes!("../../themes/default/templates/next-meeting.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../../themes/default/templates/page.html"),
    ),
    (
        "templates/person.html",
        include_bytes!("../../themes/default/templates/person.html"),
    ),
    (
        "templates/robots.txt",
        include_bytes!("../../themes/default/templates/robots.txt"),
    ),
    (
        "templates/sitemap.xml",
        include_bytes!("../../themes/default/templates/sitemap.xml"),
    ),
    (
        "static/directory.js",
        include_bytes!("../../themes/default/static/directory.js"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "static/fresh.js",
        include_bytes!("../../themes/default/static/fresh.js"),
    ),
    (
        "static/style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
];

/// Machine-readable outputs are not a matter of style: a theme may leave them out and get the
/// default theme's.
const MACHINE_TEMPLATES: &[&str] = &["feed.xml", "sitemap.xml", "robots.txt"];

const DEFAULT_NAME: &str = "default";

/// A theme or site file, read into memory, with the path to show in messages.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub shown: PathBuf,
    pub bytes: Vec<u8>,
}

/// A loaded theme: compiled templates, and the static files to copy, by output path.
pub struct Theme {
    pub tera: Tera,
    /// Output path (`style.css`) → its bytes.
    pub static_files: BTreeMap<String, ThemeFile>,
    /// Fingerprinted names of the static styles and scripts.
    pub assets: Assets,
    /// The ids the templates give elements themselves (`main`, `related`): a heading in a body
    /// must not take one, or the page would have it twice and its links would jump elsewhere.
    pub ids: HashSet<String>,
    /// Template name → the file it was read from, for error messages.
    sources: BTreeMap<String, PathBuf>,
}

impl Theme {
    /// Loads the theme named `name` from `root/themes`, with the site's overrides on top.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Error> {
        let mut templates = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let mut diagnostics = Vec::new();
        let theme_dir = match theme_dir(root, name) {
            Ok(dir) => {
                diagnostics.extend(collect_theme(
                    root,
                    &dir,
                    &mut templates,
                    &mut static_files,
                )?);
                dir
            }
            // A site without its own copy of the default theme gets the built-in one.
            Err(Missing::Folder) if name == DEFAULT_NAME => {
                embedded(&mut templates, &mut static_files);
                root.join("themes").join(DEFAULT_NAME)
            }
            Err(Missing::Folder) => return Err(no_theme(root, name)),
            Err(Missing::Link(shown)) => {
                return Err(Error::Content(vec![crate::load::link_error(&shown)]));
            }
        };
        // The site's own templates/ and static/ override the theme's.
        diagnostics.extend(collect_theme(
            root,
            root,
            &mut templates,
            &mut static_files,
        )?);
        for name in MACHINE_TEMPLATES {
            if !templates.contains_key(*name) {
                let mut defaults = BTreeMap::new();
                embedded(&mut defaults, &mut BTreeMap::new());
                templates.extend(defaults.remove_entry(*name));
            }
        }
        let assets = Assets::of(&static_files);
        let sources: BTreeMap<String, PathBuf> = templates
            .iter()
            .map(|(name, file)| (name.clone(), file.shown.clone()))
            .collect();
        diagnostics.extend(missing_templates(root, &theme_dir, &sources));
        let mut tera = Tera::default();
        tera.register_function("asset", assets.function());
        let mut ids = HashSet::new();
        match read_templates(&templates) {
            Ok(texts) => {
                ids = texts
                    .iter()
                    .flat_map(|(_, text)| element_ids(text))
                    .collect();
                if let Err(error) = tera.add_raw_templates(texts) {
                    diagnostics.extend(template_diagnostics(&error, &sources, root));
                }
            }
            Err(d) => diagnostics.push(d),
        }
        if !diagnostics.is_empty() {
            return Err(Error::Content(diagnostics));
        }
        Ok(Theme {
            tera,
            static_files,
            assets,
            ids,
            sources,
        })
    }

    /// Explains a rendering error, naming the template file and line.
    pub fn error(&self, error: &tera::Error) -> Diagnostic {
        let mut diagnostics = template_diagnostics(error, &self.sources, Path::new("."));
        diagnostics.swap_remove(0)
    }
}

/// The ids a template writes as they are (`id="main"`); those made by template code are left out.
fn element_ids(template: &str) -> impl Iterator<Item = String> + '_ {
    template.split("id=\"").skip(1).filter_map(|rest| {
        let id = &rest[..rest.find('"')?];
        (!id.is_empty() && !id.contains(['{', '}', '<', '>', ' '])).then(|| id.to_string())
    })
}

/// Why a theme has no folder to read.
enum Missing {
    /// There is none, or the name is not a folder's.
    Folder,
    /// `themes/` or the theme's folder is a symbolic link, shown as this path.
    Link(PathBuf),
}

/// A name of one folder, such as `default`: not a path, and not `..`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && Path::new(name)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The folder of the theme `name`.
fn theme_dir(root: &Path, name: &str) -> Result<PathBuf, Missing> {
    let plain_name = is_plain_name(name);
    let themes = root.join("themes");
    let theme_dir = themes.join(name);
    for folder in [&themes, &theme_dir] {
        if plain_name && crate::load::is_link(folder) {
            return Err(Missing::Link(display_path(root, folder)));
        }
    }
    if plain_name && theme_dir.is_dir() {
        return Ok(theme_dir);
    }
    Err(Missing::Folder)
}

/// The error for a theme that is not there, pointing at the `theme` setting.
fn no_theme(root: &Path, name: &str) -> Error {
    let plain_name = is_plain_name(name);
    let theme_dir = root.join("themes").join(name);
    let settings = root.join(crate::config::FILE_NAME);
    let position = crate::load::read_text(&settings, settings.clone())
        .ok()
        .and_then(Result::ok)
        .and_then(|source| theme_setting(&source.text))
        .unwrap_or(Position::START);
    let available = available_themes(&root.join("themes"));
    let hint = if available.is_empty() {
        "add a theme folder under themes/, such as themes/default/".to_string()
    } else {
        format!(
            "set `theme` in site.toml to one of: {}",
            available.join(", ")
        )
    };
    let message = if plain_name {
        format!(
            "there is no theme `{name}`: no folder {}",
            display_path(root, &theme_dir).display()
        )
    } else {
        format!("`{name}` is not a theme name: name a folder directly under themes/")
    };
    Error::Content(vec![
        Diagnostic::error(&display_path(root, &settings), position, message).with_hint(hint),
    ])
}

/// Where the value of the top-level `theme = …` key is in `site.toml`, if it is there.
fn theme_setting(text: &str) -> Option<Position> {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            return None;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        if key.trim().trim_matches(['"', '\'']) == "theme" {
            let offset = line.len() - value.trim_start().len();
            let column = line[..offset].chars().count() + 1;
            return Some(Position {
                line: i + 1,
                column,
            });
        }
    }
    None
}

fn available_themes(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("templates").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn missing_templates(
    root: &Path,
    theme_dir: &Path,
    sources: &BTreeMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    REQUIRED_TEMPLATES
        .iter()
        .filter(|required| !sources.contains_key(**required))
        .map(|required| {
            let expected = display_path(root, &theme_dir.join("templates").join(required));
            Diagnostic::error(
                &expected,
                Position::START,
                format!("the theme has no template `{required}`: every theme needs one"),
            )
            .with_hint(format!(
                "add templates/{required} to the theme, or to the site to override it"
            ))
        })
        .collect()
}

fn read_templates(
    templates: &BTreeMap<String, ThemeFile>,
) -> Result<Vec<(String, String)>, Diagnostic> {
    templates
        .iter()
        .map(|(name, file)| match std::str::from_utf8(&file.bytes) {
            Ok(text) => Ok((name.clone(), text.to_string())),
            Err(e) => {
                let prefix = String::from_utf8_lossy(&file.bytes[..e.valid_up_to()]);
                Err(Diagnostic::error(
                    &file.shown,
                    Position::at(&prefix, prefix.len()),
                    "the template is not valid UTF-8 text",
                )
                .with_hint("save the template with UTF-8 encoding"))
            }
        })
        .collect()
}

/// Adds the built-in default theme's files.
fn embedded(
    templates: &mut BTreeMap<String, ThemeFile>,
    static_files: &mut BTreeMap<String, ThemeFile>,
) {
    for (path, bytes) in DEFAULT_THEME {
        let (folder, name) = path.split_once('/').expect("paths are folder/name");
        let file = ThemeFile {
            shown: PathBuf::from(format!("(built-in theme)/{path}")),
            bytes: bytes.to_vec(),
        };
        let map = if folder == "templates" {
            &mut *templates
        } else {
            &mut *static_files
        };
        map.insert(name.to_string(), file);
    }
}

/// Adds the files of `dir`'s `templates/` and `static/` folders, and says what could not be read.
fn collect_theme(
    root: &Path,
    dir: &Path,
    templates: &mut BTreeMap<String, ThemeFile>,
    static_files: &mut BTreeMap<String, ThemeFile>,
) -> Result<Vec<Diagnostic>, Error> {
    let mut diagnostics = collect(root, &dir.join("templates"), templates, true)?;
    diagnostics.extend(collect(root, &dir.join("static"), static_files, false)?);
    Ok(diagnostics)
}

/// Adds every file under `dir` to `files`, keyed by its path relative to `dir` with `/` separators,
/// and says what could not be read: a symbolic link anywhere (the folder itself included) is
/// never followed, and a template, being text, is read only up to the size of any text file.
fn collect(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, ThemeFile>,
    text: bool,
) -> Result<Vec<Diagnostic>, Error> {
    let mut diagnostics = Vec::new();
    if !crate::load::is_link(dir) && !dir.is_dir() {
        return Ok(diagnostics);
    }
    for entry in crate::load::walk(dir) {
        let entry = entry.map_err(|e| Error::io(display_path(root, dir), e.into()))?;
        let shown = display_path(root, entry.path());
        if entry.path_is_symlink() {
            diagnostics.push(crate::load::link_error(&shown));
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let key = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if key.contains(char::is_control) {
            diagnostics.push(
                Diagnostic::error(
                    Path::new(&*crate::text::printable(&shown.to_string_lossy())),
                    Position::START,
                    "the file name has control characters",
                )
                .with_hint("rename the file"),
            );
            continue;
        }
        let limit = text.then_some(crate::load::MAX_TEXT_BYTES);
        match crate::load::read_regular(entry.path(), &shown, limit)? {
            Ok(bytes) => {
                files.insert(key, ThemeFile { shown, bytes });
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    Ok(diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_setting_is_found_before_any_table() {
        let text = "title = \"X\"\n  theme   = \"dark\"\n[stale]\ntheme = 1\n";
        assert_eq!(
            theme_setting(text),
            Some(Position {
                line: 2,
                column: 13
            })
        );
        assert_eq!(theme_setting("[stale]\ntheme = \"x\"\n"), None);
        assert_eq!(theme_setting("title = \"themes\"\n"), None);
    }
}

#[cfg(test)]
mod embedded_tests {
    use super::*;

    #[test]
    fn embedded_default_theme_matches_the_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes")
            .join(DEFAULT_NAME);
        let mut on_disk = Vec::new();
        for folder in ["templates", "static"] {
            let mut files = BTreeMap::new();
            let problems = collect(&dir, &dir.join(folder), &mut files, false).unwrap();
            assert!(problems.is_empty(), "{problems:?}");
            on_disk.extend(
                files
                    .into_iter()
                    .map(|(name, file)| (format!("{folder}/{name}"), file.bytes)),
            );
        }
        on_disk.sort();
        let mut built_in: Vec<(String, Vec<u8>)> = DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect();
        built_in.sort();
        let names =
            |files: &[(String, Vec<u8>)]| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&built_in),
            names(&on_disk),
            "update DEFAULT_THEME to list every file of themes/default"
        );
    }
}
