// Compiles JSON Schemas with Ajv in its default, strict mode (draft 2020-12, with ajv-formats for
// the standard formats), and validates JSON documents against one of them.
//
// Usage: NODE_PATH=… node ajv_check.mjs SCHEMA... [--validate SCHEMA_ID_OR_PATH DOCUMENT...]
// Prints one JSON object: {compiled: {path: null | error}, valid: {document: null | errors}}.
// Exit status 0 when every schema compiled and every document is valid, 1 otherwise.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.env.NODE_PATH, "/"));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const args = process.argv.slice(2);
const split = args.indexOf("--validate");
const schemas = split === -1 ? args : args.slice(0, split);
const [target, ...documents] = split === -1 ? [] : args.slice(split + 1);
const report = { compiled: {}, valid: {} };
const validators = {};
let ok = true;
for (const path of schemas) {
  // A new Ajv for each schema: strict mode on (the default), nothing relaxed.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  try {
    validators[path] = ajv.compile(JSON.parse(readFileSync(path, "utf8")));
    report.compiled[path] = null;
  } catch (e) {
    report.compiled[path] = String(e.message || e);
    ok = false;
  }
}
for (const path of documents) {
  const validate = validators[target];
  if (!validate) { report.valid[path] = "no compiled schema " + target; ok = false; continue; }
  const valid = validate(JSON.parse(readFileSync(path, "utf8")));
  report.valid[path] = valid ? null : validate.errors;
  ok = ok && valid;
}
console.log(JSON.stringify(report));
process.exit(ok ? 0 : 1);
