//! Themes: Tera templates and static files from `themes/<name>/`, each overridable by a file of the
//! same path under the site's own `templates/` or `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::load::{display_path, is_ignored};
use crate::publish::assets::Assets;

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: &[&str] = &["index.html", "group.html", "page.html", "404.html"];

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
        let theme_dir = root.join("themes").join(name);
        if !theme_dir.is_dir() {
            return Err(Error::Content(vec![
                Diagnostic::error(
                    &display_path(root, &root.join("site.toml")),
                    Position::START,
                    format!("there is no theme `{name}` at {}", theme_dir.display()),
                )
                .with_hint(
                    "set `theme` in site.toml to a folder under themes/, or add the theme there",
                ),
            ]));
        }
        let mut sources = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        for base in [theme_dir.clone(), root.to_path_buf()] {
            collect(root, &base.join("templates"), &mut sources)?;
            collect(root, &base.join("static"), &mut static_files)?;
        }

        let assets = Assets::of(&static_files).map_err(|e| Error::Io {
            path: theme_dir.join("static"),
            message: e.to_string(),
        })?;
        let mut tera = Tera::default();
        tera.register_function("asset", assets.function());
        let mut diagnostics = Vec::new();
        let mut templates = Vec::new();
        for (name, path) in &sources {
            match std::fs::read_to_string(path) {
                Ok(text) => templates.push((name.clone(), text)),
                Err(e) => {
                    return Err(Error::Io {
                        path: path.clone(),
                        message: e.to_string(),
                    });
                }
            }
        }
        if let Err(e) = tera.add_raw_templates(templates) {
            diagnostics.push(template_diagnostic(&e, &sources, root));
        }
        for required in REQUIRED_TEMPLATES {
            if !sources.contains_key(*required) {
                diagnostics.push(
                    Diagnostic::error(
                        &display_path(root, &theme_dir.join("templates")),
                        Position::START,
                        format!("the theme has no template `{required}`"),
                    )
                    .with_hint(format!(
                        "add templates/{required} to the theme or to the site"
                    )),
                );
            }
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
        template_diagnostic(error, &self.sources, Path::new("."))
    }
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

fn template_diagnostic(
    error: &tera::Error,
    sources: &BTreeMap<String, PathBuf>,
    root: &Path,
) -> Diagnostic {
    let path_of = |name: &str| {
        sources
            .get(name)
            .map_or_else(|| PathBuf::from(name), |p| display_path(root, p))
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let position = Position {
                line: span.start_line.max(1),
                column: span.start_col + 1,
            };
            Diagnostic::error(
                &path_of(report.filename()),
                position,
                format!("template error: {}", report.message()),
            )
            .with_hint("fix the template; the site's own templates/ folder overrides the theme's")
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            Path::new("templates"),
            Position::START,
            format!("template `{name}` not found"),
        )
        .with_hint(format!("add templates/{name} to the theme or to the site")),
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            &path_of(current),
            Position::START,
            format!("template `{current}` extends `{parent}`, which does not exist"),
        )
        .with_hint(format!("add templates/{parent}, or fix the `extends` line")),
        _ => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            Diagnostic::error(
                Path::new("templates"),
                Position::START,
                format!("template error: {message}"),
            )
            .with_hint("check the theme's templates")
        }
    }
}
