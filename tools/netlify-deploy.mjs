// A Netlify build, as far as it runs on this machine: netlify.toml read by Netlify's own parser
// (@netlify/config) for a context, then the plugins it names (onPreBuild), the context's build
// command, the plugins again (onPostBuild), with Netlify's cache utilities (@netlify/cache-utils)
// over a local cache folder. Prints each phase's time. Not run: the clone, the upload, Netlify's
// own caching of ~/.rustup and target/.
//
//   node tools/netlify-deploy.mjs CHECKOUT CACHE_DIR [CONTEXT]
//
// Run it twice on fresh clones with one CACHE_DIR: the first is a cold deploy (it compiles), the
// second a warm one. tools/tests/netlify.test.mjs runs warm deploys through `deploy`.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as cacheUtils from "@netlify/cache-utils";
import { resolveConfig } from "@netlify/config";

const require = createRequire(import.meta.url);

/** The resolved configuration of the checkout's netlify.toml for `context`. */
export async function netlifyConfig(checkout, context, configPath) {
  const { config } = await resolveConfig({
    config: configPath ?? path.join(checkout, "netlify.toml"),
    repositoryRoot: checkout,
    cwd: checkout,
    context,
    branch: "main",
    offline: true,
  });
  return config;
}

/**
 * Runs one event handler of a plugin as Netlify does: in the checkout, with the build's
 * environment and the cache utilities over `cacheDir`.
 */
export async function pluginEvent(plugin, name, { checkout, cacheDir, env, netlifyConfig }) {
  const saved = { cwd: process.cwd(), env: process.env };
  process.chdir(checkout);
  process.env = env;
  try {
    const utils = { cache: cacheUtils.bindOpts({ cacheDir, cwd: checkout }) };
    await plugin[name]?.({ utils, netlifyConfig });
  } finally {
    process.chdir(saved.cwd);
    process.env = saved.env;
  }
}

/** Runs the deploy's build in `checkout`; returns the seconds each phase took and the log. */
export async function deploy({ checkout, cacheDir, context = "production", env = process.env }) {
  const config = await netlifyConfig(checkout, context);
  // A package starting with "/" is a folder relative to the base directory: the checkout here.
  const plugins = config.plugins.map((p) => require(path.join(checkout, p.package)));
  const buildEnv = {
    URL: "https://groups.example.org/",
    DEPLOY_PRIME_URL: `https://${context}--groups.example.org/`,
    CONTEXT: context,
    ...env,
    ...config.build.environment,
  };
  const seconds = {};
  const timed = async (phase, work) => {
    const started = process.hrtime.bigint();
    const result = await work();
    seconds[phase] = Number(process.hrtime.bigint() - started) / 1e9;
    return result;
  };
  const events = async (name) => {
    for (const plugin of plugins) {
      await pluginEvent(plugin, name, { checkout, cacheDir, env: buildEnv, netlifyConfig: config });
    }
  };
  await timed("onPreBuild", () => events("onPreBuild"));
  const log = await timed("command", () =>
    execFileSync("bash", ["-c", config.build.command], {
      cwd: checkout,
      env: buildEnv,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  await timed("onPostBuild", () => events("onPostBuild"));
  return { seconds, log };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [checkout, cacheDir, context] = process.argv.slice(2);
  if (!checkout || !cacheDir) {
    console.error("usage: node tools/netlify-deploy.mjs CHECKOUT CACHE_DIR [CONTEXT]");
    process.exit(2);
  }
  const { seconds, log } = await deploy({
    checkout: path.resolve(checkout),
    cacheDir: path.resolve(cacheDir),
    context,
  });
  process.stdout.write(log);
  const total = Object.values(seconds).reduce((a, b) => a + b, 0);
  const phases = Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(2)} s`);
  console.log(`deploy: ${phases.join(", ")}; total ${total.toFixed(2)} s`);
}
