import { existsSync, readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import type { NucleonConfig } from "./define-config";

/** Looked for in the working directory, in this order, when no path is given. */
export const CONFIG_FILES = ["nucleon.config.ts", "nucleon.config.js", "nucleon.config.json"];

/** A config file that is missing, fails to load, or does not hold an options object. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** The config file to load: `--config`, else `NUCLEON_CONFIG`, else the first of `CONFIG_FILES` in `cwd`; `null` for none. */
export function findConfigFile(cwd: string, flag: string | undefined, env: Record<string, string | undefined>): string | null {
  const given = flag ?? env.NUCLEON_CONFIG;
  if (given !== undefined && given !== "") {
    const file = resolve(cwd, given);
    if (!existsSync(file)) throw new ConfigError(`Config file not found: ${file}`, file);
    return file;
  }
  for (const name of CONFIG_FILES) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  return null;
}

function isOptionsObject(value: unknown): value is NucleonConfig {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `export default {…}`, `module.exports = {…}`, or either as a (possibly async) function returning the options. */
async function unwrap(exported: unknown, file: string): Promise<NucleonConfig> {
  let value = exported;
  if (isOptionsObject(value) && "default" in value && Object.keys(value).every((k) => k === "default" || k === "__esModule")) {
    value = (value as { default: unknown }).default;
  }
  if (typeof value === "function") value = await (value as () => unknown)();
  if (!isOptionsObject(value)) {
    throw new ConfigError(`Config file ${file} must export an options object (export default defineConfig({ … })), got ${typeof value}.`, file);
  }
  return value;
}

/** Loads a config file: JSON is parsed, `.ts`/`.js` are required (a `.ts` file needs the TypeScript loader the bin registers). */
export async function loadConfigFile(file: string): Promise<NucleonConfig> {
  let exported: unknown;
  try {
    if (extname(file) === ".json") exported = JSON.parse(readFileSync(file, "utf8")) as unknown;
    // eslint-disable-next-line @typescript-eslint/no-var-requires -- a path known only at run time
    else exported = require(file) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new ConfigError(`Config file ${file} failed to load: ${reason}`, file, { cause: err });
  }
  return unwrap(exported, file);
}
