import { ServiceBroker } from "nucleon";
import { NatsTransporter } from "../../lib/transporters/nats";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { buildInfo } from "../../lib/transit/info-codec";
import { createNodeService } from "../../lib/broker/node-service";

/** The `$node` handlers as a peer's call runs them (no connection needed to read them). */
function node(broker: ServiceBroker): { options(): unknown; list(p: unknown): unknown } {
  return createNodeService(broker).handlers as { options(): unknown; list(p: unknown): unknown };
}

async function nodeOptions(broker: ServiceBroker): Promise<string> {
  return JSON.stringify(node(broker).options());
}

describe("$node.options hands no credentials to a peer", () => {
  it("masks the password of a transporter URL", async () => {
    const broker = new ServiceBroker({ nodeID: "r1", logger: false, transporter: "nats://user:secret@127.0.0.1:4222" });
    const shown = await nodeOptions(broker);
    expect(shown).not.toContain("secret");
    expect(shown).toContain("nats://user:***@127.0.0.1:4222");
  });

  it("masks password-like keys at any depth and token-only URLs", async () => {
    const broker = new ServiceBroker({
      nodeID: "r2",
      logger: false,
      transporter: { type: "Redis", options: { host: "127.0.0.1", password: "x", tls: { auth: { token: "tok-123" } } } },
      cacher: { type: "redis://:cachepw@127.0.0.1:6379", options: { apiKey: "k-456", keys: ["a"] } },
      metadata: { region: "eu", upstream: "nats://mytoken@127.0.0.1:4222" },
    });
    const options = node(broker).options() as {
      transporter: { options: { host: string; password: string } };
      cacher: { options: { keys: string[] } };
    };
    const shown = JSON.stringify(options);
    for (const secret of ['"x"', "tok-123", "cachepw", "k-456", "mytoken"]) expect(shown).not.toContain(secret);
    expect(options.transporter.options).toMatchObject({ host: "127.0.0.1", password: "***" });
    expect(options.cacher.options.keys).toEqual(["a"]); // not a secret: only names ending in "key" are
    expect(shown).toContain("redis://:***@127.0.0.1:6379");
    await broker.cacher?.close(); // its client connects on construction, as Moleculer's does
  });

  it("shows a transporter instance by its class, not its fields (which hold the password)", async () => {
    const broker = new ServiceBroker({
      nodeID: "r3",
      logger: false,
      transporter: new NatsTransporter({ url: "nats://user:secret@127.0.0.1:4222" }),
    });
    const options = node(broker).options() as { transporter: unknown };
    expect(JSON.stringify(options)).not.toContain("secret");
    expect(options.transporter).toBe("[NatsTransporter]");
  });

  it("masks credentials in the metadata INFO and $node.list publish", async () => {
    const broker = new ServiceBroker({
      nodeID: "r4",
      logger: false,
      transporter: new MemoryTransporter({ bus: new MemoryBus() }),
      metadata: { zone: "a", db: "postgres://app:hunter2@127.0.0.1/db", secret: "s3" },
    });
    const local = { instanceID: broker.instanceID, metadata: broker.options.metadata, localNode: broker.registry.localNode, localServices: () => [] };
    const info = JSON.stringify(buildInfo(local, false));
    const list = JSON.stringify(node(broker).list({}));
    for (const published of [info, list]) {
      expect(published).not.toContain("hunter2");
      expect(published).not.toContain("s3");
      expect(published).toContain("postgres://app:***@127.0.0.1/db");
      expect(published).toContain('"zone":"a"');
    }
    // The local options keep the real values: only what is published is masked.
    expect(broker.options.metadata.secret).toBe("s3");
  });
});
