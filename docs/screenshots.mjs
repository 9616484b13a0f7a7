// Screenshots of a built site for the README, taken with the audit's browser (playwright-core
// driving Debian chromium): the directory, a group page, the meetings page and governance, at
// 1280 and 390 px, in the light and the dark scheme, in the UTC time zone. Usage:
//   NODE_PATH=tools/node_modules node docs/screenshots.mjs SITE_DIR OUT_DIR [GROUP_SLUG]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.join(path.resolve(process.env.NODE_PATH || "."), "/"));
const { chromium } = require("playwright-core");
const [site, outDir, slug = "security"] = process.argv.slice(2);
if (!site || !outDir) {
  console.error("usage: node docs/screenshots.mjs SITE_DIR OUT_DIR [GROUP_SLUG]");
  process.exit(2);
}
const root = path.resolve(site);
const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".json": "application/json" };

// A static server on 127.0.0.1 that never serves outside the site folder.
const server = http.createServer((req, res) => {
  let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" }).end(body);
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const shots = [
  ["directory", "/"],
  ["group", `/groups/${slug}/`],
  ["meetings", "/meetings/"],
  ["governance", "/governance/"],
];
const screens = [
  ["desktop", { viewport: { width: 1280, height: 800 } }],
  ["phone", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }],
];
try {
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, url] of shots) {
    for (const [screen, options] of screens) {
     for (const colorScheme of ["light", "dark"]) {
      const context = await browser.newContext({ ...options, colorScheme, timezoneId: "UTC", locale: "en-GB" });
      const page = await context.newPage();
      await page.goto(origin + url, { waitUntil: "load" });
      const file = path.join(outDir, `${name}-${screen}${colorScheme === "dark" ? "-dark" : ""}.png`);
      await page.screenshot({ path: file });
      console.log(`${file}: ${fs.statSync(file).size} bytes`);
      await context.close();
     }
    }
  }
} finally {
  await browser.close();
  server.close();
}
