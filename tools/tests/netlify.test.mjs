// The Netlify deploy: netlify.toml read by Netlify's own parser (@netlify/config), and the
// cargo-cache plugin run against a local cache folder with Netlify's own cache utilities
// (@netlify/cache-utils), as a deploy runs it: onPreBuild, the build command, onPostBuild.
// Run by .ci/run: `node --test tools/tests/`. The warm deploy uses the release binary that
// .ci/run builds (target/release/groupdir, or GROUPDIR_BINARY) and tools/netlify-deploy.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { deploy as netlifyDeploy, netlifyConfig, pluginEvent } from "../netlify-deploy.mjs";

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PLUGIN_DIR = path.join(REPO, "netlify/plugins/cargo-cache");
const cache = require(path.join(PLUGIN_DIR, "cache.js"));
const TOOLCHAIN = { RUSTUP_TOOLCHAIN: "1.95.0" };

/** A fresh folder, removed when the test ends. */
function tempDir(t, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `groupdir-${name}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What a deploy's clone holds of the repository (all it reads), without target/. */
const CLONE = ["Cargo.lock", "Cargo.toml", "build.rs", "src", "themes", "content", "netlify", "netlify.toml"];

/** A fresh clone as a deploy sees it. */
function checkout(t) {
  const dir = tempDir(t, "checkout");
  for (const entry of CLONE) {
    fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
  }
  return dir;
}

/** Runs `handler` of the plugin as Netlify does: in the checkout, with the cache utilities. */
const run = (handler, checkout, cacheDir, env = TOOLCHAIN) =>
  pluginEvent(cache, handler, { checkout, cacheDir, env: { ...process.env, ...env } });

/** Stands in for `cargo build`: an executable that prints `label`. */
function compile(dir, label) {
  const binary = path.join(dir, "target/release/groupdir");
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  fs.writeFileSync(binary, `#!/bin/sh\necho ${label}\n`, { mode: 0o755 });
}

/** What the binary the plugin left for the build command prints, or undefined if none. */
function restored(dir) {
  const binary = path.join(dir, cache.BINARY);
  return fs.existsSync(binary) ? execFileSync(binary, { encoding: "utf8" }).trim() : undefined;
}

/** A deploy: the plugin before and after the build, compiling when nothing was restored. */
async function deploy(dir, cacheDir, label, env = TOOLCHAIN) {
  await run("onPreBuild", dir, cacheDir, env);
  const reused = restored(dir);
  if (reused === undefined) compile(dir, label);
  await run("onPostBuild", dir, cacheDir, env);
  return reused;
}

const config = (context, configPath) => netlifyConfig(REPO, context, configPath);

test("Netlify's parser reads netlify.toml: every context runs netlify/build.sh with its address", async () => {
  for (const [context, url] of [
    ["production", "$URL"],
    ["deploy-preview", "$DEPLOY_PRIME_URL"],
    ["branch-deploy", "$DEPLOY_PRIME_URL"],
  ]) {
    const { build, plugins } = await config(context);
    assert.equal(build.command, `bash netlify/build.sh "${url}"`, context);
    assert.equal(build.publish, path.join(REPO, "public"), context);
    assert.match(build.environment.RUSTUP_TOOLCHAIN, /^\d+\.\d+\.\d+$/, context);
    assert.deepEqual(plugins.map((p) => p.package), ["/netlify/plugins/cargo-cache"], context);
  }
});

test("the plugin netlify.toml names has a manifest and exports only build events", async () => {
  const { plugins } = await config("production");
  // A package starting with "/" is a folder relative to the base directory, the repository here.
  const dir = path.join(REPO, plugins[0].package);
  assert.match(fs.readFileSync(path.join(dir, "manifest.yml"), "utf8"), /^name: \S+$/m);
  assert.deepEqual(Object.keys(require(dir)).sort(), ["onPostBuild", "onPreBuild"]);
});

