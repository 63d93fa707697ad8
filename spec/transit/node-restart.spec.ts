import { Action, Context, RequestRejectedError, Service, ServiceBroker } from "nucleon";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { waitUntil } from "./cluster";

/** The first instance of "slow" never answers until released; later instances answer at once. */
const gate: { release: (() => void) | null; firstInstance: string | null } = { release: null, firstInstance: null };

@Service({ name: "slow" })
class Slow {
  @Action({ params: false })
  work(_p: unknown, ctx: Context): Promise<string> | string {
    const instance = ctx.broker.instanceID;
    gate.firstInstance ??= instance;
    if (instance !== gate.firstInstance) return instance;
    return new Promise<string>((resolve) => (gate.release = () => resolve(instance)));
  }
}

function responder(bus: MemoryBus): ServiceBroker {
  const broker = new ServiceBroker({ nodeID: "r", logger: false, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 10, stopDelay: 5 } });
  broker.register(Slow);
  return broker;
}

/**
 * A responder crashes (no DISCONNECT) while a call waits on it, and a new
 * process comes back under the same nodeID: its INFO carries a new
 * instanceID, so the old instance's pending requests are rejected at once
 * (retryable) instead of waiting for a timeout that may never come.
 */
describe("a node restarted under the same nodeID", () => {
  let bus: MemoryBus;
  let caller: ServiceBroker;
  let old: ServiceBroker;
  let replacement: ServiceBroker | null;

  beforeEach(async () => {
    gate.release = null;
    gate.firstInstance = null;
    replacement = null;
    bus = new MemoryBus();
    old = responder(bus);
    await old.start();
  });

  afterEach(async () => {
    gate.release?.();
    await Promise.all([caller?.stop(), old.stop(), replacement?.stop()]);
  });

  async function crashAndReplace(): Promise<ServiceBroker> {
    // A crash: the transport drops the old node without a DISCONNECT.
    await old.transit!.transporter.disconnect();
    replacement = responder(bus);
    await replacement.start();
    return replacement;
  }

  it("rejects the requests pending on the old instance with a retryable error", async () => {
    caller = new ServiceBroker({ nodeID: "c", logger: false, transporter: new MemoryTransporter({ bus }), requestTimeout: 0, transit: { discoverWait: 10, stopDelay: 5 } });
    await caller.start();
    await waitUntil(() => caller.registry.actions.get("slow.work") !== undefined);
    const call = caller.call("slow.work");
    await waitUntil(() => gate.release !== null);
    await crashAndReplace();
    const err = await call.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RequestRejectedError);
    expect((err as RequestRejectedError).retryable).toBe(true);
  });

  it("with retries on, the call is answered by the new instance", async () => {
    caller = new ServiceBroker({
      nodeID: "c",
      logger: false,
      transporter: new MemoryTransporter({ bus }),
      requestTimeout: 0,
      retryPolicy: { enabled: true, retries: 3, delay: 10 },
      transit: { discoverWait: 10, stopDelay: 5 },
    });
    await caller.start();
    await waitUntil(() => caller.registry.actions.get("slow.work") !== undefined);
    const call = caller.call<string>("slow.work");
    await waitUntil(() => gate.release !== null);
    const fresh = await crashAndReplace();
    await expect(call).resolves.toBe(fresh.instanceID);
  });
});
