import { FrameError, FrameReader, FrameType, type FrameTypeId, frameHeader, HEADER_SIZE } from "../../../lib/transporters/tcp/frame";

function frame(type: FrameTypeId, body: string): Buffer {
  const data = Buffer.from(body);
  return Buffer.concat([frameHeader(type, data.length), data]);
}

function reader(max = 1024): { r: FrameReader; got: Array<[number, string]> } {
  const got: Array<[number, string]> = [];
  return { r: new FrameReader(max, (type, payload) => got.push([type, payload.toString()])), got };
}

describe("TCP frames", () => {
  it("writes Moleculer's header: XOR check byte, big-endian total length, type", () => {
    const h = frameHeader(FrameType.REQ, 10);
    expect(h.readInt32BE(1)).toBe(16);
    expect(h[5]).toBe(2);
    expect(h[0]).toBe(h[1] ^ h[2] ^ h[3] ^ h[4] ^ h[5]);
    // What Moleculer's own writer produces for the same frame.
    expect([...h]).toEqual([16 ^ 2, 0, 0, 0, 16, 2]);
  });

  it("reads frames whole, split at every byte, and several in one chunk", () => {
    const bytes = Buffer.concat([frame(FrameType.EVENT, "one"), frame(FrameType.GOSSIP_HELLO, ""), frame(FrameType.RES, "three")]);
    const whole = reader();
    expect(whole.r.push(bytes)).toBeNull();
    const split = reader();
    for (let i = 0; i < bytes.length; i++) expect(split.r.push(bytes.subarray(i, i + 1))).toBeNull();
    const expected = [
      [1, "one"],
      [8, ""],
      [3, "three"],
    ];
    expect(whole.got).toEqual(expected);
    expect(split.got).toEqual(expected);
    expect(split.r.partial).toBe(false);
  });

  it("joins a large frame arriving in many chunks", () => {
    const body = "x".repeat(100_000);
    const bytes = frame(FrameType.REQ, body);
    const { r, got } = reader(200_000);
    for (let i = 0; i < bytes.length; i += 1000) r.push(bytes.subarray(i, i + 1000));
    expect(got).toEqual([[2, body]]);
  });

  it.each([
    ["a wrong check byte", (b: Buffer) => (b[0] ^= 1), "check-byte"],
    ["a length under the header", (b: Buffer) => writeLength(b, 5), "length"],
    ["a negative length", (b: Buffer) => writeLength(b, -1), "length"],
    ["a length over maxPacketSize", (b: Buffer) => writeLength(b, 2000), "too-large"],
    ["an unknown type", (b: Buffer) => writeType(b, 9), "type"],
    ["type 0", (b: Buffer) => writeType(b, 0), "type"],
  ])("refuses %s before reading on", (_what, corrupt, reason) => {
    const bytes = frame(FrameType.EVENT, "payload");
    corrupt(bytes);
    const { r, got } = reader();
    const err = r.push(bytes);
    expect(err).toBeInstanceOf(FrameError);
    expect(err?.reason).toBe(reason);
    expect(got).toEqual([]);
  });

  it("keeps an incomplete header until the rest arrives", () => {
    const bytes = frame(FrameType.PING, "p");
    const { r, got } = reader();
    expect(r.push(bytes.subarray(0, HEADER_SIZE - 1))).toBeNull();
    expect(r.partial).toBe(true);
    expect(r.push(bytes.subarray(HEADER_SIZE - 1))).toBeNull();
    expect(got).toEqual([[4, "p"]]);
  });
});

/** Sets the length field and re-computes the check byte, so only the length is wrong. */
function writeLength(b: Buffer, length: number): void {
  b.writeInt32BE(length, 1);
  b[0] = b[1] ^ b[2] ^ b[3] ^ b[4] ^ b[5];
}

function writeType(b: Buffer, type: number): void {
  b[5] = type;
  b[0] = b[1] ^ b[2] ^ b[3] ^ b[4] ^ b[5];
}
