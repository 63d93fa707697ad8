/**
 * A Buffer stream's chunk as it came off the wire: a Buffer (MsgPack), or
 * `{type:"Buffer", data:[bytes]}` (JSON). Anything else has no place in a
 * Buffer stream: `null`, and the receiver refuses it.
 */
export function toBuffer(chunk: unknown): Buffer | null {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk !== "object" || chunk === null) return null;
  const { type, data } = chunk as { type?: unknown; data?: unknown };
  if (type !== "Buffer" || !Array.isArray(data)) return null;
  const bytes = data as unknown[];
  const buf = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    // (b & 255) === b: an integer 0..255 (also refuses strings, NaN and fractions).
    if (typeof b !== "number" || (b & 255) !== b) return null;
    buf[i] = b;
  }
  return buf;
}

/** `chunk` in slices of at most `size` bytes (the slices share its memory). */
export function slices(chunk: Buffer, size: number): Buffer[] {
  if (size <= 0 || chunk.length <= size) return [chunk];
  const out: Buffer[] = [];
  for (let i = 0; i < chunk.length; i += size) out.push(chunk.subarray(i, i + size));
  return out;
}
