import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { RunnerError } from "./errors";

type Env = Record<string, string | undefined>;

export interface ServiceFilesOptions {
  cwd: string;
  /** Which files of a folder are services. */
  mask: string;
  env?: Env;
}

export interface ServiceFiles {
  files: string[];
  /** Folders that held no service file (worth a warning, not an error). */
  emptyFolders: string[];
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/**
 * The paths to load when the command line names none, by Moleculer runner's rules:
 * `SERVICEDIR` alone = every service file of that folder; `SERVICES=a,b` =
 * those files (or shorthand names: `posts` → `posts.service.ts|js`), relative
 * to `SERVICEDIR` or the working directory.
 */
function pathsFromEnv(env: Env): { base: string | undefined; paths: string[] } {
  const dir = env.SERVICEDIR || undefined;
  const list = env.SERVICES?.split(",").map((s) => s.trim()).filter((s) => s !== "") ?? [];
  if (list.length > 0) return { base: dir, paths: list };
  return { base: undefined, paths: dir ? [dir] : [] };
}

async function expand(pattern: string, base: string, mask: string, emptyFolders: string[]): Promise<string[]> {
  const path = isAbsolute(pattern) ? pattern : resolve(base, pattern);
  if (isDirectory(path)) {
    const files = await glob(mask, { cwd: path, absolute: true, onlyFiles: true });
    if (files.length === 0) emptyFolders.push(path);
    return files;
  }
  if (isFile(path)) return [path];
  for (const ext of [".service.ts", ".service.js"]) if (isFile(path + ext)) return [path + ext];
  if (isDynamicPattern(pattern)) {
    const files = await glob(pattern, { cwd: base, absolute: true, onlyFiles: true });
    if (files.length > 0) return files;
  }
  throw new RunnerError(`No service file matches '${pattern}' (looked in ${base}).`);
}

/** Resolves files, folders (searched with `mask`) and globs to a sorted list of service files. */
export async function resolveServiceFiles(patterns: readonly string[], options: ServiceFilesOptions): Promise<ServiceFiles> {
  const fromEnv = patterns.length === 0 ? pathsFromEnv(options.env ?? process.env) : { base: undefined, paths: [...patterns] };
  const base = fromEnv.base ? resolve(options.cwd, fromEnv.base) : options.cwd;
  const emptyFolders: string[] = [];
  const found = new Set<string>();
  for (const pattern of fromEnv.paths) {
    for (const file of await expand(pattern, base, options.mask, emptyFolders)) found.add(resolve(file));
  }
  return { files: [...found].sort(), emptyFolders };
}
