/**
 * Runs after `tsc` in `npm run build`. nucleon's declarations name types of
 * its optional peers (prom-client, OpenTelemetry) where metrics and tracing
 * show them (`metrics.registry.registry` is prom-client's `Registry`, an
 * exporter is OTel's `SpanExporter`). An app that installs none of them and
 * type-checks libraries (`skipLibCheck: false`) would fail on the missing
 * modules. Each line of `dist/**\/*.d.ts` that names an optional peer gets a
 * `// @ts-ignore` above it: with the peer installed its types are used as
 * they are; without it those types are `any`, and the feature cannot be
 * turned on anyway (its driver is missing).
 *
 *   node -r @swc-node/register scripts/mark-optional-types.ts [dist]
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const MARK = "// @ts-ignore optional peer: typed when installed";

function declarations(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return declarations(path);
    return path.endsWith(".d.ts") ? [path] : [];
  });
}

/** Marks the lines of the declarations under `dir` that name one of `peers`; returns how many. Idempotent. */
export function markOptionalTypes(dir: string, peers: readonly string[]): number {
  if (peers.length === 0) return 0;
  // `from "peer"`, `from "peer/sub"`, `import("peer")`, `import "peer"`.
  const namesPeer = new RegExp(`(from\\s+|import\\(\\s*|import\\s+)["'](${peers.map(escape).join("|")})(/[^"']*)?["']`);
  let marked = 0;
  for (const file of declarations(dir)) {
    const lines = readFileSync(file, "utf8").split("\n");
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (namesPeer.test(line) && lines[i - 1]?.trim() !== MARK) {
        out.push((line.match(/^\s*/)?.[0] ?? "") + MARK);
        marked++;
      }
      out.push(line);
    }
    if (out.length !== lines.length) writeFileSync(file, out.join("\n"));
  }
  return marked;
}

if (require.main === module) {
  const root = resolve(__dirname, "..");
  const dist = resolve(root, process.argv[2] ?? "dist");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { peerDependenciesMeta?: Record<string, { optional?: boolean }> };
  const peers = Object.entries(pkg.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional)
    .map(([name]) => name);
  console.log(`mark-optional-types: ${markOptionalTypes(dist, peers)} line(s) naming an optional peer in ${dist}`);
}
