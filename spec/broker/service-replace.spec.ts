import { Action, Event, Service, ServiceBroker, ServiceNotFoundError } from "nucleon";

/** A promise with its resolver, to hold a handler in flight as long as a test needs. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

const log: string[] = [];
let held = gate();
let reached = gate();

@Service({ name: "counter" })
class CounterV1 {
  started(): void {
    log.push("v1 started");
  }
  stopped(): void {
    log.push("v1 stopped");
  }
  @Action({ params: false })
  version(): string {
    return "v1";
  }
  @Action({ params: false })
  async slow(): Promise<string> {
    reached.open();
    await held.opened;
    return "v1 slow";
  }
}

@Service({ name: "counter" })
class CounterV2 {
  started(): void {
    log.push("v2 started");
  }
  @Action({ params: false })
  version(): string {
    return "v2";
  }
}

@Service({ name: "counter" })
class CounterBroken {
  started(): void {
    throw new Error("v3 cannot start");
  }
}

let onServicesChanged = (): void => undefined;

/** Sees the local `$services.changed` event the swap raises. */
@Service({ name: "watch" })
class Watch {
  @Event("$services.changed")
  changed(): void {
    onServicesChanged();
  }
}

let broker: ServiceBroker;
beforeEach(async () => {
  log.length = 0;
  held = gate();
  reached = gate();
  broker = new ServiceBroker({ logger: false });
  broker.register(CounterV1, Watch);
  await broker.start();
  onServicesChanged = () => undefined;
});
afterEach(() => broker.stop());

describe("broker.replace (hot reload's swap)", () => {
  it("serves the new class at once while a call in flight finishes on the old one, which stops after it", async () => {
    const swapped = gate();
    const slow = broker.call("counter.slow");
    await reached.opened;
    // v2's endpoints are in place once its started hook ran and the (synchronous) swap raised `$services.changed`.
    onServicesChanged = swapped.open;
    const replacing = broker.replace(CounterV2);
    await swapped.opened;
    expect(await broker.call("counter.version")).toBe("v2");
    expect(log).toEqual(["v1 started", "v2 started"]); // v1 still draining
    held.open();
    expect(await slow).toBe("v1 slow");
    await replacing;
    expect(log).toEqual(["v1 started", "v2 started", "v1 stopped"]);
    expect(broker.localServices.filter((s) => s.fullName === "counter").map((s) => s.instance.constructor)).toEqual([CounterV2]);
    expect(broker.getLocalService(CounterV2)).toBeInstanceOf(CounterV2);
  });

  it("keeps the old service when the new one fails to start", async () => {
    await expect(broker.replace(CounterBroken)).rejects.toThrow("v3 cannot start");
    expect(await broker.call("counter.version")).toBe("v1");
    expect(log).toEqual(["v1 started"]);
  });

  it("on a broker not started, registers the class in place of the old one", async () => {
    const idle = new ServiceBroker({ logger: false });
    idle.register(CounterV1);
    await idle.replace(CounterV2);
    await idle.start();
    expect(await idle.call("counter.version")).toBe("v2");
    await idle.stop();
  });
});

describe("broker.unregister", () => {
  it("takes the service out at once, stops it once its in-flight calls finished, and frees the name", async () => {
    const slow = broker.call("counter.slow");
    await reached.opened;
    const removing = broker.unregister("counter");
    await expect(broker.call("counter.version")).rejects.toBeInstanceOf(ServiceNotFoundError);
    expect(log).toEqual(["v1 started"]);
    held.open();
    expect(await slow).toBe("v1 slow");
    await removing;
    expect(log).toEqual(["v1 started", "v1 stopped"]);
    broker.register(CounterV2);
    await broker.waitForServices("counter", 2000);
    expect(await broker.call("counter.version")).toBe("v2");
  });

  it("by class, and a no-op for a name this node does not run", async () => {
    await broker.unregister("nothing");
    await broker.unregister(CounterV1);
    expect(broker.localServices.map((s) => s.fullName)).not.toContain("counter");
  });
});

describe("broker.replace with a new name", () => {
  @Service({ name: "fresh" })
  class Fresh {
    @Action({ params: false })
    hi(): string {
      return "fresh";
    }
  }

  @Service({ name: "fresh" })
  class FreshBroken {
    started(): void {
      throw new Error("fresh cannot start");
    }
  }

  it("starts it before resolving, or rejects and leaves nothing behind", async () => {
    await expect(broker.replace(FreshBroken)).rejects.toThrow("fresh cannot start");
    expect(broker.localServices.map((s) => s.fullName)).not.toContain("fresh");
    await broker.replace(Fresh);
    expect(await broker.call("fresh.hi")).toBe("fresh");
  });
});
