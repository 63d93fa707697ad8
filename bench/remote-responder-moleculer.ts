import { ServiceBroker } from "moleculer";
import type { Context } from "moleculer";
import { serve, URLS } from "./remote-child";

/** Moleculer 0.14 responder of the remote bench: `math.add` behind NATS or Redis. */
serve(async ({ transport, serializer, namespace }) => {
  const broker = new ServiceBroker({
    nodeID: `responder-${namespace}`,
    namespace,
    logger: false,
    transporter: URLS[transport],
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
