/**
 * Packs nucleon as npm would publish it and type-checks and runs a fresh
 * TypeScript app against the tarball, under every `moduleResolution` a user
 * may have (node10, node16, bundler). No network: the tarball is unpacked
 * into the app's node_modules and its dependencies are linked from ours.
 *
 *   npm run check:package
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function step(label: string, fn: () => void): void {
  process.stdout.write(`${label} … `);
  try {
    fn();
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    console.log("FAILED");
    console.error(e.stdout || e.stderr || e.message);
    process.exit(1);
  }
  console.log("ok");
}

const tmp = mkdtempSync(join(tmpdir(), "nucleon-pack-"));
const app = join(tmp, "app");
let tarball = "";

step("build", () => {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  run("npm", ["run", "--silent", "build"], root);
});

step("npm pack", () => {
  const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", tmp], root)) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp, out[0].filename);
  const files = out[0].files.map((f) => f.path);
  const maps = files.filter((f) => f.endsWith(".map"));
  if (maps.length > 0) throw new Error(`source maps shipped without their sources: ${maps.slice(0, 3).join(", ")}`);
  for (const needed of ["dist/index.d.ts", "dist/testing/index.d.ts", "dist/testing/index.js", "dist/gateway/index.d.ts", "dist/gateway/index.js"]) {
    if (!files.includes(needed)) throw new Error(`${needed} is not in the tarball`);
  }
});

step("install the tarball into a fresh app (dependencies linked)", () => {
  const modules = join(app, "node_modules");
  mkdirSync(join(modules, "nucleon"), { recursive: true });
  run("tar", ["-xzf", tarball, "-C", join(modules, "nucleon"), "--strip-components=1"], tmp);
  const optional = pkg.peerDependenciesMeta ?? {};
  const linked = [
    ...Object.keys(pkg.dependencies),
    ...Object.keys(pkg.peerDependencies).filter((name) => !optional[name]?.optional),
    "@types/node",
  ];
  for (const name of linked) {
    const target = join(modules, name);
    mkdirSync(join(target, ".."), { recursive: true });
    if (!existsSync(target)) symlinkSync(join(root, "node_modules", name), target, "dir");
  }
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
  writeFileSync(
    join(app, "main.ts"),
    `import "reflect-metadata";
import { Action, Service, injectable, inject, singleton } from "nucleon";
import type { ServiceBroker } from "nucleon";
import { createTestBroker } from "nucleon/testing";

@singleton()
class Clock { now(): number { return 42; } }

@injectable()
class Report { constructor(@inject(Clock) readonly clock: Clock) {} }

@Service({ name: "math" })
class MathService {
  constructor(private readonly clock: Clock) {}
  @Action()
  add(params: { a: number; b: number }): number { return params.a + params.b + this.clock.now() - 42; }
}

async function main(): Promise<void> {
  const broker: ServiceBroker = await createTestBroker({ services: [MathService] });
  const sum: number = await broker.call(MathService, "add", { a: 1, b: 2 });
  await broker.stop();
  if (sum !== 3 || !(Report.length === 1)) throw new Error("unexpected result " + sum);
  console.log("sum=" + sum);
}
void main();
`,
  );
});

const base = {
  target: "ES2022",
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  skipLibCheck: false,
  types: ["node"],
};
const configs: Record<string, Record<string, unknown>> = {
  node10: { module: "commonjs", moduleResolution: "node10", outDir: "out" },
  node16: { module: "node16", moduleResolution: "node16", noEmit: true },
  bundler: { module: "esnext", moduleResolution: "bundler", noEmit: true },
};
for (const [name, options] of Object.entries(configs)) {
  step(`tsc, moduleResolution ${name}`, () => {
    writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...base, ...options }, files: ["main.ts"] }));
    run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`], app);
  });
}

step("run the compiled app", () => {
  const out = run(process.execPath, [join(app, "out", "main.js")], app);
  if (!out.includes("sum=3")) throw new Error(`unexpected output: ${out}`);
});

rmSync(tmp, { recursive: true, force: true });
console.log("package check passed");
