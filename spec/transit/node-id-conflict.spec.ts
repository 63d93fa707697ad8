import { Action, BrokerOptions, BrokerOptionsError, Context, Service, ServiceBroker } from "nucleon";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { waitUntil } from "./cluster";

@Service({ name: "who" })
class Who {
  @Action({ params: false })
  am(_p: unknown, ctx: Context): string {
    return ctx.broker.instanceID;
  }
}

type MakeTransport = () => BrokerOptions;

const transports: Array<[string, () => MakeTransport]> = [
  [
    "memory",
    () => {
      const bus = new MemoryBus();
      return () => ({ transporter: new MemoryTransporter({ bus }) });
    },
  ],
  [
    "nats",
    () => {
      const namespace = uniqueNamespace("twin");
      return () => ({ transporter: BROKERS.nats.url, namespace });
    },
  ],
];

/**
 * A second broker with a nodeID already running on the namespace: its
 * start() rejects with a clear error, and the first one keeps serving alone.
 */
describe.each(transports)("a duplicate nodeID over %s", (name, setup) => {
  (name === "nats" ? (n: string, fn: () => void) => describeWith("nats", n, fn) : describe)("two brokers, one nodeID", () => {
    const started: ServiceBroker[] = [];
    let transport: MakeTransport;

    const make = (nodeID: string, services = true): ServiceBroker => {
      const broker = new ServiceBroker({ nodeID, logger: false, ...transport(), transit: { discoverWait: 200, stopDelay: 5 } });
      if (services) broker.register(Who);
      started.push(broker);
      return broker;
    };

    beforeEach(() => (transport = setup()));
    afterEach(async () => {
      await Promise.all(started.map((b) => b.stop()));
      started.length = 0;
    });

    it("rejects the newcomer's start() naming the nodeID, and the first keeps serving", async () => {
      const first = make("twin");
      await first.start();
      const second = make("twin");
      const err = await second.start().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(BrokerOptionsError);
      expect((err as Error).message).toContain("'twin'");
      expect((err as Error).message).toContain("nodeID conflict");

      const caller = make("caller", false);
      await caller.start();
      await waitUntil(() => caller.registry.actions.get("who.am") !== undefined);
      const answers = await Promise.all(Array.from({ length: 20 }, () => caller.call<string>("who.am")));
      expect(new Set(answers)).toEqual(new Set([first.instanceID]));
      expect(first.started).toBe(true);
    });
  });
});
