import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, defineConfig, findConfigFile, loadConfigFile } from "../../../lib/cli/config";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "nucleon-config-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};

describe("findConfigFile", () => {
  it("takes --config over NUCLEON_CONFIG over nucleon.config.ts|js|json in that order", () => {
    write("nucleon.config.json", "{}");
    expect(findConfigFile(dir, undefined, {})).toBe(join(dir, "nucleon.config.json"));
    write("nucleon.config.js", "module.exports = {}");
    expect(findConfigFile(dir, undefined, {})).toBe(join(dir, "nucleon.config.js"));
    write("nucleon.config.ts", "export default {}");
    expect(findConfigFile(dir, undefined, {})).toBe(join(dir, "nucleon.config.ts"));
    write("env.json", "{}");
    expect(findConfigFile(dir, undefined, { NUCLEON_CONFIG: "env.json" })).toBe(join(dir, "env.json"));
    write("flag.json", "{}");
    expect(findConfigFile(dir, "flag.json", { NUCLEON_CONFIG: "env.json" })).toBe(join(dir, "flag.json"));
  });

  it("is null without a file, and a ConfigError for a named file that is missing", () => {
    expect(findConfigFile(dir, undefined, {})).toBeNull();
    expect(() => findConfigFile(dir, "missing.json", {})).toThrow(new ConfigError(`Config file not found: ${join(dir, "missing.json")}`, ""));
  });
});

describe("loadConfigFile", () => {
  it("reads JSON, CommonJS, an ES default export and a (async) function", async () => {
    expect(await loadConfigFile(write("a.json", '{"nodeID":"json"}'))).toEqual({ nodeID: "json" });
    expect(await loadConfigFile(write("b.js", 'module.exports = { nodeID: "cjs" };'))).toEqual({ nodeID: "cjs" });
    expect(await loadConfigFile(write("c.js", 'exports.__esModule = true; exports.default = { nodeID: "esm" };'))).toEqual({ nodeID: "esm" });
    expect(await loadConfigFile(write("d.js", 'module.exports = async () => ({ nodeID: "fn" });'))).toEqual({ nodeID: "fn" });
  });

  it("names the file and the reason when it fails to load", async () => {
    const bad = write("bad.json", "{ nodeID: ");
    await expect(loadConfigFile(bad)).rejects.toThrow(`Config file ${bad} failed to load: `);
    const throws = write("throws.js", 'throw new Error("no secret set");');
    await expect(loadConfigFile(throws)).rejects.toThrow(`Config file ${throws} failed to load: no secret set`);
    const notObject = write("string.js", 'module.exports = "nats://x";');
    await expect(loadConfigFile(notObject)).rejects.toThrow(`Config file ${notObject} must export an options object (export default defineConfig({ … })), got string.`);
  });

  it("defineConfig returns its argument (it exists for types)", () => {
    const config = { nodeID: "n" };
    expect(defineConfig(config)).toBe(config);
  });
});
