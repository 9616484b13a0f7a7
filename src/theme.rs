//! Themes: Tera templates and static files from `themes/<name>/`, each overridable by a file of the
//! same path under the site's own `templates/` or `static/`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::load::{display_path, is_ignored};
use crate::publish::assets::Assets;

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "group.html",
    "meetings.html",
    "page.html",
    "404.html",
];

/// Machine-readable outputs are not a matter of style: a theme may leave them out and get these.
const BUILT_IN_TEMPLATES: &[(&str, &str)] = &[
    (
        "feed.xml",
        include_str!("../themes/default/templates/feed.xml"),
    ),
    (
        "sitemap.xml",
        include_str!("../themes/default/templates/sitemap.xml"),
    ),
    (
        "robots.txt",
        include_str!("../themes/default/templates/robots.txt"),
    ),
];

/// A loaded theme: compiled templates, and the static files to copy, by output path.
pub struct Theme {
    pub tera: Tera,
    /// Output path (`style.css`) → the file on disk it comes from.
    pub static_files: BTreeMap<String, PathBuf>,
    /// Fingerprinted names of the static styles and scripts.
    pub assets: Assets,
    /// Template name → the file it was read from, for error messages.
    sources: BTreeMap<String, PathBuf>,
}

impl Theme {
    /// Loads the theme named `name` from `root/themes`, with the site's overrides on top.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Error> {
        let theme_dir = theme_dir(root, name)?;
        let mut sources = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        for base in [theme_dir.as_path(), root] {
            collect(root, &base.join("templates"), &mut sources)?;
            collect(root, &base.join("static"), &mut static_files)?;
        }
        let assets = Assets::of(&static_files).map_err(|e| Error::Io {
            path: theme_dir.join("static"),
            message: e.to_string(),
        })?;
        let mut diagnostics = missing_templates(root, &theme_dir, &sources);
        let mut tera = Tera::default();
        tera.register_function("asset", assets.function());
        if let Err(error) = tera.add_raw_templates(read_templates(&sources)?) {
            diagnostics.extend(template_diagnostics(&error, &sources, root));
        }
        if !diagnostics.is_empty() {
            return Err(Error::Content(diagnostics));
        }
        Ok(Theme {
            tera,
            static_files,
            assets,
            sources: sources
                .into_iter()
                .map(|(k, v)| (k, display_path(root, &v)))
                .collect(),
        })
    }

    /// Explains a rendering error, naming the template file and line.
    pub fn error(&self, error: &tera::Error) -> Diagnostic {
        let mut diagnostics = template_diagnostics(error, &self.sources, Path::new("."));
        diagnostics.swap_remove(0)
    }
}

/// The folder of the theme `name`, or an error pointing at the `theme` setting.
fn theme_dir(root: &Path, name: &str) -> Result<PathBuf, Error> {
    let plain_name = Path::new(name)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        && !name.is_empty();
    let theme_dir = root.join("themes").join(name);
    if plain_name && theme_dir.is_dir() {
        return Ok(theme_dir);
    }
    let settings = root.join(crate::config::FILE_NAME);
    let position = std::fs::read_to_string(&settings)
        .ok()
        .and_then(|text| theme_setting(&text))
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
    Err(Error::Content(vec![
        Diagnostic::error(&display_path(root, &settings), position, message).with_hint(hint),
    ]))
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

fn read_templates(sources: &BTreeMap<String, PathBuf>) -> Result<Vec<(String, String)>, Error> {
    let mut templates: Vec<(String, String)> = BUILT_IN_TEMPLATES
        .iter()
        .filter(|(name, _)| !sources.contains_key(*name))
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    for (name, path) in sources {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.clone(),
            message: e.to_string(),
        })?;
        templates.push((name.clone(), text));
    }
    Ok(templates)
}

/// Adds every file under `dir` to `files`, keyed by its path relative to `dir` with `/` separators.
fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, PathBuf>) -> Result<(), Error> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Io {
            path: display_path(root, dir),
            message: e.to_string(),
        })?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if !entry.file_type().is_file() || is_ignored(rel) {
            continue;
        }
        let key = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.insert(key, entry.path().to_path_buf());
    }
    Ok(())
}

/// Explains a Tera error as diagnostics naming the template file, line and column.
fn template_diagnostics(
    error: &tera::Error,
    sources: &BTreeMap<String, PathBuf>,
    root: &Path,
) -> Vec<Diagnostic> {
    let path_of = |name: &str| {
        sources
            .get(name)
            .map_or_else(|| PathBuf::from(name), |p| display_path(root, p))
    };
    let fix = "fix the template; a file of the same name in the site's templates/ folder overrides the theme's";
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let position = Position {
                line: span.start_line.max(1),
                column: span.start_col + 1,
            };
            vec![
                Diagnostic::error(
                    &path_of(report.filename()),
                    position,
                    format!("template error: {}", report.message()),
                )
                .with_hint(fix),
            ]
        }
        ErrorKind::TemplateNotFound(name) => vec![
            Diagnostic::error(
                Path::new("templates"),
                Position::START,
                format!("template `{name}` not found"),
            )
            .with_hint(format!("add templates/{name} to the theme or to the site")),
        ],
        ErrorKind::MissingParent { current, parent } => vec![
            Diagnostic::error(
                &path_of(current),
                Position::START,
                format!("template `{current}` extends `{parent}`, which does not exist"),
            )
            .with_hint(format!("add templates/{parent}, or fix the `extends` line")),
        ],
        _ => {
            let message = full_message(error);
            let located: Vec<Diagnostic> = reports(&message)
                .map(|(name, position, text)| {
                    Diagnostic::error(&path_of(name), position, format!("template error: {text}"))
                        .with_hint(fix)
                })
                .collect();
            if located.is_empty() {
                vec![
                    Diagnostic::error(
                        Path::new("templates"),
                        Position::START,
                        format!("template error: {message}"),
                    )
                    .with_hint("check the theme's templates"),
                ]
            } else {
                located
            }
        }
    }
}

fn full_message(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    message
}

/// The reports Tera renders as text (`error: …` then ` --> name:line:col`) when it finds several
/// problems at once, such as includes of unknown templates: (template, position, message).
fn reports(text: &str) -> impl Iterator<Item = (&str, Position, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let found: Vec<_> = lines
        .windows(2)
        .filter_map(|pair| {
            let message = pair[0].trim_start().strip_prefix("error: ")?;
            let location = pair[1].trim_start().strip_prefix("--> ")?;
            let mut parts = location.rsplitn(3, ':');
            let column: usize = parts.next()?.trim().parse().ok()?;
            let line: usize = parts.next()?.trim().parse().ok()?;
            Some((parts.next()?, Position { line, column }, message))
        })
        .collect();
    found.into_iter()
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

    #[test]
    fn text_reports_become_positions() {
        let text = "error: Unknown template `a.html`\n --> page.html:4:12\n  |\n\
                    error: Unknown template `b.html`\n --> base.html:10:3\n";
        let found: Vec<_> = reports(text).collect();
        assert_eq!(
            found,
            vec![
                (
                    "page.html",
                    Position {
                        line: 4,
                        column: 12
                    },
                    "Unknown template `a.html`"
                ),
                (
                    "base.html",
                    Position {
                        line: 10,
                        column: 3
                    },
                    "Unknown template `b.html`"
                ),
            ]
        );
    }
}
