import type { Socket } from "node:net";

/** The floors' framing: a 4-byte big-endian length, then the JSON. */
export function sendFrame(socket: Socket, body: Buffer | string): void {
  const data = typeof body === "string" ? Buffer.from(body) : body;
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32BE(data.length);
  socket.write(Buffer.concat([header, data]));
}

/** Calls `onMessage` with each whole frame's body as it arrives on `socket`. */
export function readFrames(socket: Socket, onMessage: (msg: Buffer) => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    let offset = 0;
    while (buffered.length - offset >= 4) {
      const length = buffered.readUInt32BE(offset);
      if (buffered.length - offset - 4 < length) break;
      onMessage(buffered.subarray(offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
    buffered = buffered.subarray(offset);
  });
}
