// Loads built pages in headless Chromium as a 390-px-wide phone and prints how the site's header
// lays out: the rows its title and navigation links take, its height, whether every link can be
// reached, and whether the page scrolls sideways. Saves a screenshot of each first screen.
//
// Usage: CHROMIUM=… NODE_PATH=… node phone_check.mjs SITE_DIR SCREENSHOT_DIR PAGE...
// Prints one JSON object: page -> {rows, headerHeight, links, reachable, overflow, screenshot}.
import { createRequire } from "node:module";
import { join } from "node:path";
import { serveDir } from "./static_server.mjs";

const require = createRequire(join(process.env.NODE_PATH, "/"));
const { chromium } = require("playwright-core");
const [siteDir, shots, ...pages] = process.argv.slice(2);
const WIDTH = 390;
const { server, origin } = await serveDir(siteDir);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
const report = {};
try {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  for (const page of pages) {
    const tab = await context.newPage();
    await tab.goto(origin + page, { waitUntil: "load" });
    const layout = await tab.evaluate((WIDTH) => {
      const header = document.querySelector(".site-header");
      const items = [header.querySelector(".brand"), ...header.querySelectorAll("nav li")];
      // Items whose boxes overlap vertically share a row.
      const rows = [];
      for (const r of items.map((el) => el.getBoundingClientRect())) {
        if (!rows.some((row) => r.top < row.bottom && row.top < r.bottom)) rows.push({ top: r.top, bottom: r.bottom });
      }
      // Every link can be brought on screen (the navigation may scroll sideways).
      const links = [...header.querySelectorAll("nav a")];
      const reachable = links.every((a) => {
        a.scrollIntoView({ inline: "nearest", block: "nearest" });
        const r = a.getBoundingClientRect();
        return r.left >= 0 && r.right <= WIDTH + 0.5 && r.width > 0;
      });
      header.querySelectorAll("*").forEach((el) => { el.scrollLeft = 0; });
      window.scrollTo(0, 0);
      return {
        rows: rows.length,
        headerHeight: header.getBoundingClientRect().height,
        links: links.length,
        reachable,
        overflow: document.documentElement.scrollWidth - WIDTH
      };
    }, WIDTH);
    const screenshot = join(shots, (page.replace(/\W+/g, "-").replace(/^-|-$/g, "") || "index") + ".png");
    await tab.screenshot({ path: screenshot });
    report[page] = { ...layout, screenshot };
    await tab.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(report));
