// A static file server for built sites on 127.0.0.1, for the browser tests: `index.html` for
// folders, 404 for anything else missing or outside the site, and `headers` on every reply.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname } from "node:path";

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".json": "application/json" };

// Serves `siteDir`; resolves to the server and its origin (`http://127.0.0.1:PORT`).
export async function serveDir(siteDir, headers = {}) {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.includes("..")) { res.writeHead(400).end(); return; }
    if (path.endsWith("/")) path += "index.html";
    try {
      const body = await readFile(join(siteDir, path));
      res.writeHead(200, { "Content-Type": types[extname(path)] || "application/octet-stream", ...headers });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
