// Loads pages of a running `groupdir serve` whose build failed, in headless Chromium in the light
// and the dark colour scheme, and prints what a visitor gets of the error overlay: whether it is
// in a shadow root and on screen, its text, the computed style of each of its elements, and
// axe-core's color-contrast verdict on it (WCAG AA); then whether it is folded, and what is left
// of it once its Dismiss button is pressed. At 1280 px and, as a phone, at 390 px.
//
// Usage: CHROMIUM=… NODE_PATH=… node overlay_check.mjs ORIGIN PATH...
// Prints one JSON object: "<scheme> <path>" (1280 px) and "<scheme> 390 <path>" -> {shadow, box,
// text, styles, contrast, folded, dismissed: {open, height}, problems}.
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
   for (const width of [1280, 390]) {
    const phone = width < 600;
    const context = await browser.newContext({ colorScheme, viewport: { width, height: phone ? 844 : 800 }, isMobile: phone, hasTouch: phone });
    const key = (path) => phone ? `${colorScheme} ${width} ${path}` : `${colorScheme} ${path}`;
    for (const path of paths) {
      const page = await context.newPage();
      const problems = [];
      page.on("pageerror", (e) => problems.push(String(e)));
      await page.goto(origin + path, { waitUntil: "load" });
      await page.evaluate(axeSource + "\n;0");
      report[key(path)] = await page.evaluate(async (STYLE) => {
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
          contrast: { passes: nodes(result.passes), violations: nodes(result.violations), incomplete: nodes(result.incomplete || []) },
          folded: root ? !root.querySelector("details.fold").open : null,
          button: root && root.querySelector("button.dismiss") ? root.querySelector("button.dismiss").textContent : null
        };
      }, STYLE);
      const seen = report[key(path)];
      if (seen.button) {
        try {
          // A real click at 1280 px. On the emulated phone a theme wider than the screen (the
          // hostile one) zooms the page out, and Playwright's hit test then misplaces the fixed
          // overlay: there the button is pressed by an event.
          const button = page.locator("#groupdir-overlay button.dismiss");
          if (phone) await button.dispatchEvent("click"); else await button.click({ timeout: 5000 });
          seen.dismissed = await page.evaluate(() => {
            const host = document.getElementById("groupdir-overlay");
            return { open: host.shadowRoot.querySelector("dialog").open, height: host.getBoundingClientRect().height };
          });
        } catch (e) {
          seen.dismissed = { error: String(e).split("\n").slice(0, 12).join("\n") };
        }
      }
      seen.problems = problems;
      await page.close();
    }
    await context.close();
   }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
