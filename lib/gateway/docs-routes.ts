import type FastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { loadDriver } from "../utils/load-driver";
import type { OpenApiDocument } from "./openapi";

/** The swagger-ui-dist files the page loads; nothing else of the package is served. */
const ASSETS = new Set(["/swagger-ui.css", "/swagger-ui-bundle.js", "/favicon-32x32.png", "/favicon-16x16.png"]);

function page(docsPath: string, specPath: string, title: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${esc(docsPath)}/swagger-ui.css">
<link rel="icon" type="image/png" href="${esc(docsPath)}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${esc(docsPath)}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specPath)}, dom_id: "#swagger-ui", deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout" });
</script>
</body>
</html>`;
}

/**
 * `/openapi.json` and the docs page at `/docs`: Swagger UI's files come from
 * the swagger-ui-dist package through @fastify/static (which refuses paths
 * out of its root), never from a CDN.
 */
export async function mountDocs(app: FastifyInstance, document: () => OpenApiDocument, opts: { specPath: string; docsPath: string; title: string }): Promise<void> {
  app.get(opts.specPath, (_req, reply) => reply.type("application/json; charset=utf-8").send(JSON.stringify(document())));
  const html = page(opts.docsPath, opts.specPath, opts.title);
  app.get(opts.docsPath, (_req, reply) => reply.type("text/html; charset=utf-8").send(html));
  const root = loadDriver<() => string>("swagger-ui-dist/absolute-path.js", "The gateway's docs page");
  const serveStatic = loadDriver<typeof FastifyStatic>("@fastify/static", "The gateway's docs page");
  await app.register(serveStatic, {
    root: root(),
    prefix: `${opts.docsPath}/`,
    index: false,
    list: false,
    dotfiles: "deny",
    decorateReply: false,
    allowedPath: (path) => ASSETS.has(path),
  });
}
