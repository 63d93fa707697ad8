import { connect } from "nats";
import { Redis } from "ioredis";
import { floorSubjects, serve } from "./remote-child";

/**
 * The bare-client floor's responder: one subscription on a fixed request
 * subject/channel, each request `{ id, params }` answered on a fixed
 * response subject/channel with `{ id, data }` (JSON).
 */

interface FloorRequest {
  id: number;
  params: { a: number; b: number };
}

function answer(raw: Buffer | string): string {
  const req = JSON.parse(raw.toString()) as FloorRequest;
  return JSON.stringify({ id: req.id, data: req.params.a + req.params.b });
}

serve(async ({ transport, namespace }) => {
  const { req, res } = floorSubjects(namespace);
  if (transport === "nats") {
    const nc = await connect({ servers: "127.0.0.1:4222" });
    nc.subscribe(req, {
      callback: (err, msg) => {
        if (err) return;
        nc.publish(res, Buffer.from(answer(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength))));
      },
    });
    await nc.flush();
    return () => nc.drain();
  }
  const sub = new Redis(6379, "127.0.0.1");
  const pub = new Redis(6379, "127.0.0.1");
  sub.on("message", (_channel: string, message: string) => {
    void pub.publish(res, answer(message));
  });
  await sub.subscribe(req);
  return async () => {
    sub.disconnect();
    pub.disconnect();
  };
});
