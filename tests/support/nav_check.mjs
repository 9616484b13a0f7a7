// Loads built pages in headless Chromium at each width given and prints how the site's header
// lays out: on a wide screen, the rows its navigation links take and whether any is cut off; on a
// phone, whether the navigation is a menu that says it is one, and, once it is opened, whether
// every link (the current page's too) is on screen. Saves a screenshot of each first screen, with
// the menu open where there is one.
//
// Usage: CHROMIUM=… NODE_PATH=… node nav_check.mjs SITE_DIR SCREENSHOT_DIR WIDTHS PAGE...
// WIDTHS is comma-separated (320,390,1280). Prints one JSON object:
// "<width> <page>" -> {cards, menu, summary, rows, cutOff, links, current, headerHeight, overflow, screenshot}.
import { createRequire } from "node:module";
import { join } from "node:path";
import { serveDir } from "./static_server.mjs";

const require = createRequire(join(process.env.NODE_PATH, "/"));
const { chromium } = require("playwright-core");
const [siteDir, shots, widths, ...pages] = process.argv.slice(2);
const { server, origin } = await serveDir(siteDir);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
const report = {};
try {
  for (const width of widths.split(",").map(Number)) {
    const phone = width < 600;
    const context = await browser.newContext({ viewport: { width, height: phone ? 844 : 800 }, isMobile: phone, hasTouch: phone });
    for (const page of pages) {
      const tab = await context.newPage();
      await tab.goto(origin + page, { waitUntil: "load" });
      const measure = () => tab.evaluate((width) => {
        const header = document.querySelector(".site-header");
        const summary = header.querySelector("nav summary");
        const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
        const links = [...header.querySelectorAll("nav a")];
        const boxes = links.map((a) => a.getBoundingClientRect());
        // Links whose boxes overlap vertically share a row.
        const rows = [];
        for (const r of boxes.filter((r) => r.width > 0)) {
          if (!rows.some((row) => r.top < row.bottom && row.top < r.bottom)) rows.push({ top: r.top, bottom: r.bottom });
        }
        // Cut off: out of the window, or clipped by a scrolling or hidden-overflow ancestor.
        const clipped = (a) => {
          const r = a.getBoundingClientRect();
          if (r.width === 0 || r.left < -0.5 || r.right > width + 0.5) return true;
          for (let el = a.parentElement; el && el !== document.body; el = el.parentElement) {
            const o = getComputedStyle(el).overflowX;
            if (o !== "visible") {
              const p = el.getBoundingClientRect();
              if (r.left < p.left - 0.5 || r.right > p.right + 0.5) return true;
            }
          }
          return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest("a") !== a;
        };
        const current = header.querySelector("nav a[aria-current]");
        // The meetings page's cards: the gap above each title, inside the card's padding; the
        // share of the card its label column takes; the most lines any value takes.
        const cards = [...document.querySelectorAll("ul.meetings > .card")].map((card) => {
          const c = card.getBoundingClientRect(), style = getComputedStyle(card);
          const h = card.querySelector("h2").getBoundingClientRect();
          const dt = card.querySelector("dt").getBoundingClientRect();
          const lines = Math.max(...[...card.querySelectorAll("dd")].map((dd) => Math.round(dd.getBoundingClientRect().height / parseFloat(getComputedStyle(dd).lineHeight))));
          return { gap: h.top - c.top - parseFloat(style.paddingTop) - parseFloat(style.borderTopWidth), label: dt.width / c.width, lines };
        });
        return {
          cards,
          menu: shown(summary),
          summary: shown(summary) ? summary.textContent.trim() : null,
          rows: rows.length,
          cutOff: links.filter(clipped).map((a) => a.textContent),
          links: links.length,
          current: current ? !clipped(current) : null,
          headerHeight: header.getBoundingClientRect().height,
          overflow: document.documentElement.scrollWidth - width
        };
      }, width);
      let seen = await measure();
      const closed = { menu: seen.menu, summary: seen.summary, headerHeight: seen.headerHeight, overflow: seen.overflow };
      if (seen.menu) {
        await tab.click(".site-header nav summary");
        seen = { ...(await measure()), ...closed, opened: true };
      }
      const screenshot = join(shots, `${width}-` + (page.replace(/\W+/g, "-").replace(/^-|-$/g, "") || "index") + ".png");
      await tab.screenshot({ path: screenshot });
      report[`${width} ${page}`] = { ...seen, screenshot };
      await tab.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(report));
