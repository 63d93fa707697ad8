import { BrokerOptions, ServiceBroker } from "nucleon";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";

/** Brokers on one private in-memory bus (no network), started together. */
export async function memoryCluster(
  specs: Array<{ nodeID: string; services?: Array<new (...args: never[]) => object>; options?: BrokerOptions }>,
  common: BrokerOptions = {},
): Promise<{ brokers: ServiceBroker[]; bus: MemoryBus; stop: () => Promise<void> }> {
  const bus = new MemoryBus();
  const brokers = specs.map(({ nodeID, services = [], options }) => {
    const broker = new ServiceBroker({
      nodeID,
      logger: false,
      transporter: new MemoryTransporter({ bus }),
      transit: { discoverWait: 20, stopDelay: 10 },
      ...common,
      ...options,
    });
    broker.register(...(services as never[]));
    return broker;
  });
  await Promise.all(brokers.map((b) => b.start()));
  return { brokers, bus, stop: () => Promise.all(brokers.map((b) => b.stop())).then(() => undefined) };
}

export function waitUntil(check: () => boolean, timeout = 3000, interval = 10): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeout) return reject(new Error("waitUntil timed out"));
      setTimeout(tick, interval);
    };
    tick();
  });
}
