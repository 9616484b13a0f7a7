// Reads netlify.toml with Netlify's own configuration parser (@netlify/config, offline) and
// prints the headers each given path gets, matching `for` patterns as Netlify does (`*` matches
// any rest of the path; later blocks add to earlier ones). Fails on any configuration error.
//
// Usage: node netlify_headers.mjs NODE_MODULES REPOSITORY PATH...
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, repository, ...paths] = process.argv.slice(2);
const { resolveConfig } = await import(pathToFileURL(join(modules, "@netlify/config/lib/index.js")).href);
const { config } = await resolveConfig({
  repositoryRoot: repository, cwd: repository, context: "production", offline: true, buffer: true,
});
if (config.headersErrors?.length) throw new Error(`netlify.toml headers: ${config.headersErrors.join("; ")}`);

const pattern = (glob) => new RegExp("^" + glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
const report = {};
for (const path of paths) {
  report[path] = {};
  for (const rule of config.headers) {
    if (pattern(rule.for).test(path)) Object.assign(report[path], rule.values);
  }
}
console.log(JSON.stringify(report));
