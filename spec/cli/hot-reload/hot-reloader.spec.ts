import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Action, Service, ServiceBroker } from "../../../lib";
import { HotReloader, type ReloadOutcome } from "../../../lib/cli/hot-reload";
import type { ServiceModule } from "../../../lib/cli/runner/service-module";

@Service({ name: "greeter" })
class GreeterV1 {
  @Action({ params: false })
  hello(): string {
    return "v1";
  }
}

@Service({ name: "greeter" })
class GreeterV2 {
  @Action({ params: false })
  hello(): string {
    return "v2";
  }
}

@Service({ name: "extra" })
class Extra {
  @Action({ params: false })
  hi(): string {
    return "extra";
  }
}

@Service({ name: "other" })
class Other {}

/**
 * In process, jest's module registry ignores `require.cache`: the spec's
 * loader hands out what the "file" holds now. The real require path runs in
 * hot-reload.spec.ts, through the bin.
 */
let dir: string;
let greeterFile: string;
let otherFile: string;
let current: Record<string, () => ServiceModule>;
const logs: string[] = [];
let broker: ServiceBroker;
let reloader: HotReloader;

const moduleOf = (file: string, ...services: ServiceModule["services"]): ServiceModule => ({ file, services, undecorated: [] });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "nucleon-hot-"));
  greeterFile = join(dir, "greeter.service.ts");
  otherFile = join(dir, "other.service.ts");
  writeFileSync(greeterFile, "v1");
  writeFileSync(otherFile, "other");
  current = { [greeterFile]: () => moduleOf(greeterFile, GreeterV1), [otherFile]: () => moduleOf(otherFile, Other) };
  logs.length = 0;
  broker = new ServiceBroker({ logger: false });
  broker.register(GreeterV1, Other);
  await broker.start();
  reloader = new HotReloader(broker, [current[greeterFile](), current[otherFile]()], {
    cwd: dir,
    log: (line) => logs.push(line),
    debounceMs: 20,
    load: (file) => current[file](),
  });
});

afterEach(async () => {
  await reloader.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("HotReloader", () => {
  it("swaps the services of a changed file, adding and removing what it gained and lost", async () => {
    current[greeterFile] = () => moduleOf(greeterFile, GreeterV2, Extra);
    expect(await reloader.reload(greeterFile)).toEqual({ file: greeterFile, ok: true, replaced: ["greeter"], added: ["extra"], removed: [] });
    expect([await broker.call("greeter.hello"), await broker.call("extra.hi")]).toEqual(["v2", "extra"]);

    current[greeterFile] = () => moduleOf(greeterFile, Extra);
    expect(await reloader.reload(greeterFile)).toMatchObject({ ok: true, replaced: ["extra"], added: [], removed: ["greeter"] });
    expect(broker.localServices.map((s) => s.fullName).sort()).toEqual(["$node", "extra", "other"]);
    expect(logs).toEqual(["Reloaded greeter.service.ts: replaced greeter; added extra", "Reloaded greeter.service.ts: replaced extra; removed greeter"]);
  });

  it("keeps the running services when the file fails to load or takes another file's name", async () => {
    current[greeterFile] = () => {
      throw new Error("Service file greeter.service.ts failed to load: Expected ';'\n  at line 3");
    };
    expect(await reloader.reload(greeterFile)).toEqual({ file: greeterFile, ok: false, error: "Service file greeter.service.ts failed to load: Expected ';'" });
    current[greeterFile] = () => moduleOf(greeterFile, Other);
    expect(await reloader.reload(greeterFile)).toEqual({ file: greeterFile, ok: false, error: "'other' is already defined in other.service.ts" });
    expect(await broker.call("greeter.hello")).toBe("v1");
    expect(logs[1]).toBe("Reload of greeter.service.ts failed, the running services are kept: 'other' is already defined in other.service.ts");
  });

  it("reloads a file the watcher sees change (debounced: see debounce.spec.ts)", async () => {
    await reloader.start();
    expect(logs).toEqual(["Watching 2 service file(s) for changes"]);
    current[greeterFile] = () => moduleOf(greeterFile, GreeterV2);
    const outcomes: ReloadOutcome[] = [];
    const reloaded = new Promise<void>((done) => reloader.onReload((o) => (outcomes.push(o), done())));
    writeFileSync(greeterFile, "v2 (first write)");
    writeFileSync(greeterFile, "v2");
    await reloaded;
    expect(outcomes).toEqual([{ file: greeterFile, ok: true, replaced: ["greeter"], added: [], removed: [] }]);
    expect(await broker.call("greeter.hello")).toBe("v2");
  });
});
