import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import * as ts from "typescript";

/**
 * The published entry points must exist after `npm run build` in every
 * resolution mode. The full proof (pack, install into a fresh app, tsc under
 * node10/node16/bundler, run) is `npm run check:package`; this spec checks
 * the manifest against what lib/tsconfig.json emits, cheaply.
 */
const root = resolve(__dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  main: string;
  types: string;
  typesVersions?: Record<string, Record<string, string[]>>;
  exports: Record<string, Record<string, string> | string>;
  files: string[];
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const build = ts.readConfigFile(join(root, "lib/tsconfig.json"), (path) => ts.sys.readFile(path)).config as {
  compilerOptions: { outDir: string; rootDir: string; sourceMap?: boolean; declarationMap?: boolean };
};
const outDir = resolve(root, "lib", build.compilerOptions.outDir);

/** `dist/testing/index.d.ts` → `lib/testing/index.ts`: the source the build turns into it. */
function sourceOf(emitted: string): string {
  const rel = relative(outDir, resolve(root, emitted)).replace(/\.d\.ts$|\.js$/, ".ts");
  return join(root, "lib", rel);
}

describe("package.json", () => {
  it("every entry point is a file the build emits", () => {
    const targets = [pkg.main, pkg.types];
    for (const entry of Object.values(pkg.exports)) if (typeof entry === "object") targets.push(...Object.values(entry));
    for (const target of targets) expect([target, existsSync(sourceOf(target))]).toEqual([target, true]);
  });

  it("maps `nucleon/testing` types for node10 resolution too (typesVersions), to the same file as exports", () => {
    const testing = pkg.exports["./testing"] as Record<string, string>;
    const mapped = pkg.typesVersions?.["*"]?.testing ?? [];
    expect(mapped.map((p) => resolve(root, p))).toEqual([resolve(root, testing.types)]);
    expect(existsSync(sourceOf(mapped[0]))).toBe(true);
  });

  it("ships no source maps (lib/*.ts is not in the package)", () => {
    expect(pkg.files).toEqual(["dist", "bin"]);
    expect(build.compilerOptions.sourceMap).toBe(false);
    expect(build.compilerOptions.declarationMap).toBe(false);
  });

  it("takes the libraries a user's own classes share with nucleon as peers, and installs them for the repo", () => {
    for (const name of ["reflect-metadata", "class-validator", "class-transformer", "tsyringe"]) {
      expect(pkg.peerDependencies[name]).toBeDefined();
      expect(pkg.devDependencies[name]).toBe(pkg.peerDependencies[name]);
      expect(pkg.dependencies[name]).toBeUndefined();
    }
  });
});
