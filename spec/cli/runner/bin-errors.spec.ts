import { killAll } from "../../integration/support/node-process";
import { logLines, started, TempProject } from "../support/project";

const GREETER = `
import { Action, Service } from "nucleon";
@Service({ name: "greeter" })
export class GreeterService {
  @Action({ params: false })
  hello(): string {
    return "hello";
  }
}
`;

let project: TempProject;
beforeEach(() => (project = new TempProject("errors")));
afterEach(() => project.remove());
afterAll(() => killAll());

/** Runs the bin to its exit (bounded) and returns what it printed. */
async function runToExit(args: string[], env: Record<string, string> = {}) {
  const proc = project.run("runner", args, env);
  await proc.waitExit(20_000);
  return { code: proc.exitCode, stderr: proc.errLines, stdout: proc.lines };
}

/** The one line a startup failure prints, and that nothing else of it (no stack) is there. */
function failureLine(stderr: string[]): string {
  const lines = stderr.filter((l) => l.startsWith("[nucleon] Startup failed"));
  expect(lines).toHaveLength(1);
  expect(stderr.some((l) => /^\s+at /.test(l))).toBe(false);
  return lines[0];
}

describe("nucleon bin: startup failures exit 1 with the cause in one line", () => {
  it("a config file that throws", async () => {
    project.write("nucleon.config.ts", `throw new Error("no database URL");\nexport default {};\n`);
    project.write("services/greeter.service.ts", GREETER);
    const { code, stderr } = await runToExit(["services"]);
    expect(code).toBe(1);
    expect(failureLine(stderr)).toBe(
      `[nucleon] Startup failed: ConfigError: Config file ${project.path("nucleon.config.ts")} failed to load: no database URL`,
    );
  });

  it("a config file that is not an options object, named by --config", async () => {
    project.write("conf/custom.json", "[1, 2]");
    project.write("services/greeter.service.ts", GREETER);
    const { code, stderr } = await runToExit(["start", "services", "--config", "conf/custom.json"]);
    expect(code).toBe(1);
    expect(failureLine(stderr)).toContain(`Config file ${project.path("conf/custom.json")} must export an options object`);
  });

  it("a missing config file named by NUCLEON_CONFIG", async () => {
    project.write("services/greeter.service.ts", GREETER);
    const { code, stderr } = await runToExit(["services"], { NUCLEON_CONFIG: "nope.config.js" });
    expect(code).toBe(1);
    expect(failureLine(stderr)).toBe(`[nucleon] Startup failed: ConfigError: Config file not found: ${project.path("nope.config.js")}`);
  });

  it("a service file that throws on import", async () => {
    project.write("services/greeter.service.ts", GREETER);
    project.write("services/broken.service.ts", `throw new Error("kaput at import");\n`);
    const { code, stderr } = await runToExit(["services"]);
    expect(code).toBe(1);
    expect(failureLine(stderr)).toBe(
      `[nucleon] Startup failed: RunnerError: Service file ${project.path("services/broken.service.ts")} failed to load: kaput at import`,
    );
  });

  it("two services with one name, naming both files", async () => {
    project.write("services/a.service.ts", GREETER);
    project.write("services/b.service.ts", GREETER.replace("GreeterService", "OtherGreeter"));
    const { code, stderr } = await runToExit(["services"]);
    expect(code).toBe(1);
    expect(failureLine(stderr)).toBe(
      "[nucleon] Startup failed: RunnerError: Two services are named 'greeter': defined in both services/a.service.ts and services/b.service.ts.",
    );
  });

  it("a path that matches nothing", async () => {
    const { code, stderr } = await runToExit(["missing/"]);
    expect(code).toBe(1);
    expect(failureLine(stderr)).toBe(`[nucleon] Startup failed: RunnerError: No service file matches 'missing/' (looked in ${project.dir}).`);
  });

  it("with --instances, a worker that cannot start stops the others: exit 1, no restart loop", async () => {
    project.write("services/broken.service.ts", `throw new Error("kaput at import");\n`);
    const { code, stderr } = await runToExit(["services", "--instances", "2"]);
    expect(code).toBe(1);
    expect(stderr.filter((l) => l.includes("Startup failed: RunnerError: Service file")).length).toBeGreaterThanOrEqual(1);
    expect(stderr.some((l) => /^\[nucleon\] Worker \d \(pid \d+\) could not start; stopping the others$/.test(l))).toBe(true);
    expect(stderr.some((l) => l.includes("restart"))).toBe(false);
  });

  it("prints the stack with LOGLEVEL=debug", async () => {
    project.write("services/broken.service.ts", `throw new Error("kaput at import");\n`);
    const { code, stderr } = await runToExit(["services"], { LOGLEVEL: "debug" });
    expect(code).toBe(1);
    expect(stderr.some((l) => /^\s+at /.test(l))).toBe(true);
    expect(stderr).toContain("Caused by: Error: kaput at import");
  });

  it("refuses a bad --instances value with the usage", async () => {
    const { code, stderr } = await runToExit(["--instances", "zero"]);
    expect(code).toBe(1);
    expect(stderr.join("\n")).toContain("option '-i, --instances <count>' argument 'zero' is invalid. expected a positive integer or 'max'.");
  });
});

describe("nucleon bin: warnings and help", () => {
  it("skips a class with handlers but no @Service, with a warning, and serves the rest", async () => {
    project.write("services/greeter.service.ts", GREETER);
    project.write(
      "services/forgot.service.ts",
      `import { Action } from "nucleon";\nexport class ForgotService {\n  @Action({ params: false })\n  ping(): string { return "pong"; }\n}\nexport class PlainHelper {}\n`,
    );
    const proc = project.run("runner", ["services"]);
    await started(proc);
    const warnings = logLines(proc).filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toContain("Class 'ForgotService' in services/forgot.service.ts has handlers but no @Service: skipped");
    expect(warnings.filter((w) => w.includes("PlainHelper"))).toEqual([]);
    expect(logLines(proc).find((l) => l.msg === "ServiceBroker started")?.services).toBe(2); // greeter and $node
    await proc.kill("SIGTERM", 10_000);
    expect(proc.exitCode).toBe(0);
  });

  it("--help lists every flag and exits 0", async () => {
    const { code, stdout } = await runToExit(["--help"]);
    expect(code).toBe(0);
    const help = stdout.join("\n");
    expect(help).toContain("Usage: nucleon [start] [options] [paths...]");
    for (const flag of ["--config <file>", "--repl", "--hot", "--silent", "--env", "--envfile <file>", "--instances <count>", "--mask <glob>", "--help"]) {
      expect(help).toContain(flag);
    }
  });
});
