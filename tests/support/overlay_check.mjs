// Loads pages of a running `groupdir serve` whose build failed, in headless Chromium in the light
// and the dark colour scheme, and prints what a visitor gets of the error overlay: whether it is
// in a shadow root and on screen, its text, the computed style of each of its elements, and
// axe-core's color-contrast verdict on it (WCAG AA).
//
// Usage: CHROMIUM=… NODE_PATH=… node overlay_check.mjs ORIGIN PATH...
// Prints one JSON object: "<scheme> <path>" -> {shadow, box, text, styles, contrast, problems}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.env.NODE_PATH, "/"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [origin, ...paths] = process.argv.slice(2);
const STYLE = ["color", "background-color", "font-family", "font-size", "font-weight", "line-height",
  "letter-spacing", "display", "visibility", "opacity", "white-space", "text-transform", "margin", "padding"];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
const report = {};
try {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
    for (const path of paths) {
      const page = await context.newPage();
      const problems = [];
      page.on("pageerror", (e) => problems.push(String(e)));
      await page.goto(origin + path, { waitUntil: "load" });
      await page.evaluate(axeSource + "\n;0");
      report[`${colorScheme} ${path}`] = await page.evaluate(async (STYLE) => {
        const host = document.getElementById("groupdir-overlay");
        if (!host) return { shadow: false };
        const root = host.shadowRoot;
        const box = host.getBoundingClientRect();
        const elements = root ? [...root.querySelectorAll(".overlay, .overlay *")] : [];
        const styles = elements.map((el) => {
          const computed = getComputedStyle(el);
          return [el.tagName.toLowerCase() + (el.className ? "." + el.className : ""),
            Object.fromEntries(STYLE.map((p) => [p, computed.getPropertyValue(p)]))];
        });
        const result = await window.axe.run({ include: [["#groupdir-overlay"]] }, {
          runOnly: { type: "rule", values: ["color-contrast"] }, resultTypes: ["passes", "violations"]
        });
        const nodes = (list) => list.flatMap((r) => r.nodes.map((n) => ({ target: n.target.flat().join(" "), summary: n.failureSummary || "" })));
        return {
          shadow: !!root,
          box: { top: box.top, bottom: box.bottom, height: box.height, width: box.width, viewport: innerHeight },
          text: root ? root.querySelector(".overlay").innerText : host.innerText,
          styles,
          contrast: { passes: nodes(result.passes), violations: nodes(result.violations), incomplete: nodes(result.incomplete || []) }
        };
      }, STYLE);
      report[`${colorScheme} ${path}`].problems = problems;
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
