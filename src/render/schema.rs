//! JSON Schemas generated from the very types that read group files and write `groups.json`, so
//! they cannot drift from what groupdir accepts and produces. The build publishes them under
//! `schema/` for editors and for the machines that read the directory.

use schemars::Schema;
use schemars::generate::SchemaSettings;

use crate::parse::GroupFrontMatter;
use crate::view::Directory;

/// Where the schema of a group file's front matter is published.
pub const GROUP_PATH: &str = "schema/group.schema.json";
/// Where the schema of `groups.json` is published.
pub const GROUPS_PATH: &str = "schema/groups.schema.json";

/// The schema of a group file's TOML front matter, its dates written as `YYYY-MM-DD` strings.
pub fn group() -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<GroupFrontMatter>();
    describe(
        &mut schema,
        "groupdir group front matter",
        "The TOML front matter of a file in content/groups/. Which keys are required depends on the \
         kind and status; `groupdir check` says which are missing.",
    );
    schema
}

/// The schema of `groups.json`.
pub fn groups() -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Directory<'static>>();
    describe(
        &mut schema,
        "groupdir groups.json",
        "The directory for machines: the day staleness was computed for, and every group in slug \
         order with its front matter, address and freshness.",
    );
    schema
}

fn describe(schema: &mut Schema, title: &str, description: &str) {
    schema.insert("title".to_string(), title.into());
    schema.insert("description".to_string(), description.into());
}

/// Both schemas as files of the built site: their paths and bytes. With the site's absolute
/// address (`https://groups.example.org/`), each carries its own published address as `$id`.
pub fn files(site_url: Option<&str>) -> Vec<(&'static str, Vec<u8>)> {
    [(GROUP_PATH, group()), (GROUPS_PATH, groups())]
        .into_iter()
        .map(|(path, mut schema)| {
            if let Some(site_url) = site_url {
                schema.insert("$id".to_string(), format!("{site_url}{path}").into());
            }
            let mut bytes =
                serde_json::to_vec_pretty(&schema).expect("a schema is plain JSON data");
            bytes.push(b'\n');
            (path, bytes)
        })
        .collect()
}
