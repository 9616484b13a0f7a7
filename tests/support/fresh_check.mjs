// Loads built pages in headless Chromium, served over HTTP on 127.0.0.1 with the site's
// Content-Security-Policy, and prints what fresh.js made of the badges and the meetings.
//
// Usage: node fresh_check.mjs PLAYWRIGHT_CORE_DIR SITE_DIR CSP PAGE...
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, normalize, extname } from "node:path";

const [playwrightDir, siteDir, csp, ...pages] = process.argv.slice(2);
const { chromium } = createRequire(join(playwrightDir, "package.json"))(playwrightDir);

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml" };
const server = createServer(async (req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path.includes("..")) { res.writeHead(400).end(); return; }
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(siteDir, path));
    res.writeHead(200, { "Content-Type": types[extname(path)] || "application/octet-stream", "Content-Security-Policy": csp });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const report = {};
try {
  const context = await browser.newContext({ timezoneId: "UTC", locale: "en-GB" });
  for (const page of pages) {
    const tab = await context.newPage();
    const problems = [];
    tab.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    tab.on("pageerror", (e) => problems.push(String(e)));
    await tab.goto(origin + page, { waitUntil: "load", timeout: 20000 });
    await tab.waitForLoadState("networkidle", { timeout: 20000 });
    report[page] = await tab.evaluate(() => ({
      badges: [...document.querySelectorAll(".badge")].map((b) => ({
        class: b.className, text: b.textContent, last: b.dataset.lastActivity || null, status: b.dataset.status,
        threshold: b.dataset.threshold ? +b.dataset.threshold : null,
        atRiskDays: b.dataset.atRiskDays ? +b.dataset.atRiskDays : null
      })),
      meetings: [...document.querySelectorAll(".meeting")].map((m) => ({
        title: m.querySelector("h2").textContent,
        next: m.querySelector("time.next")?.textContent ?? null,
        nextUtc: m.querySelector("time.next")?.dateTime ?? null,
        local: m.querySelector(".local").hidden ? null : m.querySelector(".local").textContent
      }))
    }));
    report[page].problems = problems;
    await tab.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(report));
