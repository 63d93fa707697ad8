/* eslint-disable no-console -- a sample prints what it does */
import "reflect-metadata";
import pino from "pino";
import { Constructor, ServiceBroker } from "nucleon";
import { clusterTransporter } from "./transporter";

/**
 * What every child node of the sample does: join the cluster named by the
 * parent (env NODE_ID, NAMESPACE, and TRANSPORTER or TCP_URLS), print READY,
 * and leave cleanly on SIGTERM — so the gateway drops it at once instead of
 * waiting for a missed heartbeat.
 */
export function runNode(services: Constructor[]): void {
  const broker = new ServiceBroker({
    nodeID: required("NODE_ID"),
    namespace: required("NAMESPACE"),
    transporter: clusterTransporter(process.env.TRANSPORTER ?? "", process.env.TCP_URLS ?? ""),
    // Logs go to stderr; stdout is what the node has to say (relayed by main.ts).
    logger: pino({ level: "warn" }, pino.destination(2)),
  });
  broker.register(...services);

  process.once("SIGTERM", () => {
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });

  broker.start().then(
    () => console.log("READY"),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set: start this node through samples/cluster/main.ts`);
    process.exit(2);
  }
  return value;
}
