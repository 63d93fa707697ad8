import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Action, Context, Service, ServiceBroker } from "nucleon";
import { memoryCluster, waitUntil } from "../../../transit/cluster";
import { ReplDriver } from "../repl-driver";

@Service({ name: "echo" })
class EchoService {
  constructor(private readonly broker: ServiceBroker) {}

  @Action()
  async params(params: unknown): Promise<unknown> {
    return params;
  }

  @Action()
  async where(_params: unknown, ctx: Context): Promise<{ nodeID: string; meta: unknown }> {
    // The node that ran the handler (ctx.nodeID is the caller's on a remote call).
    return { nodeID: this.broker.nodeID, meta: ctx.meta };
  }
}

/** The value printed after `>> Response:`, parsed back (node's inspect of plain data reads as JSON5-ish JS). */
function response(printed: string): unknown {
  const body = printed.split(">> Response:\n")[1].split("\n>> Execution time")[0];
  return new Function(`return (${body});`)();
}

describe("REPL call and dcall", () => {
  let brokers: ServiceBroker[];
  let stop: () => Promise<void>;
  let repl: ReplDriver;
  let dir: string;

  beforeAll(async () => {
    ({ brokers, stop } = await memoryCluster([
      { nodeID: "front", services: [EchoService] },
      { nodeID: "back", services: [EchoService] },
    ]));
    await brokers[0].waitForServices("echo", 3000, 10);
    // Both endpoints known: dcall has a real choice to make.
    await waitUntil(() => brokers[0].registry.actions.get("echo.where")?.size === 2);
    dir = mkdtempSync(join(tmpdir(), "nucleon-repl-call-"));
    repl = new ReplDriver(brokers[0], { cwd: dir });
  });

  afterAll(async () => {
    await repl.close();
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("call prints the result; params from JSON", async () => {
    const printed = await repl.run('call echo.params {"a": 1, "list": [1, 2], "s": "x y"}');
    expect(printed).toContain(">> Call 'echo.params' with params:");
    expect(response(printed)).toEqual({ a: 1, list: [1, 2], s: "x y" });
    expect(printed).toMatch(/>> Execution time: \d+\.\d{2} ms/);
  });

  it("params from --key value: numbers, booleans, dotted keys, quoted strings", async () => {
    const printed = await repl.run(`call echo.params --a 5 --b.c true --name "John Smith" --flag --no-off`);
    expect(response(printed)).toEqual({ a: 5, b: { c: true }, name: "John Smith", flag: true, off: false });
  });

  it("--#key goes to meta, a second JSON argument too", async () => {
    expect(response(await repl.run("call echo.where --#user ann"))).toMatchObject({ meta: { user: "ann" } });
    expect(response(await repl.run('call echo.where {} {"tenant": 7}'))).toMatchObject({ meta: { tenant: 7 } });
  });

  it("--save writes the response to a file", async () => {
    const printed = await repl.run("call echo.params --a 1 --save out.json");
    const file = join(dir, "out.json");
    expect(printed).toContain(`>> Response saved to ${file}`);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ a: 1 });
    // No file name: <action>.response.json
    await repl.run("call echo.params --b 2 --save");
    expect(JSON.parse(readFileSync(join(dir, "echo.params.response.json"), "utf8"))).toEqual({ b: 2 });
  });

  it("--load reads the params from a file", async () => {
    writeFileSync(join(dir, "params.json"), JSON.stringify({ from: "file", n: [1, 2, 3] }));
    expect(response(await repl.run("call echo.params --load params.json"))).toEqual({ from: "file", n: [1, 2, 3] });
    writeFileSync(join(dir, "echo.params.params.json"), JSON.stringify({ default: true }));
    expect(response(await repl.run("call echo.params --load"))).toEqual({ default: true });
  });

  it("--load of a missing or broken file is one error line", async () => {
    expect(await repl.run("call echo.params --load nope.json")).toMatch(/^✖ Cannot read params from .*nope\.json: ENOENT\n$/);
    writeFileSync(join(dir, "broken.json"), "{ not json");
    expect(await repl.run("call echo.params --load broken.json")).toMatch(/^✖ Invalid JSON params in .*broken\.json: /m);
  });

  it("dcall calls the given node, over the memory transporter for a remote one", async () => {
    for (let i = 0; i < 4; i++) {
      const printed = await repl.run("dcall back echo.where");
      expect(printed).toContain(">> Call 'echo.where' on 'back'");
      expect(response(printed)).toMatchObject({ nodeID: "back" });
    }
    expect(response(await repl.run("dcall front echo.where"))).toMatchObject({ nodeID: "front" });
  });
});
