import { createServer } from "node:net";
import { connect } from "nats";
import { Redis } from "ioredis";
import { floorSubjects, serve } from "./remote-child";
import { readFrames, sendFrame } from "./length-prefixed";

/**
 * The bare-client floor's responder: one subscription on a fixed request
 * subject/channel, each request `{ id, params }` answered on a fixed
 * response subject/channel with `{ id, data }` (JSON). Over TCP: one
 * socket, each message a 4-byte big-endian length and its JSON.
 */

interface FloorRequest {
  id: number;
  params: { a: number; b: number };
}

function answer(raw: Buffer | string): string {
  const req = JSON.parse(raw.toString()) as FloorRequest;
  return JSON.stringify({ id: req.id, data: req.params.a + req.params.b });
}

serve(async ({ transport, namespace, tcpUrls }) => {
  const { req, res } = floorSubjects(namespace);
  if (transport === "tcp") return tcpFloor(Number(tcpUrls.floor.split(":").pop()));
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

async function tcpFloor(port: number): Promise<() => Promise<void>> {
  const server = createServer({ noDelay: true }, (socket) => {
    readFrames(socket, (msg) => sendFrame(socket, answer(msg)));
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
