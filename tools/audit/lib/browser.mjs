// axe-core + console errors + screenshots in Debian chromium, driven by playwright-core over CDP.
// We spawn chromium ourselves (detached => own process group) so we can kill it by PID/PGID.
// Usage: node browser.mjs BASE_URL PAGES_TXT OUT_DIR PROFILE_DIR
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

// tools/node_modules, two folders up: the repository's pinned tools (tools/package.json).
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const axeVersion = require("axe-core/package.json").version;

const [baseUrl, pagesTxt, outDir, profileDir] = process.argv.slice(2);
const pages = fs.readFileSync(pagesTxt, "utf8").split("\n").filter(Boolean);
const CHROME = process.env.CHROME_PATH || "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage", "--no-default-browser-check", "--mute-audio",
  `--user-data-dir=${profileDir}`, "--remote-debugging-port=0", "about:blank"];

let proc = null;
function killBrowser() {
  if (proc && proc.exitCode === null) {
    try { process.kill(-proc.pid, "SIGKILL"); } catch { try { proc.kill("SIGKILL"); } catch {} }
  }
}
process.on("exit", killBrowser);
// on Ctrl-C/TERM: kill our browser, then die by the same signal so the calling shell sees it
for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, () => { killBrowser(); process.removeAllListeners(s); process.kill(process.pid, s); });

function launch() {
  return new Promise((resolve, reject) => {
    proc = spawn(CHROME, FLAGS, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
    fs.writeFileSync(path.join(outDir, "chromium.pid"), String(proc.pid));
    let buf = "";
    const t = setTimeout(() => reject(new Error("chromium did not print a DevTools endpoint in 60s:\n" + buf.slice(-2000))), 60000);
    proc.stderr.on("data", (d) => {
      buf += d;
      const m = buf.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    proc.on("exit", (code) => { clearTimeout(t); reject(new Error(`chromium exited early (${code}):\n` + buf.slice(-2000))); });
  });
}

const t0 = Date.now();
const ws = await launch();
const browser = await chromium.connectOverCDP(ws);
const version = browser.version();
const impacts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
const nodesByImpact = { critical: 0, serious: 0, moderate: 0, minor: 0 };
const byRule = {};
const consoleErrors = [];
const perPage = [];
let navFailures = 0;

async function newPage(opts) {
  const ctx = await browser.newContext({ bypassCSP: true, ...opts });
  const page = await ctx.newPage();
  return { ctx, page };
}

for (const p of pages) {
  const url = new URL(p, baseUrl).href;
  const { ctx, page } = await newPage({ viewport: { width: 1280, height: 800 } });
  const errs = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const src = m.location()?.url || "";
    // Chromium's automatic /favicon.ico probe is not something the page asked for: count it separately
    const kind = /\/favicon\.ico(\?|$)/.test(src) ? "favicon" : "console";
    errs.push({ page: p, kind, text: (m.text() + (src ? ` @ ${src}` : "")).slice(0, 300) });
  });
  page.on("pageerror", (e) => errs.push({ page: p, kind: "pageerror", text: String(e.message || e).slice(0, 300) }));
  page.on("requestfailed", (r) => errs.push({ page: p, kind: "requestfailed", text: `${r.url()} ${r.failure()?.errorText}` }));
  const rec = { page: p, status: null, violations: [] };
  try {
    const resp = await page.goto(url, { waitUntil: "load", timeout: 30000 });
    rec.status = resp ? resp.status() : null;
    if (!resp || resp.status() >= 400) navFailures++;
    await page.evaluate(axeSource + "\n;0");
    const res = await page.evaluate(async () =>
      await window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of res.violations) {
      const imp = v.impact || "minor";
      impacts[imp] = (impacts[imp] || 0) + 1;
      nodesByImpact[imp] = (nodesByImpact[imp] || 0) + v.nodes.length;
      byRule[v.id] = byRule[v.id] || { impact: imp, help: v.help, pages: 0, nodes: 0 };
      byRule[v.id].pages++; byRule[v.id].nodes += v.nodes.length;
      rec.violations.push({ id: v.id, impact: imp, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) });
    }
  } catch (e) {
    navFailures++;
    errs.push({ page: p, kind: "audit-failure", text: String(e.message || e).slice(0, 300) });
  }
  consoleErrors.push(...errs);
  rec.errors = errs;
  perPage.push(rec);
  await ctx.close();
}

// screenshots + mobile overflow check of the first page (index)
const shots = {};
let mobileOverflowPx = null;
for (const [name, opts] of [
  ["index-1280x800.png", { viewport: { width: 1280, height: 800 } }],
  ["index-390x844.png", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }],
]) {
  const { ctx, page } = await newPage(opts);
  try {
    await page.goto(new URL(pages[0], baseUrl).href, { waitUntil: "load", timeout: 30000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(outDir, name), fullPage: true });
    shots[name] = "ok";
    if (opts.isMobile) mobileOverflowPx = await page.evaluate(() =>
      Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
  } catch (e) { shots[name] = "failed: " + e.message; }
  await ctx.close();
}

await browser.close().catch(() => {});
killBrowser();

fs.writeFileSync(path.join(outDir, "axe.json"), JSON.stringify({ browser: version, axe: axeVersion, byRule, perPage }, null, 1));
fs.writeFileSync(path.join(outDir, "console-errors.json"), JSON.stringify(consoleErrors, null, 1));
for (const [id, r] of Object.entries(byRule).sort((a, b) => b[1].nodes - a[1].nodes))
  console.error(`  AXE ${r.impact.padEnd(8)} ${id}: ${r.help} (${r.pages} page(s), ${r.nodes} node(s))`);
for (const e of consoleErrors.slice(0, 20)) console.error(`  CONSOLE ${e.page} [${e.kind}] ${e.text}`);
console.log(`browser: ${version}, axe-core ${axeVersion}`);
console.log(`pages_audited_in_browser: ${pages.length}`);
console.log(`page_load_failures: ${navFailures}`);
for (const k of ["critical", "serious", "moderate", "minor"]) console.log(`axe_${k}: ${impacts[k]}`);
console.log(`axe_serious_or_critical: ${impacts.critical + impacts.serious}`);
console.log(`axe_serious_or_critical_nodes: ${nodesByImpact.critical + nodesByImpact.serious}`);
const count = (k) => consoleErrors.filter((e) => e.kind === k).length;
console.log(`console_errors: ${count("console") + count("pageerror")}`);
console.log(`js_exceptions: ${count("pageerror")}`);
console.log(`failed_requests: ${count("requestfailed")}`);
console.log(`favicon_404: ${count("favicon") > 0 ? "yes" : "no"}`);
console.log(`mobile_horizontal_overflow_px: ${mobileOverflowPx ?? "n/a"}`);
console.log(`screenshots: ${Object.entries(shots).map(([k, v]) => `${k}=${v}`).join(" ")}`);
console.log(`browser_seconds: ${((Date.now() - t0) / 1000).toFixed(1)}`);
process.exit(0);
