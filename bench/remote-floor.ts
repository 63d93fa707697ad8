import { connect as netConnect } from "node:net";
import { connect as natsConnect } from "nats";
import { Redis } from "ioredis";
import { childEnv, cpuWith, loopbackUrls, type Side, startChild, stopChild } from "./remote-process";
import { floorSubjects, type Transport } from "./remote-child";
import { readFrames } from "./length-prefixed";

/**
 * The floor of each remote case: the bare client, no framework. Over NATS
 * and Redis two fixed subjects/channels; over TCP one socket, each message
 * a 4-byte big-endian length and its JSON. An id per call, a map of pending calls.
 */

const params = { a: 1, b: 2 };

interface FloorReply {
  id: number;
  data: unknown;
}

/** The bare client: publish `{ id, params }`, resolve the pending call when `{ id, data }` comes back. */
export async function floorSide(transport: Transport, ns: string): Promise<Side> {
  const { req, res } = floorSubjects(ns);
  const tcpUrls = await loopbackUrls(transport, ["floor"]);
  const child = await startChild("remote-responder-floor.ts", childEnv(transport, "JSON", ns, tcpUrls));
  const pending = new Map<number, (value: unknown) => void>();
  let seq = 0;
  const settle = (raw: Buffer | string) => {
    const reply = JSON.parse(raw.toString()) as FloorReply;
    const resolve = pending.get(reply.id);
    if (resolve === undefined) return;
    pending.delete(reply.id);
    resolve(reply.data);
  };
  try {
    if (transport === "tcp") return await tcpFloor(Number(tcpUrls.floor.split(":").pop()), child, pending, settle, () => ++seq);
    if (transport === "nats") {
      const nc = await natsConnect({ servers: "127.0.0.1:4222" });
      nc.subscribe(res, {
        callback: (err, msg) => {
          if (!err) settle(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength));
        },
      });
      await nc.flush();
      return {
        name: "floor",
        cpu: cpuWith(child),
        op: () =>
          new Promise((resolve) => {
            const id = ++seq;
            pending.set(id, resolve);
            nc.publish(req, Buffer.from(JSON.stringify({ id, params })));
          }),
        stop: async () => {
          await nc.drain();
          await stopChild(child);
        },
      };
    }
    const sub = new Redis(6379, "127.0.0.1");
    const pub = new Redis(6379, "127.0.0.1");
    sub.on("message", (_channel: string, message: string) => settle(message));
    await sub.subscribe(res);
    return {
      name: "floor",
      cpu: cpuWith(child),
      op: () =>
        new Promise((resolve, reject) => {
          const id = ++seq;
          pending.set(id, resolve);
          pub.publish(req, JSON.stringify({ id, params })).catch(reject);
        }),
      stop: async () => {
        sub.disconnect();
        pub.disconnect();
        await stopChild(child);
      },
    };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}


/** One socket to the floor responder; replies are split by their length prefix. */
async function tcpFloor(
  port: number,
  child: Awaited<ReturnType<typeof startChild>>,
  pending: Map<number, (value: unknown) => void>,
  settle: (raw: Buffer) => void,
  nextId: () => number,
): Promise<Side> {
  const socket = netConnect({ host: "127.0.0.1", port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  readFrames(socket, settle);
  return {
    name: "floor",
    cpu: cpuWith(child),
    op: () =>
      new Promise((resolve) => {
        const id = nextId();
        pending.set(id, resolve);
        const body = Buffer.from(JSON.stringify({ id, params }));
        const header = Buffer.allocUnsafe(4);
        header.writeUInt32BE(body.length);
        socket.write(Buffer.concat([header, body]));
      }),
    stop: async () => {
      socket.destroy();
      await stopChild(child);
    },
  };
}
