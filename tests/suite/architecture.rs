//! The shape of the code, checked: the file-level import graph of `src/` has no cycle, and each
//! stage imports only the stages below it (README, "Layout").

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first: a file may import files of its own layer or of a lower one.
/// `cmd`, `sync` and `serve` sit on top, so no stage can reach them.
const LAYERS: &[&[&str]] = &[
    &[
        "error",
        "diagnostic",
        "model",
        "charter",
        "people",
        "paths",
        "text",
        "today",
        "horizon",
        "timings",
        "clock",
    ],
    &["load"],
    &["parse"],
    // `activity`: the data file, which every build reads and compute counts.
    &["config", "activity", "records"],
    &["validate"],
    &["compute"],
    &["site"],
    &["view", "theme", "evidence"],
    &["render"],
    &["write"],
    &["pipeline"],
    &["serve"],
    // The GitHub sync that writes the data file: only `cmd` may import it (see below).
    &["sync"],
    &["cmd"],
];

/// Every `.rs` file under `src/` by its module path (`render::ics`), except the crate
/// roots, which only declare modules.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut modules = BTreeMap::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut segments: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if segments.last().is_some_and(|s| s == "mod") {
                segments.pop();
            }
            if segments != ["lib"] && segments != ["main"] {
                modules.insert(segments, path);
            }
        }
    }
    modules
}

/// The code of a file without comments and unit tests, which are not part of its imports.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        // `a::b as c` names `a::b`.
        let path = tree.split_whitespace().next().unwrap_or_default();
        return vec![path.to_string()];
    };
    let prefix = tree[..open].trim();
    let inner = &tree[open + 1..tree.rfind('}').unwrap()];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p).into_iter().map(|e| format!("{prefix}{e}")))
        .collect()
}

/// The paths a file names that start at the crate root or its parent module, as absolute
/// module paths: from `use` items and from paths written inline.
fn paths_named(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut named = Vec::new();
    for item in code.split(';') {
        if let Some(tree) = item
            .trim_start()
            .strip_prefix("pub ")
            .unwrap_or(item.trim_start())
            .strip_prefix("use ")
        {
            named.extend(expand(tree));
        }
    }
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| w.starts_with("crate::") || w.starts_with("super::"))
        .collect();
    named.extend(words.into_iter().map(str::to_string));
    // `super` in `a/b.rs` is `a`; in `a/b/mod.rs` (module `a::b`) it is `a` too.
    let parent = &module[..module.len().saturating_sub(1)];
    named
        .into_iter()
        .filter_map(|path| {
            let segments: Vec<String> = path.split("::").map(str::to_string).collect();
            match segments.first()?.as_str() {
                "crate" => Some(segments[1..].to_vec()),
                "super" => Some([parent, &segments[1..]].concat()),
                _ => None,
            }
        })
        .collect()
}

/// The module file a path names: its longest prefix that is a module (`crate::Error`, which the
/// crate root re-exports, is `error`).
fn resolve(path: &[String], modules: &BTreeMap<Vec<String>, PathBuf>) -> Option<Vec<String>> {
    let error = vec!["error".to_string()];
    if path == ["Error"] && modules.contains_key(&error) {
        return Some(error);
    }
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains_key(prefix))
}

/// The file-level import graph: module → the modules it imports, leaving out a module and the
/// `mod.rs` of its own folder.
fn graph(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules = modules(src);
    let mut graph = BTreeMap::new();
    for (module, file) in &modules {
        let text = fs::read_to_string(file).unwrap();
        let imports: BTreeSet<Vec<String>> = paths_named(&code(&text), module)
            .iter()
            .filter_map(|path| resolve(path, &modules))
            .filter(|target| {
                let parent_child = target.len() + 1 == module.len() && module.starts_with(target)
                    || module.len() + 1 == target.len() && target.starts_with(module);
                target != module && !parent_child
            })
            .collect();
        graph.insert(module.clone(), imports);
    }
    graph
}

fn name(module: &[String]) -> String {
    module.join("::")
}

