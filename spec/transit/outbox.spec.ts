import { MiddlewareHost } from "../../lib/middleware/middleware-host";
import { JSONSerializer } from "../../lib/serializers";
import { Outbox } from "../../lib/transit/outbox";
import { PacketEncoder } from "../../lib/transit/packet-encoder";
import type { TransitHooks } from "../../lib/transit/transit-hooks";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import type { ServiceBroker } from "nucleon";

function outbox(): { box: Outbox; published: { cmd: string; target: string | null; data: Buffer }[] } {
  const transporter = new MemoryTransporter({ bus: new MemoryBus() });
  const published: { cmd: string; target: string | null; data: Buffer }[] = [];
  transporter.publish = (cmd, target, data) => {
    published.push({ cmd, target, data });
    return Promise.resolve();
  };
  return { box: new Outbox(new PacketEncoder(new JSONSerializer(), transporter), transporter, "MOL"), published };
}

const ping = () => ({ ver: "4", sender: "n1", time: 1, id: "p" });

describe("Outbox", () => {
  it("keeps the direct path without hooks, or with hooks that wrap nothing", () => {
    const { box } = outbox();
    box.compose({});
    expect(box.hooked).toBeNull();
    box.compose({ publish: (next) => next, send: (next) => next });
    expect(box.hooked).toBeNull();
    // The middlewares' port with no middleware hooking transit hands `next` back too.
    box.compose(new MiddlewareHost({} as ServiceBroker).chains.transit());
    expect(box.hooked).toBeNull();
  });

  it("sends through transitPublish, then the serializer, then transporterSend, to the transport", async () => {
    const { box, published } = outbox();
    const steps: string[] = [];
    const hooks: TransitHooks = {
      publish: (next) => (packet) => {
        steps.push(`publish ${packet.type} to ${String(packet.target)}`);
        return next(packet);
      },
      send: (next) => (topic, data, meta) => {
        steps.push(`send ${topic} ${data.toString()} ${meta.packet.type}`);
        return next(topic, Buffer.from(data.toString().toUpperCase()), meta);
      },
    };
    box.compose(hooks);
    await box.control("PING", "n2", ping());
    expect(steps).toEqual(['publish PING to n2', `send MOL.PING.n2 ${JSON.stringify(ping())} PING`]);
    expect(published).toEqual([{ cmd: "PING", target: "n2", data: Buffer.from(JSON.stringify(ping()).toUpperCase()) }]);
  });

  it("turns a hook's synchronous throw, or a packet that cannot be encoded, into a rejection", async () => {
    const { box } = outbox();
    box.compose({
      publish: () => () => {
        throw new Error("sync");
      },
    });
    await expect(box.control("PING", null, ping())).rejects.toThrow("sync");
    box.compose({ send: (next) => next, publish: (next) => (packet) => next(packet) });
    await expect(box.control("PING", null, { ...ping(), big: BigInt(1) })).rejects.toMatchObject({ name: "SerializationError" });
  });
});
