import { Action, Service, ServiceBroker } from "nucleon";
import { JSONSerializer } from "../../lib/serializers";
import type { MemoryBus } from "../../lib/transporters/memory";
import { memoryCluster, waitUntil } from "./cluster";

let release: (() => void) | null = null;

@Service({ name: "gate" })
class Gate {
  /** Answers only when the test lets it, so a forged RES can arrive first. */
  @Action({ params: false })
  wait(): Promise<string> {
    return new Promise((resolve) => (release = () => resolve("real")));
  }

  @Action({ params: false })
  ping(): string {
    return "pong";
  }
}

const json = new JSONSerializer();

/** Resolves with the next packet published on `subject`. */
function nextPacket(bus: MemoryBus, subject: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const sub = bus.subscribe(subject, (data) => {
      sub.unsubscribe();
      resolve(json.deserialize(data) as Record<string, unknown>);
    });
  });
}

describe("packets from a node claiming to be another", () => {
  let a: ServiceBroker;
  let bus: MemoryBus;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ brokers: [a], bus, stop } = await memoryCluster([{ nodeID: "a" }, { nodeID: "b", services: [Gate] }]));
    await a.waitForServices("gate", 2000);
  });
  afterAll(() => stop());

  it("a RES whose sender is not the node the request went to is dropped; the real one resolves the call", async () => {
    const req = nextPacket(bus, "MOL.REQ.b");
    const call = a.call("gate.wait");
    const { id } = await req;
    await waitUntil(() => release !== null);
    bus.publish("MOL.RES.a", json.serialize({ ver: "4", sender: "mallory", id, success: true, data: "forged", meta: { evil: true } }));
    // A malformed RES from the wrong node must not reject the call either.
    bus.publish("MOL.RES.a", json.serialize({ ver: "4", sender: "mallory", id, success: false, meta: {} }));
    release!();
    await expect(call).resolves.toBe("real");
  });

  it("a DISCONNECT carrying another instanceID is ignored", async () => {
    bus.publish("MOL.DISCONNECT", json.serialize({ ver: "4", sender: "b", instanceID: "not-b" }));
    // Delivered before this call's REQ: had it been honoured, the call would be rejected.
    await expect(a.call("gate.ping")).resolves.toBe("pong");
    expect(a.registry.nodes.get("b")?.available).toBe(true);
  });

  it("nucleon's own DISCONNECT carries its instanceID and is honoured", async () => {
    const { brokers: [x, y], bus: bus2 } = await memoryCluster([{ nodeID: "x" }, { nodeID: "y", services: [Gate] }]);
    await x.waitForServices("gate", 2000);
    const sent = nextPacket(bus2, "MOL.DISCONNECT");
    await y.stop();
    await expect(sent).resolves.toMatchObject({ sender: "y", instanceID: y.instanceID });
    await waitUntil(() => x.registry.nodes.get("y")?.available === false);
    await x.stop();
  });

  it("a DISCONNECT without instanceID (as Moleculer sends it) is honoured", async () => {
    bus.publish("MOL.DISCONNECT", json.serialize({ ver: "4", sender: "b" }));
    await waitUntil(() => a.registry.nodes.get("b")?.available === false);
  });
});
