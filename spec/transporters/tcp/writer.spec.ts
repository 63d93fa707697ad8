import { createServer, Socket, type Server } from "node:net";
import { FrameReader, FrameType } from "../../../lib/transporters/tcp/frame";
import { TcpWriter } from "../../../lib/transporters/tcp/writer";

describe("TcpWriter batching", () => {
  let server: Server;
  let port = 0;
  const received: Buffer[] = [];
  let gotAll: (() => void) | null = null;
  let expected = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      const reader = new FrameReader(1024 * 1024, (type, payload) => {
        if (type === FrameType.REQ) received.push(Buffer.from(payload));
        if (received.length === expected) gotAll?.();
      });
      socket.on("data", (chunk: Buffer) => reader.push(chunk));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("writes a tick's frames in batches of 32, in order, so the peer can start before the tick ends", async () => {
    const writer = new TcpWriter(
      { maxConnections: 4 },
      { locate: () => ({ host: "127.0.0.1", port }), hello: () => Buffer.from("{}"), lost: () => undefined, log: () => undefined },
    );
    await writer.send("peer", FrameType.REQ, Buffer.from("warm-up"));
    expected = 101;
    const all = new Promise<void>((resolve) => (gotAll = resolve));
    const writes = jest.spyOn(Socket.prototype, "write");
    try {
      for (let i = 0; i < 100; i++) void writer.send("peer", FrameType.REQ, Buffer.from(String(i)));
      // 96 frames left in three writes during the tick; the last 4 wait for its end.
      expect(writes).toHaveBeenCalledTimes(3);
      await all;
      expect(writes).toHaveBeenCalledTimes(4);
    } finally {
      writes.mockRestore();
      writer.close();
    }
    expect(received.slice(1).map((b) => b.toString())).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
  });
});
