//! Site settings from the optional `site.toml`; every setting has a default.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::diagnostic::{Diagnostic, Source, did_you_mean};
use crate::load::read_optional_text;
use crate::model::{Kind, Page};
use crate::parse::decode::decode;

pub const FILE_NAME: &str = "site.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub title: String,
    pub description: String,
    /// Where the site is published, such as `https://groups.example.org/`. A path alone (`/`,
    /// `/sub/`) says where links start but not the host, so what needs absolute URLs is left out.
    pub base_url: String,
    /// The community's public Discord invite, linked where a group names a channel without its
    /// address.
    pub discord_invite: Option<String>,
    /// The community's maintainers file, `owner/repo:path`: `groupdir sync` reads its groups'
    /// maintainers, and `check` reports where the group files differ from it.
    pub maintainers: Option<crate::charter::FileRef>,
    /// Differences from the charters and the maintainers file that are the records' own.
    pub drift: DriftSettings,
    /// The folder under `themes/` to render with.
    pub theme: String,
    pub language: String,
    pub stale: StaleSettings,
    /// Short labels for the navigation, by page slug (`faq = "FAQ"`); a page without one is
    /// listed under its title.
    pub menu: BTreeMap<String, String>,
    pub sync: SyncSettings,
}

/// How `groupdir sync` reads GitHub.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncSettings {
    /// Logins whose activity keeps no group alive, beyond the API's `Bot` actors and the logins
    /// ending in `[bot]`: service accounts that act like bots.
    pub bots: Vec<String>,
}

/// Drifts that `check` does not warn about, each explained in `content/sources.md`: by
/// `group: kind: subject`, as the warning names it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DriftSettings {
    pub explained: Vec<String>,
}

/// How long a group may go without activity before it is stale, in whole days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StaleSettings {
    pub working_group_days: u32,
    pub interest_group_days: u32,
    /// How many days before the threshold a group is "at risk".
    pub at_risk_days: u32,
    /// Whether `stale` reports meetings with no notes within 48 hours ("notes missing for …").
    pub notes_missing: bool,
    /// How many days a group's horizon may lag behind today before a quiet group with sources
    /// is `unknown` rather than stale: the sync runs daily, so a few days' slack.
    pub grace_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            title: "MCP Interest and Working Groups".to_string(),
            description: "The directory of the Model Context Protocol community's interest groups and working groups.".to_string(),
            base_url: "/".to_string(),
            discord_invite: None,
            maintainers: None,
            drift: DriftSettings::default(),
            theme: "default".to_string(),
            language: "en".to_string(),
            stale: StaleSettings::default(),
            menu: BTreeMap::new(),
            sync: SyncSettings::default(),
        }
    }
}

impl Default for StaleSettings {
    fn default() -> Self {
        StaleSettings {
            working_group_days: 30,
            interest_group_days: 90,
            at_risk_days: 7,
            notes_missing: true,
            grace_days: 3,
        }
    }
}

impl StaleSettings {
    pub fn threshold(&self, kind: Kind) -> u32 {
        match kind {
            Kind::WorkingGroup => self.working_group_days,
            Kind::InterestGroup => self.interest_group_days,
        }
    }
}

/// `site.toml` as read: its settings, what is wrong in it, and where its `[menu]` labels are.
#[derive(Debug, Default)]
pub struct SettingsFile {
    pub settings: Settings,
    pub diagnostics: Vec<Diagnostic>,
    pub menu: MenuLabels,
}

/// Where each `[menu]` label sits in `site.toml`, to check it against the pages once they are
/// read (the settings are read before the content).
#[derive(Debug, Default)]
pub struct MenuLabels {
    source: Option<Source>,
    /// Each label's page slug and the span of its value.
    labels: Vec<(String, Range<usize>)>,
}