test("Netlify's parser rejects a broken netlify.toml (so the tests above can fail)", async (t) => {
  const broken = path.join(tempDir(t, "config"), "netlify.toml");
  fs.writeFileSync(broken, '[[plugins]]\n  inputs = { a = 1 }\n');
  await assert.rejects(config("production", broken), /package/);
});

test("a second deploy of the same sources reuses the first one's binary", async (t) => {
  const cacheDir = tempDir(t, "cache");
  const first = checkout(t);
  assert.equal(await deploy(first, cacheDir, "first"), undefined, "the cache starts empty");
  const second = checkout(t);
  assert.equal(await deploy(second, cacheDir, "second"), "first");
  assert.equal(fs.statSync(path.join(second, cache.BINARY)).mode & 0o111, 0o111, "executable");
  assert.equal(fs.existsSync(path.join(second, "target/release/groupdir")), false, "no compile");
});

test("a change to any source, or another toolchain, compiles again", async (t) => {
  const cacheDir = tempDir(t, "cache");
  await deploy(checkout(t), cacheDir, "original");
  const files = ["Cargo.lock", "Cargo.toml", "build.rs", "netlify/build.sh", "src/main.rs"];
  for (const file of files.concat("themes/default/templates/base.html")) {
    const changed = checkout(t);
    fs.appendFileSync(path.join(changed, file), "\n");
    assert.equal(await deploy(changed, cacheDir, file), undefined, file);
    // The cache now holds this binary, not the original one.
    assert.equal(await deploy(checkout(t), cacheDir, "original again"), undefined, file);
  }
  assert.equal(await deploy(checkout(t), cacheDir, "x", { RUSTUP_TOOLCHAIN: "1.96.0" }), undefined);
});

test("content, docs and tests do not take part in the key", async (t) => {
  const cacheDir = tempDir(t, "cache");
  await deploy(checkout(t), cacheDir, "original");
  const changed = checkout(t);
  fs.appendFileSync(path.join(changed, "content/faq.md"), "\nOne more answer.\n");
  fs.writeFileSync(path.join(changed, "README.md"), "changed\n");
  assert.equal(await deploy(changed, cacheDir, "changed"), "original");
});

test("a binary of other sources left in the checkout is removed, not used", async (t) => {
  const cacheDir = tempDir(t, "cache");
  const dir = checkout(t);
  // As if Netlify's image had restored target/ from a deploy of other sources.
  fs.mkdirSync(path.join(dir, path.dirname(cache.BINARY)), { recursive: true });
  fs.writeFileSync(path.join(dir, cache.BINARY), "#!/bin/sh\necho stale\n", { mode: 0o755 });
  fs.writeFileSync(path.join(dir, cache.HASH), "0".repeat(64) + "\n");
  assert.equal(await deploy(dir, cacheDir, "fresh"), undefined);
  assert.equal(await deploy(checkout(t), cacheDir, "again"), "fresh");
});

test("a warm deploy runs the build command without cargo and builds the site", async (t) => {
  const binary = process.env.GROUPDIR_BINARY ?? path.join(REPO, "target/release/groupdir");
  assert.ok(fs.existsSync(binary), `no groupdir at ${binary}: run cargo build --release first`);
  const cacheDir = tempDir(t, "cache");
  const first = checkout(t);
  await run("onPreBuild", first, cacheDir);
  fs.mkdirSync(path.join(first, "target/release"), { recursive: true });
  fs.copyFileSync(binary, path.join(first, "target/release/groupdir"));
  await run("onPostBuild", first, cacheDir);

  // No cargo or rustup on this PATH: the build command must use the restored binary.
  const dir = checkout(t);
  const env = { PATH: "/usr/bin:/bin", HOME: dir };
  const { seconds, log } = await netlifyDeploy({ checkout: dir, cacheDir, env });
  console.log(`warm deploy: ${JSON.stringify(seconds)}`);
  assert.match(log, /^groupdir \d+\.\d+\.\d+ \(/m);
  const index = fs.readFileSync(path.join(dir, "public/index.html"), "utf8");
  assert.match(index, /<link rel="canonical" href="https:\/\/groups\.example\.org\/"/);
});
