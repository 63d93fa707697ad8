import { ServiceBroker } from "moleculer";
import type { Context } from "moleculer";
import { serve, transporterFor } from "./remote-child";

/** Moleculer 0.14 responder of the remote bench: `math.add` behind NATS, Redis or TCP. */
serve(async ({ transport, serializer, namespace, tcpUrls }) => {
  const broker = new ServiceBroker({
    nodeID: `responder-${namespace}`,
    namespace,
    logger: false,
    transporter: transporterFor(transport, tcpUrls),
    serializer,
  });
  broker.createService({
    name: "math",
    actions: {
      add: (ctx: Context<{ a: number; b: number }>) => ctx.params.a + ctx.params.b,
    },
  });
  await broker.start();
  return () => broker.stop();
});
