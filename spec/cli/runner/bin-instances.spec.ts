import { BROKERS, uniqueNamespace } from "../../support/brokers";
import { describeWith } from "../../support/describe-with";
import { killAll } from "../../integration/support/node-process";
import { CALLER_SERVICE, callLines, logLines, TempProject, waitOutput } from "../support/project";

/** `whoami` answers with the worker's nodeID; `started` prints the worker's pid so the spec can crash it. */
const GREETER = `
import { Action, Service, ServiceBroker } from "nucleon";

@Service({ name: "greeter" })
export class GreeterService {
  constructor(private readonly broker: ServiceBroker) {}

  started(): void {
    process.stdout.write(\`WORKER \${this.broker.nodeID} PID \${process.pid}\\n\`);
  }

  @Action({ params: false })
  whoami(): string {
    return this.broker.nodeID;
  }
}
`;

afterAll(() => killAll());

describeWith("nats", "nucleon bin --instances", () => {
  let server: TempProject;
  let client: TempProject;
  let namespace: string;

  beforeAll(() => {
    namespace = uniqueNamespace("instances");
    server = new TempProject("instances");
    server.write(
      "nucleon.config.json",
      JSON.stringify({ nodeID: "srv", namespace, transporter: BROKERS.nats.url, logLevel: "warn" }),
    );
    server.write("services/greeter.service.ts", GREETER);
    client = new TempProject("instances-client");
    client.write("caller.service.ts", CALLER_SERVICE);
  });

  afterAll(() => {
    server.remove();
    client.remove();
  });

  const workerPids = (lines: string[]) =>
    lines.map((l) => /^WORKER (\S+) PID (\d+)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null).map((m) => ({ nodeID: m[1], pid: Number(m[2]) }));

  it("runs 2 workers (nodeIDs srv-1, srv-2) that share the calls, restarts a crashed one, and stops both on SIGTERM", async () => {
    const primary = server.run("primary", ["services", "--instances", "2"]);
    await waitOutput(primary, () => workerPids(primary.lines).length === 2, 30_000, "two workers");
    expect(workerPids(primary.lines).map((w) => w.nodeID).sort()).toEqual(["srv-1", "srv-2"]);

    const call = client.run("caller", ["caller.service.ts"], {
      TRANSPORTER: BROKERS.nats.url,
      NAMESPACE: namespace,
      LOGLEVEL: "warn",
      CALL_ACTION: "greeter.whoami",
      CALL_COUNT: "10",
      CALL_NODES: "2",
    });
    await waitOutput(call, () => call.lines.includes("CALLS DONE"), 20_000, "CALLS DONE");
    const answers = callLines(call);
    expect(answers.every((a) => a.ok)).toBe(true);
    const byNode = new Map<unknown, number>();
    for (const a of answers) byNode.set(a.result, (byNode.get(a.result) ?? 0) + 1);
    // Round-robin over the two workers.
    expect(Object.fromEntries(byNode)).toEqual({ "srv-1": 5, "srv-2": 5 });
    await call.kill("SIGTERM", 10_000);

    // A worker that dies on its own is restarted (after the 1 s backoff), under the same number.
    const first = workerPids(primary.lines).find((w) => w.nodeID === "srv-1")!;
    process.kill(first.pid, "SIGKILL");
    await waitOutput(primary, () => workerPids(primary.lines).length === 3, 20_000, "the restarted worker");
    expect(primary.errLines).toContain(`[nucleon] Worker 1 (pid ${first.pid}) exited with signal SIGKILL; restart 1/10 in 1000 ms`);
    const restarted = workerPids(primary.lines)[2];
    expect(restarted.nodeID).toBe("srv-1");
    expect(restarted.pid).not.toBe(first.pid);

    await primary.kill("SIGTERM", 15_000);
    expect(primary.exitCode).toBe(0);
    expect(primary.errLines).toContain("[nucleon] SIGTERM: stopping 2 worker(s) gracefully");
    for (const w of [restarted, workerPids(primary.lines).find((x) => x.nodeID === "srv-2")!]) {
      expect(primary.errLines).toContain(`[nucleon] Worker ${w.nodeID.slice(-1)} (pid ${w.pid}) exited with code 0`);
    }
    expect(logLines(primary).filter((l) => l.level >= 50)).toEqual([]);
  }, 90_000);
});
