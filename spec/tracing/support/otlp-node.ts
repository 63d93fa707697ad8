/*
 * A nucleon node exporting over OTLP, run as a plain Node child by the
 * exporters spec: the OTLP exporter loads `http` with a dynamic `import()`,
 * which jest's CommonJS sandbox refuses. Usage: otlp-node.ts <traces url>.
 * Calls `greeter.hello` once, flushes, stops.
 */
import "reflect-metadata";
import { Action, Service, ServiceBroker } from "../../../lib";

@Service({ name: "greeter" })
class GreeterService {
  @Action({ params: false })
  hello(p: { name: string }): string {
    return `Hello ${p.name}`;
  }
}

async function main(): Promise<void> {
  const url = process.argv[2];
  const broker = new ServiceBroker({ nodeID: "otlp", logger: false, tracing: { exporter: { type: "OTLP", options: { url } }, serviceName: "shop" } });
  broker.register(GreeterService);
  await broker.start();
  await broker.call("greeter.hello", { name: "x" });
  await broker.tracer!.flush();
  await broker.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
