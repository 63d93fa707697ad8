/**
 * MurmurHash3, x86 32-bit, over the UTF-8 bytes of `key`: fast, non-crypto and
 * well spread even for near-identical inputs ("node-1-0", "node-1-1", …), which
 * is what a hash ring needs. Matches the reference implementation's output.
 */
export function murmur3(key: string, seed = 0): number {
  const bytes = Buffer.from(key, "utf8");
  const length = bytes.length;
  const tail = length & ~3;
  let h = seed >>> 0;
  for (let i = 0; i < tail; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = length & 3;
  if (rest > 0) {
    let k = bytes[tail];
    if (rest > 1) k |= bytes[tail + 1] << 8;
    if (rest > 2) k |= bytes[tail + 2] << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
