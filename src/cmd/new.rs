//! `groupdir new`: scaffold a proposed group from the community's creation template.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use clap::{Args, ValueEnum};

use super::SiteArgs;
use crate::Error;
use crate::model::{Kind, Slug};
use crate::paths;

const INTEREST_GROUP: &str = include_str!("../../scaffold/interest-group.md");
const WORKING_GROUP: &str = include_str!("../../scaffold/working-group.md");

#[derive(Args, Debug, Clone)]
pub struct NewArgs {
    /// The kind of group
    #[arg(value_enum)]
    pub kind: NewKind,
    /// The group's name; its file name is made from it
    pub title: String,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// The kinds `new` can scaffold, named as in a group file.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    InterestGroup,
    WorkingGroup,
}

impl From<NewKind> for Kind {
    fn from(kind: NewKind) -> Kind {
        match kind {
            NewKind::InterestGroup => Kind::InterestGroup,
            NewKind::WorkingGroup => Kind::WorkingGroup,
        }
    }
}

/// Writes the group file and prints the next steps; the exit status is 1 when the file exists.
pub fn run(args: &NewArgs) -> Result<u8, Error> {
    let kind = Kind::from(args.kind);
    let root = &args.site.root;
    match scaffold(root, kind, &args.title, args.site.today()?) {
        Ok(scaffold) => {
            println!("{}", next_steps(&scaffold, kind, root));
            Ok(0)
        }
        Err(Refusal::Exists(path)) => {
            eprintln!(
                "error: {} already exists; nothing was written\n  hint: edit that file, or choose another title",
                path.display()
            );
            Ok(1)
        }
        Err(Refusal::Failed(error)) => Err(error),
    }
}

/// A group file `new` wrote.
#[derive(Debug)]
pub struct Scaffold {
    pub slug: Slug,
    pub path: PathBuf,
}

/// Why `new` wrote nothing.
#[derive(Debug)]
pub enum Refusal {
    /// A group with the slug exists: its file is left as it was.
    Exists(PathBuf),
    Failed(Error),
}

/// Writes `content/groups/<slug>.md` under `root`, never over an existing file.
pub fn scaffold(
    root: &Path,
    kind: Kind,
    title: &str,
    today: NaiveDate,
) -> Result<Scaffold, Refusal> {
    let title = title.trim();
    let slug = Slug::from_title(title).ok_or_else(|| {
        Refusal::Failed(Error::Usage(format!(
            "the title \"{title}\" gives no file name: a group's file name is made of its title's letters a-z and digits; \
             use a title with some Latin letters or digits"
        )))
    })?;
    if !root.is_dir() {
        return Err(Refusal::Failed(Error::Usage(format!(
            "--root {}: no such folder",
            root.display()
        ))));
    }
    let path = root.join(paths::group_source(&slug));
    let folder = path.parent().unwrap_or(root);
    std::fs::create_dir_all(folder).map_err(|e| io_error(folder, e))?;
    // `create_new` refuses atomically, so a file made a moment ago is not overwritten either.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Refusal::Exists(crate::load::display_path(root, &path)));
        }
        Err(e) => return Err(io_error(&path, e)),
    };
    file.write_all(text(kind, title, &slug, today).as_bytes())
        .map_err(|e| io_error(&path, e))?;
    Ok(Scaffold {
        slug,
        path: crate::load::display_path(root, &path),
    })
}

/// The template for `kind` with the title, slug and date filled in.
fn text(kind: Kind, title: &str, slug: &Slug, today: NaiveDate) -> String {
    let template = match kind {
        Kind::InterestGroup => INTEREST_GROUP,
        Kind::WorkingGroup => WORKING_GROUP,
    };
    template
        .replace("@TITLE@", &toml_string(title))
        .replace("@SLUG@", slug.as_str())
        .replace("@TODAY@", &today.to_string())
}

/// `s` as a TOML basic string, quotes and escapes included.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn io_error(path: &Path, e: std::io::Error) -> Refusal {
    Refusal::Failed(Error::io(path, e))
}

/// What to do after `new`, for the contributor who ran it.
pub fn next_steps(scaffold: &Scaffold, kind: Kind, root: &Path) -> String {
    let root_arg = if root == Path::new(".") {
        String::new()
    } else {
        format!(" --root {}", root.display())
    };
    let path = scaffold.path.display();
    format!(
        "created {path}, a proposed {kind}\n\
         next:\n  \
         1. replace every FILL IN in {path}\n  \
         2. groupdir check{root_arg}   lists what is still missing, by line\n  \
         3. groupdir serve{root_arg}   previews the page at {url}\n  \
         4. open a pull request, and post the proposal in #wg-ig-group-creation on Discord",
        kind = kind.name().replace('-', " "),
        url = paths::group_url("/", &scaffold.slug),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Source;
    use crate::parse::{self, PLACEHOLDER};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn every_placeholder_is_reported_on_its_line() {
        for kind in [Kind::InterestGroup, Kind::WorkingGroup] {
            let slug = Slug::parse("x").unwrap();
            let text = text(kind, "Quote \" and back\\slash", &slug, today());
            let source = Source {
                path: PathBuf::from("x.md"),
                text: text.as_str().into(),
            };
            let parsed = parse::group(&source, "x");
            assert!(parsed.value.is_none());
            let lines: Vec<usize> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains(PLACEHOLDER) && !l.trim_start().starts_with('#'))
                .map(|(i, _)| i + 1)
                .collect();
            let reported: Vec<usize> = parsed.diagnostics.iter().map(|d| d.line).collect();
            for line in &lines {
                assert!(
                    reported.contains(line),
                    "{kind:?}: line {line} not reported in {reported:?}"
                );
            }
            let placeholders: usize = text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .map(|l| l.matches(PLACEHOLDER).count())
                .sum();
            assert_eq!(
                parsed.diagnostics.len(),
                placeholders,
                "{kind:?}: one message per placeholder: {:#?}",
                parsed.diagnostics
            );
            assert!(
                !parsed
                    .diagnostics
                    .iter()
                    .any(|d| d.message.contains("TOML")),
                "{:?}",
                parsed.diagnostics
            );
        }
    }
}