impl MenuLabels {
    /// A warning for each label of a page that does not exist (a typo, a page removed): it
    /// would label nothing, silently.
    pub fn unknown(&self, pages: &[Page]) -> Vec<Diagnostic> {
        let Some(source) = &self.source else {
            return Vec::new();
        };
        let slugs: Vec<&str> = pages.iter().map(|p| p.slug.as_str()).collect();
        let known = match slugs.as_slice() {
            [] => "there are no pages in content/".to_string(),
            _ => format!(
                "the pages are {}",
                slugs
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        (self.labels.iter())
            .filter(|(slug, _)| !slugs.contains(&slug.as_str()))
            .map(|(slug, span)| {
                let d = source.warning(
                    span,
                    format!(
                        "`[menu]` labels a page `{}` that does not exist",
                        slug.escape_debug()
                    ),
                );
                match did_you_mean(slug, slugs.iter().copied()) {
                    Some(meant) => d.with_hint(format!("did you mean `{meant}`? {known}")),
                    None => d.with_hint(format!(
                        "name a page by its file name in content/, without `.md`: {known}"
                    )),
                }
            })
            .collect()
    }
}

impl Settings {
    /// Reads `site.toml` under `root`, or the defaults when there is none. It is read as content
    /// files are: a regular file only, of limited size, UTF-8.
    pub fn load(root: &Path) -> Result<SettingsFile, Error> {
        let path = root.join(FILE_NAME);
        let source = match read_optional_text(root, &path)? {
            None => return Ok(SettingsFile::default()),
            Some(Err(diagnostic)) => {
                return Ok(SettingsFile {
                    diagnostics: vec![diagnostic],
                    ..SettingsFile::default()
                });
            }
            Some(Ok(source)) => source,
        };
        let decoded = decode::<Settings>(&source, 0..source.text.len());
        let mut diagnostics = decoded.diagnostics;
        diagnostics.extend(crate::parse::forbidden_characters(
            &source,
            &decoded.strings,
            &decoded.spans,
        ));
        let settings = decoded.value.unwrap_or_default();
        if settings.stale.at_risk_days
            >= settings
                .stale
                .working_group_days
                .min(settings.stale.interest_group_days)
        {
            diagnostics.push(
                source
                    .error(
                        &decoded.spans.of("stale.at_risk_days"),
                        "`at_risk_days` must be shorter than both thresholds",
                    )
                    .with_hint("the default is 7 days"),
            );
        }
        if let Err(message) = base_path(&settings.base_url) {
            diagnostics.push(
                source
                    .error(&decoded.spans.of("base_url"), message)
                    .with_hint("write a full address such as https://groups.example.org/, or /"),
            );
        }
        if let Some(invite) = &settings.discord_invite
            && !is_discord_invite(invite)
        {
            diagnostics.push(
                source
                    .error(
                        &decoded.spans.of("discord_invite"),
                        format!("`{invite}` is not a Discord invite address"),
                    )
                    .with_hint("write the invite as https://discord.gg/<code>"),
            );
        }
        let labels = (settings.menu.keys())
            .map(|slug| (slug.clone(), decoded.spans.of(&format!("menu.{slug}"))))
            .collect();
        Ok(SettingsFile {
            settings,
            diagnostics,
            menu: MenuLabels {
                source: Some(source),
                labels,
            },
        })
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path(&self.base_url).unwrap_or_else(|_| "/".to_string())
    }
}

/// Whether `url` is a Discord invite: `https://discord.gg/<code>` or
/// `https://discord.com/invite/<code>`.
fn is_discord_invite(url: &str) -> bool {
    let code = url
        .strip_prefix("https://discord.gg/")
        .or_else(|| url.strip_prefix("https://discord.com/invite/"));
    code.is_some_and(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// The scheme and host of an absolute base URL (`https://x.org/sub/` → `https://x.org`), or
/// `None` for a path alone.
pub fn origin(base_url: &str) -> Option<&str> {
    let (scheme, rest) = base_url.split_once("://")?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    (host_end > 0).then(|| &base_url[..scheme.len() + 3 + host_end])
}

/// The path of a base URL: `https://x.org/sub` → `/sub/`; `/` → `/`.
pub fn base_path(base_url: &str) -> Result<String, String> {
    let rest = if let Some(rest) = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
    {
        match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        }
    } else if base_url.starts_with('/') {
        base_url
    } else {
        return Err(format!("`{base_url}` is not a base URL"));
    };
    if rest.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "`{base_url}` must not have a query, a fragment or spaces"
        ));
    }
    let trimmed = rest.trim_matches('/');
    Ok(if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_normalised() {
        assert_eq!(base_path("https://groups.example.org").unwrap(), "/");
        assert_eq!(base_path("https://x.org/sub").unwrap(), "/sub/");
        assert_eq!(base_path("/a/b/").unwrap(), "/a/b/");
        assert!(base_path("example.org").is_err());
    }

    #[test]
    fn origins_are_scheme_and_host() {
        assert_eq!(origin("https://x.org/sub/"), Some("https://x.org"));
        assert_eq!(origin("https://x.org"), Some("https://x.org"));
        assert_eq!(
            origin("http://127.0.0.1:8080/"),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin("/"), None);
        assert_eq!(origin("https:///x"), None);
    }

    #[test]
    fn discord_invites_are_recognised() {
        assert!(is_discord_invite("https://discord.gg/6CSzBmMkjX"));
        assert!(is_discord_invite("https://discord.com/invite/abc-1"));
        assert!(!is_discord_invite("https://discord.gg/"));
        assert!(!is_discord_invite("http://discord.gg/abc"));
        assert!(!is_discord_invite("https://example.org/abc"));
    }
}
