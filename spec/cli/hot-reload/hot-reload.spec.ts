import { renameSync } from "node:fs";
import { BROKERS, uniqueNamespace } from "../../support/brokers";
import { describeWith } from "../../support/describe-with";
import { killAll } from "../../integration/support/node-process";
import { CALLER_SERVICE, callLines, TempProject, waitOutput } from "../support/project";

/** A greeter whose answer names its version; `started`/`stopped` print so the spec sees each instance's life. */
const greeter = (version: string) => `
import { Action, Service } from "nucleon";

@Service({ name: "greeter" })
export class GreeterService {
  started(): void {
    process.stdout.write("GREETER ${version} STARTED\\n");
  }

  stopped(): void {
    process.stdout.write("GREETER ${version} STOPPED\\n");
  }

  @Action({ params: false })
  async hello(): Promise<string> {
    await new Promise((r) => setTimeout(r, 5)); // in flight for a while, so a swap meets calls mid-way
    return "${version}";
  }
}
`;

const OTHER = `
import { Action, Service } from "nucleon";

@Service({ name: "other" })
export class OtherService {
  started(): void {
    process.stdout.write("OTHER STARTED\\n");
  }

  @Action({ params: false })
  ping(): string {
    return "pong";
  }
}
`;

afterAll(() => killAll());

describeWith("nats", "nucleon bin --hot", () => {
  let server: TempProject;
  let client: TempProject;

  beforeEach(() => {
    server = new TempProject("hot");
    client = new TempProject("hot-client");
    client.write("caller.service.ts", CALLER_SERVICE);
  });

  afterEach(() => {
    server.remove();
    client.remove();
  });

  it("serves an edited service's new version with no failed call, and keeps it when the next edit does not compile", async () => {
    const namespace = uniqueNamespace("hot");
    const env = { TRANSPORTER: BROKERS.nats.url, NAMESPACE: namespace, LOGLEVEL: "warn" };
    const file = server.write("services/greeter.service.ts", greeter("v1"));
    server.write("services/other.service.ts", OTHER);
    const proc = server.run("server", ["services", "--hot"], { ...env, NODEID: "hot-server" });
    await waitOutput(proc, () => proc.errLines.includes("[nucleon] Watching 2 service file(s) for changes"), 20_000, "the watcher");

    // Calls run all along: at most 800, 5 ms apart (each takes ≥ 5 ms), so the loop is bounded in count and time.
    const call = client.run("caller", ["caller.service.ts"], { ...env, NODEID: "hot-caller", CALL_ACTION: "greeter.hello", CALL_COUNT: "800", CALL_INTERVAL_MS: "5" });
    const results = () => callLines(call).map((l) => (l.ok ? l.result : `failed: ${l.error}`));
    await waitOutput(call, () => results().filter((r) => r === "v1").length >= 10, 20_000, "ten v1 answers");

    server.write("services/greeter.service.ts", greeter("v2"));
    await waitOutput(call, () => results().filter((r) => r === "v2").length >= 10, 20_000, "ten v2 answers");
    expect(proc.errLines).toContain("[nucleon] Reloaded services/greeter.service.ts: replaced greeter");
    // The old instance stopped after the new one started; the untouched file's service was not restarted.
    const lifecycle = proc.lines.filter((l) => /^(GREETER|OTHER) /.test(l));
    expect([...lifecycle].sort()).toEqual(["GREETER v1 STARTED", "GREETER v1 STOPPED", "GREETER v2 STARTED", "OTHER STARTED"]);
    expect(lifecycle.indexOf("GREETER v2 STARTED")).toBeLessThan(lifecycle.indexOf("GREETER v1 STOPPED"));

    server.write("services/greeter.service.ts", greeter("v3").replace("async hello()", "async hello( {"));
    await waitOutput(proc, () => proc.errLines.some((l) => l.startsWith("[nucleon] Reload of services/greeter.service.ts failed")), 20_000, "the failed reload");
    const failure = proc.errLines.find((l) => l.startsWith("[nucleon] Reload of services/greeter.service.ts failed"))!;
    expect(failure).toMatch(/^\[nucleon\] Reload of services\/greeter\.service\.ts failed, the running services are kept: .+/);
    const answeredBefore = results().length;
    await waitOutput(call, () => results().length >= answeredBefore + 10, 20_000, "ten more answers");

    // Stop the loop early: every call so far got an answer, v1 until the swap, then v2 only.
    await call.kill("SIGTERM", 10_000);
    const all = results();
    expect(all.filter((r) => typeof r === "string" && r.startsWith("failed"))).toEqual([]);
    const firstV2 = all.indexOf("v2");
    expect(new Set(all.slice(0, firstV2))).toEqual(new Set(["v1"]));
    expect(new Set(all.slice(firstV2))).toEqual(new Set(["v2"]));
    expect(proc.lines).not.toContain("GREETER v3 STARTED");
    expect(file).toBe(server.path("services/greeter.service.ts"));

    await proc.kill("SIGTERM", 10_000);
    expect(proc.exitCode).toBe(0);
  }, 90_000);
});

describe("nucleon bin --hot (one node)", () => {
  let project: TempProject;
  beforeEach(() => (project = new TempProject("hot-files")));
  afterEach(() => project.remove());

  const reloadLines = (proc: { errLines: string[] }) => proc.errLines.filter((l) => l.startsWith("[nucleon] Reload"));

  it("adds and removes the services a file gains and loses, refuses a name another file owns, and sees a save by rename", async () => {
    project.write("services/greeter.service.ts", greeter("v1"));
    project.write("services/other.service.ts", OTHER);
    const proc = project.run("server", ["services", "--hot"], { LOGLEVEL: "warn" });
    await waitOutput(proc, () => proc.errLines.includes("[nucleon] Watching 2 service file(s) for changes"), 20_000, "the watcher");
    const nextReload = async (edit: () => void) => {
      const before = reloadLines(proc).length;
      edit();
      await waitOutput(proc, () => reloadLines(proc).length > before, 20_000, "a reload line");
      return reloadLines(proc)[before];
    };

    const renamed = greeter("v2").replace(/"greeter"/, '"renamed"');
    expect(await nextReload(() => project.write("services/greeter.service.ts", renamed))).toBe(
      "[nucleon] Reloaded services/greeter.service.ts: added renamed; removed greeter",
    );
    expect(proc.lines).toContain("GREETER v1 STOPPED");

    expect(await nextReload(() => project.write("services/greeter.service.ts", OTHER))).toBe(
      "[nucleon] Reload of services/greeter.service.ts failed, the running services are kept: 'other' is already defined in services/other.service.ts",
    );

    // Editors often save by writing a temporary file and renaming it over the original.
    project.write("services/.greeter.tmp", greeter("v3").replace(/"greeter"/, '"renamed"'));
    const line = await nextReload(() => renameSync(project.path("services/.greeter.tmp"), project.path("services/greeter.service.ts")));
    expect(line).toBe("[nucleon] Reloaded services/greeter.service.ts: replaced renamed");
    expect(proc.lines.filter((l) => l.startsWith("OTHER STARTED"))).toHaveLength(1);

    await proc.kill("SIGTERM", 10_000);
    expect(proc.exitCode).toBe(0);
  }, 60_000);
});
