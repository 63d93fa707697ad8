import { createHash } from "node:crypto";
import { Readable } from "node:stream";

/**
 * Deterministic test bytes: the same `size` always gives the same bytes, so
 * a sender and a receiver in different places can agree on the sha256
 * without sending it. Made chunk by chunk (never the whole payload in memory).
 */
export function byteSource(size: number, chunkSize = 64 * 1024, onRead?: (bytes: number) => void): Readable {
  let offset = 0;
  let state = 0x9e3779b9;
  return new Readable({
    read() {
      if (offset >= size) return void this.push(null);
      const n = Math.min(chunkSize, size - offset);
      const buf = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) {
        // xorshift32: cheap and never all zeros
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        buf[i] = state & 0xff;
      }
      offset += n;
      onRead?.(n);
      this.push(buf);
    },
  });
}

/** sha256 (hex) and byte count of everything a stream yields. */
export async function digest(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    if (!Buffer.isBuffer(buf)) throw new Error(`a ${typeof chunk} chunk in a Buffer stream`);
    hash.update(buf);
    bytes += buf.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** What `byteSource(size)` hashes to. */
export function expectedDigest(size: number): Promise<{ sha256: string; bytes: number }> {
  return digest(byteSource(size));
}

/** Every value of an object-mode stream. */
export async function collect<T>(stream: Readable): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item as T);
  return out;
}

/** A Buffer stream that yields `before` bytes, then fails with `message`. */
export function failingSource(before: number, message: string): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of byteSource(before)) yield chunk as Buffer;
    throw new Error(message);
  }
  return Readable.from(chunks(), { objectMode: false });
}
