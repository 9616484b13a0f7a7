//! The parse results `serve` keeps between rebuilds, by path, with the text they were parsed from.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::iter::{IndexedParallelIterator, IntoParallelRefIterator, ParallelIterator};

use super::ParsedFile;
use crate::load::ContentFile;

/// What one content file parses into, shared with the cache that may keep it.
pub type CachedFile = Arc<ParsedFile>;

/// Parse results kept between loads, by path, with the text they were parsed from: `serve`
/// loads the whole site after every save, and most files have not changed.
#[derive(Default)]
pub struct ParseCache {
    files: HashMap<PathBuf, (Arc<str>, CachedFile)>,
}

impl ParseCache {
    /// Parses `files`, taking from the cache each file whose text is what was parsed before,
    /// and keeps the results of exactly these files for the next call.
    /// Parsing does not depend on the day, so the results stay good across midnight.
    pub fn parse(&mut self, files: &[ContentFile]) -> Vec<CachedFile> {
        let mut before = std::mem::take(&mut self.files);
        let kept: Vec<Option<(Arc<str>, CachedFile)>> = files
            .iter()
            .map(|file| {
                before
                    .remove(&file.source.path)
                    .filter(|(text, _)| *text == file.source.text)
            })
            .collect();
        let parsed: Vec<CachedFile> = files
            .par_iter()
            .zip(kept.par_iter())
            .map(|(file, kept)| match kept {
                Some((_, parsed)) => Arc::clone(parsed),
                None => Arc::new(super::file(file)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::FileKind;

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
        include_str!("../../content/groups/auth.md")
            .replace("title = \"Authorization\"", &format!("title = \"{title}\""))
    }

    fn title(parsed: &CachedFile) -> &str {
        let ParsedFile::Group(group) = &**parsed else {
            panic!("a group file parses as a group")
        };
        &group.value.as_ref().expect("a valid group").title
    }

    #[test]
    fn the_cache_parses_only_what_changed() {
        let mut cache = ParseCache::default();
        let a = file("a", &group_text("A"));
        let first = cache.parse(&[a.clone(), file("b", &group_text("B"))]);
        assert_eq!((title(&first[0]), title(&first[1])), ("A", "B"));

        let second = cache.parse(&[a.clone(), file("b", &group_text("B2"))]);
        assert!(Arc::ptr_eq(&first[0], &second[0]), "a is unchanged");
        assert_eq!(title(&second[1]), "B2");

        let removed = cache.parse(std::slice::from_ref(&a));
        assert!(Arc::ptr_eq(&first[0], &removed[0]));
        assert_eq!(cache.files.len(), 1, "b is forgotten once it is gone");
    }
}
