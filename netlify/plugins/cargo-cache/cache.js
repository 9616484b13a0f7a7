// A Netlify build plugin that keeps the compiled groupdir between deploys, so that a deploy whose
// Rust sources did not change skips the toolchain and the compile (the bulk of a deploy) and only
// builds the site. The binary is filed under a hash of the files it is compiled from and of the
// toolchain: contents, not modification times, which every fresh clone resets.
//
// onPreBuild puts the cached binary at target/netlify-groupdir/groupdir when its hash matches (and
// removes any other there), netlify/build.sh uses it when present and compiles otherwise, and
// onPostBuild files a newly compiled binary in Netlify's cache, replacing the previous one.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** What the binary is compiled from: the crate, the themes it embeds, and the build command. */
const SOURCES = ["Cargo.lock", "Cargo.toml", "build.rs", "src", "themes", "netlify/build.sh"];
/** The folder Netlify's cache keeps: the binary and the hash of its sources. */
const FOLDER = "target/netlify-groupdir";
const BINARY = path.join(FOLDER, "groupdir");
const HASH = path.join(FOLDER, "sources.sha256");
const COMPILED = "target/release/groupdir";

/** The files under `entries` (files or folders, relative to `root`), sorted, as `/` paths. */
function sourceFiles(root, entries) {
  const files = [];
  const visit = (relative) => {
    const full = path.join(root, relative);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const name of fs.readdirSync(full)) visit(path.posix.join(relative, name));
    } else {
      files.push(relative);
    }
  };
  entries.forEach(visit);
  return files.sort();
}

/** The hash a binary compiled from the checkout at `root` with `env`'s toolchain is filed under. */
function sourcesHash(root, env) {
  const hash = crypto.createHash("sha256");
  hash.update(`toolchain ${env.RUSTUP_TOOLCHAIN ?? "default"}\n`);
  for (const file of sourceFiles(root, SOURCES)) {
    const contents = crypto.createHash("sha256").update(fs.readFileSync(path.join(root, file)));
    hash.update(`${contents.digest("hex")}  ${file}\n`);
  }
  return hash.digest("hex");
}

function readIfFile(file) {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

async function onPreBuild({ utils }) {
  const root = process.cwd();
  const want = sourcesHash(root, process.env);
  await utils.cache.restore(FOLDER);
  const cached = readIfFile(path.join(root, HASH));
  if (cached === want && fs.existsSync(path.join(root, BINARY))) {
    console.log(`cargo-cache: reusing groupdir compiled from these sources (${want.slice(0, 12)})`);
    return;
  }
  // Nothing cached, or a binary of other sources (also when Netlify restored target/ itself).
  fs.rmSync(path.join(root, FOLDER), { recursive: true, force: true });
  console.log(`cargo-cache: no groupdir compiled from these sources (${want.slice(0, 12)}): compiling`);
}

async function onPostBuild({ utils }) {
  const root = process.cwd();
  if (fs.existsSync(path.join(root, BINARY))) return; // reused: the cache has it already
  const compiled = path.join(root, COMPILED);
  if (!fs.existsSync(compiled)) {
    console.log(`cargo-cache: no ${COMPILED} to cache`);
    return;
  }
  const want = sourcesHash(root, process.env);
  fs.mkdirSync(path.join(root, FOLDER), { recursive: true });
  fs.copyFileSync(compiled, path.join(root, BINARY));
  fs.chmodSync(path.join(root, BINARY), 0o755);
  fs.writeFileSync(path.join(root, HASH), `${want}\n`);
  await utils.cache.save(FOLDER);
  console.log(`cargo-cache: cached groupdir for these sources (${want.slice(0, 12)})`);
}

module.exports = { onPreBuild, onPostBuild, BINARY, HASH };
