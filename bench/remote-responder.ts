import "reflect-metadata";
import { Action, Service, ServiceBroker } from "../lib";
import { serve, transporterFor } from "./remote-child";

/** nucleon responder of the remote bench: `math.add` behind NATS, Redis or TCP. */

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }
}

serve(async ({ transport, serializer, namespace, tcpUrls }) => {
  const broker = new ServiceBroker({
    nodeID: `responder-${namespace}`,
    namespace,
    logger: false,
    transporter: transporterFor(transport, tcpUrls),
    serializer,
    transit: { discoverWait: 100 },
  });
  broker.register(MathService);
  await broker.start();
  return () => broker.stop();
});
