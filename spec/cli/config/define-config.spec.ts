import { execFileSync } from "node:child_process";
import { join } from "node:path";

describe('defineConfig from "nucleon"', () => {
  it("is exported without loading the runner or its libraries (commander, chokidar, dotenv, tinyglobby)", () => {
    const root = join(__dirname, "../../..");
    const script = [
      `const api = require(${JSON.stringify(join(root, "lib", "index.ts"))});`,
      "process.stdout.write(JSON.stringify({ defineConfig: typeof api.defineConfig, loaded: Object.keys(require.cache) }));",
    ].join("");
    const out = JSON.parse(execFileSync(process.execPath, ["-r", "@swc-node/register", "-e", script], { cwd: root, encoding: "utf8" })) as {
      defineConfig: string;
      loaded: string[];
    };
    expect(out.defineConfig).toBe("function");
    expect(out.loaded.filter((p) => /[\\/]node_modules[\\/](commander|chokidar|dotenv|tinyglobby)[\\/]/.test(p))).toEqual([]);
    expect(out.loaded.filter((p) => p.includes(join("lib", "cli", "runner")) || p.includes(join("lib", "cli", "hot-reload")))).toEqual([]);
  });
});
