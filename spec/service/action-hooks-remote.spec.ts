import { Action, After, Before, Context, OnError, Service } from "nucleon";
import { memoryCluster } from "../transit/cluster";

const ran: string[] = [];

@Service({ name: "remoteHooks" })
class RemoteHooks {
  @Action({ params: false })
  greet(params: { name: string }): string {
    if (params.name === "") throw new Error("no name");
    return `hello ${params.name}`;
  }

  @Before("greet") trim(ctx: Context<{ name: string }>): void {
    ran.push(`before on ${ctx.broker.nodeID}`);
    ctx.params = { name: ctx.params.name.trim() };
  }

  @After("*") shout(ctx: Context, result: string): string {
    ran.push(`after on ${ctx.broker.nodeID}`);
    return result.toUpperCase();
  }

  @OnError("greet") fallback(ctx: Context, err: Error): string {
    ran.push(`error on ${ctx.broker.nodeID}`);
    return `recovered: ${err.message}`;
  }
}

describe("action hooks on a remote call", () => {
  it("run on the serving node, through the memory transporter", async () => {
    const { brokers, stop } = await memoryCluster([{ nodeID: "caller" }, { nodeID: "server", services: [RemoteHooks] }]);
    try {
      const [caller] = brokers;
      await caller.waitForServices("remoteHooks", 3000);
      await expect(caller.call("remoteHooks.greet", { name: "  ada " })).resolves.toBe("HELLO ADA");
      expect(ran).toEqual(["before on server", "after on server"]);
      ran.length = 0;
      await expect(caller.call("remoteHooks.greet", { name: " " })).resolves.toBe("recovered: no name");
      expect(ran).toEqual(["before on server", "error on server"]);
    } finally {
      await stop();
    }
  });
});
