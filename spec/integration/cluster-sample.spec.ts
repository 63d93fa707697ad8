import { scripts } from "../../package.json";
import { BROKERS } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { freePort as closedPort } from "../support/tcp-proxy";
import { killAll, startNode } from "./support/node-process";

const SAMPLE = "samples/cluster/main.ts";

afterAll(() => killAll());

/**
 * `npm run start:cluster` end to end: the sample is documentation, so it must
 * keep working. Runs the script's command directly (npm adds ~1 s and noise).
 * By default over TCP (no message broker); TRANSPORTER picks NATS or Redis.
 */
function sampleRun(env: Record<string, string>): void {
  let output: string[];
  let exitCode: number | null;

  beforeAll(async () => {
    const run = startNode("cluster-sample", SAMPLE, env);
    await run.waitExit(30_000);
    output = run.lines;
    exitCode = run.exitCode;
    if (exitCode !== 0) throw new Error(`the sample failed (${exitCode}):\n${[...run.lines, ...run.errLines].join("\n")}`);
  }, 35_000);

  const count = (pattern: RegExp) => output.filter((line) => pattern.test(line)).length;

  it("is what `npm run start:cluster` runs", () => {
    expect(scripts["start:cluster"]).toBe(`node -r @swc-node/register ${SAMPLE}`);
  });

  it("exits 0 after stopping every node cleanly", () => {
    expect(exitCode).toBe(0);
    for (const node of ["greeter-1", "greeter-2", "audit-1"]) expect(output).toContain(`  ${node} exited with code 0`);
    expect(output).toContain("  gateway stopped");
  });

  it("shows the nodes and services the gateway discovered", () => {
    expect(output).toContain("  greeter    on greeter-1, greeter-2");
    expect(output).toContain("  audit      on audit-1");
    for (const node of ["greeter-1", "greeter-2", "audit-1"]) expect(count(new RegExp(`^  ${node} +available$`))).toBe(1);
  });

  it("balances the 10 calls over both greeter nodes, alternately", () => {
    const answeredBy = output.map((l) => /answered by (\S+)$/.exec(l)?.[1]).filter((id): id is string => id !== undefined);
    expect(answeredBy).toHaveLength(10);
    expect(new Set(answeredBy)).toEqual(new Set(["greeter-1", "greeter-2"]));
    // RoundRobin over two nodes: never the same node twice in a row.
    expect(answeredBy.every((id, i) => i === 0 || id !== answeredBy[i - 1])).toBe(true);
  });

  it("delivers each emit once per group, and a broadcast to every handler", () => {
    for (const user of [1, 2, 3]) {
      // Group "audit": exactly one audit line per emit.
      expect(count(new RegExp(`^  \\[audit-1\\] audit: user #${user} signed up \\(emit from gateway\\)$`))).toBe(1);
      // Group "welcome": exactly one of the two greeters per emit.
      expect(count(new RegExp(`^  \\[greeter-[12]\\] welcome mail for user #${user} \\(emit\\)$`))).toBe(1);
    }
    expect(count(/^ {2}\[audit-1\] audit: user #4 signed up \(broadcast from gateway\)$/)).toBe(1);
    expect(count(/^ {2}\[greeter-1\] welcome mail for user #4 \(broadcast\)$/)).toBe(1);
    expect(count(/^ {2}\[greeter-2\] welcome mail for user #4 \(broadcast\)$/)).toBe(1);
  });
}

describe("samples/cluster (npm run start:cluster) over TCP, the default", () => sampleRun({ TRANSPORTER: "" }));

describeWith("nats", "samples/cluster over NATS (TRANSPORTER=nats://…)", () => sampleRun({ TRANSPORTER: BROKERS.nats.url }));

describeWith("redis", "samples/cluster over Redis (TRANSPORTER=redis://…)", () => sampleRun({ TRANSPORTER: BROKERS.redis.url }));

describe("samples/cluster with TRANSPORTER naming a broker that is not there", () => {
  it("explains how to start NATS (or to use TCP) and exits non-zero", async () => {
    const run = startNode("cluster-sample", SAMPLE, { TRANSPORTER: `nats://127.0.0.1:${await closedPort()}` });
    await run.waitExit(15_000);
    expect(run.exitCode).not.toBe(0);
    expect(run.errLines.join("\n")).toContain("nats-server -a 127.0.0.1 -p 4222");
    expect(run.errLines.join("\n")).toContain("leave TRANSPORTER unset");
    expect(run.lines).toEqual([]); // no node was started
  }, 20_000);
});
