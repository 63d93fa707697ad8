import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_MASK, RunnerError } from "../../../lib/cli/runner";
import { resolveServiceFiles } from "../../../lib/cli/runner/service-files";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nucleon-files-"));
  for (const file of ["services/a.service.ts", "services/nested/b.service.js", "services/helper.ts", "services/c.svc.ts", "other/d.service.ts", "empty/readme.md"]) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), "");
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = (...files: string[]) => files.map((f) => join(dir, f));
const resolveIn = (patterns: string[], env: Record<string, string> = {}, mask = DEFAULT_MASK) => resolveServiceFiles(patterns, { cwd: dir, mask, env });

describe("resolveServiceFiles", () => {
  it("searches a folder (and its subfolders) with the mask", async () => {
    expect(await resolveIn(["services"])).toEqual({ files: at("services/a.service.ts", "services/nested/b.service.js"), emptyFolders: [] });
    expect((await resolveIn(["services"], {}, "**/*.svc.ts")).files).toEqual(at("services/c.svc.ts"));
  });

  it("takes a file as is, a shorthand name, a glob, and removes duplicates", async () => {
    const { files } = await resolveIn(["services/helper.ts", "other/d", "services/**/*.js", "services/a.service.ts", "services"]);
    expect(files).toEqual(at("other/d.service.ts", "services/a.service.ts", "services/helper.ts", "services/nested/b.service.js"));
  });

  it("reports a folder without service files, and fails on a path that matches nothing", async () => {
    expect(await resolveIn(["empty"])).toEqual({ files: [], emptyFolders: at("empty") });
    await expect(resolveIn(["nowhere"])).rejects.toThrow(new RunnerError(`No service file matches 'nowhere' (looked in ${dir}).`));
    await expect(resolveIn(["services/*.nothing"])).rejects.toThrow(RunnerError);
  });

  it("with no paths, uses SERVICEDIR (every service file) or SERVICES (a list, relative to SERVICEDIR)", async () => {
    expect((await resolveIn([], { SERVICEDIR: "services" })).files).toEqual(at("services/a.service.ts", "services/nested/b.service.js"));
    expect((await resolveIn([], { SERVICEDIR: "services", SERVICES: "a, nested/b.service.js" })).files).toEqual(at("services/a.service.ts", "services/nested/b.service.js"));
    expect((await resolveIn([], { SERVICES: "other/d" })).files).toEqual(at("other/d.service.ts"));
    expect(await resolveIn([], {})).toEqual({ files: [], emptyFolders: [] });
  });
});
