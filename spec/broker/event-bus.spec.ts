import { IsInt } from "class-validator";
import { BrokerOptionsError, Context, Event, Service, ServiceBroker } from "nucleon";
import { memoryCluster } from "../transit/cluster";

class OrderPayload {
  @IsInt() id!: number;
}

const received: Array<{ who: string; event: string; payload: unknown; ctx: Context }> = [];
const record = (who: string) => (payload: unknown, ctx: Context) => {
  received.push({ who, event: ctx.eventName as string, payload, ctx });
};

@Service({ name: "billing" })
class BillingService {
  @Event("order.created")
  onCreated(p: OrderPayload, ctx: Context) {
    record("billing")(p, ctx);
  }
}

@Service({ name: "mailer" })
class MailerService {
  @Event("order.*")
  onOrder(p: unknown, ctx: Context) {
    record("mailer")(p, ctx);
  }
}

@Service({ name: "mailer2" })
class MailerTwinService {
  // Same group as MailerService: an emit reaches only one of the two.
  @Event("order.*", { group: "mailer" })
  onOrder(p: unknown, ctx: Context) {
    record("mailer2")(p, ctx);
  }
}

@Service({ name: "audit" })
class AuditService {
  @Event("**")
  all(p: unknown, ctx: Context) {
    if (!ctx.eventName?.startsWith("$")) record("audit")(p, ctx);
  }

  @Event("order.failing")
  failing(): void {
    throw new Error("handler failure");
  }
}

describe("events", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ nodeID: "ev", logger: false });
    broker.register(BillingService, MailerService, MailerTwinService, AuditService);
    await broker.start();
  });
  afterAll(() => broker.stop());
  beforeEach(() => (received.length = 0));

  it("emit delivers to one handler per group, balanced within a group", async () => {
    await broker.emit("order.created", { id: 1 });
    await broker.emit("order.created", { id: 2 });
    const who = received.map((r) => r.who);
    expect(who.filter((w) => w === "billing")).toHaveLength(2);
    expect(who.filter((w) => w === "audit")).toHaveLength(2);
    // The mailer group has two members: one delivery per emit, round-robin.
    expect(who.filter((w) => w === "mailer")).toHaveLength(1);
    expect(who.filter((w) => w === "mailer2")).toHaveLength(1);
  });

  it("emit with groups reaches only those groups", async () => {
    await broker.emit("order.created", { id: 3 }, { groups: ["billing"] });
    expect(received.map((r) => r.who)).toEqual(["billing"]);
    received.length = 0;
    await broker.emit("order.created", { id: 3 }, { groups: "audit" });
    expect(received.map((r) => r.who)).toEqual(["audit"]);
  });

  it("broadcast and broadcastLocal reach every handler", async () => {
    await broker.broadcast("order.created", { id: 4 });
    expect(received.map((r) => r.who).sort()).toEqual(["audit", "billing", "mailer", "mailer2"]);
    received.length = 0;
    await broker.broadcastLocal("order.shipped", { id: 5 });
    expect(received.map((r) => r.who).sort()).toEqual(["audit", "mailer", "mailer2"]);
  });

  it("validates event payloads with the handler's DTO and skips the handler when invalid", async () => {
    await broker.emit("order.created", { id: "not-an-int" }, { groups: ["billing"] });
    expect(received).toHaveLength(0);
    await broker.emit("order.created", { id: 7 }, { groups: ["billing"] });
    expect(received[0].payload).toBeInstanceOf(OrderPayload);
  });

  it("gives handlers a context with event info and propagated meta", async () => {
    await broker.emit("order.created", { id: 8 }, { groups: ["billing", "audit"], meta: { tenant: "t1" } });
    expect(received).toHaveLength(2);
    for (const { ctx } of received) {
      expect(ctx.eventName).toBe("order.created");
      expect(ctx.eventType).toBe("emit");
      expect(ctx.meta).toEqual({ tenant: "t1" });
    }
    expect(received[0].ctx.service?.name).not.toBe(received[1].ctx.service?.name);
    // Handlers of one delivery share the ids.
    expect(received[0].ctx.id).toBe(received[1].ctx.id);
    expect(received[0].ctx.requestID).toBe(received[1].ctx.id);
  });

  it("logs a failing handler instead of rejecting the emitter", async () => {
    await expect(broker.emit("order.failing", {})).resolves.toBeUndefined();
  });

  it("resolves an emit nobody listens to", async () => {
    await expect(broker.emit("nobody.listens", {})).resolves.toBeUndefined();
  });

  it("ctx.emit from a handler links the child event to its parent", async () => {
    const seen: Context[] = [];
    @Service({ name: "relay" })
    class Relay {
      @Event("relay.in")
      async in(_p: unknown, ctx: Context) {
        await ctx.emit("relay.out", { x: 1 });
      }
      @Event("relay.out")
      out(_p: unknown, ctx: Context) {
        seen.push(ctx);
      }
    }
    const b = new ServiceBroker({ nodeID: "relay", logger: false });
    b.register(Relay);
    await b.start();
    await b.emit("relay.in", {}, { meta: { m: 1 } });
    expect(seen).toHaveLength(1);
    expect(seen[0].level).toBe(2);
    expect(seen[0].caller).toBe("relay");
    expect(seen[0].meta).toEqual({ m: 1 });
    await b.stop();
  });
});

describe("event names an emit cannot deliver", () => {
  const seen: string[] = [];
  @Service({ name: "everything" })
  class Everything {
    @Event("**")
    any(_p: unknown, ctx: Context) {
      if (!(ctx.eventName as string).startsWith("$")) seen.push(ctx.eventName as string);
    }
  }

  const bad = ["ev..a", ".ev", "ev.", ""];
  const verbs = ["emit", "broadcast", "broadcastLocal"] as const;

  it.each(verbs)("%s rejects a name with an empty segment, naming it", async (verb) => {
    const broker = new ServiceBroker({ nodeID: "names", logger: false });
    broker.register(Everything);
    await broker.start();
    try {
      for (const name of bad) {
        const err = await broker[verb](name, {}).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BrokerOptionsError);
        expect((err as Error).message).toContain(`'${name}'`);
      }
      expect(seen).toEqual([]);
      await broker[verb]("ev.a", {});
      expect(seen).toEqual(["ev.a"]);
    } finally {
      seen.length = 0;
      await broker.stop();
    }
  });

  it.each([42, undefined, {}])("rejects a non-string event name (%p) showing the value", async (name) => {
    const broker = new ServiceBroker({ nodeID: "names2", logger: false });
    await broker.start();
    try {
      const err = await broker.emit(name as never, {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BrokerOptionsError);
      expect((err as Error).message).toContain(`got ${name === undefined ? "undefined" : name === 42 ? "42" : "{}"}`);
    } finally {
      await broker.stop();
    }
  });

  it("with disableBalancer an empty segment is an error at emit, not a silent drop", async () => {
    const { brokers, stop } = await memoryCluster(
      [{ nodeID: "emitter" }, { nodeID: "listener", services: [Everything] }],
      { disableBalancer: true },
    );
    try {
      await brokers[0].waitForServices("everything", 2000, 5);
      await expect(brokers[0].emit("ev..a", {})).rejects.toBeInstanceOf(BrokerOptionsError);
    } finally {
      seen.length = 0;
      await stop();
    }
  });
});
