import { BROKERS, uniqueNamespace } from "../../support/brokers";
import { describeWith } from "../../support/describe-with";
import { killAll } from "../../integration/support/node-process";
import { CALLER_SERVICE, callLines, logLines, started, TempProject, waitOutput } from "../support/project";

/** Services of the "server" runner: `hello` names the node that answered, `slow` takes 1.5 s. */
const GREETER = `
import { Action, Service, ServiceBroker } from "nucleon";

@Service({ name: "greeter" })
export class GreeterService {
  constructor(private readonly broker: ServiceBroker) {}

  @Action({ params: false })
  hello(params: { name: string }): string {
    return \`Hello \${params.name} from \${this.broker.nodeID}\`;
  }

  @Action({ params: false })
  async slow(): Promise<string> {
    process.stdout.write("SLOW STARTED\\n");
    await new Promise((r) => setTimeout(r, 1500));
    return "slow done";
  }
}
`;

const CONFIG = (namespace: string) => `
import { defineConfig } from "nucleon";

export default defineConfig({
  nodeID: "server-from-config",
  namespace: ${JSON.stringify(namespace)},
  transporter: ${JSON.stringify(BROKERS.nats.url)},
  logLevel: "info",
});
`;

afterAll(() => killAll());

describeWith("nats", "nucleon bin over NATS: a server runner and a caller runner", () => {
  let server: TempProject;
  let client: TempProject;
  let namespace: string;

  beforeEach(() => {
    namespace = uniqueNamespace("runner");
    server = new TempProject("server");
    server.write("nucleon.config.ts", CONFIG(namespace));
    server.write("services/greeter.service.ts", GREETER);
    server.write("services/dto/hello.ts", "export class HelloParams { name!: string; }\n"); // not matched by the mask
    client = new TempProject("client");
    client.write("caller.service.ts", CALLER_SERVICE);
  });

  afterEach(() => {
    server.remove();
    client.remove();
  });

  /** A caller runner with no config: its options come from the environment only. */
  function caller(action: string, count: number, extra: Record<string, string> = {}) {
    return client.run("caller", ["caller.service.ts"], {
      TRANSPORTER: BROKERS.nats.url,
      NAMESPACE: namespace,
      NODEID: "caller",
      LOGLEVEL: "warn",
      CALL_ACTION: action,
      CALL_COUNT: String(count),
      CALL_PARAMS: JSON.stringify({ name: "Ada" }),
      ...extra,
    });
  }

  it("starts a folder of services from the config; a second runner calls them", async () => {
    const proc = server.run("server", ["start", "services"]);
    await started(proc);
    const call = caller("greeter.hello", 3);
    await waitOutput(call, () => call.lines.includes("CALLS DONE"), 20_000, "CALLS DONE");
    expect(callLines(call)).toEqual([0, 1, 2].map((i) => ({ call: i, ok: true, result: "Hello Ada from server-from-config" })));
    await Promise.all([call.kill("SIGINT", 10_000), proc.kill("SIGINT", 10_000)]);
    expect([proc.exitCode, call.exitCode]).toEqual([0, 0]);
  });

  it("lets environment variables override the config (NODEID; TRANSPORTER, NAMESPACE, LOGLEVEL with no config)", async () => {
    const proc = server.run("server", ["services"], { NODEID: "server-from-env" });
    await started(proc);
    expect(logLines(proc).find((l) => l.msg === "ServiceBroker started")?.nodeID).toBe("server-from-env");
    const call = caller("greeter.hello", 1);
    await waitOutput(call, () => call.lines.includes("CALLS DONE"), 20_000, "CALLS DONE");
    expect(callLines(call)[0]).toEqual({ call: 0, ok: true, result: "Hello Ada from server-from-env" });
    // The caller ran with LOGLEVEL=warn from its environment: no info lines.
    expect(logLines(call).filter((l) => l.level === 30)).toEqual([]);
    await Promise.all([call.kill("SIGTERM", 10_000), proc.kill("SIGTERM", 10_000)]);
  });

  it("--envfile loads the given file, --env loads .env; variables already set win", async () => {
    server.write("deploy/prod.env", "NODEID=server-from-envfile\nLOGLEVEL=warn\n");
    const proc = server.run("server", ["services", "--envfile", "deploy/prod.env"]);
    // No "started" line at warn level: the caller waits for the service itself.
    const call = caller("greeter.hello", 1);
    await waitOutput(call, () => call.lines.includes("CALLS DONE"), 20_000, "CALLS DONE");
    expect(callLines(call)[0].result).toBe("Hello Ada from server-from-envfile");
    expect(logLines(proc).filter((l) => l.level === 30)).toEqual([]); // LOGLEVEL=warn came from the file
    await Promise.all([call.kill("SIGTERM", 10_000), proc.kill("SIGTERM", 10_000)]);

    server.write(".env", "NODEID=server-from-dotenv\n");
    const second = server.run("server-2", ["services", "--env"]);
    await started(second);
    expect(logLines(second).find((l) => l.msg === "ServiceBroker started")?.nodeID).toBe("server-from-dotenv");
    await second.kill("SIGTERM", 10_000);

    const third = server.run("server-3", ["services", "--env"], { NODEID: "already-set" });
    await started(third);
    expect(logLines(third).find((l) => l.msg === "ServiceBroker started")?.nodeID).toBe("already-set");
    await third.kill("SIGTERM", 10_000);
  });

  it("SIGTERM drains an in-flight call, then exits 0; --silent logs nothing", async () => {
    const proc = server.run("server", ["services", "--silent"]);
    const call = caller("greeter.slow", 1);
    await waitOutput(proc, () => proc.lines.includes("SLOW STARTED"), 20_000, "SLOW STARTED");
    process.kill(proc.pid, "SIGTERM");
    await proc.waitExit(10_000);
    expect(proc.exitCode).toBe(0);
    await waitOutput(call, () => call.lines.includes("CALLS DONE"), 10_000, "CALLS DONE");
    expect(callLines(call)).toEqual([{ call: 0, ok: true, result: "slow done" }]);
    expect(logLines(proc)).toEqual([]);
    expect(proc.errLines).toContain("[nucleon] SIGTERM: stopping gracefully (send it again to force)");
    await call.kill("SIGTERM", 10_000);
  });

  it("a second signal forces exit 1 while the stop waits for work", async () => {
    const proc = server.run("server", ["services", "--silent"]);
    const call = caller("greeter.slow", 1);
    await waitOutput(proc, () => proc.lines.includes("SLOW STARTED"), 20_000, "SLOW STARTED");
    process.kill(proc.pid, "SIGINT");
    await waitOutput(proc, () => proc.errLines.some((l) => l.includes("SIGINT: stopping gracefully")), 5000, "the first SIGINT");
    process.kill(proc.pid, "SIGINT");
    await proc.waitExit(5000);
    expect(proc.exitCode).toBe(1);
    expect(proc.errLines).toContain("[nucleon] SIGINT again: forcing exit");
    await call.kill("SIGKILL", 5000);
  });
});

