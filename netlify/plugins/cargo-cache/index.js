// The plugin Netlify loads (netlify.toml, [[plugins]]): it may export only event handlers, so the
// logic, and what the tests use of it, is in cache.js.
"use strict";

const { onPreBuild, onPostBuild } = require("./cache.js");

module.exports = { onPreBuild, onPostBuild };