/// A cycle through `from`, if there is one, found depth first.
fn cycle(
    graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
    path: &mut Vec<Vec<String>>,
    done: &mut BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let last = path.last().unwrap().clone();
    for next in &graph[&last] {
        if let Some(at) = path.iter().position(|m| m == next) {
            let mut names: Vec<String> = path[at..].iter().map(|m| name(m)).collect();
            names.push(name(next));
            return Some(names);
        }
        if done.contains(next) {
            continue;
        }
        path.push(next.clone());
        if let Some(found) = cycle(graph, path, done) {
            return Some(found);
        }
        path.pop();
    }
    done.insert(last);
    None
}

fn layer(module: &[String]) -> usize {
    LAYERS
        .iter()
        .position(|names| names.contains(&module[0].as_str()))
        .unwrap_or_else(|| panic!("{} is in no layer: add it to LAYERS", name(module)))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_import_graph_has_no_cycle() {
    let graph = graph(&src());
    assert!(graph.len() > 30, "the graph is built from every file");
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(found) = cycle(&graph, &mut vec![module.clone()], &mut done) {
            panic!("an import cycle: {}", found.join(" → "));
        }
    }
}

#[test]
fn stages_import_only_stages_below_them() {
    let graph = graph(&src());
    let mut upward = Vec::new();
    for (module, imports) in &graph {
        for target in imports {
            if module[0] != target[0] && layer(target) > layer(module) {
                upward.push(format!("{} imports {}", name(module), name(target)));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports reaching up:\n{}",
        upward.join("\n")
    );
}

/// The modules outside `allowed` that import a module whose path starts with `target`.
fn importers_outside(
    graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
    target: &str,
    allowed: &[&str],
) -> Vec<String> {
    graph
        .iter()
        .filter(|(module, _)| module[0] != target && !allowed.contains(&module[0].as_str()))
        .flat_map(|(module, imports)| {
            imports
                .iter()
                .filter(|t| t[0] == target)
                .map(move |t| format!("{} imports {}", name(module), name(t)))
        })
        .collect()
}

#[test]
fn only_the_commands_import_the_sync() {
    let graph = graph(&src());
    assert!(graph.contains_key(&vec!["sync".to_string(), "run".to_string()]));
    let found = importers_outside(&graph, "sync", &["cmd"]);
    assert!(
        found.is_empty(),
        "the sync is the command's alone; what a build reads belongs in `activity`:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_commands_import_the_preview_server() {
    let graph = graph(&src());
    assert!(graph.contains_key(&vec!["serve".to_string(), "http".to_string()]));
    let found = importers_outside(&graph, "serve", &["cmd"]);
    assert!(
        found.is_empty(),
        "the preview server is behind the `serve` feature: only `cmd` may import it:\n{}",
        found.join("\n")
    );
}

/// What the deploy must not compile: the preview server's async stack and file watcher (feature
/// `serve`) and the GitHub client with its TLS (feature `sync`).
const NOT_IN_THE_DEPLOY: &[&str] = &[
    "axum",
    "futures-util",
    "hyper",
    "hyper-util",
    "notify",
    "open",
    "tokio",
    "ureq",
    "rustls",
    "ring",
];

/// The crates of `cargo tree` with these arguments, read from `Cargo.lock` (no network).
fn crates(args: &[&str]) -> BTreeSet<String> {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--locked",
            "--offline",
            "--prefix",
            "none",
            "-e",
            "normal,build",
        ])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_deploy_build_compiles_neither_the_server_nor_the_client() {
    // Netlify runs `cargo build --release --locked --no-default-features` (netlify/build.sh).
    let deploy = crates(&["--no-default-features"]);
    let found: Vec<_> = (NOT_IN_THE_DEPLOY.iter())
        .filter(|c| deploy.contains(**c))
        .collect();
    assert!(
        found.is_empty(),
        "the deploy's build compiles {found:?}: put them behind a default feature"
    );
    // The default build still has them: the list names real crates.
    let default = crates(&[]);
    for c in ["axum", "tokio", "notify", "ureq"] {
        assert!(default.contains(c), "{c} is not in the default build");
    }
}

/// Pairs (importer, imported) of stages where the layers alone would allow the import but the
/// design does not: `render` turns view values into bytes, so what depends on today stays out.
const FORBIDDEN: &[(&str, &str)] = &[("render", "compute")];

fn forbidden_imports(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<String> {
    let mut found = Vec::new();
    for (module, imports) in graph {
        for target in imports {
            if FORBIDDEN.contains(&(module[0].as_str(), target[0].as_str())) {
                found.push(format!("{} imports {}", name(module), name(target)));
            }
        }
    }
    found
}

#[test]
fn render_does_not_import_compute() {
    let found = forbidden_imports(&graph(&src()));
    assert!(
        found.is_empty(),
        "render only turns view values into bytes; build what it needs in view:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_sees_cycles_and_upward_imports() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::create_dir_all(src.join("render")).unwrap();
    fs::write(src.join("load.rs"), "use crate::render::Output;\n").unwrap();
    fs::write(
        src.join("render/mod.rs"),
        "pub mod html;\nuse html::x;\nuse crate::load::y;\n",
    )
    .unwrap();
    fs::write(
        src.join("render/html.rs"),
        "use crate::{Error, load::{self, a}};\nfn f() { super::g(); }\n#[cfg(test)]\nuse crate::cmd;",
    )
    .unwrap();
    let graph = graph(src);
    let set = |names: &[&str]| -> BTreeSet<Vec<String>> {
        names
            .iter()
            .map(|n| n.split("::").map(str::to_string).collect())
            .collect()
    };
    assert_eq!(graph[&vec!["load".to_string()]], set(&["render"]));
    assert_eq!(graph[&vec!["render".to_string()]], set(&["load"]));
    assert_eq!(
        graph[&vec!["render".to_string(), "html".to_string()]],
        set(&["load"])
    );
    let found = cycle(
        &graph,
        &mut vec![vec!["load".to_string()]],
        &mut BTreeSet::new(),
    );
    assert_eq!(found.unwrap(), ["load", "render", "load"]);
    assert!(layer(&["render".to_string()]) > layer(&["load".to_string()]));
    assert_eq!(
        importers_outside(&graph, "render", &[]),
        ["load imports render"]
    );
    assert!(importers_outside(&graph, "render", &["load"]).is_empty());
    fs::write(src.join("compute.rs"), "").unwrap();
    fs::write(src.join("render/ics.rs"), "use crate::compute::schedule;\n").unwrap();
    assert_eq!(
        forbidden_imports(&self::graph(src)),
        ["render::ics imports compute"]
    );
}

/// The most lines a file under `src/` may have, its unit tests included: past it a file holds
/// more than one idea, and should be split along a seam.
const MAX_LINES: usize = 600;

/// Files over the limit while another change is moving them (issue 22, point 4 moves the data
/// file out of `sync/`): remove an entry as soon as its file is under the limit.
const OVER_THE_LIMIT_FOR_NOW: &[&str] = &[];

/// Every `.rs` file under `src` over `max` lines, as `path: lines`.
fn long_files(src: &Path, max: usize) -> Vec<String> {
    let mut long = Vec::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let lines = fs::read_to_string(&path).unwrap().lines().count();
                let rel = path
                    .strip_prefix(src)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if lines > max && !OVER_THE_LIMIT_FOR_NOW.contains(&rel.as_str()) {
                    long.push(format!("{rel}: {lines}"));
                }
            }
        }
    }
    long.sort();
    long
}

#[test]
fn no_file_in_src_is_over_600_lines() {
    let long = long_files(&src(), MAX_LINES);
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them along a seam):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_line_count_sees_long_files_in_subfolders() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("a")).unwrap();
    fs::write(dir.path().join("a/long.rs"), "x\n".repeat(5)).unwrap();
    fs::write(dir.path().join("short.rs"), "x\n".repeat(4)).unwrap();
    assert_eq!(long_files(dir.path(), 4), ["a/long.rs: 5"]);
}
