// Loads built pages in headless Chromium, served over HTTP on 127.0.0.1 with the site's
// Content-Security-Policy, with the browser's clock set to a given day, and prints everything
// static/fresh.js rewrites for that day: badges, the directory's sections and counts, a group's
// days without activity and notice, the dates "as of", and the next meetings.
//
// Usage: CHROMIUM=… NODE_PATH=… node fresh_check.mjs SITE_DIR CSP DAY PAGE...
// DAY is YYYY-MM-DD: the browser's clock stands at noon UTC that day, in the UTC time zone.
import { createRequire } from "node:module";
import { join } from "node:path";
import { serveDir } from "./static_server.mjs";

const require = createRequire(join(process.env.NODE_PATH, "/"));
const { chromium } = require("playwright-core");
const [siteDir, csp, day, ...pages] = process.argv.slice(2);
const { server, origin } = await serveDir(siteDir, { "Content-Security-Policy": csp });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox"] });
const report = {};
try {
  const context = await browser.newContext({ timezoneId: "UTC", locale: "en-GB" });
  // A day stands for its noon UTC; an instant (`2026-12-03T03:50:00Z`) for itself.
  await context.clock.setFixedTime(new Date(day.includes("T") ? day : `${day}T12:00:00Z`));
  for (const page of pages) {
    const tab = await context.newPage();
    const problems = [];
    tab.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    tab.on("pageerror", (e) => problems.push(String(e)));
    await tab.goto(origin + page, { waitUntil: "load", timeout: 20000 });
    await tab.waitForLoadState("networkidle", { timeout: 20000 });
    report[page] = await tab.evaluate(() => {
      const text = (el) => (el ? el.textContent : null);
      const badge = (b) => ({
        class: b.className, text: b.textContent, last: b.dataset.lastActivity || null, status: b.dataset.status,
        threshold: b.dataset.threshold ? +b.dataset.threshold : null,
        atRiskDays: b.dataset.atRiskDays ? +b.dataset.atRiskDays : null
      });
      const article = document.querySelector("article.group");
      return {
        badges: [...document.querySelectorAll(".badge")].map(badge),
        sections: [...document.querySelectorAll("#directory > section")].map((s) => ({
          id: s.id, hidden: s.hidden, count: text(s.querySelector("h2 .count")),
          cards: [...s.querySelectorAll(".card")].map((c) => ({
            slug: c.dataset.slug, standing: c.dataset.standing, class: c.className,
            badge: c.querySelector(".badge").className
          }))
        })),
        counts: Object.fromEntries(["at-risk", "stale"].map((v) => {
          const holder = document.querySelector(".count-" + v);
          return [v, holder ? { hidden: holder.hidden, n: text(holder.querySelector(".n")) } : null];
        })),
        group: article ? {
          class: article.className, standing: article.dataset.standing,
          daysSince: [...article.querySelectorAll(".days-since")].map((n) => [n.dataset.since, n.textContent]),
          notice: article.querySelector(".notice-stale") ? !article.querySelector(".notice-stale").hidden : null
        } : null,
        asOf: [...document.querySelectorAll("time.as-of")].map((t) => [t.dateTime, t.textContent]),
        footer: text(document.querySelector(".site-footer p")),
        slots: [...document.querySelectorAll(".slot")].map((s) => ({
          start: s.dataset.start, hidden: s.hidden, state: text(s.querySelector(".state"))
        })),
        meetings: [...document.querySelectorAll(".meeting")].map((m) => ({
          title: text(m.querySelector("h2, h3")) ?? document.querySelector("h1").textContent,
          next: text(m.querySelector("time.next")),
          nextUtc: m.querySelector("time.next")?.dateTime ?? null,
          utc: text(m.querySelector(".utc")),
          local: m.querySelector(".local").hidden ? null : m.querySelector(".local").textContent
        }))
      };
    });
    report[page].problems = problems;
    await tab.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(report));
