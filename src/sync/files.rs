//! Files' text from GitHub's GraphQL API, many in one request: the charters and the maintainers
//! file, read as `repository { object(expression: "HEAD:path") { ... on Blob { text } } }`
//! through the sync's one client.

use serde_json::{Map, Value, json};

use super::client::Client;
use crate::charter::FileRef;

/// Files asked for in one request: the bundled directory's twenty or so in one.
const FILES_PER_REQUEST: usize = 50;

/// The text of each file, in order, or why it could not be read.
pub fn read(files: &[&FileRef], client: &mut Client) -> Vec<Result<String, String>> {
    let mut texts = Vec::new();
    for chunk in files.chunks(FILES_PER_REQUEST) {
        match client.post(&request(chunk)) {
            Ok(json) => texts.extend(answer(&json, chunk)),
            Err(failure) => {
                let why = failure.to_string();
                texts.extend(chunk.iter().map(|_| Err(why.clone())));
            }
        }
    }
    texts
}

/// One request for the text of every file of `files`, aliased `f<index>`.
pub fn request(files: &[&FileRef]) -> Value {
    let mut declarations = Vec::new();
    let mut variables = Map::new();
    let mut body = String::from("  rateLimit { cost remaining resetAt }\n");
    for (i, file) in files.iter().enumerate() {
        declarations.push(format!(
            "$f{i}_owner: String!, $f{i}_name: String!, $f{i}_expression: String"
        ));
        variables.insert(format!("f{i}_owner"), json!(file.repository.owner()));
        variables.insert(format!("f{i}_name"), json!(file.repository.name()));
        variables.insert(
            format!("f{i}_expression"),
            json!(format!("HEAD:{}", file.path)),
        );
        body.push_str(&format!(
            "  f{i}: repository(owner: $f{i}_owner, name: $f{i}_name) {{ object(expression: $f{i}_expression) {{ __typename ... on Blob {{ text isBinary }} }} }}\n"
        ));
    }
    let query = format!(
        "query GroupdirFiles({}) {{\n{body}}}\n",
        declarations.join(", ")
    );
    json!({ "query": query, "variables": variables })
}

/// Reads the answer to [`request`]: a file GitHub could not find, a folder or a binary file
/// fails alone; an error of no file fails them all.
pub fn answer(json: &Value, files: &[&FileRef]) -> Vec<Result<String, String>> {
    let errors = json["errors"].as_array().cloned().unwrap_or_default();
    let data = json.get("data").filter(|d| !d.is_null());
    let alias_of = |error: &Value| error["path"][0].as_str().map(str::to_string);
    let general: Vec<String> = errors
        .iter()
        .filter(|e| data.is_none() || alias_of(e).is_none())
        .map(describe)
        .collect();
    if let Some(why) = (!general.is_empty())
        .then(|| general.join("; "))
        .or_else(|| {
            data.is_none()
                .then(|| "GitHub's answer has no `data`".to_string())
        })
    {
        return files.iter().map(|_| Err(why.clone())).collect();
    }
    let data = data.expect("checked above");
    files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let alias = format!("f{i}");
            if let Some(error) = errors
                .iter()
                .find(|e| alias_of(e).as_deref() == Some(&alias))
            {
                return Err(describe(error));
            }
            let object = &data[&alias]["object"];
            match object["__typename"].as_str() {
                None => Err(format!(
                    "no file `{}` on the default branch of {}: update the path",
                    file.path, file.repository
                )),
                Some("Blob") => match object["text"].as_str() {
                    Some(text) if object["isBinary"] != json!(true) => Ok(text.to_string()),
                    _ => Err(format!("`{}` is not a text file", file.path)),
                },
                Some(other) => Err(format!(
                    "`{}` is a {} on GitHub, not a file",
                    file.path,
                    if other == "Tree" { "folder" } else { other }
                )),
            }
        })
        .collect()
}

fn describe(error: &Value) -> String {
    let message = error["message"].as_str().unwrap_or("no message");
    match error["type"].as_str() {
        Some("NOT_FOUND") => {
            format!("not found on GitHub (deleted, made private or moved?). GitHub said: {message}")
        }
        Some(kind) => format!("GitHub answered {kind}: {message}"),
        None => format!("GitHub answered: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(s: &str) -> FileRef {
        FileRef::parse(s).unwrap()
    }

    #[test]
    fn one_request_asks_for_every_file() {
        let (a, b) = (file("o/r:docs/a.mdx"), file("o/other:MAINTAINERS.md"));
        let body = request(&[&a, &b]);
        let query = body["query"].as_str().unwrap();
        assert!(query.contains("f1: repository(owner: $f1_owner, name: $f1_name) { object(expression: $f1_expression) { __typename ... on Blob { text isBinary } } }"), "{query}");
        assert_eq!(body["variables"]["f0_expression"], "HEAD:docs/a.mdx");
        assert_eq!(body["variables"]["f1_name"], "other");
    }

    #[test]
    fn each_file_fails_alone() {
        let files = [
            file("o/r:a.mdx"),
            file("o/r:missing.mdx"),
            file("o/gone:b.mdx"),
            file("o/r:docs"),
        ];
        let refs: Vec<&FileRef> = files.iter().collect();
        let json = json!({
            "data": {
                "f0": { "object": { "__typename": "Blob", "text": "## Leadership", "isBinary": false } },
                "f1": { "object": null },
                "f2": null,
                "f3": { "object": { "__typename": "Tree" } },
            },
            "errors": [{ "type": "NOT_FOUND", "path": ["f2"], "message": "Could not resolve to a Repository with the name 'o/gone'." }],
        });
        let texts = answer(&json, &refs);
        assert_eq!(texts[0].as_deref(), Ok("## Leadership"));
        assert!(
            texts[1]
                .as_ref()
                .unwrap_err()
                .contains("no file `missing.mdx`")
        );
        assert!(
            texts[2]
                .as_ref()
                .unwrap_err()
                .contains("not found on GitHub")
        );
        assert!(texts[3].as_ref().unwrap_err().contains("is a folder"));
        let all = answer(
            &json!({ "errors": [{ "type": "RATE_LIMITED", "message": "slow down" }] }),
            &refs,
        );
        assert!(
            all.iter()
                .all(|t| t.as_ref().unwrap_err().contains("RATE_LIMITED"))
        );
    }
}
