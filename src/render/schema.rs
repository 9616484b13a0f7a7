//! JSON Schemas generated from the very types that read group files and write `groups.json`, so
//! they cannot drift from what groupdir accepts and produces. The build publishes them under
//! `schema/` for editors and for the machines that read the directory.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use crate::parse::GroupFrontMatter;
use crate::view::Directory;

/// Where the schema of a group file's front matter is published.
pub const GROUP_PATH: &str = "schema/group.schema.json";
/// Where the schema of `groups.json` is published.
pub const GROUPS_PATH: &str = crate::view::GROUPS_SCHEMA;

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
    if let Some(object) = schema.as_object_mut() {
        strict_object(object);
    }
}

/// What strict validators (Ajv's strict mode) ask of a schema, and the generator does not give:
/// only the formats JSON Schema defines (schemars writes `uint8`, `uint32`, `int64` for Rust's
/// integers: their ranges become `minimum` and `maximum`), and every property a `required` names
/// defined beside it (a conditional's `then: { required: [...] }` gets `properties` of `true`,
/// which accept what they accepted before).
fn strict(value: &mut Value) {
    match value {
        Value::Object(object) => strict_object(object),
        Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}

fn strict_object(object: &mut Map<String, Value>) {
    let range = match object.get("format").and_then(Value::as_str) {
        Some("uint8") => Some((Some(0), Some(i64::from(u8::MAX)))),
        Some("uint16") => Some((Some(0), Some(i64::from(u16::MAX)))),
        Some("uint32") => Some((Some(0), Some(i64::from(u32::MAX)))),
        Some("uint64" | "uint") => Some((Some(0), None)),
        Some("int8") => Some((Some(i64::from(i8::MIN)), Some(i64::from(i8::MAX)))),
        Some("int16") => Some((Some(i64::from(i16::MIN)), Some(i64::from(i16::MAX)))),
        Some("int32") => Some((Some(i64::from(i32::MIN)), Some(i64::from(i32::MAX)))),
        Some("int64" | "int") => Some((None, None)),
        _ => None,
    };
    if let Some((minimum, maximum)) = range {
        object.remove("format");
        for (key, bound) in [("minimum", minimum), ("maximum", maximum)] {
            if let Some(bound) = bound {
                object.entry(key).or_insert(bound.into());
            }
        }
    }
    let required: Vec<String> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|keys| {
            keys.iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if !required.is_empty() {
        let properties = object
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(properties) = properties {
            for key in required {
                properties.entry(key).or_insert(Value::Bool(true));
            }
        }
    }
    object.values_mut().for_each(strict);
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
