import { connect } from "nats";
import { Action, Service, ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";

@Service({ name: "echo" })
class Echo {
  @Action({ params: false })
  say(p: { text: string }): string {
    return p.text;
  }
}

describeWith("nats", "garbled packets on the real NATS topics", () => {
  it("are dropped and the node keeps serving", async () => {
    const namespace = uniqueNamespace("garbage");
    const prefix = `MOL-${namespace}`;
    const target = new ServiceBroker({ nodeID: "target", namespace, logger: false, transporter: BROKERS.nats.url, transit: { discoverWait: 50, stopDelay: 10 } });
    target.register(Echo);
    await target.start();
    const caller = new ServiceBroker({ nodeID: "caller", namespace, logger: false, transporter: BROKERS.nats.url, transit: { discoverWait: 50, stopDelay: 10 } });
    await caller.start();
    await caller.waitForServices("echo", 3000);

    const nc = await connect({ servers: BROKERS.nats.url });
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const topics = ["REQ.target", "RES.target", "EVENT.target", "INFO", "INFO.target", "DISCOVER", "HEARTBEAT", "PING.target", "PONG.target", "DISCONNECT"];
    const shapes = ['{"ver":"4"}', '{"ver":"4","sender":"x","services":5}', "[]", "null", '{"ver":"4","sender":"x","id":1,"success":true}', "{{{"];
    for (let i = 0; i < 3000; i++) {
      const topic = `${prefix}.${topics[Math.floor(rand() * topics.length)]}`;
      const body = rand() < 0.5 ? Buffer.alloc(Math.floor(rand() * 128), Math.floor(rand() * 256)) : Buffer.from(shapes[Math.floor(rand() * shapes.length)]);
      nc.publish(topic, body);
    }
    nc.publish(`${prefix}.REQ.target`, Buffer.alloc(512 * 1024, 0x5b));
    await nc.flush();
    await nc.close();

    await expect(caller.call("echo.say", { text: "still serving" })).resolves.toBe("still serving");
    expect(caller.registry.nodes.get("target")?.available).toBe(true);
    await caller.stop();
    await target.stop();
  });
});
