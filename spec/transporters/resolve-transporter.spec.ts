import { Action, Service, ServiceBroker } from "nucleon";
import { BrokerOptionsError } from "../../lib/errors";
import {
  MemoryBus,
  MemoryTransporter,
  type MemoryTransporterOptions,
  NatsTransporter,
  RedisTransporter,
  resolveTransporter,
  TcpTransporter,
  Transporters,
} from "../../lib/transporters";
import { natsConnectionOptions } from "../../lib/transporters/nats";

describe("resolveTransporter", () => {
  it("resolves names case-insensitively", () => {
    expect(resolveTransporter("memory")).toBeInstanceOf(MemoryTransporter);
    expect(resolveTransporter("Memory")).toBeInstanceOf(MemoryTransporter);
    expect(resolveTransporter("NATS")).toBeInstanceOf(NatsTransporter);
    expect(resolveTransporter("redis")).toBeInstanceOf(RedisTransporter);
    expect(resolveTransporter("TCP")).toBeInstanceOf(TcpTransporter);
    expect(Transporters.names()).toEqual(["NATS", "Redis", "Memory", "TCP"]);
  });

  it("resolves URLs by scheme and keeps the URL", () => {
    const nats = resolveTransporter("nats://127.0.0.1:4222");
    expect(nats).toBeInstanceOf(NatsTransporter);
    expect(resolveTransporter("redis://127.0.0.1:6379")).toBeInstanceOf(RedisTransporter);
    expect(resolveTransporter("rediss://127.0.0.1:6380")).toBeInstanceOf(RedisTransporter);
    expect(resolveTransporter("memory://")).toBeInstanceOf(MemoryTransporter);
    const tcp = resolveTransporter("tcp://127.0.0.1:6000") as TcpTransporter;
    expect(tcp).toBeInstanceOf(TcpTransporter);
    expect(tcp.address).toBe("tcp://127.0.0.1:6000");
    expect(natsConnectionOptions({ url: "nats://127.0.0.1:4222" }).servers).toEqual(["127.0.0.1:4222"]);
  });

  it("resolves { type, options }", () => {
    const bus = new MemoryBus();
    const memory = resolveTransporter({ type: "Memory", options: { bus } });
    expect(memory).toBeInstanceOf(MemoryTransporter);
    expect((memory as MemoryTransporter).bus).toBe(bus);
    expect(resolveTransporter({ type: "nats://127.0.0.1:4222", options: { maxReconnectAttempts: 2 } })).toBeInstanceOf(
      NatsTransporter,
    );
    expect(resolveTransporter({ type: "NATS" })).toBeInstanceOf(NatsTransporter);
  });

  it("passes instances through", () => {
    const own = new MemoryTransporter();
    expect(resolveTransporter(own)).toBe(own);
  });

  it("rejects unknown names, schemes and shapes with BrokerOptionsError", () => {
    expect(() => resolveTransporter("Carrier-Pigeon")).toThrow(BrokerOptionsError);
    expect(() => resolveTransporter("kafka://127.0.0.1:9092")).toThrow(/No transporter for URL scheme 'kafka:\/\/'/);
    expect(() => resolveTransporter(42 as unknown as string)).toThrow(BrokerOptionsError);
    expect(() => resolveTransporter({ publish: 1 } as unknown as string)).toThrow(BrokerOptionsError);
  });
});

/** A user's own transporter: one bus per `mymem://<room>`, and a count of what it sent. */
class RoomTransporter extends MemoryTransporter {
  static readonly rooms = new Map<string, MemoryBus>();
  static sent = 0;

  constructor(options: MemoryTransporterOptions & { url?: string } = {}) {
    const room = new URL(options.url ?? "mymem://default").host;
    if (!RoomTransporter.rooms.has(room)) RoomTransporter.rooms.set(room, new MemoryBus());
    super({ ...options, bus: RoomTransporter.rooms.get(room) });
  }

  protected override send(subject: string, data: Buffer): Promise<void> {
    RoomTransporter.sent++;
    return super.send(subject, data);
  }
}

@Service({ name: "greeter" })
class GreeterService {
  @Action()
  hello(params: { name: string }): string {
    return `Hello ${params.name}`;
  }
}

describe("Transporters.register", () => {
  afterEach(() => Transporters.unregister("MyMem"));

  it("resolves a user's transporter by its name and the URL scheme it declared", () => {
    Transporters.register("MyMem", RoomTransporter, { schemes: ["mymem"] });
    expect(Transporters.names()).toContain("MyMem");
    const t = resolveTransporter("MYMEM://room-a");
    expect(t).toBeInstanceOf(RoomTransporter);
    expect((t as RoomTransporter).bus).toBe(RoomTransporter.rooms.get("room-a"));
    expect(resolveTransporter("mymem")).toBeInstanceOf(RoomTransporter);
    Transporters.unregister("MyMem");
    expect(() => resolveTransporter("mymem://room-a")).toThrow(/No transporter for URL scheme 'mymem:\/\/'/);
  });

  it("carries calls between two brokers given only its URL", async () => {
    Transporters.register("MyMem", RoomTransporter, { schemes: ["mymem"] });
    const options = { namespace: "user-transporter", transporter: "mymem://room-b", logger: false as const };
    const server = new ServiceBroker({ ...options, nodeID: "server" });
    const client = new ServiceBroker({ ...options, nodeID: "client" });
    server.register(GreeterService);
    RoomTransporter.sent = 0;
    await Promise.all([server.start(), client.start()]);
    try {
      await client.waitForServices("greeter", 4000);
      await expect(client.call("greeter.hello", { name: "room" })).resolves.toBe("Hello room");
      expect(RoomTransporter.sent).toBeGreaterThan(0);
    } finally {
      await Promise.all([client.stop(), server.stop()]);
    }
  });
});
